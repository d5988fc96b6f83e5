package moodlexml

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// multianswer reads a Moodle cloze question (multianswer): its text holds
// embedded questions {weight:TYPE:answers}, each of which becomes a gap of
// a cloze question. SHORTANSWER (SA, MW) gaps take typed text, NUMERICAL
// (NM) a number, MULTICHOICE (MC, with its V, H and S variants) a choice
// from a list; MULTIRESPONSE gaps (several choices) have no examhall
// counterpart and skip the question.
func (p *parser) multianswer(it *content.Item, q *examhall.Question) {
	q.Type = examhall.Cloze
	q.PartialCredit = true
	prompt, gaps, err := parseEmbedded(it, q.Prompt)
	if err != "" {
		it.Skip(content.UnsupportedType, "%s", err)
		return
	}
	if len(gaps) == 0 {
		it.Skip(content.NotAQuestion, "the cloze question has no embedded answers")
		return
	}
	q.Prompt, q.Gaps = prompt, gaps
}

// parseEmbedded replaces the embedded questions of a text with [[gN]]
// marks and returns them as gaps; err says why one cannot be a gap.
func parseEmbedded(it *content.Item, text string) (prompt string, gaps []examhall.Gap, err string) {
	var b strings.Builder
	for {
		i := strings.Index(text, "{")
		if i < 0 {
			b.WriteString(text)
			break
		}
		end, spec, ok := embedded(text[i:])
		if !ok {
			b.WriteString(text[:i+1])
			text = text[i+1:]
			continue
		}
		b.WriteString(text[:i])
		id := fmt.Sprintf("g%d", len(gaps)+1)
		g, e := embeddedGap(it, id, spec)
		if e != "" {
			return "", nil, fmt.Sprintf("gap %d: %s", len(gaps)+1, e)
		}
		gaps = append(gaps, g)
		b.WriteString("[[" + id + "]]")
		text = text[i+end:]
	}
	return b.String(), gaps, ""
}

// embedded reads "{weight:TYPE:answers}" at the start of s: its length and
// its parts.
func embedded(s string) (int, [3]string, bool) {
	var parts [3]string
	n := 0
	start := 1
	for j := 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case ':':
			if n < 2 {
				parts[n] = s[start:j]
				n++
				start = j + 1
			}
		case '{':
			return 0, parts, false
		case '}':
			if n < 2 {
				return 0, parts, false
			}
			parts[2] = s[start:j]
			if _, err := strconv.Atoi(strings.TrimSpace(orOne(parts[0]))); err != nil || parts[1] == "" {
				return 0, parts, false
			}
			return j + 1, parts, true
		}
	}
	return 0, parts, false
}

func orOne(s string) string {
	if strings.TrimSpace(s) == "" {
		return "1"
	}
	return s
}

// cloze answer: its credit (percent), text and feedback.
type clozeAnswer struct {
	credit         float64
	text, feedback string
}

// embeddedAnswers splits "=a#fb~%50%b~c" into answers.
func embeddedAnswers(s string) []clozeAnswer {
	var out []clozeAnswer
	for _, raw := range splitUnescaped(s, '~') {
		a := clozeAnswer{}
		raw = strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(raw, "="):
			a.credit, raw = 100, raw[1:]
		case strings.HasPrefix(raw, "%"):
			if j := strings.Index(raw[1:], "%"); j >= 0 {
				a.credit, _ = strconv.ParseFloat(raw[1:1+j], 64)
				raw = raw[j+2:]
			}
		}
		if parts := splitUnescaped(raw, '#'); len(parts) > 1 {
			raw, a.feedback = parts[0], strings.Join(parts[1:], "#")
		}
		a.text = unescapeCloze(strings.TrimSpace(raw))
		if a.text == "" && a.credit == 0 {
			continue
		}
		out = append(out, a)
	}
	return out
}

func splitUnescaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func unescapeCloze(s string) string {
	r := strings.NewReplacer(`\~`, "~", `\#`, "#", `\}`, "}", `\{`, "{", `\/`, "/", `\"`, `"`, `\\`, `\`)
	return r.Replace(s)
}

// embeddedGap turns one embedded question into a gap.
func embeddedGap(it *content.Item, id string, spec [3]string) (examhall.Gap, string) {
	w, _ := strconv.ParseFloat(strings.TrimSpace(orOne(spec[0])), 64)
	if !(w > 0) || math.IsInf(w, 0) {
		w = 1
	}
	g := examhall.Gap{ID: id, Weight: w}
	answers := embeddedAnswers(spec[2])
	typ := strings.ToUpper(strings.TrimSpace(spec[1]))
	var right []string
	for _, a := range answers {
		switch {
		case a.credit >= 100:
			right = append(right, a.text)
		case a.credit > 0:
			it.Change(content.PartialCreditDropped, "gap %s: the partial credit (%g%%) for %q was left out: it counts as wrong", id, a.credit, html.UnescapeString(a.text))
		}
		if a.feedback != "" {
			it.Change(content.FeedbackDropped, "gap %s: the feedback on %q was left out", id, html.UnescapeString(a.text))
		}
	}
	switch typ {
	case "SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC":
		g.Type = examhall.GapText
		var accepted []string
		for _, r := range right {
			t := strings.TrimSpace(examhall.StripHTML(r))
			if strings.Contains(t, "*") {
				it.Change(content.WildcardLiteral, "gap %s: the answer %q has a wildcard (*), which examhall compares literally", id, t)
			}
			accepted = append(accepted, t)
		}
		if strings.HasSuffix(typ, "C") {
			it.Change(content.CaseIgnored, "gap %s: answers are compared without regard to case", id)
		}
		if len(accepted) == 0 {
			return g, "no answer gets full credit"
		}
		g.Answer, _ = json.Marshal(accepted)
	case "NUMERICAL", "NM":
		g.Type = examhall.GapNumeric
		if len(right) == 0 {
			return g, "no answer gets full credit"
		}
		val, tol, _ := strings.Cut(right[0], ":")
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		t, err2 := strconv.ParseFloat(strings.TrimSpace(orZero(tol)), 64)
		if err != nil || err2 != nil || t < 0 || math.IsInf(v, 0) || math.IsNaN(v) || math.IsInf(t, 0) {
			return g, fmt.Sprintf("%q is not a number with a tolerance", right[0])
		}
		g.Answer, _ = json.Marshal(v)
		g.Tolerance = t
		if len(right) > 1 {
			it.Change(content.AnswerDropped, "gap %s: a second right answer was left out: numeric gaps have one answer and a tolerance", id)
		}
	case "MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH", "MULTICHOICE_S", "MCS", "MULTICHOICE_VS", "MCVS", "MULTICHOICE_HS", "MCHS":
		g.Type = examhall.GapChoice
		key := ""
		for i, a := range answers {
			oid := content.OptionID(i)
			g.Options = append(g.Options, examhall.Option{ID: oid, Text: a.text})
			if a.credit >= 100 && key == "" {
				key = oid
			}
		}
		if key == "" {
			return g, "no choice gets full credit"
		}
		if len(g.Options) < 2 {
			return g, "a choice needs at least two options"
		}
		g.Answer, _ = json.Marshal(key)
		switch typ {
		case "MULTICHOICE", "MC", "MULTICHOICE_S", "MCS":
		default:
			it.Change(content.InteractionChanged, "gap %s: the choices shown as buttons are a list to choose from", id)
		}
	default:
		return g, fmt.Sprintf("an embedded %s question has no examhall counterpart", typ)
	}
	return g, ""
}

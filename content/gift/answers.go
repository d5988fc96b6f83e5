package gift

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

var truth = regexp.MustCompile(`(?i)^(T|TRUE|F|FALSE)\s*(#|$)`)

// parseAnswers reads the answer block s of q.
func parseAnswers(it *content.Item, q *examhall.Question, s, format string) {
	body := strings.TrimSpace(s)
	switch {
	case body == "" || strings.HasPrefix(body, "####"):
		q.Type = examhall.Essay
		q.Feedback = feedbackText(q, strings.TrimPrefix(body, "####"), format)
		return
	case strings.HasPrefix(body, "#"):
		parseNumeric(it, q, body[1:], format)
		return
	case truth.MatchString(body):
		parseTrueFalse(it, q, body, format)
		return
	}
	answers, general, rest := splitAnswers(s)
	if len(answers) == 0 && strings.TrimSpace(rest) != "" {
		// One short answer needs no "=": {One}.
		answers, general, _ = splitAnswers("=" + s)
		rest = ""
	}
	if strings.TrimSpace(rest) != "" {
		it.Skip(content.Malformed, "the answer block starts with %q instead of ~ or =", strings.TrimSpace(rest))
		return
	}
	if len(answers) == 0 {
		it.Skip(content.NoCorrectAnswer, "the answer block has no answers")
		return
	}
	q.Feedback = feedbackText(q, general, format)
	allRight, arrows := true, 0
	for _, a := range answers {
		allRight = allRight && a.right
		if indexUnescaped(a.text, "->") >= 0 {
			arrows++
		}
	}
	switch {
	case arrows > 0 && arrows == len(answers) && allRight:
		parseMatching(it, q, answers, format)
	case allRight:
		parseShort(it, q, answers)
	default:
		parseChoice(it, q, answers, format)
	}
}

func setAnswer(q *examhall.Question, v any) {
	q.Answer, _ = json.Marshal(v)
}

// parseTrueFalse reads {T}, {FALSE#feedback on a wrong answer#feedback
// on the right one} and a general feedback after ####.
func parseTrueFalse(it *content.Item, q *examhall.Question, body string, format string) {
	q.Type = examhall.TrueFalse
	if i := indexUnescaped(body, "####"); i >= 0 {
		q.Feedback = feedbackText(q, body[i+4:], format)
		body = body[:i]
	}
	word, fbs, _ := strings.Cut(body, "#")
	w := strings.ToUpper(strings.TrimSpace(word))
	setAnswer(q, w == "T" || w == "TRUE")
	wrong, right, _ := strings.Cut(fbs, "#")
	q.IncorrectFeedback = feedbackText(q, wrong, format)
	q.CorrectFeedback = feedbackText(q, right, format)
}

// feedbackText is a feedback in the question's format: its own [format]
// marker is taken off, and it is escaped when the question is HTML and it
// is not.
func feedbackText(q *examhall.Question, s, format string) string {
	f, raw := ownFormat(s, format)
	if raw == "" {
		return ""
	}
	t, tf := text(nil, raw, f)
	if q.Format == examhall.FormatHTML && tf != examhall.FormatHTML {
		return html.EscapeString(t)
	}
	if q.Format != examhall.FormatHTML && tf == examhall.FormatHTML {
		return examhall.StripHTML(t)
	}
	return t
}

// parseNumeric reads "#answer:tolerance", "#min..max" or a list of
// "=answer" entries, each with its feedback after #. The feedback of the
// full-credit answer is the question's feedback on a right response.
func parseNumeric(it *content.Item, q *examhall.Question, s, format string) {
	q.Type = examhall.Numeric
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "=") && !strings.HasPrefix(s, "~") {
		if i := indexUnescaped(s, "####"); i >= 0 {
			q.Feedback = feedbackText(q, s[i+4:], format)
			s = s[:i]
		}
		spec, fb, _ := strings.Cut(s, "#")
		v, tol, ok := numberSpec(spec)
		if !ok {
			it.Skip(content.Malformed, "%q is not a number, number:tolerance or min..max", unescape(spec))
			return
		}
		setAnswer(q, v)
		q.Tolerance = tol
		q.CorrectFeedback = feedbackText(q, fb, format)
		return
	}
	answers, general, _ := splitAnswers(s)
	q.Feedback = feedbackText(q, general, format)
	found := false
	for _, a := range answers {
		if !a.right {
			it.Change(content.AnswerDropped, "a wrong answer (%s) and its feedback were left out", unescape(a.text))
			continue
		}
		v, tol, ok := numberSpec(a.text)
		if !ok {
			it.Skip(content.Malformed, "%q is not a number, number:tolerance or min..max", unescape(a.text))
			return
		}
		full := a.weight == nil || *a.weight >= 100
		switch {
		case full && !found:
			setAnswer(q, v)
			q.Tolerance = tol
			q.CorrectFeedback = feedbackText(q, a.feedback, format)
			found = true
		case full:
			it.Change(content.AnswerDropped, "a second right answer (%s) was left out: numeric questions have one answer and a tolerance", unescape(a.text))
		default:
			it.Change(content.PartialCreditDropped, "the partial credit (%g%%) for %s was left out", *a.weight, unescape(a.text))
		}
		if !(full && found && q.CorrectFeedback == feedbackText(q, a.feedback, format)) && strings.TrimSpace(a.feedback) != "" {
			it.Change(content.FeedbackDropped, "the feedback on %s was left out", unescape(a.text))
		}
	}
	if !found {
		it.Skip(content.NoCorrectAnswer, "no answer gets full credit")
	}
}

// numberSpec reads "v", "v:tolerance" or "min..max".
func numberSpec(s string) (v, tol float64, ok bool) {
	s = strings.TrimSpace(unescape(s))
	if lo, hi, isRange := strings.Cut(s, ".."); isRange {
		a, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
		if err1 != nil || err2 != nil || b < a {
			return 0, 0, false
		}
		return (a + b) / 2, (b - a) / 2, finite(a, b)
	}
	val, t, hasTol := strings.Cut(s, ":")
	v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil {
		return 0, 0, false
	}
	if hasTol {
		if tol, err = strconv.ParseFloat(strings.TrimSpace(t), 64); err != nil || tol < 0 {
			return 0, 0, false
		}
	}
	return v, tol, finite(v, tol)
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return false
		}
	}
	return true
}

func parseShort(it *content.Item, q *examhall.Question, answers []answer) {
	q.Type = examhall.ShortText
	var accepted []string
	for _, a := range answers {
		_, raw := ownFormat(a.text, "")
		t := unescape(raw)
		if a.weight != nil && *a.weight < 100 {
			it.Change(content.PartialCreditDropped, "the partial credit (%g%%) for %q was left out: it counts as wrong", *a.weight, t)
			continue
		}
		if t == "" {
			continue
		}
		accepted = append(accepted, t)
		switch fb := feedbackText(q, a.feedback, ""); {
		case fb == "" || fb == q.CorrectFeedback:
		case q.CorrectFeedback == "":
			q.CorrectFeedback = fb
		default:
			it.Change(content.FeedbackDropped, "the feedback on %q was left out: a right answer has one feedback", t)
		}
	}
	if len(accepted) == 0 {
		it.Skip(content.NoCorrectAnswer, "no answer gets full credit")
		return
	}
	setAnswer(q, accepted)
}

func parseMatching(it *content.Item, q *examhall.Question, answers []answer, format string) {
	q.Type = examhall.Match
	pairs := map[string]string{}
	targets := map[string]string{} // text -> id
	for _, a := range answers {
		i := indexUnescaped(a.text, "->")
		f, left := ownFormat(strings.TrimSpace(a.text[:i]), format)
		right := unescape(a.text[i+2:])
		tid, ok := targets[right]
		if !ok {
			tid = strconv.Itoa(len(targets) + 1)
			targets[right] = tid
			q.Targets = append(q.Targets, examhall.Option{ID: tid, Text: right})
		}
		if left == "" {
			continue // a target that matches nothing (a distractor)
		}
		id := content.OptionID(len(q.Options))
		t, tf := text(nil, left, f)
		if tf == examhall.FormatHTML {
			q.Format = tf
		}
		q.Options = append(q.Options, examhall.Option{ID: id, Text: t})
		pairs[id] = tid
	}
	if len(pairs) == 0 {
		it.Skip(content.TooFewChoices, "a matching question needs at least one pair")
		return
	}
	setAnswer(q, pairs)
}

func parseChoice(it *content.Item, q *examhall.Question, answers []answer, format string) {
	var right []string
	weighted, full, fullID := false, 0, ""
	for i := range answers {
		a := &answers[i]
		id := content.OptionID(i)
		a.format, a.text = ownFormat(a.text, format)
		t, f := text(nil, a.text, a.format)
		if f == examhall.FormatHTML {
			q.Format = examhall.FormatHTML
		}
		fb := ""
		if strings.TrimSpace(a.feedback) != "" {
			fb, _ = text(nil, a.feedback, a.format)
		}
		q.Options = append(q.Options, examhall.Option{ID: id, Text: t, Feedback: fb})
		switch {
		case a.right && (a.weight == nil || *a.weight >= 100):
			right = append(right, id)
			full++
			fullID = id
		case a.weight != nil && *a.weight > 0:
			right = append(right, id)
			weighted = true
		}
	}
	if q.Format == examhall.FormatHTML {
		// One format for the question: plain texts become HTML text.
		for i, a := range answers {
			if a.format != "html" && !looksHTML(a.text) {
				q.Options[i].Text = html.EscapeString(q.Options[i].Text)
			}
		}
	}
	switch {
	case len(right) == 0:
		it.Skip(content.NoCorrectAnswer, "no answer is marked right (=) or given a positive weight")
	case full == 1 && !weighted:
		q.Type = examhall.Single
		setAnswer(q, fullID)
		noteWrongWeights(it, answers)
	case full == 1:
		q.Type = examhall.Single
		setAnswer(q, fullID)
		for i, a := range answers {
			if !a.right && a.weight != nil && *a.weight > 0 {
				it.Change(content.PartialCreditDropped, "the partial credit (%g%%) for option %s was left out: it counts as wrong", *a.weight, content.OptionID(i))
			}
		}
	default:
		q.Type = examhall.Multiple
		q.PartialCredit = weighted || full > 1
		setAnswer(q, right)
		it.Change(content.ScoringChanged, "the answer weights became examhall's partial credit: %s", weightList(answers))
	}
	if len(q.Options) < 2 && it.Skipped == "" {
		it.Skip(content.TooFewChoices, "a choice question needs at least two options")
	}
}

// noteWrongWeights reports negative weights of wrong answers, which
// examhall does not subtract from single-choice questions.
func noteWrongWeights(it *content.Item, answers []answer) {
	for i, a := range answers {
		if !a.right && a.weight != nil && *a.weight < 0 {
			it.Change(content.PenaltyDropped, "the penalty (%g%%) for option %s was left out", *a.weight, content.OptionID(i))
		}
	}
}

func weightList(answers []answer) string {
	var parts []string
	for i, a := range answers {
		w := 0.0
		switch {
		case a.weight != nil:
			w = *a.weight
		case a.right:
			w = 100
		}
		parts = append(parts, fmt.Sprintf("%s %g%%", content.OptionID(i), w))
	}
	return strings.Join(parts, ", ") + " (now: keyed options chosen minus other options chosen, over keyed options)"
}

// ownFormat takes an answer's own [format] tag off its text; without one
// the answer has the question's format.
func ownFormat(s, format string) (string, string) {
	s = strings.TrimSpace(s)
	if m := formatTag.FindStringSubmatch(s); m != nil {
		return m[1], strings.TrimSpace(s[len(m[0]):])
	}
	return format, s
}

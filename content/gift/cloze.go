package gift

import (
	"fmt"
	"html"
	"strings"

	"examhall"
	"examhall/content"
)

// parseCloze reads a question with several answer blocks in its text as a
// cloze question: each block is a gap, a choice (one right answer), a
// text entry (right answers only) or a number.
func parseCloze(it *content.Item, title, s, format string) {
	q := &examhall.Question{ID: content.IDFrom(title), Type: examhall.Cloze, Points: 1, PartialCredit: true}
	var texts []string
	for n := 1; ; n++ {
		open := indexUnescaped(s, "{")
		if open < 0 {
			texts = append(texts, s)
			break
		}
		close := open + indexUnescaped(s[open:], "}")
		texts = append(texts, s[:open])
		id := fmt.Sprintf("g%d", n)
		g, ok := clozeGap(it, id, s[open+1:close], format)
		if !ok {
			return
		}
		q.Gaps = append(q.Gaps, g)
		s = s[close+1:]
	}
	// The text between the blocks, in one format, with the gaps marked.
	isHTML := format == "html" || format == "" && looksHTML(strings.Join(texts, ""))
	var b strings.Builder
	for i, t := range texts {
		if i > 0 {
			b.WriteString("[[" + q.Gaps[i-1].ID + "]]")
		}
		b.WriteString(unescapeKeep(t))
	}
	q.Prompt = strings.TrimSpace(b.String())
	if isHTML {
		q.Format = examhall.FormatHTML
		for i := range q.Gaps {
			for j := range q.Gaps[i].Options {
				if o := &q.Gaps[i].Options[j]; !looksHTML(o.Text) {
					o.Text = html.EscapeString(o.Text)
				}
			}
		}
	} else {
		q.Prompt = collapse(q.Prompt)
	}
	it.Question = q
}

// unescapeKeep resolves GIFT's escapes without trimming the text.
func unescapeKeep(s string) string {
	lead := s[:len(s)-len(strings.TrimLeft(s, " \t\n"))]
	trail := s[len(strings.TrimRight(s, " \t\n")):]
	if strings.TrimSpace(s) == "" {
		return s
	}
	return lead + unescape(s) + trail
}

// clozeGap reads one answer block of a cloze as a gap; false when the
// question was skipped.
func clozeGap(it *content.Item, id, block, format string) (examhall.Gap, bool) {
	g := examhall.Gap{ID: id, Weight: 1}
	scratch := &content.Item{}
	sq := &examhall.Question{}
	scratch.Question = sq
	parseAnswers(scratch, sq, block, format)
	if scratch.Question == nil {
		it.Skip(scratch.SkipCode, "gap %s: %s", id, scratch.Skipped)
		return g, false
	}
	for i, c := range scratch.Changes {
		it.Change(scratch.Codes[i], "gap %s: %s", id, c)
	}
	if sq.Feedback != "" || sq.CorrectFeedback != "" || sq.IncorrectFeedback != "" {
		it.Change(content.FeedbackDropped, "gap %s: its feedback was left out", id)
	}
	switch sq.Type {
	case examhall.Single:
		g.Type, g.Options, g.Answer = examhall.GapChoice, sq.Options, sq.Answer
		for i := range g.Options {
			if g.Options[i].Feedback != "" {
				g.Options[i].Feedback = ""
				it.Change(content.FeedbackDropped, "gap %s: the feedback on option %s was left out", id, g.Options[i].ID)
			}
		}
	case examhall.ShortText:
		g.Type, g.Answer = examhall.GapText, sq.Answer
	case examhall.Numeric:
		g.Type, g.Answer, g.Tolerance = examhall.GapNumeric, sq.Answer, sq.Tolerance
	default:
		it.Skip(content.UnsupportedType, "gap %s: a %s answer block cannot be a gap in a text", id, sq.Type)
		return g, false
	}
	return g, true
}

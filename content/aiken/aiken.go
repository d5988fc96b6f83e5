// Package aiken reads Moodle's Aiken format into a content.Bank: each
// question is a stem of one or more lines, options "A." or "A)" on lines of
// their own, and a line "ANSWER: X"; questions are single choice.
package aiken

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"examhall"
	"examhall/content"
)

var (
	// An option is a letter, "." or ")", and its text; Moodle accepts
	// "A)text" without the space too (see optionOf).
	optionLine = regexp.MustCompile(`^([A-Za-z])[.)](\s*)(\S.*)$`)
	answerLine = regexp.MustCompile(`^(?i:ANSWER)\s*:\s*(.*)$`)
)

// Parse reads an Aiken file. A question whose ANSWER line is missing or
// names no option is a skipped item with the reason and line; text that is
// not UTF-8 is an error. A line "ANSWER: X" always ends a question, and so
// does a blank line after its options, so that one malformed question
// never runs into the next.
func Parse(name string, data []byte) (*content.Bank, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, &content.Error{Source: name, Msg: "the file is not UTF-8 text"}
	}
	b := &content.Bank{}
	var cur *question
	finish := func() {
		if cur != nil {
			b.Items = append(b.Items, cur.item(name))
			cur = nil
		}
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for n, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" {
			if cur != nil && len(cur.options) > 0 {
				finish()
			}
			continue
		}
		if cur == nil {
			cur = &question{line: n + 1}
		}
		if m := answerLine.FindStringSubmatch(line); m != nil {
			cur.answer = strings.TrimSpace(m[1])
			cur.answerLine = n + 1
			finish()
			continue
		}
		if o, ok := cur.optionOf(line); ok {
			cur.options = append(cur.options, o)
			continue
		}
		if len(cur.options) > 0 {
			// A line after the options that is neither an option nor
			// the answer: the answer line is missing.
			finish()
			cur = &question{line: n + 1}
		}
		cur.stem = append(cur.stem, line)
	}
	finish()
	return b, nil
}

// optionOf reads line as the next option of q. "A. text" and "A) text"
// are options wherever they stand after the stem; without the space
// ("A)text") only the letter that comes next is, so that a stem line
// such as "I.e. ..." stays text.
func (q *question) optionOf(line string) (option, bool) {
	m := optionLine.FindStringSubmatch(line)
	if m == nil || len(q.stem) == 0 {
		return option{}, false
	}
	label := strings.ToUpper(m[1])
	if m[2] == "" {
		next := "A"
		if n := len(q.options); n > 0 {
			next = string(rune(q.options[n-1].label[0] + 1))
		}
		if label != next {
			return option{}, false
		}
	}
	return option{label: label, text: strings.TrimSpace(m[3])}, true
}

type option struct{ label, text string }

type question struct {
	line, answerLine int
	stem             []string
	options          []option
	answer           string
}

func (q *question) item(name string) *content.Item {
	it := &content.Item{Source: fmt.Sprintf("%s:%d", name, q.line)}
	switch {
	case len(q.stem) == 0:
		it.Skip(content.Malformed, "line %d: an answer line with no question before it", q.answerLine)
		return it
	case len(q.options) < 2:
		it.Skip(content.TooFewChoices, "a question needs at least two options (lines such as \"A. text\")")
		return it
	case q.answer == "":
		it.Skip(content.NoCorrectAnswer, "the question has no line \"ANSWER: X\" after its options")
		return it
	}
	ex := &examhall.Question{Type: examhall.Single, Points: 1, Prompt: strings.Join(q.stem, "\n")}
	key := ""
	seen := map[string]bool{}
	for i, o := range q.options {
		if seen[o.label] {
			it.Skip(content.Malformed, "line %d: option %s appears twice", q.line, o.label)
			return it
		}
		seen[o.label] = true
		id := content.OptionID(i)
		ex.Options = append(ex.Options, examhall.Option{ID: id, Text: o.text})
		if strings.EqualFold(o.label, q.answer) {
			key = id
		}
	}
	if key == "" {
		it.Skip(content.Malformed, "line %d: the answer %q names none of the options", q.answerLine, q.answer)
		return it
	}
	ex.Answer, _ = json.Marshal(key)
	it.Question = ex
	return it
}

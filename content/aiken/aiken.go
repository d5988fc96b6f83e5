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
	optionLine = regexp.MustCompile(`^([A-Za-z])[.)]\s+(.*)$`)
	answerLine = regexp.MustCompile(`^ANSWER\s*:\s*(.*)$`)
)

// Parse reads an Aiken file. A question whose ANSWER line is missing or
// names no option is a skipped item with the reason and line; text that is
// not UTF-8 is an error.
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
		switch {
		case line == "":
			if cur != nil && cur.answer != "" {
				finish()
			}
			continue
		case cur == nil:
			cur = &question{line: n + 1}
		}
		if m := answerLine.FindStringSubmatch(line); m != nil && len(cur.options) > 0 {
			cur.answer = strings.TrimSpace(m[1])
			cur.answerLine = n + 1
			finish()
			continue
		}
		if m := optionLine.FindStringSubmatch(line); m != nil && (len(cur.stem) > 0) {
			cur.options = append(cur.options, option{label: strings.ToUpper(m[1]), text: strings.TrimSpace(m[2])})
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
	case len(q.options) < 2:
		it.Skip("a question needs at least two options (lines such as \"A. text\")")
		return it
	case q.answer == "":
		it.Skip("the question has no line \"ANSWER: X\" after its options")
		return it
	}
	ex := &examhall.Question{Type: examhall.Single, Points: 1, Prompt: strings.Join(q.stem, "\n")}
	key := ""
	seen := map[string]bool{}
	for i, o := range q.options {
		if seen[o.label] {
			it.Skip("line %d: option %s appears twice", q.line, o.label)
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
		it.Skip("line %d: the answer %q names none of the options", q.answerLine, q.answer)
		return it
	}
	ex.Answer, _ = json.Marshal(key)
	it.Question = ex
	return it
}

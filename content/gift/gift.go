// Package gift reads Moodle's GIFT format into a content.Bank.
//
// Mapping: multiple choice with one right answer → single; with several
// right answers (weights) → multiple with partial credit; true/false →
// true_false; short answer → short_text; numerical → numeric (a range
// becomes its middle and a tolerance); matching → match; an empty answer
// block → essay. Text without an answer block (a description) and cloze
// questions with several answer blocks are skipped with the reason, and
// anything examhall cannot keep (partial credit on wrong answers, feedback
// of true/false and short answers, markdown) is reported as a change.
package gift

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"examhall"
	"examhall/content"
)

// Parse reads a GIFT file. name is used in item sources and errors.
// Malformed structure (an answer block never closed, a stray closing
// brace, text that is not UTF-8) is an error with its line; a question that
// examhall cannot take is a skipped item.
func Parse(name string, data []byte) (*content.Bank, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, &content.Error{Source: name, Line: badLine(data), Msg: "the file is not UTF-8 text"}
	}
	blocks, err := split(string(data))
	if err != nil {
		err.Source = name
		return nil, err
	}
	b := &content.Bank{}
	for _, bl := range blocks {
		if strings.HasPrefix(bl.text, "$CATEGORY:") {
			if b.Title == "" {
				b.Title = strings.TrimSpace(strings.TrimPrefix(bl.text, "$CATEGORY:"))
			}
			continue
		}
		it := &content.Item{Source: fmt.Sprintf("%s:%d", name, bl.line)}
		parseQuestion(it, bl.text)
		b.Items = append(b.Items, it)
	}
	return b, nil
}

func badLine(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return bytes.Count(data[:i], []byte("\n")) + 1
		}
		i += n
	}
	return 0
}

// block is the text of one question and the line it starts on.
type block struct {
	text string
	line int
}

// split cuts the file into questions: they are separated by blank lines
// outside answer blocks. Comment lines (//) are dropped.
func split(s string) ([]block, *content.Error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []block
	var cur strings.Builder
	start, depth, openLine := 0, 0, 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, block{text: t, line: start})
		}
		cur.Reset()
		start = 0
	}
	for n, line := range strings.Split(s, "\n") {
		lineNo := n + 1
		trimmed := strings.TrimSpace(line)
		if depth == 0 && strings.HasPrefix(trimmed, "//") {
			continue
		}
		if trimmed == "" && depth == 0 {
			flush()
			continue
		}
		if start == 0 {
			start = lineNo
		}
		for i := 0; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '{':
				depth++
				if depth == 1 {
					openLine = lineNo
				}
				if depth > 1 {
					return nil, &content.Error{Line: openLine, Msg: fmt.Sprintf("the answer block opened here is not closed before another { on line %d (write \\{ for a literal brace)", lineNo)}
				}
			case '}':
				if depth == 0 {
					return nil, &content.Error{Line: lineNo, Msg: "a } closes no answer block; write \\} for a literal brace"}
				}
				depth--
			}
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	if depth > 0 {
		return nil, &content.Error{Line: openLine, Msg: "the answer block opened here is never closed with }"}
	}
	flush()
	return out, nil
}

var formatTag = regexp.MustCompile(`^\[(html|moodle|plain|markdown)\]`)

// parseQuestion fills it from the text of one question.
func parseQuestion(it *content.Item, s string) {
	title := ""
	if strings.HasPrefix(s, "::") {
		end := indexUnescaped(s[2:], "::")
		if end < 0 {
			it.Skip(content.Malformed, "the title opened with :: is never closed")
			return
		}
		title = unescape(s[2 : 2+end])
		s = strings.TrimSpace(s[2+end+2:])
	}
	format := ""
	if m := formatTag.FindStringSubmatch(s); m != nil {
		format = m[1]
		s = strings.TrimSpace(s[len(m[0]):])
	}
	open := indexUnescaped(s, "{")
	if open < 0 {
		it.Skip(content.NotAQuestion, "a description (text without an answer block) is not a question")
		return
	}
	close := open + indexUnescaped(s[open:], "}")
	before, answers, after := s[:open], s[open+1:close], strings.TrimSpace(s[close+1:])
	if indexUnescaped(after, "{") >= 0 {
		parseCloze(it, title, s, format)
		return
	}
	stem := strings.TrimSpace(before)
	if after != "" {
		stem = strings.TrimSpace(stem + " _____ " + after)
	}
	q := &examhall.Question{ID: content.IDFrom(title), Points: 1}
	q.Prompt, q.Format = text(it, stem, format)
	if q.Prompt == "" && title != "" {
		q.Prompt = title
	}
	it.Question = q
	parseAnswers(it, q, answers, format)
}

// text returns the examhall form of a GIFT text in the given format.
func text(it *content.Item, s, format string) (string, string) {
	s = unescape(s)
	switch format {
	case "html":
		return s, examhall.FormatHTML
	case "markdown":
		if it != nil {
			it.Change(content.FormatChanged, "markdown is shown as plain text")
		}
		return collapse(s), ""
	case "plain":
		return collapse(s), ""
	}
	if looksHTML(s) {
		return s, examhall.FormatHTML
	}
	return collapse(s), ""
}

var htmlTag = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)

func looksHTML(s string) bool { return htmlTag.MatchString(s) }

var spaces = regexp.MustCompile(`\s+`)

func collapse(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// indexUnescaped finds sep in s outside backslash escapes.
func indexUnescaped(s, sep string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sep) {
			return i
		}
	}
	return -1
}

// unescape resolves GIFT's escapes: \~ \= \# \{ \} \: \\ and \n.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch c := s[i+1]; c {
			case '~', '=', '#', '{', '}', ':', '\\':
				b.WriteByte(c)
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return strings.TrimSpace(b.String())
}

// answer is one entry of an answer block.
type answer struct {
	right    bool // marked =
	weight   *float64
	text     string // raw, escapes unresolved
	feedback string // raw
	format   string // the answer's own [format], or the question's
}

// splitAnswers cuts an answer block into its entries (each starting with
// an unescaped ~ or =) and the general feedback after ####.
func splitAnswers(s string) (answers []answer, general string, rest string) {
	if i := indexUnescaped(s, "####"); i >= 0 {
		s, general = s[:i], s[i+4:]
	}
	var cur *answer
	start := 0
	end := func(i int) {
		if cur != nil {
			cur.text = s[start:i]
			answers = append(answers, *cur)
		} else {
			rest = s[:i]
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '~', '=':
			end(i)
			cur = &answer{right: s[i] == '='}
			start = i + 1
		}
	}
	end(len(s))
	for i := range answers {
		a := &answers[i]
		t := strings.TrimSpace(a.text)
		if m := weightPrefix.FindStringSubmatch(t); m != nil {
			if w, err := strconv.ParseFloat(m[1], 64); err == nil {
				a.weight = &w
			}
			t = t[len(m[0]):]
		}
		if j := indexUnescaped(t, "#"); j >= 0 {
			a.feedback = t[j+1:]
			t = t[:j]
		}
		a.text = strings.TrimSpace(t)
	}
	return answers, general, rest
}

var weightPrefix = regexp.MustCompile(`^%(-?[0-9]+(?:\.[0-9]*)?)%`)

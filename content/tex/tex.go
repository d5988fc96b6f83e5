// Package tex turns the TeX of maths in question texts (between \( \),
// \[ \] or $$ $$, as Moodle's MathJax filter reads it) into MathML, which
// browsers render natively: a page with maths loads no renderer. It reads
// the part of LaTeX that question banks use: letters, numbers, operators,
// fractions, roots, scripts and limits, fences, accents, fonts, text,
// spacing and matrix environments. What it cannot read is shown as its
// source in an <merror> and named, so an importer can report it.
package tex

import (
	"fmt"
	"html"
	"strings"
	"unicode"
)

// Convert returns the MathML of one formula (without its delimiters), in
// display style or inline, with the TeX kept as its annotation, and the
// commands it could not read.
func Convert(src string, display bool) (mathml string, unknown []string) {
	p := &parser{src: []rune(src), display: display}
	body := p.row(p.expr(stopGroup))
	for p.pos < len(p.src) { // a stray } or \right: keep reading after it
		p.unknown = append(p.unknown, string(p.src[p.pos]))
		p.pos++
		body = p.row([]string{body, p.row(p.expr(stopGroup))})
	}
	mode := "inline"
	if display {
		mode = "block"
	}
	return fmt.Sprintf(`<math display="%s"><semantics>%s<annotation encoding="application/x-tex">%s</annotation></semantics></math>`,
		mode, body, html.EscapeString(strings.TrimSpace(src))), p.unknown
}

type parser struct {
	src     []rune
	pos     int
	display bool
	unknown []string
}

// Stops of an expression.
const (
	stopGroup = iota // at } or the end
	stopCell         // also at & and \\ (in a table)
	stopRight        // also at \right
)

func (p *parser) peek() rune {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && unicode.IsSpace(p.src[p.pos]) {
		p.pos++
	}
}

// command returns the name of the command at pos (after its backslash)
// without consuming it.
func (p *parser) command() (string, int) {
	if p.peek() != '\\' {
		return "", 0
	}
	if p.pos+1 >= len(p.src) {
		return "", 1 // a backslash at the end
	}
	i := p.pos + 1
	if !unicode.IsLetter(p.src[i]) {
		return string(p.src[i]), 2
	}
	for i < len(p.src) && unicode.IsLetter(p.src[i]) {
		i++
	}
	name := string(p.src[p.pos+1 : i])
	if i < len(p.src) && p.src[i] == '*' && (name == "align" || name == "gather" || name == "eqnarray") {
		i++
		name += "*"
	}
	return name, i - p.pos
}

// expr reads atoms until its stop.
func (p *parser) expr(stop int) []string {
	var out []string
	for {
		p.skipSpace()
		r := p.peek()
		if r == 0 || r == '}' {
			return out
		}
		if stop == stopCell && r == '&' {
			return out
		}
		if name, _ := p.command(); name == "end" || (stop == stopCell && name == "\\") || (stop >= stopRight && name == "right") {
			return out
		}
		if a := p.atom(); a != "" {
			out = append(out, a)
		}
	}
}

func (p *parser) row(els []string) string {
	if len(els) == 1 {
		return els[0]
	}
	return "<mrow>" + strings.Join(els, "") + "</mrow>"
}

// atom reads a base and its scripts.
func (p *parser) atom() string {
	base, kind := p.base()
	if base == "" && kind == "" {
		return ""
	}
	var sub, sup string
	for {
		p.skipSpace()
		switch p.peek() {
		case '^':
			p.pos++
			sup = p.arg()
			continue
		case '_':
			p.pos++
			sub = p.arg()
			continue
		case '\'':
			p.pos++
			sup = join(sup, "<mo>′</mo>")
			continue
		}
		break
	}
	if base == "" {
		base = "<mrow></mrow>"
	}
	return scripts(base, sub, sup, kind == "large")
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return "<mrow>" + a + b + "</mrow>"
}

func scripts(base, sub, sup string, under bool) string {
	switch {
	case sub == "" && sup == "":
		return base
	case under && sup == "":
		return "<munder>" + base + sub + "</munder>"
	case under && sub == "":
		return "<mover>" + base + sup + "</mover>"
	case under:
		return "<munderover>" + base + sub + sup + "</munderover>"
	case sup == "":
		return "<msub>" + base + sub + "</msub>"
	case sub == "":
		return "<msup>" + base + sup + "</msup>"
	}
	return "<msubsup>" + base + sub + sup + "</msubsup>"
}

// arg reads the argument of a script or command: a group, a command or
// one character.
func (p *parser) arg() string {
	p.skipSpace()
	switch r := p.peek(); {
	case r == '{':
		p.pos++
		g := p.row(p.expr(stopGroup))
		if p.peek() == '}' {
			p.pos++
		}
		if g == "" {
			return "<mrow></mrow>"
		}
		return g
	case r == '\\':
		b, _ := p.base()
		if b == "" {
			return "<mrow></mrow>"
		}
		return b
	case r == 0 || r == '}':
		return "<mrow></mrow>"
	default:
		p.pos++
		return char(r)
	}
}

// raw reads a {group} as text, braces balanced.
func (p *parser) raw() string {
	p.skipSpace()
	if p.peek() != '{' {
		if p.pos < len(p.src) {
			p.pos++
			return string(p.src[p.pos-1])
		}
		return ""
	}
	depth, start := 0, p.pos+1
	for ; p.pos < len(p.src); p.pos++ {
		switch p.src[p.pos] {
		case '\\':
			p.pos++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				p.pos++
				return string(p.src[start : p.pos-1])
			}
		}
	}
	return string(p.src[start:])
}

// optional reads an optional [argument], "" when there is none.
func (p *parser) optional() string {
	p.skipSpace()
	if p.peek() != '[' {
		return ""
	}
	p.pos++
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != ']' {
		p.pos++
	}
	s := string(p.src[start:p.pos])
	if p.pos < len(p.src) {
		p.pos++
	}
	return s
}

// base reads one base: a number, a letter, an operator, a group or a
// command. kind is "large" for big operators, "limits" for those that
// always take limits below, "" otherwise.
func (p *parser) base() (string, string) {
	r := p.peek()
	switch {
	case r == '{':
		return p.arg(), ""
	case r == '\\':
		return p.cmd()
	case unicode.IsDigit(r) || r == '.' && p.pos+1 < len(p.src) && unicode.IsDigit(p.src[p.pos+1]):
		start := p.pos
		for p.pos < len(p.src) && (unicode.IsDigit(p.src[p.pos]) || p.src[p.pos] == '.' && p.pos+1 < len(p.src) && unicode.IsDigit(p.src[p.pos+1])) {
			p.pos++
		}
		return "<mn>" + string(p.src[start:p.pos]) + "</mn>", ""
	case r == '^' || r == '_' || r == '\'':
		return "", "empty"
	}
	p.pos++
	return char(r), ""
}

// char is one character as MathML: a letter, a digit or an operator.
func char(r rune) string {
	switch {
	case unicode.IsLetter(r):
		return "<mi>" + string(r) + "</mi>"
	case unicode.IsDigit(r):
		return "<mn>" + string(r) + "</mn>"
	case r == '-':
		return "<mo>−</mo>"
	case r == '~':
		return `<mspace width="0.25em"></mspace>`
	case r == '&':
		return ""
	}
	return "<mo>" + html.EscapeString(string(r)) + "</mo>"
}

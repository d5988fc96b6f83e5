package tex

import (
	"html"
	"strings"
)

// cmd reads a command and what it takes.
func (p *parser) cmd() (string, string) {
	name, n := p.command()
	p.pos += n
	if w, ok := spaces[name]; ok {
		return `<mspace width="` + w + `"></mspace>`, ""
	}
	if v, ok := identifiers[name]; ok {
		return "<mi>" + v + "</mi>", ""
	}
	if v, ok := upright[name]; ok {
		return `<mi mathvariant="normal">` + v + "</mi>", ""
	}
	if v, ok := operators[name]; ok {
		return "<mo>" + html.EscapeString(v) + "</mo>", ""
	}
	if v, ok := largeOps[name]; ok {
		return `<mo largeop="true" movablelimits="true">` + v + "</mo>", "large"
	}
	if functions[name] {
		if limits[name] {
			return `<mo movablelimits="true" form="prefix">` + name + "</mo>", "large"
		}
		return "<mi>" + name + "</mi>", ""
	}
	if ignored[name] {
		return "", ""
	}
	if a, ok := accents[name]; ok {
		return p.accent(a.mark, a.under, a.wide), ""
	}
	if v, ok := fonts[name]; ok {
		return p.font(v), ""
	}
	switch name {
	case "frac", "dfrac", "tfrac", "cfrac":
		num := p.arg()
		return "<mfrac>" + num + p.arg() + "</mfrac>", ""
	case "binom", "dbinom", "tbinom":
		top := p.arg()
		return `<mrow><mo>(</mo><mfrac linethickness="0">` + top + p.arg() + `</mfrac><mo>)</mo></mrow>`, ""
	case "sqrt":
		if n := p.optional(); n != "" {
			sub := Inner(n)
			return "<mroot>" + p.arg() + sub + "</mroot>", ""
		}
		return "<msqrt>" + p.arg() + "</msqrt>", ""
	case "left":
		return p.fenced(), ""
	case "right":
		p.delimiter()
		return "", ""
	case "begin":
		return p.environment(), ""
	case "text", "textrm", "textit", "textbf", "mbox", "hbox", "textsf", "texttt", "textnormal":
		return "<mtext>" + html.EscapeString(strings.ReplaceAll(p.raw(), `\ `, " ")) + "</mtext>", ""
	case "overset", "stackrel":
		over := p.arg()
		return `<mover>` + p.arg() + over + `</mover>`, ""
	case "underset":
		under := p.arg()
		return `<munder>` + p.arg() + under + `</munder>`, ""
	case "phantom":
		return "<mphantom>" + p.arg() + "</mphantom>", ""
	case "boxed", "fbox":
		return `<menclose notation="box">` + p.arg() + "</menclose>", ""
	case "pmod":
		return "<mrow><mo>(</mo><mi>mod</mi>" + p.arg() + "<mo>)</mo></mrow>", ""
	case "color":
		p.raw()
		return "", ""
	case "textcolor", "colorbox":
		p.raw()
		return p.arg(), ""
	case "not":
		return p.not(), ""
	case "\\":
		return "", "" // a line break outside a table
	}
	p.unknown = append(p.unknown, `\`+name)
	return "<merror><mtext>" + html.EscapeString(`\`+name) + "</mtext></merror>", ""
}

// Inner converts a fragment of TeX to MathML content, without <math>.
func Inner(src string) string {
	p := &parser{src: []rune(src)}
	s := p.row(p.expr(stopGroup))
	if s == "" {
		return "<mrow></mrow>"
	}
	return s
}

func (p *parser) accent(mark string, under, wide bool) string {
	arg := p.arg()
	stretch := ""
	if wide {
		stretch = ` stretchy="true"`
	}
	if under {
		return `<munder accentunder="true">` + arg + `<mo` + stretch + `>` + mark + `</mo></munder>`
	}
	return `<mover accent="true">` + arg + `<mo` + stretch + `>` + html.EscapeString(mark) + `</mo></mover>`
}

// delimiter reads the delimiter after \left, \right or \big: a character
// or a command; "." is none.
func (p *parser) delimiter() string {
	p.skipSpace()
	if p.peek() == '\\' {
		name, n := p.command()
		p.pos += n
		if v, ok := operators[name]; ok {
			return v
		}
		p.unknown = append(p.unknown, `\`+name)
		return ""
	}
	if p.pos >= len(p.src) {
		return ""
	}
	r := p.src[p.pos]
	p.pos++
	if r == '.' {
		return ""
	}
	return string(r)
}

func fence(d string) string {
	if d == "" {
		return ""
	}
	return `<mo fence="true" stretchy="true">` + html.EscapeString(d) + "</mo>"
}

// fenced reads \left( ... \right).
func (p *parser) fenced() string {
	open := p.delimiter()
	body := p.expr(stopRight)
	close := ""
	if name, n := p.command(); name == "right" {
		p.pos += n
		close = p.delimiter()
	}
	return "<mrow>" + fence(open) + strings.Join(body, "") + fence(close) + "</mrow>"
}

// environment reads \begin{name} ... \end{name}: a table of rows (\\) and
// cells (&), with the fences of the environment.
func (p *parser) environment() string {
	name := p.raw()
	fences, ok := environments[name]
	if !ok {
		p.unknown = append(p.unknown, `\begin{`+name+`}`)
	}
	if name == "array" {
		p.raw() // the column specification
	}
	var rows []string
	for {
		var cells []string
		for {
			cells = append(cells, "<mtd>"+p.row(p.expr(stopCell))+"</mtd>")
			if p.peek() != '&' {
				break
			}
			p.pos++
		}
		rows = append(rows, "<mtr>"+strings.Join(cells, "")+"</mtr>")
		if cmdName, n := p.command(); cmdName == "\\" {
			p.pos += n
			p.optional()
			continue
		}
		break
	}
	if cmdName, n := p.command(); cmdName == "end" {
		p.pos += n
		p.raw()
	}
	attrs := ""
	if name == "cases" || strings.HasPrefix(name, "align") || name == "split" || strings.HasPrefix(name, "eqnarray") {
		attrs = ` columnalign="left"`
	}
	table := "<mtable" + attrs + ">" + strings.Join(rows, "") + "</mtable>"
	if fences[0] == "" && fences[1] == "" {
		return table
	}
	return "<mrow>" + fence(fences[0]) + table + fence(fences[1]) + "</mrow>"
}

// negated are the relations \not turns into one character.
var negated = map[string]string{"=": "≠", "<": "≮", ">": "≯", "∈": "∉", "≡": "≢", "⊂": "⊄", "⊆": "⊈", "∼": "≁", "≈": "≉", "∣": "∤"}

// not reads \not and the relation it negates.
func (p *parser) not() string {
	p.skipSpace()
	rel := ""
	if p.peek() == '\\' {
		name, n := p.command()
		if v, ok := operators[name]; ok {
			p.pos += n
			rel = v
		}
	} else if p.pos < len(p.src) {
		rel = string(p.src[p.pos])
		p.pos++
	}
	if v, ok := negated[rel]; ok {
		return "<mo>" + v + "</mo>"
	}
	return "<mo>" + html.EscapeString(rel) + "\u0338</mo>"
}

// font sets its argument in a variant: letters and digits of plain
// arguments become the Unicode mathematical alphabets (MathML Core renders
// mathvariant only as "normal"); other arguments are read as usual.
func (p *parser) font(variant string) string {
	save := p.pos
	s := p.raw()
	plain := s != ""
	for _, r := range s {
		if !(r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ')) {
			plain = false
		}
	}
	if !plain {
		p.pos = save
		return p.arg()
	}
	s = strings.TrimSpace(s)
	if variant == "normal" {
		if len([]rune(s)) == 1 {
			return `<mi mathvariant="normal">` + s + "</mi>"
		}
		return "<mi>" + html.EscapeString(s) + "</mi>"
	}
	var b strings.Builder
	for _, r := range s {
		if r == ' ' {
			continue
		}
		b.WriteString("<mi>" + string(styled(r, variant)) + "</mi>")
	}
	if strings.Count(b.String(), "<mi>") == 1 {
		return b.String()
	}
	return "<mrow>" + b.String() + "</mrow>"
}

// styled maps a letter or digit to its mathematical alphabet.
func styled(r rune, variant string) rune {
	type alphabet struct {
		upper, lower, digit rune
		holes               map[rune]rune
	}
	alphabets := map[string]alphabet{
		"bold":          {0x1D400, 0x1D41A, 0x1D7CE, nil},
		"italic":        {0x1D434, 0x1D44E, 0, map[rune]rune{'h': 'ℎ'}},
		"double-struck": {0x1D538, 0x1D552, 0x1D7D8, map[rune]rune{'C': 'ℂ', 'H': 'ℍ', 'N': 'ℕ', 'P': 'ℙ', 'Q': 'ℚ', 'R': 'ℝ', 'Z': 'ℤ'}},
		"script":        {0x1D49C, 0x1D4B6, 0, map[rune]rune{'B': 'ℬ', 'E': 'ℰ', 'F': 'ℱ', 'H': 'ℋ', 'I': 'ℐ', 'L': 'ℒ', 'M': 'ℳ', 'R': 'ℛ', 'e': 'ℯ', 'g': 'ℊ', 'o': 'ℴ'}},
		"fraktur":       {0x1D504, 0x1D51E, 0, map[rune]rune{'C': 'ℭ', 'H': 'ℌ', 'I': 'ℑ', 'R': 'ℜ', 'Z': 'ℨ'}},
		"sans-serif":    {0x1D5A0, 0x1D5BA, 0x1D7E2, nil},
		"monospace":     {0x1D670, 0x1D68A, 0x1D7F6, nil},
	}
	a, ok := alphabets[variant]
	if !ok {
		return r
	}
	if h, ok := a.holes[r]; ok {
		return h
	}
	switch {
	case r >= 'A' && r <= 'Z':
		return a.upper + r - 'A'
	case r >= 'a' && r <= 'z':
		return a.lower + r - 'a'
	case r >= '0' && r <= '9' && a.digit != 0:
		return a.digit + r - '0'
	}
	return r
}

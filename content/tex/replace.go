package tex

import (
	"html"
	"regexp"
	"strings"
)

// delimiters open a formula: \( inline, \[ and $$ in display style.
var delimiters = []struct {
	open, close string
	display     bool
}{{`\(`, `\)`, false}, {`\[`, `\]`, true}, {"$$", "$$", true}}

var tag = regexp.MustCompile(`<[^>]*>`)

// Replace turns every formula of s between \( \), \[ \] or $$ $$ into
// MathML. isHTML tells whether s is HTML: then the TeX is read with its
// entities decoded and tags (line breaks an editor put in) dropped, and
// the rest stays as it is; plain text around formulas is escaped, so the
// result is always HTML. found counts the formulas, and unknown names what
// could not be read.
func Replace(s string, isHTML bool) (out string, found int, unknown []string) {
	orig := s
	var b strings.Builder
	text := func(t string) {
		if isHTML {
			b.WriteString(t)
		} else {
			b.WriteString(html.EscapeString(t))
		}
	}
	for {
		i, d := next(s)
		if i < 0 {
			text(s)
			break
		}
		rest := s[i+len(d.open):]
		j := strings.Index(rest, d.close)
		if j < 0 {
			text(s)
			break
		}
		text(s[:i])
		src := rest[:j]
		if isHTML {
			src = html.UnescapeString(tag.ReplaceAllString(src, " "))
		}
		m, u := Convert(src, d.display)
		b.WriteString(m)
		unknown = append(unknown, u...)
		found++
		s = rest[j+len(d.close):]
	}
	if found == 0 {
		return orig, 0, nil
	}
	return b.String(), found, unknown
}

// next finds the first opening delimiter in s.
func next(s string) (int, struct {
	open, close string
	display     bool
}) {
	best := -1
	var bd struct {
		open, close string
		display     bool
	}
	for _, d := range delimiters {
		if i := strings.Index(s, d.open); i >= 0 && (best < 0 || i < best) {
			best, bd = i, d
		}
	}
	return best, bd
}

// Has reports whether s holds a delimited formula.
func Has(s string) bool {
	for _, d := range delimiters {
		if i := strings.Index(s, d.open); i >= 0 && strings.Contains(s[i+len(d.open):], d.close) {
			return true
		}
	}
	return false
}

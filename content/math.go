package content

import (
	"html"
	"sort"
	"strings"

	"examhall"
	"examhall/content/tex"
)

// ConvertTeX turns the TeX formulas of an imported item's texts (between
// \( \), \[ \] or $$ $$) into MathML, so that candidates' browsers show
// maths without a renderer. A question with formulas becomes HTML (its
// plain texts escaped). TeX that cannot be read stays as its source, in
// an <merror>, and the change says which commands.
func ConvertTeX(it *Item) {
	q := it.Question
	if q == nil {
		return
	}
	has := false
	q.EachText(func(s *string) { has = has || tex.Has(*s) })
	if !has {
		return
	}
	isHTML := q.Format == examhall.FormatHTML
	seen := map[string]bool{}
	q.EachText(func(s *string) {
		if *s == "" {
			return
		}
		out, n, unknown := tex.Replace(*s, isHTML)
		if n == 0 && !isHTML {
			out = html.EscapeString(*s)
		}
		*s = out
		for _, u := range unknown {
			seen[u] = true
		}
	})
	q.Format = examhall.FormatHTML
	if len(seen) > 0 {
		names := make([]string, 0, len(seen))
		for u := range seen {
			names = append(names, u)
		}
		sort.Strings(names)
		it.Change(MathUnconverted, "TeX that examhall cannot read is shown as its source: %s", strings.Join(names, " "))
	}
}

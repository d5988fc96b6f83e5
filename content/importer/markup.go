package importer

import (
	"sort"
	"strings"

	"golang.org/x/net/html"

	"examhall"
	"examhall/content"
)

// reportMarkup reports the markup of an item's HTML texts that the
// sanitiser will remove (scripts, styles, frames, forms, handlers, style
// attributes): nothing leaves silently.
func reportMarkup(it *content.Item) {
	q := it.Question
	if q.Format != examhall.FormatHTML {
		return
	}
	removed := map[string]bool{}
	q.EachText(func(s *string) {
		if *s == "" || !strings.Contains(*s, "<") {
			return
		}
		before, after := markupOf(*s), markupOf(examhall.SanitizeHTML(*s))
		for m := range before {
			if !after[m] {
				removed[m] = true
			}
		}
	})
	if len(removed) == 0 {
		return
	}
	names := make([]string, 0, len(removed))
	for m := range removed {
		names = append(names, m)
	}
	sort.Strings(names)
	it.Change(content.MarkupRemoved, "markup that is not safe to show was removed: %s", strings.Join(names, ", "))
}

// ignoredAttrs are attributes whose loss changes nothing a candidate sees.
var ignoredAttrs = map[string]bool{"class": true, "id": true, "lang": true, "dir": true, "title": true,
	"rel": true, "target": true, "xmlns": true, "width": true, "height": true, "border": true,
	"cellpadding": true, "cellspacing": true, "align": true, "valign": true}

// markupOf lists the elements ("<script>") and meaningful attributes
// ("style attributes") of an HTML fragment.
func markupOf(s string) map[string]bool {
	out := map[string]bool{}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			out["<"+string(name)+">"] = true
			for more {
				var k []byte
				k, _, more = z.TagAttr()
				a := string(k)
				switch {
				case ignoredAttrs[a], strings.HasPrefix(a, "data-"), strings.HasPrefix(a, "aria-"), strings.HasPrefix(a, "xmlns"):
				case strings.HasPrefix(a, "on"):
					out["event handlers"] = true
				default:
					out[a+" attributes"] = true
				}
			}
		}
	}
}

package examhall

import (
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// htmlPolicy is what a prompt in HTML may contain: the markup of text,
// lists, tables, code and images, without scripts, styles, event handlers,
// forms or frames. Images may come from the exam's own assets
// ("assets/NAME", served at /api/v1/exams/{exam}/assets/NAME), from https
// or from data: URLs of raster images.
var htmlPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowImages()
	p.AllowDataURIImages()
	p.AllowAttrs("src").Matching(assetSrc).OnElements("img")
	p.AllowElements("sub", "sup", "u", "s", "small", "mark", "figure", "figcaption")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[A-Za-z0-9 _-]*$`)).OnElements("span", "div", "code", "pre")
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
})

var assetSrc = regexp.MustCompile(`^assets/[A-Za-z0-9][A-Za-z0-9._-]*$`)

// SanitizeHTML returns s with everything that is not safe to render in a
// candidate's browser removed. It is idempotent.
func SanitizeHTML(s string) string {
	return strings.TrimSpace(htmlPolicy().Sanitize(s))
}

// StripHTML returns the text of an HTML fragment, without its markup.
func StripHTML(s string) string {
	return strings.TrimSpace(html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s)))
}

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
// forms or frames. Images may come only from the exam's own assets
// ("assets/NAME", served at /api/v1/exams/{exam}/assets/NAME) or from
// data: URLs of raster images: an image from any other host would tell
// that host who sits the exam and when (and the pages' CSP refuses them).
// Ids and names are dropped (see SanitizeHTML).
var htmlPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowDataURIImages()
	p.AllowAttrs("src").Matching(htmlImageSrc).OnElements("img")
	p.AllowElements("sub", "sup", "u", "s", "small", "mark", "figure", "figcaption")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[A-Za-z0-9 _-]*$`)).OnElements("span", "div", "code", "pre")
	allowMathML(p)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
})

var htmlImageSrc = regexp.MustCompile(`^(assets/[A-Za-z0-9][A-Za-z0-9._-]*|data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+)$`)

// idOrName and srcAttr match attributes in sanitised markup, where a
// double quote only ever delimits an attribute value (text has them
// escaped). The policy (UGCPolicy's) allows src on img only.
var (
	idOrName = regexp.MustCompile(` (?:id|name)="[^"]*"`)
	imgTag   = regexp.MustCompile(`<img[^>]*>`)
	srcAttr  = regexp.MustCompile(` src="([^"]*)"`)
)

// SanitizeHTML returns s with everything that is not safe to render in a
// candidate's browser removed. It is idempotent. Ids and names go too: the
// page's own elements have ids, and a prompt's could shadow them (DOM
// clobbering) or be looked up by the page's scripts.
func SanitizeHTML(s string) string {
	out := idOrName.ReplaceAllString(htmlPolicy().Sanitize(s), "")
	out = imgTag.ReplaceAllStringFunc(out, func(tag string) string {
		if m := srcAttr.FindStringSubmatch(tag); m != nil && htmlImageSrc.MatchString(m[1]) {
			return tag
		}
		return "" // an image from elsewhere, or none
	})
	return strings.TrimSpace(out)
}

// StripHTML returns the text of an HTML fragment, without its markup.
func StripHTML(s string) string {
	return strings.TrimSpace(html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s)))
}

// MathML that prompts may hold, rendered natively by browsers: the
// presentation elements of MathML Core and their layout attributes, and
// semantics with a TeX or text annotation. Nothing that links, loads or
// runs anything (href, maction, mglyph, annotation-xml, style) is allowed.
var (
	mathElements = []string{"math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
		"mfrac", "msqrt", "mroot", "mstyle", "merror", "mpadded", "mphantom", "menclose", "msub", "msup",
		"msubsup", "munder", "mover", "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr",
		"mtd", "mlabeledtr", "mfenced"}
	mathAttrs = []string{"display", "mathvariant", "mathsize", "mathcolor", "mathbackground", "displaystyle",
		"scriptlevel", "stretchy", "symmetric", "largeop", "movablelimits", "accent", "accentunder", "fence",
		"separator", "form", "lspace", "rspace", "minsize", "maxsize", "linethickness", "numalign", "denomalign",
		"bevelled", "notation", "width", "height", "depth", "voffset", "columnalign", "rowalign", "columnspan",
		"rowspan", "columnlines", "rowlines", "frame", "columnspacing", "rowspacing", "open", "close",
		"separators", "encoding", "dir", "alttext"}
	mathValue = regexp.MustCompile(`^[A-Za-z0-9 .,:;#%()+/_-]*$`)
)

func allowMathML(p *bluemonday.Policy) {
	p.AllowElements(mathElements...)
	p.AllowNoAttrs().OnElements(mathElements...)
	p.AllowAttrs(mathAttrs...).Matching(mathValue).OnElements(mathElements...)
	p.AllowAttrs("xmlns").Matching(regexp.MustCompile(`^http://www\.w3\.org/1998/Math/MathML$`)).OnElements("math")
}

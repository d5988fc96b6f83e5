package importer

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"examhall"
	"examhall/content"
)

// imgTag finds an <img> tag and the value of its src attribute.
var imgTag = regexp.MustCompile(`(?i)<img\b[^>]*?\ssrc\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)[^>]*>`)

var imgAlt = regexp.MustCompile(`(?i)\salt\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)

// resolveImages points the images that the HTML texts of b's items show
// by a path relative to their file (dir) at the input's images, stored
// as assets; an image the input does not have is left out (its alt text
// stays) and reported.
func resolveImages(b *content.Bank, dir string, images map[string]string) {
	for _, it := range b.Items {
		q := it.Question
		if q == nil || q.Format != examhall.FormatHTML {
			continue
		}
		q.EachText(func(s *string) {
			*s = imgTag.ReplaceAllStringFunc(*s, func(tag string) string {
				src := unquote(imgTag.FindStringSubmatch(tag)[1])
				switch {
				case strings.HasPrefix(src, "assets/"), strings.HasPrefix(src, "https://"), strings.HasPrefix(src, "data:image/"):
					return tag
				}
				p := src
				if u, err := url.PathUnescape(src); err == nil {
					p = u
				}
				p = strings.SplitN(strings.SplitN(p, "#", 2)[0], "?", 2)[0]
				if name, ok := images[path.Join(dir, p)]; ok {
					return strings.Replace(tag, imgTag.FindStringSubmatch(tag)[1], `"assets/`+name+`"`, 1)
				}
				it.Change(content.ImageMissing, "the image %q is not in the input and was left out", src)
				if m := imgAlt.FindStringSubmatch(tag); m != nil {
					return fmt.Sprintf("[%s]", unquote(m[1]))
				}
				return ""
			})
		})
	}
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// uniqueAssets drops repeated assets of the same name, keeping the first.
func uniqueAssets(as []examhall.Asset) []examhall.Asset {
	seen := map[string]bool{}
	out := as[:0]
	for _, a := range as {
		if !seen[a.Name] {
			seen[a.Name] = true
			out = append(out, a)
		}
	}
	return out
}

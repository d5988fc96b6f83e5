package examhall_test

import (
	"strings"
	"testing"

	"examhall"
)

// TestSanitizeDropsIdsAndForeignImages: prompts keep no id or name, and
// images only from the exam's assets or data: URLs.
func TestSanitizeDropsIdsAndForeignImages(t *testing.T) {
	for in, want := range map[string]string{
		`<p id="login-form">x</p>`:                              `<p>x</p>`,
		`<a name="signout" href="https://example.org/">y</a>`:   `<a href="https://example.org/" rel="nofollow noreferrer noopener" target="_blank">y</a>`,
		`<p><img src="https://tracker.example/p.png?c=1">a</p>`: `<p>a</p>`,
		`<img src="//tracker.example/p.png">`:                   ``,
		`<img src="assets/sun.png" alt="Sun" id="x">`:           `<img src="assets/sun.png" alt="Sun">`,
		`<img src="data:image/png;base64,iVBORw0KGgo=">`:        `<img src="data:image/png;base64,iVBORw0KGgo=">`,
		`<p>id="quoted" stays as text</p>`:                      `<p>id=&#34;quoted&#34; stays as text</p>`,
	} {
		got := examhall.SanitizeHTML(in)
		if got != want {
			t.Errorf("SanitizeHTML(%s) = %s, want %s", in, got, want)
		}
		if again := examhall.SanitizeHTML(got); again != got {
			t.Errorf("not idempotent: %s then %s", got, again)
		}
		if strings.Contains(got, "tracker") {
			t.Errorf("SanitizeHTML(%s) keeps a foreign image: %s", in, got)
		}
	}
}

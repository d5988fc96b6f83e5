package http_test

import (
	"strings"
	"testing"

	"examhall/examhalltest"
)

// TestPromptsCannotTrackOrClobber: an exam whose HTML prompts carry an
// image from another host and ids of the page's own elements reaches the
// candidate without either, and the pages' CSP allows images only from
// the server itself and data: URLs.
func TestPromptsCannotTrackOrClobber(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{Quiet: true, Web: true})
	staff := srv.Staff(t)
	doc := map[string]any{
		"id": examhalltest.UniqueName("html"), "title": "HTML", "duration_seconds": 600,
		"questions": []map[string]any{{
			"id": "q1", "type": "single", "format": "html", "points": 1,
			"prompt":  `<p id="login-form">Which?</p><img src="https://tracker.example/pixel.png?exam=1"><a name="signout">x</a>`,
			"options": []map[string]string{{"id": "a", "text": `<span id="paper">A</span>`}, {"id": "b", "text": "B"}},
			"answer":  "a",
		}},
	}
	exam := examhalltest.MustCreateExam(t, staff, doc)
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	_, login := srv.MustLogin(t, exam, code)
	paper := string(srv.Do(t, "GET", "/api/v1/attempts/"+login.Attempt, login.Token, nil).Body)
	for _, bad := range []string{"tracker.example", `id=\"`, `name=\"`, "login-form", "signout"} {
		if strings.Contains(paper, bad) {
			t.Errorf("the paper holds %s: %s", bad, paper)
		}
	}
	csp := srv.Do(t, "GET", "/", "", nil).Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' data:;") {
		t.Errorf("CSP %q, want img-src 'self' data: only", csp)
	}
}

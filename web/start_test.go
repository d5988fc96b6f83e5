package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestCandidateWaitsInLobby signs in during the lobby: the page shows the
// instructions and a countdown, no question, and opens the paper by itself
// once the exam starts.
func TestCandidateWaitsInLobby(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	doc := examhalltest.AllTypesExam("lobby-web", 600)
	opens := srv.Clock.Now().Add(8 * time.Second).UTC()
	doc["opens_at"], doc["closes_at"], doc["lobby_seconds"] = opens, opens.Add(time.Hour), 600
	doc["instructions"] = "Read every question twice."
	exam := examhalltest.MustCreateExam(t, staff, doc)
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]

	b.do("sign in during the lobby",
		chromedp.Navigate(srv.URL+"/?exam="+exam), chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate),
		chromedp.SendKeys(chromedp.ID("login-code"), code.Code),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("lobby-view")))
	b.waitText("#lobby-instructions", "Read every question twice.")
	b.waitText("#lobby-countdown", "Starts in 00:0")
	b.axe("lobby")
	if n := eval[int](b, `document.querySelectorAll("[data-question]").length`); n != 0 {
		t.Fatalf("%d questions on the page in the lobby, want none", n)
	}
	b.shot("candidate-lobby")
	b.do("the exam opens", chromedp.WaitVisible(chromedp.ID("exam-view")))
	if n := eval[int](b, `document.querySelectorAll("[data-question]").length`); n != 6 {
		t.Errorf("%d questions once the exam opened, want 6", n)
	}
}

// TestCandidateWaitsInLine has the server shed the first sign-ins (503 with
// Retry-After, as at a crowded exam start): the page says the candidate is
// in line and signs in by itself when the server has room.
func TestCandidateWaitsInLine(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var shed atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/api/v1/login" && shed.Add(1) <= 2 {
			w.Header().Set("Retry-After", "2")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(503)
			io.WriteString(w, `{"error":{"code":"unavailable","message":"Many candidates are signing in at this moment."}}`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("line-web", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]

	b.do("sign in at a crowded start",
		chromedp.Navigate(front.URL+"/?exam="+exam), chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate),
		chromedp.SendKeys(chromedp.ID("login-code"), code.Code),
		chromedp.Click(chromedp.ID("login-submit")))
	b.waitText("#login-wait", "You are in line")
	if eval[bool](b, `!document.getElementById("login-error").hidden`) {
		t.Error("a shed sign-in is shown as an error")
	}
	b.do("signed in without another click", chromedp.WaitVisible(chromedp.ID("exam-view")))
	if got := shed.Load(); got < 3 {
		t.Errorf("%d sign-in requests, want the two shed ones and a retry", got)
	}
}

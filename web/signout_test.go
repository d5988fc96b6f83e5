package web_test

import (
	"strings"
	"testing"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestSignOutLeavesNothing: on a shared PC, signing out after submitting
// ends the session on the server (the old token stops working) and leaves
// no trace of the exam in localStorage: no paper, no queue, no flags (the
// device's own settings stay: language, display, the clock's offset).
func TestSignOutLeavesNothing(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true, Quiet: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("signout", 3600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	b.do("sign in", chromedp.Navigate(srv.URL+"/?exam="+exam), chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate),
		chromedp.SendKeys(chromedp.ID("login-code"), code.Code),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exam-view")))
	session := eval[string](b, `localStorage.getItem("examhall.session")`)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	candToken := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).token`)
	b.do("answer, flag and submit", chromedp.SendKeys(q("q5", "input"), "Lyon"), press(q("q5", ".flag")),
		chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")),
		chromedp.Click(chromedp.ID("confirm-submit")), chromedp.WaitVisible(chromedp.ID("receipt-view")))
	if got := serverAnswers(t, srv, token, exam, attempt); got["q5"] != `"Lyon"` {
		t.Errorf("the answer typed before submitting: server holds %s, want \"Lyon\"", got["q5"])
	}
	if n := eval[int](b, `Object.keys(localStorage).filter(k => k.startsWith("examhall.")).length`); n < 2 {
		t.Fatalf("before signing out localStorage holds %d examhall keys; the test needs the session and the paper", n)
	}
	b.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("login-view")))
	if keys := eval[string](b, `Object.keys(localStorage).filter(k => k.startsWith("examhall.") && !["examhall.lang", "examhall.view", "examhall.clock"].includes(k)).join(",")`); keys != "" {
		t.Errorf("after signing out localStorage holds %s (session was %s)", keys, session)
	}
	r := srv.Do(t, "GET", "/api/v1/attempts/"+attempt, candToken, nil)
	if r.Status != 401 {
		t.Errorf("the signed-out token: %d %s, want 401", r.Status, r.Body)
	}
	if !strings.Contains(string(r.Body), "unauthorized") {
		t.Errorf("the signed-out token: %s", r.Body)
	}
}

package web_test

import (
	"context"
	"examhall"
	"fmt"
	"sync"
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// signIn opens the candidate page and signs in.
func (b *browser) signIn(exam string, code examhall.IssuedCode) {
	b.t.Helper()
	b.do("sign in",
		chromedp.Navigate(b.srv.URL+"/?exam="+exam),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate),
		chromedp.SendKeys(chromedp.ID("login-code"), code.Code),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exam-view")))
}

// TestCandidateRetriesWhenBusy answers the first two saves with 503 and
// Retry-After: 2 (as a server does when it cannot make an answer durable):
// the page says it is retrying, waits at least as long as it was told, and
// the answer is then saved.
func TestCandidateRetriesWhenBusy(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("busy", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	b.signIn(exam, code)

	var mu sync.Mutex
	var seen []time.Time
	paused := chromedp.Events(b.ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, time.Now())
			n := len(seen)
			mu.Unlock()
			if n <= 2 {
				chromedp.Call(b.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID: ev.RequestID, ResponseCode: 503,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}, {Name: "Retry-After", Value: "2"}},
					Body:            []byte(`{"error":{"code":"unavailable","message":"Try again shortly."}}`),
				})
				continue
			}
			chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	}()
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/answers"}}}); err != nil {
		t.Fatal(err)
	}

	b.do("answer", press(q("q3", `input[value="true"]`)))
	b.waitText("#save-state", "Server busy — 1 answer waiting, retrying")
	b.waitText("#save-state", "All answers saved")
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 3 {
		t.Fatalf("%d save requests, want 3 (two refused, one saved)", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if gap := seen[i].Sub(seen[i-1]); gap < 2*time.Second {
			t.Errorf("retry %d came %v after the 503, before its Retry-After of 2 s", i, gap)
		}
	}
	token := staffToken(t, srv)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	if got := serverAnswers(t, srv, token, exam, attempt)["q3"]; got != "true" {
		t.Errorf("server holds q3 = %s, want true", got)
	}
}

// TestCandidateMovesDevice signs in on a second device: it gets the answers
// saved on the first, and the first is signed out when it next saves.
func TestCandidateMovesDevice(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	first := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("move", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	first.signIn(exam, code)
	first.do("answer", chromedp.SendKeys(q("q5", "input"), "Paris"))
	first.waitText("#save-state", "All answers saved")
	// A review flag is kept on the server too.
	first.do("flag q2", press(q("q2", ".flag")))
	attempt := eval[string](first, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	c := srv.Client()
	c.Token = eval[string](first, `JSON.parse(localStorage.getItem("examhall.session")).token`)
	examhalltest.Eventually(t, 10*time.Second, func() error {
		p, err := c.Paper(context.Background(), attempt)
		if err != nil {
			return err
		}
		if !p.Review["q2"].Review {
			return fmt.Errorf("the server holds flags %v, want q2", p.Review)
		}
		return nil
	})

	second := newBrowser(t, srv)
	second.signIn(exam, code)
	if v := eval[string](second, `document.querySelector('[data-question="q5"] input').value`); v != "Paris" {
		t.Errorf("the second device shows q5 = %q, want the saved answer", v)
	}
	second.waitJS("q2 flagged on the second device", `document.querySelector('[data-question="q2"] .flag').getAttribute("aria-pressed") === "true" && document.querySelector('[data-nav="q2"]').classList.contains("flagged")`)
	// Unflagged there: the server follows (the newer flag wins).
	second.do("unflag q2", press(q("q2", ".flag")))
	c2 := srv.Client()
	c2.Token = eval[string](second, `JSON.parse(localStorage.getItem("examhall.session")).token`)
	examhalltest.Eventually(t, 10*time.Second, func() error {
		p, err := c2.Paper(context.Background(), attempt)
		if err != nil {
			return err
		}
		if p.Review["q2"].Review {
			return fmt.Errorf("the server still holds q2 flagged: %v", p.Review)
		}
		return nil
	})
	second.do("answer there", press(q("q3", `input[value="false"]`)))
	second.waitText("#save-state", "All answers saved")

	first.do("answer on the old device", chromedp.SendKeys(q("q5", "input"), "!"))
	first.waitJS("the old device is signed out", `!document.getElementById("login-view").hidden`)
	first.waitText("#login-error", "another device")
}

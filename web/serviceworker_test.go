package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// gate is a proxy in front of a test server that can drop every
// connection, as a lost network does (DevTools' offline emulation does not
// reach a service worker's own requests).
type gate struct {
	*httptest.Server
	down atomic.Bool
}

func newGate(t *testing.T, target string) *gate {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.down.Load() {
			panic(http.ErrAbortHandler) // the connection closes with no answer
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(g.Close)
	return g
}

// TestCandidateOfflineAfterFirstLoad signs in, then loses the network
// entirely: a reload and a new tab still show the exam (from the service
// worker's cache) with every answer of this device and the server's
// deadline counted down, marked offline; an answer given offline is saved
// when the network returns.
func TestCandidateOfflineAfterFirstLoad(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	g := newGate(t, srv.URL)
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("web-sw", 900))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	b.do("sign in",
		chromedp.Navigate(g.URL+"/?exam="+exam),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate),
		chromedp.SendKeys(chromedp.ID("login-code"), code.Code),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitJS("the service worker controls the page", `!!navigator.serviceWorker.controller`)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	b.do("answer", chromedp.SendKeys(q("q5", "input"), "Paris"))
	b.waitText("#save-state", "All answers saved")

	g.down.Store(true)
	b.do("reload with no network", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#clock", "(offline)")
	b.waitText("#alert", "You are offline")
	if got := eval[string](b, `document.querySelector('[data-question="q5"] input').value`); got != "Paris" {
		t.Errorf("offline reload: q5 shows %q", got)
	}
	if got := eval[string](b, `document.getElementById("clock").textContent`); !strings.HasPrefix(got, "14:") && !strings.HasPrefix(got, "15:00") {
		t.Errorf("offline reload: the clock says %q, want 15:00 or 14:xx left of the server's deadline", got)
	}
	b.do("answer offline", press(q("q3", `input[value="true"]`)))
	b.waitText("#save-state", "Offline — 1 answer waiting")
	b.shot("candidate-offline-reload")

	// A new tab (the old one closed), still with no network.
	tab, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	b.do("close the exam", chromedp.Navigate("about:blank"))
	nb := &browser{t: t, ctx: tab, srv: srv}
	nb.do("a new tab with no network", chromedp.Navigate(g.URL+"/"), chromedp.WaitVisible(chromedp.ID("exam-view")))
	if v := eval[string](nb, `document.querySelector('[data-question="q3"] input:checked')?.value || ""`); v != "true" {
		t.Errorf("new tab offline: q3 shows %q", v)
	}

	g.down.Store(false)
	examhalltest.Eventually(t, 60*time.Second, func() error {
		if got := serverAnswers(t, srv, token, exam, attempt); got["q3"] != "true" || got["q5"] != `"Paris"` {
			return fmt.Errorf("the server holds %v", got)
		}
		return nil
	})
}

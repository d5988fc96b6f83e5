package web_test

import (
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestCandidateOnSlowNetwork takes an exam on a throttled connection (400
// kbit/s each way, 400 ms round trips, as a weak mobile network): sign-in
// reaches the first question, and ten answers given in quick succession
// are all saved, in few requests. What travels before the first question
// stays under what such a network moves in 5 s after its round trips. The
// time it took is logged, not judged: the machine is shared.
func TestCandidateOnSlowNetwork(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("web-slow", 900))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	const bytesPerSecond = 400_000 / 8
	slow := []*network.Conditions{{URLPattern: srv.URL + "/*", Latency: 400, DownloadThroughput: bytesPerSecond, UploadThroughput: bytesPerSecond}}
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: slow}); err != nil {
		t.Fatalf("throttling: %v", err)
	}
	start := time.Now()
	b.signIn(exam, code)
	b.waitJS("the first question is on screen", `!!document.querySelector("fieldset.question")`)
	t.Logf("400 kbit/s, 400 ms RTT: page to first question in %v (load and sign-in)", time.Since(start).Round(100*time.Millisecond))
	sent := eval[int](b, `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((n, e) => n + e.transferSize, 0)`)
	// 5 s at 400 kbit/s, less 7 round trips of 400 ms (connection, page,
	// modules, catalogue, sign-in, paper, first save): 110 KB.
	if budget := (5000 - 7*400) * bytesPerSecond / 1000; sent > budget {
		t.Errorf("%d bytes travel before the first question, over the %d that 5 s of this network carries", sent, budget)
	}
	t.Logf("bytes before the first question: %d", sent)

	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	eval[bool](b, `window.puts = 0; const f = window.fetch; window.fetch = (u, o) => { if (o && o.method === "PUT") window.puts++; return f(u, o); }; true`)
	b.do("type an essay and answer", chromedp.SendKeys(q("q6", "textarea"), "Ten words typed one after another on a slow network."),
		press(q("q3", `input[value="true"]`)), chromedp.SendKeys(q("q4", "input"), "3.14"), chromedp.SendKeys(q("q5", "input"), "Paris"))
	b.waitText("#save-state", "All answers saved")
	got := serverAnswers(t, srv, token, exam, attempt)
	if got["q6"] != `"Ten words typed one after another on a slow network."` || got["q3"] != "true" || got["q4"] != "3.14" || got["q5"] != `"Paris"` {
		t.Errorf("on a slow network the server holds %v", got)
	}
	if puts := eval[int](b, `window.puts`); puts > 12 {
		t.Errorf("%d save requests for 70 keystrokes: the page does not batch", puts)
	} else {
		t.Logf("%d save requests for 70 keystrokes", puts)
	}
}

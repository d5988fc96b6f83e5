package web_test

import (
	"testing"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestCandidateNeverSeesOlderAnswers is the stale reload: the page's copy
// of the paper dates from sign-in, answers are saved after it, and the
// page is reloaded while the API cannot be reached. The page shows the
// answers the candidate last saw (not the copy's), says it is offline, and
// once the network returns it sends what was changed offline.
func TestCandidateNeverSeesOlderAnswers(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("web-stale", 900))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	b.signIn(exam, code)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	b.do("answer", chromedp.SendKeys(q("q5", "input"), "Lyon"), press(q("q1", `input[value="a"]`)))
	b.waitText("#save-state", "All answers saved")
	b.do("change an answer", chromedp.SendKeys(q("q5", "input"), "-Paris"), press(q("q1", `input[value="b"]`)))
	b.waitText("#save-state", "All answers saved")
	if got := serverAnswers(t, srv, token, exam, attempt); got["q5"] != `"Lyon-Paris"` || got["q1"] != `"b"` {
		t.Fatalf("the server holds %v", got)
	}

	b.network("api")
	b.do("reload with the API unreachable", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#alert", "You are offline")
	b.waitText("#save-state", "Offline — every answer is saved")
	b.waitText("#clock", "(offline)")
	if got := eval[string](b, `document.querySelector('[data-question="q5"] input').value`); got != "Lyon-Paris" {
		t.Errorf("after an offline reload q5 shows %q, want the last answer Lyon-Paris", got)
	}
	if got := eval[string](b, `document.querySelector('[data-question="q1"] input:checked')?.value || ""`); got != "b" {
		t.Errorf("after an offline reload q1 shows %q, want b", got)
	}

	// Changed offline: waiting, shown in the navigator; sent when the network returns.
	b.do("answer offline", press(q("q3", `input[value="false"]`)))
	b.waitText("#save-state", "Offline — 1 answer waiting")
	if !eval[bool](b, `document.querySelector('[data-nav="q3"]').classList.contains("waiting") && document.querySelector('[data-nav="q3"]').getAttribute("aria-label").includes("not yet saved")`) {
		t.Error("the navigator does not show q3 as not yet saved")
	}
	b.network("")
	b.waitText("#save-state", "All answers saved")
	b.waitJS("the offline notice goes", `document.getElementById("alert").hidden && !document.getElementById("clock").textContent.includes("offline")`)
	if got := serverAnswers(t, srv, token, exam, attempt); got["q3"] != "false" || got["q5"] != `"Lyon-Paris"` {
		t.Fatalf("after the network returned the server holds %v", got)
	}
}

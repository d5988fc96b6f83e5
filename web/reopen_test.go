package web_test

import (
	"testing"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestStaffReopensAttempt: a candidate submits; staff reopen the attempt
// from the monitor's list, for ten minutes; the candidate signs in again,
// finds their answers, changes one and submits again, with a new receipt.
func TestStaffReopensAttempt(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("reopen-1", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	c := newBrowser(t, srv)
	c.signIn(exam, code)
	attempt := eval[string](c, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	c.do("answer q1 wrongly", press(q("q1", `input[value="a"]`)))
	c.waitText("#save-state", "All answers saved")
	c.do("submit", chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")))
	c.do("confirm", chromedp.Click(chromedp.ID("confirm-submit")), chromedp.WaitVisible(chromedp.ID("receipt-view")))
	first := eval[string](c, `document.getElementById("receipt-code").textContent`)
	c.do("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("login-form")))

	b := newBrowser(t, srv)
	b.do("staff sign in",
		chromedp.Navigate(srv.URL+"/staff"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-user"), examhalltest.AdminUser),
		chromedp.SendKeys(chromedp.ID("login-password"), examhalltest.AdminPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exams-view")))
	b.do("open the monitor", chromedp.Navigate(srv.URL+"/staff#/exams/"+exam+"/monitor"))
	row := `#att-rows tr[data-candidate="` + code.Candidate + `"]`
	b.waitText(row, "submitted")
	b.do("reopen for ten minutes",
		chromedp.Click(chromedp.CSS(`[data-reopen="`+code.Candidate+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-reopen-form="`+code.Candidate+`"] input`)),
		chromedp.SetValue(chromedp.CSS(`[data-reopen-form="`+code.Candidate+`"] input`), "10"),
		chromedp.Click(chromedp.CSS(`[data-reopen-form="`+code.Candidate+`"] button`)))
	b.waitJS("the form closes", `!document.querySelector("[data-reopen-form]")`)
	b.waitText(row, "in progress")
	b.waitText(row, "reopened (1)")
	b.shotTall("staff-reopen")

	c.signIn(exam, code)
	c.waitJS("q1 keeps the submitted answer", `document.querySelector('[data-question="q1"] input[value="a"]').checked`)
	c.do("answer q1 again", press(q("q1", `input[value="b"]`)))
	c.waitText("#save-state", "All answers saved")
	c.do("submit again", chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")))
	c.do("confirm again", chromedp.Click(chromedp.ID("confirm-submit")), chromedp.WaitVisible(chromedp.ID("receipt-view")))
	second := eval[string](c, `document.getElementById("receipt-code").textContent`)
	got := serverAnswers(t, srv, token, exam, attempt)
	if second == "" || second == first || got["receipt"] != second || got["q1"] != `"b"` {
		t.Fatalf("after the second submission: page receipt %q (first %q), server %v", second, first, got)
	}
}

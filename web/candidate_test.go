package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// staffToken logs the admin in through the API.
func staffToken(t *testing.T, srv *examhalltest.Server) string {
	t.Helper()
	var out struct{ Token string }
	srv.Do(t, "POST", "/api/v1/admin/login", "", map[string]string{"username": examhalltest.AdminUser, "password": examhalltest.AdminPassword}).Decode(t, &out)
	return out.Token
}

// serverAnswers returns the responses the server holds for an attempt, by
// question, as JSON text.
func serverAnswers(t *testing.T, srv *examhalltest.Server, token, exam, attempt string) map[string]string {
	t.Helper()
	var d struct {
		Result struct {
			Questions []struct {
				Question string
				Response json.RawMessage
			}
		}
		Receipt string
	}
	r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/attempts/"+attempt, token, nil)
	if r.Status != 200 {
		t.Fatalf("attempt detail: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &d)
	out := map[string]string{"receipt": d.Receipt}
	for _, q := range d.Result.Questions {
		out[q.Question] = string(q.Response)
		// Options are shuffled per candidate: "ID/set" has the choices sorted.
		var set []string
		if json.Unmarshal(q.Response, &set) == nil && set != nil {
			sort.Strings(set)
			b, _ := json.Marshal(set)
			out[q.Question+"/set"] = string(b)
		}
	}
	return out
}

// press focuses an element and presses the space bar: the keyboard way to
// tick a box, choose an option or press a button (and it cannot miss the
// way a mouse click on a scrolling page can).
func press(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Focus(sel), chromedp.KeyEvent(" "))
}

func q(id, rest string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf(`[data-question=%q] %s`, id, rest))
}

func TestCandidateTakesExam(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	// 280 s: under five minutes, so the five-minute warning shows at once.
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("web-1", 280))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	b.do("open the login page", chromedp.Navigate(srv.URL+"/?exam="+exam), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.shot("candidate-login")
	b.do("sign in",
		chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate),
		chromedp.SendKeys(chromedp.ID("login-code"), code.Code),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#alert", "5 minutes left")
	if got := eval[string](b, `document.getElementById("clock").textContent`); !strings.HasPrefix(got, "04:") {
		t.Errorf("clock says %q, want 04:xx left", got)
	}
	if n := eval[int](b, `document.querySelectorAll("#nav-list button.unanswered").length`); n != 6 {
		t.Errorf("navigator shows %d unanswered, want 6", n)
	}
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)

	// Every type but the essay.
	b.do("answer five questions",
		press(q("q1", `input[value="b"]`)),
		press(q("q2", `input[value="a"]`)),
		press(q("q2", `input[value="c"]`)),
		press(q("q3", `input[value="true"]`)),
		chromedp.SendKeys(q("q4", "input"), "3.14"),
		chromedp.SendKeys(q("q5", "input"), "Paris"),
		press(q("q5", ".flag")))
	b.waitText("#save-state", "All answers saved")
	got := serverAnswers(t, srv, token, exam, attempt)
	for id, want := range map[string]string{"q1": `"b"`, "q2/set": `["a","c"]`, "q3": `true`, "q4": `3.14`, "q5": `"Paris"`, "q6": `null`} {
		if got[id] != want {
			t.Errorf("server holds %s = %s, want %s", id, got[id], want)
		}
	}
	if n := eval[int](b, `document.querySelectorAll("#nav-list button.answered").length`); n != 5 {
		t.Errorf("navigator shows %d answered, want 5", n)
	}
	if !eval[bool](b, `document.querySelector('[data-nav="q5"]').classList.contains("flagged")`) {
		t.Error("q5 is not shown as flagged in the navigator")
	}

	// The submit confirmation lists what is unanswered; cancelling keeps working.
	b.do("open the confirmation", chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")))
	b.waitText("#confirm-text", "1 of 6 questions are unanswered")
	b.waitText("#confirm-unanswered", "Discuss")
	b.shot("candidate-confirm")
	b.do("keep working", chromedp.Click(chromedp.ID("confirm-cancel")), chromedp.WaitNotVisible(chromedp.ID("confirm")))

	// The network goes: answers queue on the device and the page says so.
	b.network("all")
	b.do("answer offline",
		chromedp.SendKeys(q("q6", "textarea"), "Written while offline."),
		press(q("q2", `input[value="a"]`)))
	b.waitText("#save-state", "Offline — 2 answers waiting")
	b.shot("candidate-offline")
	if got := serverAnswers(t, srv, token, exam, attempt); got["q6"] != "null" || got["q2/set"] != `["a","c"]` {
		t.Fatalf("the server got answers while the browser was offline: %v", got)
	}
	// A reload while the API is still unreachable keeps the queue: the page
	// comes back from its stored copy with the unsaved answers in place.
	b.network("api")
	b.do("reload offline", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#save-state", "Offline — 2 answers waiting")
	if v := eval[string](b, `document.querySelector('[data-question="q6"] textarea').value`); v != "Written while offline." {
		t.Errorf("after an offline reload the essay says %q", v)
	}
	// The network returns: the queue drains and the server holds every answer.
	b.network("")
	b.waitText("#save-state", "All answers saved")
	got = serverAnswers(t, srv, token, exam, attempt)
	if got["q6"] != `"Written while offline."` || got["q2"] != `["c"]` || got["q1"] != `"b"` {
		t.Fatalf("after the network returned the server holds %v", got)
	}
	if n := eval[int](b, `Object.values(JSON.parse(localStorage.getItem("examhall.answers.`+attempt+`") || "{}")).filter(a => a.seq > a.acked).length`); n != 0 {
		t.Errorf("%d answers still queued after the save", n)
	}

	// A reload mid-exam resumes: answers, flags, the clock.
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#save-state", "All answers saved")
	resumed := eval[map[string]any](b, `({
		q1: document.querySelector('[data-question="q1"] input:checked')?.value,
		q2: [...document.querySelectorAll('[data-question="q2"] input:checked')].map(e => e.value).join(","),
		q3: document.querySelector('[data-question="q3"] input:checked')?.value,
		q4: document.querySelector('[data-question="q4"] input').value,
		q5: document.querySelector('[data-question="q5"] input').value,
		q6: document.querySelector('[data-question="q6"] textarea').value,
		flagged: document.querySelector('[data-nav="q5"]').classList.contains("flagged"),
	})`)
	want := map[string]any{"q1": "b", "q2": "c", "q3": "true", "q4": "3.14", "q5": "Paris", "q6": "Written while offline.", "flagged": true}
	for k, v := range want {
		if resumed[k] != v {
			t.Errorf("after reload %s = %v, want %v", k, resumed[k], v)
		}
	}
	b.shot("candidate-exam")

	// Readable on a phone: nothing wider than the screen.
	b.do("phone size", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("on a 390 px screen the page is %d px too wide", w)
	}
	b.shot("candidate-phone")
	b.do("desktop size", chromedp.EmulateViewport(1280, 900))

	// Submit: the receipt is the server's.
	b.do("submit",
		chromedp.Click(chromedp.ID("submit-open")),
		chromedp.WaitVisible(chromedp.ID("confirm")))
	b.waitText("#confirm-text", "Every question is answered")
	b.do("confirm", chromedp.Click(chromedp.ID("confirm-submit")), chromedp.WaitVisible(chromedp.ID("receipt-view")))
	receipt := eval[string](b, `document.getElementById("receipt-code").textContent`)
	if got := serverAnswers(t, srv, token, exam, attempt)["receipt"]; receipt == "" || receipt != got {
		t.Errorf("the page shows receipt %q, the server has %q", receipt, got)
	}
	b.shot("candidate-receipt")

	// After release, the result.
	if r := srv.Do(t, "POST", "/api/v1/admin/exams/"+exam+"/release", token, nil); r.Status != 200 {
		t.Fatalf("release: %d %s", r.Status, r.Body)
	}
	b.do("reload after release", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("result-open")),
		chromedp.Click(chromedp.ID("result-open")), chromedp.WaitVisible(chromedp.ID("result-view")))
	// q2 is now only "c": wrong. 1 + 0 + 1 + 1 + 1 of 11, the essay pending.
	b.waitText("#result-score", "4")
	b.waitText("#result-max", "11")
	b.waitText("#result-pending-note", "1 answer still awaits marking")
	b.shot("candidate-result")
}

// TestCandidateClockIsTheServers runs a short exam on a server whose clock
// is an hour ahead of the browser's: the countdown follows the server, the
// one-minute warning shows, and when time is up the page ends on the
// receipt of the automatic submission.
func TestCandidateClockIsTheServers(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	srv.Clock.Advance(time.Hour)
	staff := srv.Staff(t)
	// 15 s: enough to sign in and save on a busy machine.
	doc := examhalltest.AllTypesExam("web-2", 15)
	doc["grace_seconds"] = 1
	exam := examhalltest.MustCreateExam(t, staff, doc)
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]

	b.do("sign in",
		chromedp.Navigate(srv.URL+"/?exam="+exam),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate),
		chromedp.SendKeys(chromedp.ID("login-code"), code.Code),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#alert", "1 minute left")
	if got := eval[string](b, `document.getElementById("clock").textContent`); !strings.HasPrefix(got, "00:") {
		t.Errorf("clock says %q, want under a minute (the server's deadline, not the browser's clock, an hour behind)", got)
	}
	b.do("answer one", press(q("q3", `input[value="false"]`)))
	b.waitText("#save-state", "All answers saved")
	b.waitJS("the receipt shows", `!document.getElementById("receipt-view").hidden`)
	if eval[bool](b, `document.getElementById("receipt-auto").hidden`) {
		t.Error("the receipt does not say the exam was submitted automatically")
	}
	if got := eval[string](b, `document.getElementById("receipt-code").textContent`); !strings.HasPrefix(got, "r1.") {
		t.Errorf("receipt %q", got)
	}
}

// TestCandidateReviewAfterRelease: an exam whose review shows responses,
// correct answers and feedback: after release the candidate's result says
// under each question what they answered (option text, not ids), the key
// and the feedback; one that shows none of them says only the points.
func TestCandidateReviewAfterRelease(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	doc := examhalltest.AllTypesExam("review", 600)
	doc["shuffle_questions"] = false
	doc["review"] = map[string]any{"responses": true, "correct_answers": true, "feedback": true}
	qs := doc["questions"].([]any)
	qs[0].(map[string]any)["feedback"] = "Option b is the one."
	exam := examhalltest.MustCreateExam(t, staff, doc)
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	b.signIn(exam, code)
	b.do("answer q1 wrongly and q3", press(q("q1", `input[value="a"]`)), press(q("q3", `input[value="true"]`)))
	b.waitText("#save-state", "All answers saved")
	b.do("submit", chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")),
		chromedp.Click(chromedp.ID("confirm-submit")), chromedp.WaitVisible(chromedp.ID("receipt-view")))
	if err := staff.Release(context.Background(), exam); err != nil {
		t.Fatal(err)
	}
	b.do("see the result", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("result-open")),
		chromedp.Click(chromedp.ID("result-open")), chromedp.WaitVisible(chromedp.ID("result-view")))
	b.waitText("#result-rows tr:nth-child(1)", "Your answer: Option a")
	b.waitText("#result-rows tr:nth-child(1)", "Correct answer: Option b")
	b.waitText("#result-rows tr:nth-child(1)", "Option b is the one.")
	b.waitText("#result-rows tr:nth-child(3)", "Your answer: True")
	b.axe("the result with its review")
}

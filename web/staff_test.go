package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

func writeJSON(t *testing.T, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// waitFile waits for a downloaded file and returns its content.
func waitFile(t *testing.T, path string) string {
	t.Helper()
	var b []byte
	examhalltest.Eventually(t, 10*time.Second, func() (err error) {
		if b, err = os.ReadFile(path); err == nil && len(b) == 0 {
			err = fmt.Errorf("%s is empty", filepath.Base(path))
		}
		return err
	})
	return string(b)
}

func TestStaffRunsExam(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)

	b.do("open the console", chromedp.Navigate(srv.URL+"/staff"), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.axe("staff sign-in")
	b.do("sign in",
		chromedp.SendKeys(chromedp.ID("login-user"), examhalltest.AdminUser),
		chromedp.SendKeys(chromedp.ID("login-password"), examhalltest.AdminPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exams-view")))
	b.waitText("#no-exams", "No exams yet")
	b.axe("staff, no exams")

	// A broken document: every error the browser can see, each with its field.
	bad := examhalltest.AllTypesExam("staff-1", 600)
	delete(bad, "title")
	bad["questions"].([]any)[1].(map[string]any)["type"] = "multi"
	b.do("upload a broken exam",
		chromedp.SetUploadFiles(chromedp.ID("create-file"), []string{writeJSON(t, "bad.json", bad)}),
		chromedp.Click(chromedp.ID("create-submit")),
		chromedp.WaitVisible(chromedp.ID("create-errors")))
	b.waitText("#create-error-list", "title")
	b.waitText("#create-error-list", "questions[1] (q2).type")
	b.shot("staff-create-errors")
	b.axe("staff create-errors")
	// One only the server knows: an unknown field.
	unknown := examhalltest.AllTypesExam("staff-1", 600)
	unknown["colour"] = "blue"
	b.do("upload an exam with an unknown field",
		chromedp.SetUploadFiles(chromedp.ID("create-file"), []string{writeJSON(t, "unknown.json", unknown)}),
		chromedp.Click(chromedp.ID("create-submit")))
	b.waitText("#create-error-list", "colour")
	if n := eval[int](b, `document.querySelectorAll("#create-error-list li").length`); n != 1 {
		t.Errorf("%d errors listed for the unknown field, want 1", n)
	}

	b.do("upload the exam",
		chromedp.SetUploadFiles(chromedp.ID("create-file"), []string{writeJSON(t, "exam.json", examhalltest.AllTypesExam("staff-1", 600))}),
		chromedp.Click(chromedp.ID("create-submit")))
	b.waitText("#create-ok", "Created exam staff-1")
	b.waitText("#exam-rows", "All types staff-1")

	// Content in another format goes to the importer, which reports per item.
	aiken := filepath.Join(t.TempDir(), "capitals.txt")
	os.WriteFile(aiken, []byte("What is the capital of France?\nA. Paris\nB. Lyon\nANSWER: A\n\nWhat is the capital of Italy?\nA. Milan\nB. Rome\nANSWER: B\n"), 0o644)
	b.do("import an Aiken file",
		chromedp.SetUploadFiles(chromedp.ID("create-file"), []string{aiken}),
		chromedp.Click(chromedp.ID("create-submit")))
	b.waitText("#create-ok", "Imported 2 questions")
	b.waitJS("the report lists both items", `document.querySelectorAll("#import-rows tr").length === 2`)
	b.waitJS("the exams list has both exams", `document.querySelectorAll("#exam-rows tr").length === 2`)
	b.shot("staff-exams")
	b.axe("staff exams")

	// Close and reopen the window.
	b.do("open the exam", chromedp.Click(chromedp.CSS(`#exam-rows a[href$="/staff-1/overview"]`)), chromedp.WaitVisible(chromedp.ID("tab-overview")))
	b.do("close it", chromedp.Click(chromedp.ID("close-now")))
	b.waitText("#window-state", "Closed")
	code := examhalltest.MustIssue(t, srv.Staff(t), "staff-1", 1)[0]
	if r := srv.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": "staff-1", "candidate": code.Candidate, "code": code.Code}); r.Code() != "exam_not_open" {
		t.Fatalf("login to a closed exam: %d %s", r.Status, r.Body)
	}
	b.do("open it", chromedp.Click(chromedp.ID("open-now")))
	b.waitText("#window-state", "Open")

	// Codes for two named candidates.
	b.do("issue codes",
		chromedp.Click(chromedp.CSS(`[data-tab="candidates"]`)),
		chromedp.WaitVisible(chromedp.ID("issue-form")),
		chromedp.SendKeys(chromedp.ID("issue-ids"), "alice\nbob"),
		chromedp.Click(chromedp.ID("issue-submit")),
		chromedp.WaitVisible(chromedp.ID("issued")))
	b.waitText("#cand-count", "3")
	b.shot("staff-codes")
	b.axe("staff codes")
	codes := eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll("#issued-rows tr")].map(r => [r.cells[0].textContent, r.cells[2].textContent]))`)
	if len(codes) != 2 || codes["alice"] == "" || codes["bob"] == "" {
		t.Fatalf("issued codes on the page: %v", codes)
	}
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	b.do("download the codes", chromedp.Click(chromedp.ID("issued-csv")))
	csv := waitFile(t, filepath.Join(downloads, "staff-1-codes.csv"))
	for _, want := range []string{"exam,candidate,name,code,extra_time_seconds\n", "staff-1,alice,," + codes["alice"] + ",0\n", "staff-1,bob,," + codes["bob"] + ",0\n"} {
		if !strings.Contains(csv, want) {
			t.Errorf("codes CSV lacks %q:\n%s", want, csv)
		}
	}

	// The live monitor follows a candidate without a reload.
	b.do("open the monitor", chromedp.Click(chromedp.CSS(`[data-tab="monitor"]`)))
	b.waitText("#live-state", "Live")
	b.waitText("#m-candidates", "3")
	b.waitText("#m-in_progress", "0")
	alice, login := srv.MustLogin(t, "staff-1", examhall.IssuedCode{Candidate: "alice", Code: codes["alice"]})
	ctx := context.Background()
	if _, err := alice.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)[:3]); err != nil {
		t.Fatal(err)
	}
	b.waitText("#m-in_progress", "1")
	b.waitText("#m-logins", "1")
	// The list of candidates: alice in progress, bob and c00001 not started.
	b.waitText(`#att-rows tr[data-candidate="alice"]`, "in progress")
	b.waitText(`#att-rows tr[data-candidate="alice"]`, "3/6")
	b.waitText(`#att-rows tr[data-candidate="bob"]`, "not started")
	b.do("search", chromedp.SendKeys(chromedp.ID("att-search"), "ali"))
	b.waitJS("the search keeps alice alone", `document.querySelectorAll("#att-rows tr").length === 1`)
	// Extra time for alice, from the list: her deadline moves on the server.
	b.do("give alice 15 minutes",
		chromedp.Click(chromedp.CSS(`[data-extend="alice"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-extend-form="alice"] input`)),
		chromedp.SetValue(chromedp.CSS(`[data-extend-form="alice"] input`), "15"),
		chromedp.Click(chromedp.CSS(`[data-extend-form="alice"] button`)))
	b.waitJS("the form closes", `!document.querySelector("[data-extend-form]")`)
	examhalltest.Eventually(t, 10*time.Second, func() error {
		p, err := alice.Paper(ctx, login.Attempt)
		if err != nil {
			return err
		}
		if want := login.Deadline.Add(15 * time.Minute); !p.Deadline.Equal(want) {
			return fmt.Errorf("alice's deadline %v, want %v", p.Deadline, want)
		}
		return nil
	})
	eval[bool](b, `(() => { const i = document.getElementById("att-search"); i.value = ""; i.dispatchEvent(new Event("input")); return true })()`)
	b.waitJS("all three listed", `document.querySelectorAll("#att-rows tr").length === 3`)
	b.shotTall("staff-monitor")
	b.axe("staff monitor")
	if _, err := alice.Submit(ctx, login.Attempt, examhalltest.CorrectAnswers(2)); err != nil {
		t.Fatal(err)
	}
	b.waitText("#m-submitted", "1")
	b.waitText("#m-in_progress", "0")

	// Results, then marking the essay.
	b.do("open the results", chromedp.Click(chromedp.CSS(`[data-tab="results"]`)))
	b.waitText("#result-rows", "alice")
	b.waitText("#result-rows", "6 / 11")
	b.do("mark alice", chromedp.Click(chromedp.CSS(`#result-rows button[data-attempt]`)), chromedp.WaitVisible(chromedp.ID("marking")))
	b.waitText("#marking-title", "1 awaiting marking")
	b.do("mark the essay",
		chromedp.SendKeys(chromedp.ID("mark-q6-points"), "4"),
		chromedp.SendKeys(chromedp.ID("mark-q6-comment"), "Well argued."),
		chromedp.Click(chromedp.CSS(`[data-mark="q6"] button[type=submit]`)))
	b.waitText("#marking-title", "alice: 10 / 11")
	b.waitText("#result-rows", "10 / 11")
	b.shotTall("staff-results")
	b.axe("staff results")
	b.do("download the results", chromedp.Click(chromedp.ID("results-csv")))
	if csv := waitFile(t, filepath.Join(downloads, "staff-1-results.csv")); !strings.Contains(csv, "alice") || !strings.Contains(csv, "10") {
		t.Errorf("results CSV:\n%s", csv)
	}

	// Release: the candidate sees the result.
	if r := srv.Do(t, "GET", "/api/v1/attempts/"+login.Attempt+"/result", alice.Token, nil); r.Code() != "forbidden" {
		t.Fatalf("result before release: %d %s", r.Status, r.Body)
	}
	b.do("release", chromedp.Click(chromedp.CSS(`[data-tab="overview"]`)), chromedp.WaitVisible(chromedp.ID("release")), chromedp.Click(chromedp.ID("release")))
	b.waitText("#release-state", "Results are released")
	res, err := alice.Result(ctx, login.Attempt)
	if err != nil {
		t.Fatalf("result after release: %v", err)
	}
	if res.Score != 10 || res.MaxScore != 11 {
		t.Errorf("alice's result %v / %v, want 10 / 11", res.Score, res.MaxScore)
	}

	// Four more candidates of varied skill, so the analysis has something
	// to say about each item.
	staffAPI := srv.Staff(t)
	wrong := map[string]string{"q1": `"a"`, "q2": `["b"]`, "q3": `false`, "q4": `2`, "q5": `"Lyon"`}
	for i, right := range []string{"q1 q2 q3 q4 q5", "q1 q3 q5", "q3 q4", "q5"} {
		code := examhalltest.MustIssue(t, staffAPI, "staff-1", 1)[0]
		c, l := srv.MustLogin(t, "staff-1", code)
		var answers []examhall.Answer
		for _, a := range examhalltest.CorrectAnswers(1) {
			if a.Question != "q6" && !strings.Contains(right, a.Question) {
				a.Response = json.RawMessage(wrong[a.Question])
			}
			answers = append(answers, a)
		}
		if _, err := c.Submit(ctx, l.Attempt, answers); err != nil {
			t.Fatal(err)
		}
		mark := map[string]any{"question": "q6", "points": 4 - i, "comment": ""}
		if r := srv.Do(t, "PUT", "/api/v1/admin/exams/staff-1/attempts/"+l.Attempt+"/marks", staffAPI.Token, mark); r.Status != 200 {
			t.Fatalf("marking: %d %s", r.Status, r.Body)
		}
	}

	// Item analysis: charts drawn from the stats.
	b.do("open the analysis", chromedp.Click(chromedp.CSS(`[data-tab="analysis"]`)))
	b.waitText("#stats-summary", "5 analysed attempts")
	b.waitJS("the histogram has bars", `document.querySelectorAll("#histogram svg rect.bar").length === 10`)
	if n := eval[int](b, `document.querySelectorAll("#item-rows tr").length`); n != 6 {
		t.Errorf("%d item rows, want 6", n)
	}
	if n := eval[int](b, `document.querySelectorAll("#scatter svg circle.dot").length`); n < 5 {
		t.Errorf("%d items in the difficulty/discrimination chart, want at least 5", n)
	}
	if got := eval[string](b, `document.querySelector("#histogram svg").getAttribute("aria-label")`); !strings.Contains(got, "out of 11") {
		t.Errorf("histogram label %q", got)
	}
	b.shotTall("staff-analysis")
	b.axe("staff analysis")
}

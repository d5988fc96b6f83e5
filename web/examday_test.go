package web_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// pdfPages counts the pages of a PDF Chromium printed, and returns the
// size of its first page in points.
func pdfPages(pdf []byte) (int, string) {
	n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	box := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]`).FindSubmatch(pdf)
	if box == nil {
		return n, ""
	}
	return n, string(box[1]) + "x" + string(box[2])
}

func TestStaffExamDay(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("day-1", 600))
	examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("day-2", 600))

	b.do("sign in",
		chromedp.Navigate(srv.URL+"/staff"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-user"), examhalltest.AdminUser),
		chromedp.SendKeys(chromedp.ID("login-password"), examhalltest.AdminPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exams-view")))

	// 10,000 candidates from a spreadsheet's CSV.
	var csv strings.Builder
	csv.WriteString("candidate,name,extra_time_seconds\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&csv, "p%05d,Person %d,%d\n", i, i, i%2*600)
	}
	file := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("upload the candidates",
		chromedp.Navigate(srv.URL+"/staff#/exams/day-1/candidates"),
		chromedp.WaitVisible(chromedp.ID("issue-form")),
		chromedp.SetUploadFiles(chromedp.ID("issue-file"), []string{file}),
		chromedp.Click(chromedp.ID("issue-submit")),
		chromedp.WaitVisible(chromedp.ID("issued")))
	b.waitText("#cand-count", "10,000")
	b.waitText("#issued-rows", "Person 7")
	b.waitText("#issued-rows", "9,000 more")

	// Twenty named candidates, and their slips.
	var ids []string
	for i := 1; i <= 20; i++ {
		ids = append(ids, fmt.Sprintf("s%02d", i))
	}
	b.do("issue twenty codes",
		chromedp.SendKeys(chromedp.ID("issue-ids"), strings.Join(ids, "\n")),
		chromedp.Click(chromedp.ID("issue-submit")))
	b.waitText("#cand-count", "10,020")
	b.waitJS("twenty new codes", `document.querySelectorAll("#issued-rows tr").length === 20`)
	b.do("show the slips", chromedp.Click(chromedp.ID("issued-slips")), chromedp.WaitVisible(chromedp.ID("slips")))
	if n := eval[int](b, `document.querySelectorAll("#slips .slip").length`); n != 20 {
		t.Fatalf("%d slips, want 20", n)
	}
	b.waitText("#slips", "s07")
	b.waitText("#slips", "All types day-1")
	b.shot("staff-slips")
	// Page sizes in points: A4 is 595 x 842, Letter 612 x 792.
	for _, paper := range []struct {
		name string
		w, h float64
	}{{"A4", 595, 842}, {"letter", 612, 792}} {
		eval[bool](b, `(() => { const s = document.getElementById("slips-paper"); s.value = "`+paper.name+`"; s.dispatchEvent(new Event("change")); return true })()`)
		pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		if err != nil {
			t.Fatal(err)
		}
		n, size := pdfPages(pdf)
		if n != 3 {
			t.Errorf("%s: %d pages for 20 slips, want 3", paper.name, n)
		}
		var w, h float64
		fmt.Sscanf(size, "%gx%g", &w, &h)
		if math.Abs(w-paper.w) > 2 || math.Abs(h-paper.h) > 2 {
			t.Errorf("%s: page size %s, want %vx%v", paper.name, size, paper.w, paper.h)
		}
		if os.Getenv("EXAMHALL_SCREENSHOTS") != "" && paper.name == "A4" {
			os.WriteFile(filepath.Join(os.Getenv("EXAMHALL_SCREENSHOTS"), "staff-slips.pdf"), pdf, 0o644)
		}
	}
	b.do("back", chromedp.Click(chromedp.ID("slips-close")), chromedp.WaitVisible(chromedp.ID("issued")))

	// The new codes stay with their exam.
	b.do("go to the other exam", chromedp.Navigate(srv.URL+"/staff#/exams/day-2/candidates"))
	b.waitText("#exam-title", "All types day-2")
	if eval[bool](b, `!document.getElementById("issued").hidden`) {
		t.Fatal("day-1's new codes are shown on day-2")
	}

	// Marks: override an automatic mark, then correct a key for everyone.
	code := examhalltest.MustIssue(t, staff, "day-2", 1)[0]
	c, l := srv.MustLogin(t, "day-2", code)
	ctx := context.Background()
	if _, err := c.Submit(ctx, l.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
		t.Fatal(err)
	}
	b.do("open the results", chromedp.Navigate(srv.URL+"/staff#/exams/day-2/results"))
	b.waitText("#result-rows", "6 / 11")
	b.do("open the attempt", chromedp.Click(chromedp.CSS(`#result-rows button[data-attempt]`)), chromedp.WaitVisible(chromedp.ID("marking")))
	b.waitText(`[data-mark="q1"]`, "Key: ")
	// The log as a timeline: the sign-in, then the submission with its
	// answers named by the candidate's question numbers.
	b.do("open the timeline", chromedp.Click(chromedp.CSS(`#timeline-box summary`)))
	b.waitJS("a login and a submission", `!!document.querySelector('#timeline li[data-kind="login"]') && !!document.querySelector('#timeline li[data-kind="submit"]')`)
	b.waitText(`#timeline li[data-kind="submit"]`, ": Option b (b) (seq 1)")
	b.do("override q1",
		chromedp.Click(chromedp.CSS(`[data-mark="q1"] details summary`)),
		chromedp.SetValue(chromedp.ID("mark-q1-points"), "0"),
		chromedp.SendKeys(chromedp.ID("mark-q1-comment"), "Copied."),
		chromedp.Click(chromedp.CSS(`[data-mark="q1"] details form button[type=submit]`)))
	b.waitText("#marking-title", "5 / 11")
	b.do("correct q3's key",
		chromedp.Click(chromedp.CSS(`[data-mark="q3"] details:last-of-type summary`)),
		chromedp.SetValue(chromedp.ID("key-q3"), "false"),
		chromedp.Click(chromedp.CSS(`[data-key="q3"] button[type=submit]`)))
	b.waitText("#result-rows", "4 / 11")
	b.shotTall("staff-marking")
	res, err := staff.Results(ctx, "day-2")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 1 || res.Results[0].Score != 4 {
		t.Fatalf("results after the override and the correction: %+v", res.Results)
	}

	// An imported bank is a draft: edited, then opened.
	aiken := filepath.Join(t.TempDir(), "capitals.txt")
	os.WriteFile(aiken, []byte("What is the capital of France?\nA. Paris\nB. Lyon\nANSWER: A\n"), 0o644)
	b.do("import a bank",
		chromedp.Navigate(srv.URL+"/staff#/exams"),
		chromedp.WaitVisible(chromedp.ID("create-form")),
		chromedp.SetUploadFiles(chromedp.ID("create-file"), []string{aiken}),
		chromedp.Click(chromedp.ID("create-submit")))
	b.waitText("#create-ok", "draft")
	id := eval[string](b, `document.getElementById("create-ok").textContent.match(/as exam (\S+?)[,.]/)[1]`)
	b.do("open the draft", chromedp.Navigate(srv.URL+"/staff#/exams/"+id+"/overview"), chromedp.WaitVisible(chromedp.ID("edit-form")))
	b.waitText("#window-state", "Closed")
	b.do("edit it",
		chromedp.SetValue(chromedp.ID("edit-title"), "Capitals quiz"),
		chromedp.SetValue(chromedp.ID("edit-duration"), "20"),
		chromedp.Click(chromedp.ID("edit-review-correct")),
		chromedp.Click(chromedp.ID("edit-submit")))
	b.waitText("#exam-title", "Capitals quiz")
	b.waitText("#edit-ok", "Saved")
	b.shotTall("staff-edit")
	b.do("open it", chromedp.Click(chromedp.ID("open-now")))
	b.waitText("#window-state", "Open")
	dc := examhalltest.MustIssue(t, staff, id, 1)[0]
	_, dl := srv.MustLogin(t, id, dc)
	if got := dl.Deadline.Sub(dl.StartedAt); got != 20*time.Minute {
		t.Fatalf("the edited duration: %v, want 20m", got)
	}
	var doc examhall.Exam
	if err := staff.Do(ctx, "GET", "/api/v1/admin/exams/"+id, nil, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Capitals quiz" || doc.Review == nil || !doc.Review.CorrectAnswers || doc.Review.Responses {
		t.Fatalf("the edited exam: %q, review %+v", doc.Title, doc.Review)
	}
}

// TestCandidateFollowsMovedDeadline: staff give a candidate ten more
// minutes, then close the exam, while the candidate saves nothing; the
// page follows both without a reload, from the server's clock.
func TestCandidateFollowsMovedDeadline(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("moved", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	b.signIn(exam, code)
	b.waitText("#clock", " left")
	ctx := context.Background()

	// Ten more minutes. The page learns it when it asks the clock: at
	// once when it becomes visible again (as after a phone's screen lock).
	if err := staff.Do(ctx, "PUT", "/api/v1/admin/exams/"+exam+"/candidates/"+code.Candidate, map[string]any{"extra_time_seconds": 600}, nil); err != nil {
		t.Fatal(err)
	}
	eval[bool](b, `document.dispatchEvent(new Event("visibilitychange"))`) // the page becomes visible
	b.waitText("#alert", "Your time has changed: 20:00 left.")
	b.waitJS("the clock at 20 minutes", `/(20:00|19:[0-9]{2}) left/.test(document.getElementById("clock").textContent)`)

	// Close now: the page's own turn (every 15 to 25 s) brings it.
	now := srv.Clock.Now()
	if err := staff.Do(ctx, "PUT", "/api/v1/admin/exams/"+exam+"/window", map[string]any{"opens_at": nil, "closes_at": now}, nil); err != nil {
		t.Fatal(err)
	}
	b.waitJSFor("the page closed the exam", 40*time.Second, `document.getElementById("alert").textContent.includes("Time is up")`)
	if eval[bool](b, `!!document.querySelector('#paper input:not(:disabled)')`) {
		t.Error("answers can still be changed after close now")
	}
}

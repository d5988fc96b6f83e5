package web_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"examhall"
	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestStaffSections: the console's overview of an exam with sections lists
// them (title, questions, time, answer any, marking, navigation) and its
// results have a column of points per section, in English, Bangla, Hindi
// and Spanish, and axe finds nothing.
func TestStaffSections(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	doc := cbtExam()
	doc["sections"].([]any)[1].(map[string]any)["marking"] = map[string]any{"wrong_fraction": -0.25}
	exam := examhalltest.MustCreateExam(t, staff, doc)
	codes := examhalltest.MustIssue(t, staff, exam, 2)

	// One candidate sits it: A 4 - 1 = 3 of 12, B 8 of 8 (any 2 of 3).
	ctx := context.Background()
	c, l := srv.MustLogin(t, exam, codes[0])
	for _, a := range []struct{ q, r string }{{"a1", "true"}, {"a2", "false"}} {
		if _, err := c.Save(ctx, l.Attempt, []examhall.Answer{{Question: a.q, Response: json.RawMessage(a.r), Seq: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.FinishSection(ctx, l.Attempt, "A"); err != nil {
		t.Fatal(err)
	}
	var bs []examhall.Answer
	for _, q := range []string{"b1", "b2", "b3"} {
		bs = append(bs, examhall.Answer{Question: q, Response: json.RawMessage("true"), Seq: 1})
	}
	if _, err := c.Submit(ctx, l.Attempt, bs); err != nil {
		t.Fatal(err)
	}

	b.do("sign in", chromedp.Navigate(srv.URL+"/staff"), chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-user"), examhalltest.AdminUser),
		chromedp.SendKeys(chromedp.ID("login-password"), examhalltest.AdminPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exams-view")))
	open := func(tab string) {
		t.Helper()
		eval[bool](b, `location.hash = "#/exams/`+exam+`/`+tab+`", true`)
	}
	cells := func(sel string) string {
		return eval[string](b, `[...document.querySelectorAll(`+jsString(sel)+`)].map((c) => c.textContent).join("|")`)
	}
	// Staff's words only: the test exam's titles match none of these.
	sectionWords := strings.Replace(consoleEnglish, "Viewer)", "Viewer|Sections?|Time|Navigation|Marking|free|forward|right|wrong|unanswered|counts?|answered|penalty|points|clock|leaves)", 1)
	// Spanish shares some of the words above ("min", "Safe Exam Browser"):
	// only this screen's own are looked for.
	onlyMine := regexp.MustCompile(`const words = /[^\n]*/;`).ReplaceAllLiteralString(consoleEnglish,
		`const words = /\b(Sections?|Questions|Time|Answer any|Navigation|Marking|free|forward|right|wrong|unanswered|counts?|penalty|points|clock|leaves)\b/;`)
	noEnglish := func(screen string) {
		t.Helper()
		words := sectionWords
		if strings.HasSuffix(screen, "es") {
			words = onlyMine
		}
		if left := eval[[]string](b, words); len(left) > 0 {
			t.Errorf("%s: English left in the console's own text: %q", screen, left)
		}
		b.axe("staff sections, " + screen)
	}

	open("overview")
	b.waitJS("the sections listed", `!document.getElementById("sections-box").hidden && document.querySelectorAll("#section-rows tr").length === 2`)
	if got := cells("#section-rows tr[data-section=A] > *"); got != "Physics|3|10 min|every answer counts|+4 if right, -1 if wrong, 0 if unanswered|forward only" {
		t.Errorf("section A: %q", got)
	}
	if got := cells("#section-rows tr[data-section=B] > *"); got != "Chemistry|3|what the exam's time leaves|2 of 3: the best 2 count|+4 if right, -25% of the points if wrong, 0 if unanswered|free" {
		t.Errorf("section B: %q", got)
	}
	if got := cells("#sections-box thead th"); got != "Section|Questions|Time|Answer any|Marking|Navigation" {
		t.Errorf("headers: %q", got)
	}
	b.axe("staff sections, overview")
	b.do("320 px", chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile))
	b.axe("staff sections, overview, 320 px")
	b.do("desktop size", chromedp.EmulateViewport(1280, 900))

	open("results")
	b.waitJS("the section columns", `document.querySelectorAll("#result-head th[data-section]").length === 2`)
	if got := cells("#result-head th"); got != "Candidate|Status|Score|Physics|Chemistry|Awaiting marking|Submitted|Answers" {
		t.Errorf("results headers: %q", got)
	}
	b.waitText("#result-rows", "11 / 20")
	row := eval[string](b, `[...document.querySelectorAll("#result-rows tr")].find((r) => r.textContent.includes("11 / 20")).querySelectorAll("td[data-section]").length + ""`)
	if got := cells("#result-rows td[data-section]"); row != "2" || !strings.Contains(got, "3 / 12|8 / 8") {
		t.Errorf("section cells: %q (%s in the submitted row)", got, row)
	}
	b.axe("staff sections, results")
	// A second visit draws the columns once.
	open("overview")
	b.waitJS("overview", `!document.getElementById("tab-overview").hidden`)
	open("results")
	b.waitJS("the section columns again", `document.querySelectorAll("#result-head th[data-section]").length === 2 && document.querySelectorAll("#result-head th").length === 8`)

	for _, tt := range []struct{ lang, head, time, nav, view string }{
		{"bn", "বিভাগসমূহ", "১০ মিনিট", "শুধু সামনের দিকে", "দেখুন"},
		{"hi", "खंड", "", "केवल आगे की ओर", "देखें"},
		{"es", "Secciones", "", "solo hacia adelante", "Ver"},
	} {
		b.language(tt.lang)
		open("overview")
		b.waitText("#sections-box h2", tt.head)
		b.waitText("#section-rows tr[data-section=A]", tt.nav)
		if tt.time != "" {
			b.waitText("#section-rows tr[data-section=A]", tt.time)
		}
		noEnglish("overview, " + tt.lang)
		open("results")
		b.waitJS("the section columns, "+tt.lang, `document.querySelectorAll("#result-head th[data-section]").length === 2`)
		b.waitText("#result-rows", tt.view) // the rows drawn again in the new language
		noEnglish("results, " + tt.lang)
	}
	b.shotTall("staff-sections")
}

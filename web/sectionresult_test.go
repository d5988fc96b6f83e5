package web_test

import (
	"context"
	"encoding/json"
	"testing"

	"examhall"
	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestCandidateSectionResult: after release, the result of an exam with
// sections has a table of points and counts per section, with headers, in
// every language of the page, and passes axe-core.
func TestCandidateSectionResult(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, cbtExam())
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)
	b.signIn(exam, code)
	b.waitJS("the section tabs", `document.querySelectorAll(".section-tab").length === 2`)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	c := srv.Client()
	c.Token = eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).token`)

	// A: a1 right (+4), a2 wrong (-1), a3 blank. B (any 2 of 3): all right,
	// one not counted.
	ctx := context.Background()
	save := func(qid, r string) {
		t.Helper()
		if _, err := c.Save(ctx, attempt, []examhall.Answer{{Question: qid, Response: json.RawMessage(r), Seq: 100}}); err != nil {
			t.Fatalf("save %s: %v", qid, err)
		}
	}
	save("a1", "true")
	save("a2", "false")
	if _, err := c.FinishSection(ctx, attempt, "A"); err != nil {
		t.Fatalf("finish A: %v", err)
	}
	for _, qid := range []string{"b1", "b2", "b3"} {
		save(qid, "true")
	}
	if _, err := c.Submit(ctx, attempt, nil); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if r := srv.Do(t, "POST", "/api/v1/admin/exams/"+exam+"/release", token, nil); r.Status != 200 {
		t.Fatalf("release: %d %s", r.Status, r.Body)
	}
	b.do("the result", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("result-open")),
		chromedp.Click(chromedp.ID("result-open")), chromedp.WaitVisible(chromedp.ID("result-view")))
	b.waitText("#result-score", "11")
	b.waitText("#result-max", "20")
	b.waitJS("the sections table", `!document.getElementById("result-sections").hidden`)

	row := func(id string) string {
		return eval[string](b, `[...document.querySelectorAll('#result-sections tbody tr[data-section="`+id+`"] > *')].map((c) => c.textContent).join("|")`)
	}
	if got := row("A"); got != "Physics|3 / 12|1|0|1|1|0" {
		t.Errorf("row of A: %q", got)
	}
	if got := row("B"); got != "Chemistry|8 / 8|2|0|0|0|1" {
		t.Errorf("row of B: %q", got)
	}
	// Headers: a caption, a column header for each column, a row header
	// for each section.
	if got := eval[string](b, `(() => { const tb = document.querySelector("#result-sections table");
		return [tb.caption?.textContent, tb.querySelectorAll('thead th[scope="col"]').length, tb.querySelectorAll('tbody th[scope="row"]').length].join("|"); })()`); got != "Points per section|7|2" {
		t.Errorf("caption|column headers|row headers: %q", got)
	}
	headers := `[...document.querySelectorAll("#result-sections thead th")].map((c) => c.textContent).join("|")`
	if got := eval[string](b, headers); got != "Section|Points|Right|Partly right|Wrong|Not answered|Not counted" {
		t.Errorf("headers: %q", got)
	}
	b.axe("section result, English")
	b.shot("candidate-section-result")
	// On a phone (320 CSS px) the table scrolls in its box, the page not.
	b.do("320 px", chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile))
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("at 320 CSS px the result is %d px too wide", w)
	}
	b.axe("section result, 320 px")
	b.do("desktop size", chromedp.EmulateViewport(1280, 900))

	// Every language: the caption and headers translated, the numbers in
	// the locale's digits, the rows drawn again.
	for _, tt := range []struct{ lang, caption, first, rowA string }{
		{"bn", "বিভাগ অনুযায়ী নম্বর", "বিভাগ", "Physics|৩ / ১২|১|০|১|১|০"},
		{"hi", "खंडवार अंक", "खंड", ""},
		{"es", "Puntos por sección", "Sección", ""},
		{"ar", "الدرجات حسب القسم", "القسم", ""},
	} {
		b.language(tt.lang)
		b.waitText("#result-sections caption", tt.caption)
		if got := eval[string](b, `document.querySelector("#result-sections thead th").textContent`); got != tt.first {
			t.Errorf("%s: first header %q, want %q", tt.lang, got, tt.first)
		}
		if tt.rowA != "" {
			b.waitJS(tt.lang+" digits", `[...document.querySelectorAll('#result-sections tbody tr[data-section="A"] > *')].map((c) => c.textContent).join("|") === `+jsString(tt.rowA))
		}
		if tt.lang == "ar" {
			b.axe("section result, Arabic")
		}
	}
}

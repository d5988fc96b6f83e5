package web_test

import (
	"os"
	"strings"
	"testing"

	"examhall/examhalltest"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (testdata/axe, MPL-2.0, see its LICENSE), the
// accessibility engine the checks below run in the page.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axe runs axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the page as
// it is now and fails the test for each violation.
func (b *browser) axe(screen string) {
	b.t.Helper()
	if !eval[bool](b, `typeof axe !== "undefined"`) {
		eval[bool](b, axeSource(b.t)+"\n;true")
	}
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]})
		.then(r => r.violations.flatMap(v => v.nodes.map(n => v.id + " (" + v.impact + "): " + n.target.join(" ") + " — " + n.failureSummary.replace(/\s+/g, " ").slice(0, 300))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", screen, err)
	}
	for _, s := range v {
		b.t.Errorf("axe, %s: %s", screen, s)
	}
}

// TestCandidateAccessible runs axe-core on every screen of the candidate's
// page (sign-in, exam, confirmation, offline, receipt, result), in
// English, Bangla and Arabic, on a desktop and a phone, in high contrast
// and with large text, and takes the whole exam by keyboard only.
func TestCandidateAccessible(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("web-a11y", 900))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	// A candidate in Dhaka: times on the receipt in its zone, with the offset.
	if _, err := chromedp.Call(b.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Dhaka"}); err != nil {
		t.Fatal(err)
	}
	b.do("open the login page", chromedp.Navigate(srv.URL+"/?exam="+exam), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.axe("sign-in")
	// Keyboard only: Tab to each field, type, Enter.
	b.do("sign in by keyboard", chromedp.SendKeys(chromedp.ID("login-candidate"), code.Candidate), chromedp.KeyEvent("\t"))
	b.waitJS("Tab reaches the access code", `document.activeElement.id === "login-code"`)
	b.do("type the code", chromedp.KeyEvent(code.Code), chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#save-state", "All answers saved")
	if gap := eval[float64](b, `document.getElementById("instructions").getBoundingClientRect().top - document.querySelector("header.bar").getBoundingClientRect().bottom`); gap < 0 {
		t.Errorf("after sign-in the sticky header covers the instructions by %.0f px", -gap)
	}
	b.axe("exam")

	// Answer every question with keys only: Tab moves between controls,
	// Space ticks, arrows choose within a radio group.
	tabTo := func(sel string) {
		t.Helper()
		for range 80 {
			if eval[bool](b, `document.activeElement.matches(`+jsString(sel)+`)`) {
				return
			}
			b.do("Tab", chromedp.KeyEvent("\t"))
			// Focus not obscured (WCAG 2.4.11): what is at the focused element's
			// place on screen is that element (or its label), not the header.
			if !eval[bool](b, `(() => { const e = document.activeElement, r = e.getBoundingClientRect();
				if (e === document.body) return true; // past the last control: nothing is focused
				const at = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 8));
				return !!at && (at === e || e.contains(at) || at.contains(e) || at.closest("label")?.htmlFor === e.id); })()`) {
				t.Errorf("focus on %s is hidden under the sticky header", eval[string](b, `document.activeElement.outerHTML.slice(0, 80)`))
			}
		}
		t.Fatalf("Tab never reached %s", sel)
	}
	tabTo(`[data-question="q1"] input`)
	b.do("q1", chromedp.KeyEvent(" "))
	tabTo(`[data-question="q2"] input`)
	b.do("q2", chromedp.KeyEvent(" "))
	tabTo(`[data-question="q3"] input`)
	b.do("q3", chromedp.KeyEvent(" "))
	tabTo(`[data-question="q4"] input`)
	b.do("q4", chromedp.KeyEvent("2.5"))
	tabTo(`[data-question="q5"] input`)
	b.do("q5", chromedp.KeyEvent("Dhaka"))
	tabTo(`[data-question="q5"] .flag`)
	b.do("flag q5", chromedp.KeyEvent(" "))
	tabTo(`[data-question="q6"] textarea`)
	b.do("q6", chromedp.KeyEvent("By keyboard."))
	b.waitText("#save-state", "All answers saved")
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	got := serverAnswers(t, srv, token, exam, attempt)
	for _, id := range []string{"q1", "q2", "q3", "q4", "q5", "q6"} {
		if got[id] == "null" || got[id] == "" {
			t.Errorf("by keyboard, %s was not answered: %v", id, got)
		}
	}

	// The preferences, the languages, the phone.
	b.do("high contrast", chromedp.Click(chromedp.ID("contrast")), chromedp.Click(chromedp.ID("size")))
	b.axe("exam in high contrast with large text")
	b.shot("candidate-high-contrast")
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	if got := eval[string](b, `document.documentElement.dataset.contrast + "/" + document.documentElement.dataset.size`); got != "high/1" {
		t.Errorf("after a reload the display is %q, want high contrast and large text remembered", got)
	}
	b.do("back to normal", chromedp.Click(chromedp.ID("contrast")), chromedp.Click(chromedp.ID("size")))
	for _, lang := range []string{"bn", "ar"} {
		b.language(lang)
		b.waitJS("the page is in "+lang, `document.documentElement.lang === `+jsString(lang))
		b.axe("exam in " + lang)
	}
	b.language("en")
	b.do("phone size", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.axe("exam on a phone")
	// Reflow: 320 CSS px (1280 px at 400 % zoom) loses nothing sideways.
	b.do("320 px", chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile))
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("at 320 CSS px the page is %d px too wide", w)
	}
	b.do("desktop size", chromedp.EmulateViewport(1280, 900))

	// Offline, the confirmation, the receipt, the result.
	b.network("all")
	b.do("answer offline", press(q("q3", `input[value="false"]`)))
	b.waitText("#save-state", "Offline — 1 answer waiting")
	b.axe("offline")
	b.network("")
	b.waitText("#save-state", "All answers saved")
	b.do("confirm", chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")))
	b.waitText("#confirm-flagged-text", "1 question is flagged for review")
	b.axe("submit confirmation")
	b.do("submit", chromedp.Click(chromedp.ID("confirm-submit")), chromedp.WaitVisible(chromedp.ID("receipt-view")))
	b.waitText("#receipt-time", "GMT+6")
	b.axe("receipt")
	if r := srv.Do(t, "POST", "/api/v1/admin/exams/"+exam+"/release", token, nil); r.Status != 200 {
		t.Fatalf("release: %d %s", r.Status, r.Body)
	}
	b.do("result", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("result-open")),
		chromedp.Click(chromedp.ID("result-open")), chromedp.WaitVisible(chromedp.ID("result-view")))
	b.axe("result")
}

func jsString(s string) string { return "`" + strings.ReplaceAll(s, "`", "\\`") + "`" }

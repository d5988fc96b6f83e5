package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// cbtExam is the format of entrance exams: a timed section A (+4/-1,
// forward only) and an untimed section B (answer any 2 of 3).
func cbtExam() map[string]any {
	tf := func(id string) map[string]any {
		return map[string]any{"id": id, "type": "true_false", "prompt": "Statement " + id + " is true.", "answer": true}
	}
	return map[string]any{
		"id": examhalltest.UniqueName("cbt"), "title": "Entrance test", "duration_seconds": 1800,
		"marking":   map[string]any{"correct": 4, "wrong": -1},
		"questions": []any{tf("a1"), tf("a2"), tf("a3"), tf("b1"), tf("b2"), tf("b3")},
		"sections": []any{
			map[string]any{"id": "A", "title": "Physics", "questions": []string{"a1", "a2", "a3"}, "duration_seconds": 600, "navigation": "forward_only"},
			map[string]any{"id": "B", "title": "Chemistry", "questions": []string{"b1", "b2", "b3"}, "answer_any": 2},
		},
	}
}

// state returns the palette state of question id.
func state(b *browser, id string) string {
	return eval[string](b, `document.querySelector('#nav-list [data-nav="`+id+`"]')?.dataset.state || "(none)"`)
}

func TestCandidateSectionsPalette(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, cbtExam())
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	b.signIn(exam, code)
	b.waitJS("the section tabs", `document.querySelectorAll(".section-tab").length === 2`)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	c := srv.Client()
	c.Token = eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).token`)

	if !eval[bool](b, `document.querySelector('[data-section="B"]').disabled && document.querySelector('[data-section="A"]').getAttribute("aria-selected") === "true"`) {
		t.Error("at the start section A should be selected and B (not open yet) disabled")
	}
	b.waitText(".section-clock", "Physics: 09:")
	b.waitText(".section-info", "Marking: +4 for a right answer, -1 for a wrong one")
	b.waitJS("a1 shown and visited", `document.querySelector('#nav-list [data-nav="a1"]').dataset.state === "not_answered"`)
	if got := state(b, "a2"); got != "not_visited" {
		t.Errorf("a2 is %s, want not_visited", got)
	}
	if eval[bool](b, `!document.querySelector('[data-question="a2"]').hidden`) {
		t.Error("only the current question should be shown")
	}

	// Answer a1, Save & Next: a1 answered, a2 shown.
	b.do("answer a1 and save", press(q("a1", `input[value="true"]`)), press(`[data-act="save"]`))
	b.waitJS("a2 current", `document.querySelector('#nav-list [data-nav="a2"]').getAttribute("aria-current") === "true"`)
	if got := state(b, "a1"); got != "answered" {
		t.Errorf("a1 is %s, want answered", got)
	}
	// Mark a2 for review without answering: marked.
	b.do("mark a2", press(`[data-act="mark"]`))
	b.waitJS("a3 current", `document.querySelector('#nav-list [data-nav="a3"]').getAttribute("aria-current") === "true"`)
	if got := state(b, "a2"); got != "marked" {
		t.Errorf("a2 is %s, want marked", got)
	}
	// Back to a1 by the palette: clear its response, then answer it again
	// and mark it: answered and marked.
	b.do("go to a1", press(`#nav-list [data-nav="a1"]`))
	b.do("clear a1", press(`[data-act="clear"]`))
	b.waitJS("a1 not answered", `document.querySelector('#nav-list [data-nav="a1"]').dataset.state === "not_answered"`)
	b.waitText("#save-state", "All answers saved")
	if p, err := c.Paper(context.Background(), attempt); err != nil || string(p.Answers["a1"].Response) != "null" {
		t.Errorf("after Clear response the server holds %v (%v), want null", p.Answers["a1"], err)
	}
	b.do("answer a1 and mark it", press(q("a1", `input[value="false"]`)), press(`[data-act="mark"]`))
	b.waitJS("a1 answered and marked", `document.querySelector('#nav-list [data-nav="a1"]').dataset.state === "answered_marked"`)
	b.waitText("#nav-summary", "Answered and marked for review: 1")
	// "Mark for review & Next" moves on once the server has the flag: wait
	// for it, or the move's focus could take the next key press.
	b.waitJS("a2 current again", `document.querySelector('#nav-list [data-nav="a2"]').getAttribute("aria-current") === "true"`)
	b.shot("candidate-sections-palette")
	examhalltest.Eventually(t, 10*time.Second, func() error {
		p, err := c.Paper(context.Background(), attempt)
		if err != nil {
			return err
		}
		if !p.Review["a1"].Review || !p.Review["a2"].Review || len(p.Visited) != 3 {
			return fmt.Errorf("server holds review %v, visited %v", p.Review, p.Visited)
		}
		return nil
	})

	// Finish section A: B opens, A closes (forward only: no way back).
	b.do("finish A", press(`[data-act="finish"]`))
	b.waitJS("the finish dialog", `!!document.querySelector("dialog.cbt-confirm[open]")`)
	b.do("confirm finishing A", press(`dialog.cbt-confirm [data-answer="yes"]`))
	b.waitJS("B selected", `document.querySelector('[data-section="B"]').getAttribute("aria-selected") === "true"`)
	if !eval[bool](b, `document.querySelector('[data-section="A"]').disabled`) {
		t.Error("the finished forward-only section A can still be chosen")
	}
	b.waitText(".section-info", "Answer any 2 of these 3 questions")

	// The summary before submitting counts every state by section.
	b.do("open the summary", chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")))
	b.waitText("#confirm-text", "Your answers, section by section")
	got := eval[string](b, `[...document.querySelectorAll('#confirm-text tr[data-section="A"] td')].map((td) => td.textContent).join(",")`)
	if got != "0,1,0,1,1" {
		t.Errorf("summary of A: %s, want 0 not visited, 1 not answered (a3), 0 answered, 1 marked, 1 answered and marked", got)
	}
	b.shot("candidate-sections-summary")
}

// TestCandidateSectionAutoAdvance: when the timed section's clock (the
// server's) runs out, the page locks it and opens the next.
func TestCandidateSectionAutoAdvance(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, cbtExam())
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	b.signIn(exam, code)
	b.waitJS("the section tabs", `document.querySelectorAll(".section-tab").length === 2`)
	// Four seconds before A closes; the next save tells the page the time.
	srv.Clock.Advance(10*time.Minute - 4*time.Second)
	b.do("answer a1", press(q("a1", `input[value="true"]`)))
	b.waitText("#save-state", "All answers saved")
	b.waitText(".section-clock", "Physics: 00:0")
	b.waitJS("B selected", `document.querySelector('[data-section="B"]').getAttribute("aria-selected") === "true"`)
	b.waitText("#alert", "Chemistry is open now")
	if !eval[bool](b, `document.querySelector('[data-section="A"]').disabled`) || state(b, "b1") != "not_answered" {
		t.Errorf("after A's time: A chooseable %v, b1 %s", !eval[bool](b, `document.querySelector('[data-section="A"]').disabled`), state(b, "b1"))
	}
}

// TestCandidateSectionsAccessible runs axe-core on the page of an exam
// with sections in English and Bangla (tabs, palette, legend, actions,
// the finish dialog and the summary), checks that the palette's buttons
// are updated in place (a change of language or state keeps the element,
// so keyboard focus stays on it), that the tabs and palette run right to
// left in Arabic, and that on a phone the actions stay clear of the bottom
// bar, which counts the section's answers.
func TestCandidateSectionsAccessible(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, cbtExam())
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	b.signIn(exam, code)
	b.waitJS("the section tabs", `document.querySelectorAll(".section-tab").length === 2`)
	b.waitText(".section-info", "Marking: +4 for a right answer, -1 for a wrong one")
	b.axe("sections, English")

	// Keyboard focus on a palette button survives a redraw of the palette.
	b.do("focus a2's button", chromedp.Focus(`#nav-list [data-nav="a2"]`))
	eval[bool](b, `window.chipA2 = document.activeElement, true`)
	// A click from script moves no focus.
	eval[bool](b, `document.querySelector('[data-question="a1"] input[value="true"]').click(), true`)
	b.waitJS("a1 answered", `document.querySelector('#nav-list [data-nav="a1"]').dataset.state === "answered"`)
	if !eval[bool](b, `window.chipA2.isConnected && document.activeElement === window.chipA2`) {
		t.Error("the palette was rebuilt: the focused button was replaced")
	}

	b.language("bn")
	b.waitText(".section-info", "নম্বর: সঠিক উত্তরে +৪")
	b.waitJS("the palette in Bangla", `document.querySelector('#nav-list [data-nav="a2"]').getAttribute("aria-label") === "প্রশ্ন ২: দেখা হয়নি"`)
	if !eval[bool](b, `window.chipA2.isConnected`) {
		t.Error("a change of language rebuilt the palette instead of updating it")
	}
	if got := eval[string](b, `document.querySelector('[data-act="save"]').textContent`); got != "সংরক্ষণ করে পরবর্তী" {
		t.Errorf("Save & Next in Bangla reads %q", got)
	}
	b.axe("sections, Bangla")
	b.do("finish A?", press(`[data-act="finish"]`), chromedp.WaitVisible(`dialog.cbt-confirm`))
	b.waitText("dialog.cbt-confirm", "Physics শেষ করবেন?")
	b.axe("sections, Bangla, finish dialog")
	b.do("keep working", press(`dialog.cbt-confirm [data-answer="no"]`))
	b.do("open the summary", chromedp.Click(chromedp.ID("submit-open")), chromedp.WaitVisible(chromedp.ID("confirm")))
	b.waitText("#confirm-text", "বিভাগ অনুযায়ী আপনার উত্তর")
	b.axe("sections, Bangla, summary")
	b.do("close the summary", chromedp.Click(chromedp.ID("confirm-cancel")))

	// Arabic: right to left, first tab and first question on the right.
	b.language("ar")
	b.waitJS("the page in Arabic", `document.documentElement.dir === "rtl" && document.querySelector('[data-act="save"]').textContent === "حفظ والتالي"`)
	if !eval[bool](b, `(() => { const r = (s) => document.querySelector(s).getBoundingClientRect().left;
		return r('[data-section="A"]') > r('[data-section="B"]') && r('#nav-list [data-nav="a1"]') > r('#nav-list [data-nav="a2"]'); })()`) {
		t.Error("in Arabic the section tabs and the palette do not run right to left")
	}
	b.axe("sections, Arabic")
	b.shot("candidate-sections-arabic")

	// A phone: the bottom bar counts the section's answers and covers none of the actions.
	b.language("en")
	b.do("phone size", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.waitText("#bar-summary", "1 of 3 answered")
	b.do("to a2", press(`#nav-list [data-nav="a2"]`), press(q("a2", `input[value="true"]`)))
	b.waitText("#bar-summary", "2 of 3 answered")
	eval[bool](b, `document.querySelector(".cbt-actions").scrollIntoView({block: "end"}), true`)
	if !eval[bool](b, `(() => { const bar = document.querySelector(".bottom-bar").getBoundingClientRect();
		return [...document.querySelectorAll(".cbt-actions button:not([hidden])")].every((x) => x.getBoundingClientRect().bottom <= bar.top); })()`) {
		t.Error("on a phone the bottom bar covers the section's actions")
	}
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("on a phone the sections page is %d px too wide", w)
	}
	b.axe("sections on a phone")
	b.shot("candidate-sections-phone")
}

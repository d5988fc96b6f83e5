package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestCandidateInBangla takes an exam whose document says "language":
// "bn" on a phone: the page starts in Bangla (numbers in Bengali digits),
// a numeric answer typed in Bengali digits reaches the server as a
// number, the bottom bar keeps the navigator and Submit in reach, and the
// candidate switches to Arabic (right to left) and Spanish (decimal comma)
// without losing an answer.
func TestCandidateInBangla(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	doc := examhalltest.AllTypesExam("web-bn", 900)
	doc["language"] = "bn"
	doc["title"] = "গণিত ও সাধারণ জ্ঞান"
	exam := examhalltest.MustCreateExam(t, staff, doc)
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	token := staffToken(t, srv)

	b.do("phone size", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.signIn(exam, code)
	b.waitText("#nav-title", "প্রশ্নসমূহ")
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	if got := eval[string](b, `document.documentElement.lang + " " + document.documentElement.dir`); got != "bn ltr" {
		t.Errorf("page language %q, want bn ltr", got)
	}
	for sel, want := range map[string]string{
		`[data-question="q4"] .hint`:  "একটি সংখ্যা লিখুন।",
		`[data-question="q1"] legend`: "প্রশ্ন",
		"#clock":                      "বাকি ১৪:",
		"#save-state":                 "সব উত্তর সংরক্ষিত হয়েছে",
		"#bar-submit":                 "জমা দিন",
	} {
		b.waitText(sel, want)
	}

	b.do("answer in Bengali digits", chromedp.SendKeys(q("q4", "input"), "৩.১৪"), press(q("q3", `input[value="true"]`)))
	b.waitText("#save-state", "সব উত্তর সংরক্ষিত হয়েছে")
	b.waitText("#nav-summary", "৬টির মধ্যে ২টির উত্তর দেওয়া হয়েছে")
	if got := serverAnswers(t, srv, token, exam, attempt); got["q4"] != "3.14" || got["q3"] != "true" {
		t.Fatalf("the server holds q4 = %s, q3 = %s; want 3.14 and true", got["q4"], got["q3"])
	}

	// The bottom bar: scrolled to the end, Submit is still on screen and opens the confirmation.
	eval[bool](b, `window.scrollTo(0, document.documentElement.scrollHeight), true`)
	if !eval[bool](b, `(() => { const r = document.getElementById("bar-submit").getBoundingClientRect(); return r.height > 0 && r.bottom <= innerHeight && r.top >= 0; })()`) {
		t.Error("on a phone scrolled to the end, the bottom bar's Submit is not on screen")
	}
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("in Bangla on a 390 px screen the page is %d px too wide", w)
	}
	b.shot("candidate-bangla-phone")
	b.do("the bar's Questions button", chromedp.Click(chromedp.ID("bar-questions")))
	b.waitJS("the navigator's heading has focus", `document.activeElement.id === "nav-title"`)
	if top := eval[float64](b, `document.getElementById("nav-title").getBoundingClientRect().top - document.querySelector("header.bar").getBoundingClientRect().bottom`); top < 0 {
		t.Errorf("the navigator's heading is %.0f px under the sticky header", -top)
	}
	b.do("open the confirmation from the bar", chromedp.Click(chromedp.ID("bar-submit")), chromedp.WaitVisible(chromedp.ID("confirm")))
	b.waitText("#confirm-text", "৬টি প্রশ্নের মধ্যে ৪টির উত্তর দেওয়া হয়নি")
	b.do("keep working", chromedp.Click(chromedp.ID("confirm-cancel")), chromedp.WaitNotVisible(chromedp.ID("confirm")))

	// Arabic: right to left, answers kept.
	b.language("ar")
	b.waitText("#nav-title", "الأسئلة")
	if got := eval[string](b, `document.documentElement.dir`); got != "rtl" {
		t.Errorf("Arabic page direction %q, want rtl", got)
	}
	if got := eval[string](b, `document.querySelector('[data-question="q4"] input').value`); got != "3.14" {
		t.Errorf("after switching language q4 shows %q", got)
	}
	if !eval[bool](b, `document.querySelector('[data-question="q3"] input[value="true"]').checked`) {
		t.Error("after switching language q3 is not ticked")
	}
	if w := eval[int](b, `document.documentElement.scrollWidth - innerWidth`); w > 0 {
		t.Errorf("right to left on a 390 px screen the page is %d px too wide", w)
	}
	b.shot("candidate-arabic-phone")

	// Spanish: the decimal comma; the choice stays over the exam's language after a reload.
	b.language("es")
	b.waitText("#nav-title", "Preguntas")
	eval[bool](b, `document.querySelector('[data-question="q4"] input').value = "", true`)
	b.do("a decimal comma", chromedp.SendKeys(q("q4", "input"), "2,5"))
	b.waitText("#save-state", "Todas las respuestas guardadas")
	examhalltest.Eventually(t, 10*time.Second, func() error {
		if got := serverAnswers(t, srv, token, exam, attempt)["q4"]; got != "2.5" {
			return fmt.Errorf("the server holds q4 = %s, want 2.5", got)
		}
		return nil
	})
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitText("#nav-title", "Preguntas")
	eval[bool](b, `document.querySelector('[data-question="q4"] input').value = "", true`)
	b.do("not a number", chromedp.SendKeys(q("q4", "input"), "dos"))
	b.waitText(`[data-question="q4"] .field-error`, "Escriba un número, por ejemplo 3,14.")
}

// TestEveryTypeTranslated draws a paper of every question type in Hindi:
// every question's hint and every control's label come from the Hindi
// catalogue, and the numeric gap takes Devanagari digits.
func TestEveryTypeTranslated(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	doc := examhalltest.MoreTypesExam("more-hi", 900)
	for _, qq := range examhalltest.AllTypesExam("x", 1)["questions"].([]any) {
		doc["questions"] = append(doc["questions"].([]any), qq)
	}
	doc["language"] = "hi"
	raw, _ := json.Marshal(doc)
	e, err := examhall.ParseExam(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Hall.ImportExam(examhalltest.AsAdmin(), e, []examhall.Asset{{Name: "map.png", Type: "image/png", Data: redPNG(400, 300)}}); err != nil {
		t.Fatal(err)
	}
	// An import is a draft, closed until staff open it.
	if err := srv.Hall.SetWindow(examhalltest.AsAdmin(), e.ID, &examhall.Window{}); err != nil {
		t.Fatal(err)
	}
	b.signIn("more-hi", examhalltest.MustIssue(t, srv.Staff(t), "more-hi", 1)[0])
	b.waitText("#nav-title", "प्रश्न")
	b.waitJS("the new types are drawn", `!!document.querySelector('[data-question="sp"] svg[role=application]')`)
	types := eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll("fieldset.question")].map(f => [f.dataset.type, f.querySelector(".hint").textContent]))`)
	for _, typ := range []string{"single", "multiple", "true_false", "numeric", "short_text", "essay", "cloze", "gap_match", "hot_text", "hotspot", "select_point", "upload", "multipart"} {
		hint, ok := types[typ]
		if !ok {
			t.Errorf("no %s question on the paper", typ)
			continue
		}
		if hint == "" || strings.IndexFunc(hint, func(r rune) bool { return r >= 0x0900 && r <= 0x097f }) < 0 {
			t.Errorf("%s: hint %q is not in Hindi", typ, hint)
		}
	}
	// No English left in the chrome: labels, buttons and options the page wrote itself.
	english := eval[[]string](b, `[...document.querySelectorAll("#paper button:not(.hot), #paper label, #paper legend .qnum, #paper [aria-label], #paper option[value='']")]
		.filter(e => !e.closest(".prompt") || e.matches("[data-gap]"))
		.map(e => (e.getAttribute("aria-label") || e.textContent).trim())
		.filter(s => s && /\b(Question|Flag|Gap|choose|Move|Your|Choose|Clear|Part|Points?|Options)\b/.test(s))`)
	if len(english) > 0 {
		t.Errorf("English left on a Hindi page: %q", english)
	}
	b.do("a gap in Devanagari digits", chromedp.SendKeys(q("cz", `[data-gap="sum"]`), "४"))
	b.waitText("#save-state", "सभी उत्तर सहेजे गए")
}

// language chooses a language in the page's switch, as a candidate does.
func (b *browser) language(tag string) {
	b.t.Helper()
	b.do("choose "+tag, chromedp.SetValue(chromedp.ID("lang"), tag))
	eval[bool](b, `document.getElementById("lang").dispatchEvent(new Event("change")), true`)
}

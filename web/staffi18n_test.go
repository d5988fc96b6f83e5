package web_test

import (
	"context"
	"strings"
	"testing"

	"examhall/examhalltest"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// consoleEnglish lists the console's own text still in English: visible
// text and accessible names, leaving out what staff or candidates wrote
// (titles, ids, prompts, codes, receipts), which stays as written.
const consoleEnglish = `(() => {
  const mine = (e) => !e.closest("code, .prompt, #who, #title, #exam-title, #exam-rows td:nth-child(-n+2), .brand, script, style, [hidden]");
  const seen = (e) => e.getClientRects().length > 0 || e.closest("svg, caption, .sr-only");
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    const e = n.parentElement, s = n.textContent.trim();
    if (s && e && mine(e) && seen(e)) out.push(s);
  }
  for (const e of document.querySelectorAll("[aria-label], [placeholder]:not(#create-text)")) {
    if (mine(e)) out.push(e.getAttribute("aria-label") || e.getAttribute("placeholder"));
  }
  out.push(document.title);
  const words = /\b(Exams?|Questions?|Candidates?|Results?|Sign|Save|Open|Closed?|open|closed|released|Window|Release|Withdraw|Download|Refresh|Mark|View|Scores?|score|Status|Submitted|submitted|Answers?|Live|Connecting|Items?|Facility|facility|Discrimination|discrimination|Omitted|Flags|Type|Title|State|Overview|Analysis|Issue|Codes?|Extra|Added|Awaiting|awaiting|Points|Comment|Receipt|none|now|no end|analysed|Mean|median|reliability|Histogram|Skip|Language|Password|Username|Logged|Failed|progress|started|grace|min|bytes|until|staff|Accounts?|Role|Delete|Cancel|Change|again|Admin|Author|Proctor|Marker|Viewer)\b/;
  return out.filter((s) => words.test(s));
})()`

// TestStaffInBangla runs the staff console in Bangla, chosen in its
// header: the choice is kept on this device (and apart from the
// candidate's page), every screen's own labels are in Bangla with numbers
// in Bengali digits and times in Dhaka's zone, the exam checker and the
// server's answers are in Bangla, and axe finds nothing on any screen;
// Hindi and Spanish follow when chosen.
func TestStaffInBangla(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	doc := examhalltest.AllTypesExam("staff-bn", 900)
	doc["title"] = "গণিত ও সাধারণ জ্ঞান"
	exam := examhalltest.MustCreateExam(t, staff, doc)
	codes := examhalltest.MustIssue(t, staff, exam, 3)
	var marked []string
	for _, code := range codes[:2] {
		c, l := srv.MustLogin(t, exam, code)
		marked = append(marked, l.Attempt)
		if _, err := c.Submit(context.Background(), l.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Dhaka"}); err != nil {
		t.Fatal(err)
	}

	noEnglish := func(screen string) {
		t.Helper()
		if left := eval[[]string](b, consoleEnglish); len(left) > 0 {
			t.Errorf("%s: English left in the console's own text: %q", screen, left)
		}
		b.axe("staff in Bangla, " + screen)
	}

	b.do("open the console", chromedp.Navigate(srv.URL+"/staff"), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.waitText("#login-submit", "Sign in")
	b.language("bn")
	b.waitText("#login-submit", "সাইন ইন")
	if got := eval[string](b, `localStorage.getItem("examhall.staff.lang") + " " + localStorage.getItem("examhall.lang")`); got != "bn null" {
		t.Errorf("stored choices %q, want the console's bn and no choice for the candidate's page", got)
	}
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.waitText("#login-submit", "সাইন ইন")
	if got := eval[string](b, `document.documentElement.lang + " " + document.getElementById("lang").value`); got != "bn bn" {
		t.Errorf("after a reload: page language and switch %q, want bn bn", got)
	}
	if got := eval[[]string](b, `[...document.querySelectorAll("#lang option")].map(o => o.value)`); strings.Join(got, " ") != "en bn hi es" {
		t.Errorf("languages offered %v, want en bn hi es", got)
	}
	b.do("a wrong password",
		chromedp.SendKeys(chromedp.ID("login-user"), examhalltest.AdminUser),
		chromedp.SendKeys(chromedp.ID("login-password"), "not it"),
		chromedp.Click(chromedp.ID("login-submit")))
	b.waitText("#login-error", "ব্যবহারকারীর নাম বা পাসওয়ার্ড ভুল")
	noEnglish("sign-in")

	b.do("sign in",
		chromedp.SetValue(chromedp.ID("login-password"), examhalltest.AdminPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exams-view")))
	b.waitText("#exam-rows", "গণিত ও সাধারণ জ্ঞান")
	b.waitText("#exam-rows", "খোলা")

	// The exam checker speaks Bangla too.
	b.do("a broken document", chromedp.SendKeys(chromedp.ID("create-text"), `{"questions": []}`), chromedp.Click(chromedp.ID("create-submit")))
	b.waitText("#create-error-list", "দেওয়া আবশ্যক")
	b.waitText("#create-error-list", "অন্তত একটি প্রশ্ন")
	noEnglish("exams")

	open := func(tab, sel, want string) {
		t.Helper()
		eval[bool](b, `location.hash = "#/exams/`+exam+`/`+tab+`", true`)
		b.waitText(sel, want)
	}
	open("overview", "#exam-facts", "৬টি প্রশ্ন · ১৫ মিনিট · গ্রেস সময় ৫ সেকেন্ড")
	b.waitText("#window-state", "খোলা")
	b.waitText("#release-state", "ফলাফল প্রকাশিত হয়নি")
	noEnglish("overview")

	open("candidates", "#cand-count", "পরীক্ষার্থী (৩ জন)")
	added := eval[string](b, `document.querySelector("#cand-rows tr td:nth-child(5)").textContent`)
	if !strings.Contains(added, "GMT") || !strings.Contains(added, "+৬") || strings.ContainsAny(added, "0123456789") {
		t.Errorf("a candidate added at %q: want Bengali digits and Dhaka's offset", added)
	}
	b.do("issue a code with no candidates", chromedp.Click(chromedp.ID("issue-submit")))
	b.waitText("#issue-error", "পরীক্ষার্থীর সংখ্যা লিখুন")
	noEnglish("candidates")

	open("monitor", "#live-state", "সরাসরি · পরীক্ষা খোলা")
	b.waitText("#m-submitted", "২")
	noEnglish("live monitor")
	// The list of candidates, and its extra time form.
	b.waitText("#att-rows", "জমা দিয়েছেন")
	b.do("open an extra time form", chromedp.Click(chromedp.CSS(`#att-rows [data-extend]`)), chromedp.WaitVisible(chromedp.CSS(`[data-extend-form] input`)))
	noEnglish("extra time form")

	open("results", "#result-rows", "জমা দিয়েছেন")
	b.waitText("#result-rows", "মূল্যায়ন করুন")
	b.do("open the marking", chromedp.Click(chromedp.CSS(`#result-rows button[data-attempt]`)))
	b.waitText("#marking-title", "মূল্যায়নের অপেক্ষায়")
	b.waitText("#marking-list", "উত্তর: ")
	noEnglish("results and marking")

	for i, attempt := range marked {
		mark := map[string]any{"question": "q6", "points": 2 + i, "comment": ""}
		if r := srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/attempts/"+attempt+"/marks", staff.Token, mark); r.Status != 200 {
			t.Fatalf("marking: %d %s", r.Status, r.Body)
		}
	}
	open("analysis", "#stats-summary", "২টি প্রচেষ্টা বিশ্লেষণ করা হয়েছে")
	b.waitText("#stats-summary", "গড় ১১-এর মধ্যে")
	b.waitJS("the histogram is drawn", `!!document.querySelector("#histogram svg")`)
	if got := eval[string](b, `document.querySelector("#histogram svg").getAttribute("aria-label")`); !strings.Contains(got, "হিস্টোগ্রাম") {
		t.Errorf("histogram label %q", got)
	}
	noEnglish("item analysis")
	b.shotTall("staff-bangla")

	// Hindi and Spanish redraw the screen at once (Hindi is written with
	// Latin digits, as Intl writes it).
	b.language("hi")
	b.waitText("#stats-summary", "2 प्रयासों का विश्लेषण किया गया")
	b.waitText("#item-rows", "बहुत आसान")
	noEnglish("item analysis in Hindi")
	b.language("es")
	b.waitText("#stats-summary", "2 intentos analizados")
	b.waitText("[data-tab=analysis]", "Análisis de ítems")
	if got := eval[string](b, `localStorage.getItem("examhall.staff.lang")`); got != "es" {
		t.Errorf("stored choice %q, want es", got)
	}
}

package web_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"examhall"
	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestCandidateMoreTypes answers every type beyond the core by keyboard
// (a file by the file chooser), as a candidate who uses no mouse would,
// drops a word into a gap as one who drags would, and checks what the
// server holds and that a reload shows it again.
func TestCandidateMoreTypes(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	raw, _ := json.Marshal(examhalltest.MoreTypesExam("more", 900))
	e, err := examhall.ParseExam(raw)
	if err != nil {
		t.Fatal(err)
	}
	e.ShuffleOptions = false
	if _, err := srv.Hall.ImportExam(examhalltest.AsAdmin(), e, []examhall.Asset{{Name: "map.png", Type: "image/png", Data: redPNG(400, 300)}}); err != nil {
		t.Fatal(err)
	}
	// An import is a draft: open it.
	if err := srv.Hall.SetWindow(examhalltest.AsAdmin(), e.ID, &examhall.Window{}); err != nil {
		t.Fatal(err)
	}
	b.signIn("more", examhalltest.MustIssue(t, srv.Staff(t), "more", 1)[0])
	b.waitJS("the new types are drawn", `!!document.querySelector('[data-question="sp"] svg[role=application]')`)

	// cloze: two typed gaps and a choice.
	b.do("cloze", chromedp.SendKeys(q("cz", `[data-gap="city"]`), "Paris"), chromedp.SendKeys(q("cz", `[data-gap="sum"]`), "4"),
		chromedp.Focus(q("cz", `select[data-gap="colour"]`)), chromedp.KeyEvent("b"))
	// gap match: one gap by keyboard, one by dropping a word on it.
	b.do("gap match by keyboard", chromedp.Focus(q("gm", `select[data-gap="g1"]`)), chromedp.KeyEvent("A"))
	eval[bool](b, `(() => { const dt = new DataTransfer(); dt.setData("text/plain", "banana");
		document.querySelector('[data-question="gm"] select[data-gap="g2"]').dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})); return true; })()`)
	// hot text, hotspot.
	b.do("hot text", press(q("ht", `button[data-option="h2"]`)), press(q("ht", `button[data-option="h3"]`)))
	b.do("hotspot", press(q("hs", `input[value="a"]`)))
	// select point: the cross starts in the middle (200, 150); steps are 4 px, 40 with Shift.
	keys := func(k string, n int, mod ...chromedp.KeyOption) chromedp.Action[chromedp.Void] {
		var s []chromedp.Action[chromedp.Void]
		for range n {
			s = append(s, chromedp.KeyEvent(k, mod...))
		}
		return chromedp.Steps(s...)
	}
	b.do("select point", chromedp.Focus(q("sp", `svg`)),
		keys(kb.ArrowLeft, 2, chromedp.KeyModifiers(chromedp.ModifierShift)), keys(kb.ArrowLeft, 5), keys(kb.ArrowUp, 12), chromedp.KeyEvent(kb.Enter), // (100, 102)
		keys(kb.ArrowRight, 5, chromedp.KeyModifiers(chromedp.ModifierShift)), keys(kb.ArrowDown, 24), chromedp.KeyEvent(kb.Enter)) // (300, 198)
	// upload, and the parts of the multipart question.
	dir := t.TempDir()
	essay, photo := filepath.Join(dir, "essay.txt"), filepath.Join(dir, "ice.png")
	os.WriteFile(essay, []byte("My essay."), 0o600)
	os.WriteFile(photo, redPNG(4, 4), 0o600)
	b.do("upload", chromedp.SetUploadFiles(q("up", `input[type=file]`), []string{essay}))
	b.do("parts", press(q("mp", `[data-part="a"] input[value="x"]`)), chromedp.SendKeys(q("mp", `[data-part="b"] input`), "100"),
		chromedp.SetUploadFiles(q("mp", `[data-part="c"] input[type=file]`), []string{photo}))
	b.waitText(`[data-question="mp"] [data-part="c"] .upload-status`, "Attached: ice.png")
	b.waitText("#save-state", "All answers saved")

	token := staffToken(t, srv)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	var d struct{ Result examhall.Result }
	srv.Do(t, "GET", "/api/v1/admin/exams/more/attempts/"+attempt, token, nil).Decode(t, &d)
	got := map[string]examhall.QuestionResult{}
	for _, r := range d.Result.Questions {
		got[r.Question] = r
	}
	for id, a := range examhalltest.MoreTypesAnswers {
		if got[id].Points != a.Points {
			t.Errorf("%s: the server holds %s, scored %v, want %v", id, got[id].Response, got[id].Points, a.Points)
		}
	}
	if !strings.Contains(string(got["up"].Response), `"name":"essay.txt"`) || !strings.Contains(string(got["mp"].Response), `"name":"ice.png"`) {
		t.Errorf("uploads: up %s, mp %s", got["up"].Response, got["mp"].Response)
	}

	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	b.waitJS("the answers come back", `document.querySelectorAll('[data-question="sp"] circle.point').length === 2`)
	for what, expr := range map[string]string{
		"the typed gap":      `document.querySelector('[data-question="cz"] [data-gap="city"]').value === "Paris"`,
		"the dropped word":   `document.querySelector('[data-question="gm"] [data-gap="g2"]').value === "banana"`,
		"the hot texts":      `document.querySelectorAll('[data-question="ht"] [aria-pressed=true]').length === 2`,
		"the chosen area":    `document.querySelector('[data-question="hs"] .area.on') !== null`,
		"the attached file":  `document.querySelector('[data-question="up"] .upload-status').textContent.includes("essay.txt")`,
		"the answered parts": `document.querySelector('[data-question="mp"] [data-part="b"] input').value === "100"`,
	} {
		if !eval[bool](b, expr) {
			t.Errorf("after a reload, %s is not shown", what)
		}
	}
	if n := eval[int](b, `[...document.querySelectorAll('#nav-list .chip.answered')].length`); n != 7 {
		t.Errorf("the navigator counts %d answered questions, want 7", n)
	}
}

// redPNG is a red picture of w × h pixels.
func redPNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

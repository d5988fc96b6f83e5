package web_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"testing"

	"examhall"
	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestCandidateMatchOrderAndImages answers the extension types (match,
// order) by keyboard and reads an HTML prompt whose image is one of the
// exam's assets.
func TestCandidateMatchOrderAndImages(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	doc := map[string]any{
		"id": "ext", "title": "Extensions", "duration_seconds": 600,
		"questions": []any{
			map[string]any{"id": "m1", "type": "match", "prompt": "Capitals", "points": 2,
				"options": []any{map[string]string{"id": "fr", "text": "France"}, map[string]string{"id": "it", "text": "Italy"}},
				"targets": []any{map[string]string{"id": "paris", "text": "Paris"}, map[string]string{"id": "rome", "text": "Rome"}, map[string]string{"id": "oslo", "text": "Oslo"}},
				"answer":  map[string]string{"fr": "paris", "it": "rome"}},
			map[string]any{"id": "o1", "type": "order", "prompt": "Smallest first",
				"options": []any{map[string]string{"id": "one", "text": "1"}, map[string]string{"id": "two", "text": "2"}, map[string]string{"id": "three", "text": "3"}},
				"answer":  []string{"one", "two", "three"}},
			map[string]any{"id": "h1", "type": "true_false", "format": "html", "answer": true,
				"prompt": `<p>Is this dot <strong>red</strong>?</p><img src="assets/dot.png" alt="a dot">`},
		},
	}
	raw, _ := json.Marshal(doc)
	e, err := examhall.ParseExam(raw)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 64 {
		img.Set(i%8, i/8, color.RGBA{255, 0, 0, 255})
	}
	var pngData bytes.Buffer
	png.Encode(&pngData, img)
	if _, err := srv.Hall.ImportExam(examhalltest.AsAdmin(), e, []examhall.Asset{{Name: "dot.png", Type: "image/png", Data: pngData.Bytes()}}); err != nil {
		t.Fatal(err)
	}
	// An import is a draft: open it.
	if err := srv.Hall.SetWindow(examhalltest.AsAdmin(), e.ID, &examhall.Window{}); err != nil {
		t.Fatal(err)
	}
	code := examhalltest.MustIssue(t, srv.Staff(t), "ext", 1)[0]
	b.signIn("ext", code)

	b.waitJS("the image loads", `(() => { const i = document.querySelector('[data-question="h1"] img'); return i && i.complete && i.naturalWidth === 8; })()`)
	if got := eval[string](b, `document.querySelector('[data-question="h1"] strong')?.textContent || ""`); got != "red" {
		t.Errorf("the HTML prompt was not rendered as HTML: <strong> holds %q", got)
	}
	if eval[bool](b, `document.querySelector('#nav-list [data-nav="o1"]').classList.contains("answered")`) {
		t.Error("an order question counts as answered before the candidate ordered anything")
	}

	// Match by choosing in the selects; order with the Up/Down buttons.
	b.do("match by typing into the selects",
		chromedp.Focus(q("m1", `select[data-option="fr"]`)), chromedp.KeyEvent("P"),
		chromedp.Focus(q("m1", `select[data-option="it"]`)), chromedp.KeyEvent("R"))
	// Sort the shuffled list by moving items up, as a person would.
	for _, id := range []string{"one", "two", "three"} {
		for range 3 {
			b.do("move "+id+" up", press(q("o1", `li[data-option="`+id+`"] button.up`)))
		}
	}
	b.do("tick", press(q("h1", `input[value="true"]`)))
	b.waitText("#save-state", "All answers saved")
	token := staffToken(t, srv)
	attempt := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).attempt`)
	got := serverAnswers(t, srv, token, "ext", attempt)
	for id, want := range map[string]string{"m1": `{"fr":"paris","it":"rome"}`, "h1": "true"} {
		if got[id] != want {
			t.Errorf("server holds %s = %s, want %s", id, got[id], want)
		}
	}
	// Moving "one" to the top, then "two", then "three" leaves three, two, one.
	if got["o1"] != `["three","two","one"]` {
		t.Errorf("server holds o1 = %s, want [three two one]", got["o1"])
	}
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("exam-view")))
	order := eval[string](b, `[...document.querySelectorAll('[data-question="o1"] li')].map(li => li.dataset.option).join(",")`)
	if order != "three,two,one" {
		t.Errorf("after reload the order is %s", order)
	}
}

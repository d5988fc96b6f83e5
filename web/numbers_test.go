package web_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"testing"

	"examhall/examhalltest"

	"github.com/chromedp/chromedp"
)

// TestNumbersAsTyped reads numbers as candidates type them, in each
// language of the page (i18n.js parseNumber, in Chromium).
func TestNumbersAsTyped(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	b.do("open the page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("login-form")))
	tests := []struct {
		lang, text string
		want       float64 // NaN: not a number
	}{
		{"en", "3.14", 3.14},
		{"en", "3,14", 3.14},
		{"en", "1,234", 1234},
		{"en", "0,125", 0.125},
		{"en", "1,234.5", 1234.5},
		{"en", "-2.5", -2.5},
		{"en", " 42 ", 42},
		{"en", "1e3", 1000},
		{"en", "12,34,567.5", 1234567.5},
		{"es", "2,5", 2.5},
		{"es", "1.234,5", 1234.5},
		{"es", "1 234,5", 1234.5},
		{"es", "1.234", 1234},
		{"bn", "৩.১৪", 3.14},
		{"bn", "১২", 12},
		{"bn", "−৫", -5},
		{"hi", "४२", 42},
		{"hi", "१,२३४.५", 1234.5},
		{"ar", "٣٫١٤", 3.14},
		{"ar", "١٬٢٣٤", 1234},
		{"en", "", math.NaN()},
		{"en", "three", math.NaN()},
		{"en", "3.1.4x", math.NaN()},
		{"en", "1..2", math.NaN()},
		{"bn", "৩.১৪ kg", math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.lang+" "+tc.text, func(t *testing.T) {
			arg, _ := json.Marshal(tc.text)
			got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`import("/assets/i18n.js").then(async (m) => { await m.setLanguage(%q); return String(m.parseNumber(%s)); })`, tc.lang, arg), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			want := strconv.FormatFloat(tc.want, 'f', -1, 64)
			if math.IsNaN(tc.want) {
				want = "NaN"
			}
			if got != want {
				t.Errorf("parseNumber(%q) in %s = %s, want %s", tc.text, tc.lang, got, want)
			}
		})
	}
}

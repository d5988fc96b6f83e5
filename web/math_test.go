package web_test

import (
	"testing"

	"examhall/examhalltest"
)

// TestMathRendersAsMaths shows a prompt with MathML (as imported from QTI,
// or converted from TeX) and checks the layout the browser gives it: the
// numerator of a fraction stands above its denominator, centred over it,
// and a square root's radicand sits beside its sign, not in a line of
// loose text.
func TestMathRendersAsMaths(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	b := newBrowser(t, srv)
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, map[string]any{
		"id": "maths", "title": "Maths", "duration_seconds": 600,
		"questions": []any{map[string]any{"id": "f1", "type": "numeric", "format": "html", "answer": 1,
			"prompt": `<p>Six times <math display="block"><mfrac><mn>1</mn><mn>6</mn></mfrac></math> is what?</p>`}},
	})
	b.signIn(exam, examhalltest.MustIssue(t, staff, exam, 1)[0])
	b.waitJS("the fraction is laid out", `!!document.querySelector('[data-question="f1"] mfrac')`)
	type box struct{ Top, Bottom, Left, Right, Width, Height float64 }
	rect := func(sel string) box {
		return eval[box](b, `(() => { const r = document.querySelector('[data-question="f1"] `+sel+`').getBoundingClientRect();
			return {Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right, Width: r.width, Height: r.height}; })()`)
	}
	num, den, frac := rect("mfrac > :first-child"), rect("mfrac > :last-child"), rect("mfrac")
	if num.Height == 0 || den.Height == 0 {
		t.Fatalf("the fraction's parts have no size: %+v %+v", num, den)
	}
	if num.Bottom > den.Top+0.5 {
		t.Errorf("the numerator (bottom %.1f) is not above the denominator (top %.1f): the fraction is laid out as text", num.Bottom, den.Top)
	}
	if c1, c2 := (num.Left+num.Right)/2, (den.Left+den.Right)/2; c1-c2 > 1 || c2-c1 > 1 {
		t.Errorf("numerator centred at %.1f, denominator at %.1f: not stacked", c1, c2)
	}
	if frac.Height < num.Height+den.Height {
		t.Errorf("the fraction (height %.1f) is not as tall as its parts stacked (%.1f + %.1f)", frac.Height, num.Height, den.Height)
	}
	if got := eval[string](b, `document.querySelector('[data-question="f1"] math').namespaceURI`); got != "http://www.w3.org/1998/Math/MathML" {
		t.Errorf("<math> is in namespace %q: the browser does not read it as MathML", got)
	}
}

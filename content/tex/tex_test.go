package tex_test

import (
	"strings"
	"testing"

	"examhall"
	"examhall/content/tex"
)

func TestConvert(t *testing.T) {
	tests := []struct{ src, want string }{
		{`\frac{1}{6}`, `<mfrac><mn>1</mn><mn>6</mn></mfrac>`},
		{`\sqrt{2}>2`, `<mrow><msqrt><mn>2</mn></msqrt><mo>&gt;</mo><mn>2</mn></mrow>`},
		{`x^2_i`, `<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>`},
		{`3.14 - x'`, `<mrow><mn>3.14</mn><mo>−</mo><msup><mi>x</mi><mo>′</mo></msup></mrow>`},
		{`\sqrt[3]{x}`, `<mroot><mi>x</mi><mn>3</mn></mroot>`},
		{`\left( \frac{a}{b} \right)`, `<mrow><mo fence="true" stretchy="true">(</mo><mfrac><mi>a</mi><mi>b</mi></mfrac><mo fence="true" stretchy="true">)</mo></mrow>`},
		{`\alpha \leq \Omega`, `<mrow><mi>α</mi><mo>≤</mo><mi mathvariant="normal">Ω</mi></mrow>`},
		{`\sum_{i=1}^{n} i`, `<mrow><munderover><mo largeop="true" movablelimits="true">∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mi>i</mi></mrow>`},
		{`\text{if } x`, `<mrow><mtext>if </mtext><mi>x</mi></mrow>`},
		{`\mathbb{R}`, `<mi>ℝ</mi>`},
		{`\mathrm{kg}`, `<mi>kg</mi>`},
		{`\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}`, `<mrow><mo fence="true" stretchy="true">(</mo><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr><mtr><mtd><mn>0</mn></mtd><mtd><mn>1</mn></mtd></mtr></mtable><mo fence="true" stretchy="true">)</mo></mrow>`},
		{`\vec{v}`, `<mover accent="true"><mi>v</mi><mo>→</mo></mover>`},
		{`a \not= b`, `<mrow><mi>a</mi><mo>≠</mo><mi>b</mi></mrow>`},
		{`\sin x`, `<mrow><mi>sin</mi><mi>x</mi></mrow>`},
	}
	for _, tt := range tests {
		got, unknown := tex.Convert(tt.src, false)
		want := `<math display="inline"><semantics>` + tt.want + `<annotation encoding="application/x-tex">`
		if !strings.HasPrefix(got, want) || len(unknown) != 0 {
			t.Errorf("Convert(%q)\n got  %s\n want %s... (unknown %v)", tt.src, got, want, unknown)
		}
		if s := examhall.SanitizeHTML(got); s != got {
			t.Errorf("Convert(%q): the sanitiser changes the MathML:\n %s\n %s", tt.src, got, s)
		}
	}
}

func TestConvertUnknown(t *testing.T) {
	got, unknown := tex.Convert(`\foo{x} + \frac{1}`, true)
	if !strings.Contains(got, `<merror><mtext>\foo</mtext></merror>`) || len(unknown) != 1 || unknown[0] != `\foo` {
		t.Errorf("got %s, unknown %v", got, unknown)
	}
	if !strings.HasPrefix(got, `<math display="block">`) {
		t.Errorf("display math: %s", got)
	}
}

func TestReplace(t *testing.T) {
	tests := []struct {
		name, in string
		html     bool
		want     []string // fragments of the result
		found    int
	}{
		{"inline in text", `Is \(1 < 2\) & true?`, false, []string{`Is <math display="inline">`, `<mo>&lt;</mo>`, `</math> &amp; true?`}, 1},
		{"display in html", `<p>$$x^2$$ and \[ y &lt; 1 \]</p>`, true, []string{`<p><math display="block">`, `<mo>&lt;</mo>`, `</math></p>`}, 2},
		{"none", `Costs $5 and \(unclosed`, false, []string{`Costs $5 and \(unclosed`}, 0},
	}
	for _, tt := range tests {
		got, n, _ := tex.Replace(tt.in, tt.html)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %s lacks %s", tt.name, got, w)
			}
		}
		if n != tt.found {
			t.Errorf("%s: found %d, want %d", tt.name, n, tt.found)
		}
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{`\frac{1}{2}`, `\left( x \right.`, `\begin{matrix}a&b\\c\end{matrix}`, `x^{2}_{`, `}}{{`, `\sqrt[`, `\not\in`, `\mathbb{Z}`, `\text{`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _ := tex.Convert(s, false)
		if s := examhall.SanitizeHTML(got); !strings.HasPrefix(s, "<math") {
			t.Fatalf("Convert(%q) = %s, sanitised to %s", s, got, s)
		}
	})
}

package gift_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"examhall"
	"examhall/content"
	"examhall/content/gift"
)

// golden is the parse tree of the GIFT grammar whose test files make up
// the corpus.
type golden struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	Stem  struct {
		Format string `json:"format"`
		Text   string `json:"text"`
	} `json:"stem"`
	IsTrue     bool            `json:"isTrue"`
	Choices    json.RawMessage `json:"choices"`
	MatchPairs []struct {
		Subquestion struct{ Text string } `json:"subquestion"`
		Subanswer   string                `json:"subanswer"`
	} `json:"matchPairs"`
}

type goldenChoice struct {
	IsCorrect bool            `json:"isCorrect"`
	Weight    *float64        `json:"weight"`
	Text      json.RawMessage `json:"text"`
}

type goldenNumber struct {
	Type       string  `json:"type"`
	Number     float64 `json:"number"`
	Range      float64 `json:"range"`
	NumberHigh float64 `json:"numberHigh"`
	NumberLow  float64 `json:"numberLow"`
}

// TestCorpus checks that every GIFT file of the corpus imports with the
// meaning its golden parse gives, or that the item is skipped with a
// reason: question type, stem, options and which are right, accepted
// answers, numbers and tolerances, and matching pairs.
func TestCorpus(t *testing.T) {
	dir := content.CorporaDir()
	if dir == "" {
		t.Skip("corpora folder not found (set EXAMHALL_CORPORA); skipping the GIFT corpus")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "gift-fuhrmanator", "tests", "questions", "*.gift"))
	if len(files) == 0 {
		t.Fatalf("no .gift files under %s", dir)
	}
	var imported, skipped int
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".gift")
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(f)
			bank, err := gift.Parse(filepath.Base(f), data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			gj, err := os.ReadFile(strings.TrimSuffix(f, ".gift") + ".json")
			if err != nil {
				t.Skipf("no golden parse: %v", err)
			}
			var want []golden
			if err := json.Unmarshal(gj, &want); err != nil {
				t.Fatalf("golden: %v", err)
			}
			var items []golden
			for _, g := range want {
				if g.Type != "Category" {
					items = append(items, g)
				}
			}
			if len(bank.Items) != len(items) {
				t.Fatalf("%d items, golden parse has %d", len(bank.Items), len(items))
			}
			for i, g := range items {
				it := bank.Items[i]
				if it.Question == nil {
					if it.Skipped == "" {
						t.Errorf("%s: no question and no reason", it.Source)
					}
					if g.Type != "Description" {
						t.Logf("%s: %s skipped: %s", it.Source, g.Type, it.Skipped)
					}
					skipped++
					continue
				}
				imported++
				checkItem(t, it, g)
			}
		})
	}
	t.Logf("corpus: %d items imported, %d skipped with a reason", imported, skipped)
}

func checkItem(t *testing.T, it *content.Item, g golden) {
	t.Helper()
	q := it.Question
	if g.Type == "Description" {
		t.Errorf("%s: a description was imported as %s", it.Source, q.Type)
		return
	}
	if err := validate(q); err != nil {
		t.Errorf("%s: imported question is invalid: %v", it.Source, err)
		return
	}
	if got, want := plain(q.Prompt), plain(g.Stem.Text); got != want && !(want == "" && got == plain(g.Title)) {
		t.Errorf("%s: prompt %q, golden %q", it.Source, got, want)
	}
	switch g.Type {
	case "TF":
		var b bool
		json.Unmarshal(q.Answer, &b)
		if q.Type != examhall.TrueFalse || b != g.IsTrue {
			t.Errorf("%s: %s %s, golden TF %v", it.Source, q.Type, q.Answer, g.IsTrue)
		}
	case "Essay":
		if q.Type != examhall.Essay {
			t.Errorf("%s: %s, golden Essay", it.Source, q.Type)
		}
	case "MC":
		checkChoice(t, it, g)
	case "Short":
		var cs []goldenChoice
		json.Unmarshal(g.Choices, &cs)
		var want []string
		for _, c := range cs {
			if c.IsCorrect && (c.Weight == nil || *c.Weight >= 100) {
				want = append(want, plain(textOf(c.Text)))
			}
		}
		var got []string
		json.Unmarshal(q.Answer, &got)
		for i := range got {
			got[i] = plain(got[i])
		}
		if q.Type != examhall.ShortText || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: %s %v, golden Short %v", it.Source, q.Type, got, want)
		}
	case "Numerical":
		checkNumeric(t, it, g)
	case "Matching":
		var pairs map[string]string
		json.Unmarshal(q.Answer, &pairs)
		got := map[string]string{}
		for _, o := range q.Options {
			for _, tg := range q.Targets {
				if tg.ID == pairs[o.ID] {
					got[plain(o.Text)] = plain(tg.Text)
				}
			}
		}
		want := map[string]string{}
		for _, p := range g.MatchPairs {
			if s := plain(p.Subquestion.Text); s != "" {
				want[s] = plain(p.Subanswer)
			}
		}
		if q.Type != examhall.Match || !equalMaps(got, want) {
			t.Errorf("%s: %s %v, golden Matching %v", it.Source, q.Type, got, want)
		}
	default:
		t.Errorf("%s: golden type %s unknown to the test", it.Source, g.Type)
	}
}

func checkChoice(t *testing.T, it *content.Item, g golden) {
	q := it.Question
	var cs []goldenChoice
	json.Unmarshal(g.Choices, &cs)
	if len(cs) != len(q.Options) {
		t.Errorf("%s: %d options, golden %d", it.Source, len(q.Options), len(cs))
		return
	}
	var wantKey []string
	full := 0
	for i, c := range cs {
		if got, want := plain(q.Options[i].Text), plain(textOf(c.Text)); got != want {
			t.Errorf("%s: option %d %q, golden %q", it.Source, i, got, want)
		}
		if (c.IsCorrect && (c.Weight == nil || *c.Weight >= 100)) || (c.Weight != nil && *c.Weight > 0) {
			wantKey = append(wantKey, q.Options[i].ID)
		}
		if c.IsCorrect && c.Weight == nil {
			full++
		}
	}
	var gotKey []string
	switch q.Type {
	case examhall.Single:
		var id string
		json.Unmarshal(q.Answer, &id)
		gotKey = []string{id}
		if full != 1 {
			t.Errorf("%s: single, but golden has %d full-credit answers", it.Source, full)
		}
		if len(wantKey) > 1 && len(it.Changes) == 0 {
			t.Errorf("%s: partial-credit options dropped without a reported change", it.Source)
		}
		wantKey = wantKey[:0]
		for i, c := range cs {
			if c.IsCorrect && (c.Weight == nil || *c.Weight >= 100) {
				wantKey = append(wantKey, q.Options[i].ID)
			}
		}
	case examhall.Multiple:
		json.Unmarshal(q.Answer, &gotKey)
	default:
		t.Errorf("%s: %s, golden MC", it.Source, q.Type)
		return
	}
	sort.Strings(gotKey)
	sort.Strings(wantKey)
	if strings.Join(gotKey, ",") != strings.Join(wantKey, ",") {
		t.Errorf("%s: key %v, golden %v", it.Source, gotKey, wantKey)
	}
}

func checkNumeric(t *testing.T, it *content.Item, g golden) {
	q := it.Question
	var n goldenNumber
	if json.Unmarshal(g.Choices, &n) != nil {
		var cs []goldenChoice
		json.Unmarshal(g.Choices, &cs)
		for _, c := range cs {
			if c.IsCorrect && (c.Weight == nil || *c.Weight >= 100) {
				json.Unmarshal(c.Text, &n)
				break
			}
		}
	}
	want, tol := n.Number, n.Range
	if n.Type == "high-low" {
		want, tol = (n.NumberHigh+n.NumberLow)/2, (n.NumberHigh-n.NumberLow)/2
	}
	var got float64
	json.Unmarshal(q.Answer, &got)
	if q.Type != examhall.Numeric || math.Abs(got-want) > 1e-9 || math.Abs(q.Tolerance-tol) > 1e-9 {
		t.Errorf("%s: %s %v±%v, golden %v±%v", it.Source, q.Type, got, q.Tolerance, want, tol)
	}
}

func textOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var v struct{ Text string }
	json.Unmarshal(raw, &v)
	return v.Text
}

// plain compares texts by their words, without markup.
func plain(s string) string {
	return strings.Join(strings.Fields(examhall.StripHTML(s)), " ")
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// validate checks a question the way an exam document is checked.
func validate(q *examhall.Question) error {
	c := *q
	if c.ID == "" {
		c.ID = "q"
	}
	e := &examhall.Exam{Title: "t", DurationSeconds: 60, Questions: []examhall.Question{c}}
	return e.Validate()
}

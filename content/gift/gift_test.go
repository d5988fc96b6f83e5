package gift_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"examhall/content/gift"
)

func TestParseTypes(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // JSON of the question, or "skip: reason"
		changes   int
	}{
		{"single", `::Tomb::Who's buried in Grant's tomb?{~Grant ~Jefferson =no one#Right}`,
			`{"id":"Tomb","type":"single","prompt":"Who's buried in Grant's tomb?","points":1,"options":[{"id":"a","text":"Grant"},{"id":"b","text":"Jefferson"},{"id":"c","text":"no one","feedback":"Right"}],"answer":"c"}`, 0},
		{"multiple with weights", `Pick two{~%50%a ~%50%b ~%-100%c}`,
			`{"id":"","type":"multiple","prompt":"Pick two","points":1,"options":[{"id":"a","text":"a"},{"id":"b","text":"b"},{"id":"c","text":"c"}],"answer":["a","b"],"partial_credit":true}`, 1},
		{"true false", `The sun is hot.{T#yes#no}`,
			`{"id":"","type":"true_false","prompt":"The sun is hot.","points":1,"answer":true,"correct_feedback":"no","incorrect_feedback":"yes"}`, 0},
		{"true false with general feedback", `The sun is hot.{TRUE#Wrong.#Right.####It is a star.}`,
			`{"id":"","type":"true_false","prompt":"The sun is hot.","points":1,"answer":true,"feedback":"It is a star.","correct_feedback":"Right.","incorrect_feedback":"Wrong."}`, 0},
		{"numeric feedback", `Pi?{#=3.14:0.01#Well done =%50%3:0.5#Close ####[html]<p>See <b>circles</b></p>}`,
			`{"id":"","type":"numeric","prompt":"Pi?","points":1,"answer":3.14,"tolerance":0.01,"feedback":"See circles","correct_feedback":"Well done"}`, 2},
		{"numeric single with feedback", `Two?{#2#Yes}`,
			`{"id":"","type":"numeric","prompt":"Two?","points":1,"answer":2,"correct_feedback":"Yes"}`, 0},
		{"html general feedback marker", `[html]<p>Which?</p>{=a ~b####[html]<p>Because <i>a</i>.</p>}`,
			`{"id":"","type":"single","prompt":"<p>Which?</p>","points":1,"options":[{"id":"a","text":"a"},{"id":"b","text":"b"}],"answer":"a","format":"html","feedback":"<p>Because <i>a</i>.</p>"}`, 0},
		{"short answer feedback", `Capital?{=Paris#Yes =paris city#Yes}`,
			`{"id":"","type":"short_text","prompt":"Capital?","points":1,"answer":["Paris","paris city"],"correct_feedback":"Yes"}`, 0},
		{"false", `Grant is buried in Grant's tomb.{FALSE}`,
			`{"id":"","type":"true_false","prompt":"Grant is buried in Grant's tomb.","points":1,"answer":false}`, 0},
		{"short", `Capital of France?{=Paris =paris city =%50%Lutetia}`,
			`{"id":"","type":"short_text","prompt":"Capital of France?","points":1,"answer":["Paris","paris city"]}`, 1},
		{"numeric tolerance", `Pi?{#3.14:0.01}`,
			`{"id":"","type":"numeric","prompt":"Pi?","points":1,"answer":3.14,"tolerance":0.01}`, 0},
		{"numeric range", `From 1 to 5{#1..5}`,
			`{"id":"","type":"numeric","prompt":"From 1 to 5","points":1,"answer":3,"tolerance":2}`, 0},
		{"match", "Capitals{=Canada -> Ottawa =Italy -> Rome = -> Paris}",
			`{"id":"","type":"match","prompt":"Capitals","points":1,"options":[{"id":"a","text":"Canada"},{"id":"b","text":"Italy"}],"answer":{"a":"1","b":"2"},"targets":[{"id":"1","text":"Ottawa"},{"id":"2","text":"Rome"},{"id":"3","text":"Paris"}]}`, 0},
		{"one short answer without =", `Number 1 in words? {One}`,
			`{"id":"","type":"short_text","prompt":"Number 1 in words?","points":1,"answer":["One"]}`, 0},
		{"essay", `Discuss.{}`,
			`{"id":"","type":"essay","prompt":"Discuss.","points":1}`, 0},
		{"embedded blank", `Grant is {~buried =entombed} in the tomb.`,
			`{"id":"","type":"single","prompt":"Grant is _____ in the tomb.","points":1,"options":[{"id":"a","text":"buried"},{"id":"b","text":"entombed"}],"answer":"b"}`, 0},
		{"escapes", `What is 1\=1\: \{yes\}?{=true\~ly ~no}`,
			`{"id":"","type":"single","prompt":"What is 1=1: {yes}?","points":1,"options":[{"id":"a","text":"true~ly"},{"id":"b","text":"no"}],"answer":"a"}`, 0},
		{"html", `[html]<p>Which <b>one</b>?</p>{=<i>x</i> ~y}`,
			`{"id":"","type":"single","prompt":"<p>Which <b>one</b>?</p>","points":1,"options":[{"id":"a","text":"<i>x</i>"},{"id":"b","text":"y"}],"answer":"a","format":"html"}`, 0},
		{"description", `Just some text.`, "skip: a description", 0},
		{"cloze", `A {=a ~b} and {=c} or {#4:1}, {T}?`, "skip: gap g4: a true_false answer block cannot be a gap", 0},
		{"cloze", `The capital of {=France ~Spain} is {=Paris =paris} and 2+2={#4:0.5}.`,
			`{"id":"","type":"cloze","prompt":"The capital of [[g1]] is [[g2]] and 2+2=[[g3]].","points":1,"partial_credit":true,"gaps":[{"id":"g1","type":"choice","options":[{"id":"a","text":"France"},{"id":"b","text":"Spain"}],"answer":"a","weight":1},{"id":"g2","type":"text","answer":["Paris","paris"],"weight":1},{"id":"g3","type":"numeric","answer":4,"tolerance":0.5,"weight":1}]}`, 0},
		{"no right answer", `Q{~a ~b}`, "skip: no answer is marked right", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := gift.Parse("t.gift", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Items) != 1 {
				t.Fatalf("%d items, want 1", len(b.Items))
			}
			it := b.Items[0]
			if reason, ok := strings.CutPrefix(tt.want, "skip: "); ok {
				if it.Question != nil || !strings.Contains(it.Skipped, reason) {
					t.Errorf("skipped %q, want %q", it.Skipped, reason)
				}
				return
			}
			if it.Question == nil {
				t.Fatalf("skipped: %s", it.Skipped)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(it.Question)
			if got := strings.TrimSpace(buf.String()); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if len(it.Changes) != tt.changes {
				t.Errorf("changes %q, want %d", it.Changes, tt.changes)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unclosed block", "Q1{=a ~b}\n\nQ2 {=a\n~b\n\nQ3{T}", "t.gift:3: the answer block opened here is not closed before another { on line 6"},
		{"unclosed at the end", "Q1{=a ~b}\n\nQ2 {=a\n~b\n", "t.gift:3: the answer block opened here is never closed"},
		{"stray brace", "Q1{=a ~b}}\n", "t.gift:1: a } closes no answer block"},
		{"nested", "Q1{=a {~b}}\n", "t.gift:1: the answer block opened here is not closed before another { on line 1"},
		{"not utf-8", "Q1{=a ~b}\nQ2\xff{T}", "t.gift:2: the file is not UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gift.Parse("t.gift", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseSources(t *testing.T) {
	src := "// comment\n$CATEGORY: Geography\n\n::a::Q1{T}\n\n// another\n\nQ2\n{F}\n"
	b, err := gift.Parse("geo.gift", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if b.Title != "Geography" || len(b.Items) != 2 || b.Items[0].Source != "geo.gift:4" || b.Items[1].Source != "geo.gift:8" {
		t.Errorf("title %q, items %d, sources %s %s", b.Title, len(b.Items), b.Items[0].Source, b.Items[len(b.Items)-1].Source)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"Q{~a =b}", "::t::[html]<p>x</p>{#1..5}", "Q{=a->b =c->d}", "Q{T#a#b}", "Q{#=1:2 =%50%3 ~#x}", "a\\{b{", "{}", "::x", "Q{~%abc%x =y}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := gift.Parse("f", []byte(s))
		if err != nil {
			return
		}
		for _, it := range b.Items {
			if (it.Question == nil) == (it.Skipped == "") {
				t.Fatalf("%s: question %v, skipped %q", it.Source, it.Question, it.Skipped)
			}
		}
	})
}

package aiken_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall/content/aiken"
)

func TestParse(t *testing.T) {
	src := "What is the correct answer to this question?\nA. Is it this one?\nB. Maybe this answer?\nC) Possibly this one?\nD. Must be this one!\nANSWER: D\n\n" +
		"Which LMS has the most\nquiz import formats?\nA) Moodle\nB) ATutor\nANSWER: A\n\n" +
		"No answer here\nA. one\nB. two\n\n" +
		"Bad answer\nA. one\nB. two\nANSWER: E\n\n" +
		"One option\nA. one\nANSWER: A\n"
	b, err := aiken.Parse("quiz.txt", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		source, prompt, key, skipped string
		options                      int
	}
	wants := []want{
		{"quiz.txt:1", "What is the correct answer to this question?", `"d"`, "", 4},
		{"quiz.txt:8", "Which LMS has the most\nquiz import formats?", `"a"`, "", 2},
		{"quiz.txt:14", "", "", "no line \"ANSWER: X\"", 0},
		{"quiz.txt:18", "", "", `line 21: the answer "E" names none of the options`, 0},
		{"quiz.txt:23", "", "", "at least two options", 0},
	}
	if len(b.Items) != len(wants) {
		t.Fatalf("%d items, want %d", len(b.Items), len(wants))
	}
	for i, w := range wants {
		it := b.Items[i]
		if it.Source != w.source {
			t.Errorf("item %d source %s, want %s", i, it.Source, w.source)
		}
		if w.skipped != "" {
			if it.Question != nil || !strings.Contains(it.Skipped, w.skipped) {
				t.Errorf("%s: skipped %q, want one containing %q", it.Source, it.Skipped, w.skipped)
			}
			continue
		}
		q := it.Question
		if q == nil {
			t.Fatalf("%s: skipped: %s", it.Source, it.Skipped)
		}
		if q.Prompt != w.prompt || string(q.Answer) != w.key || len(q.Options) != w.options {
			b, _ := json.Marshal(q)
			t.Errorf("%s: got %s", it.Source, b)
		}
	}
}

func TestParseNotUTF8(t *testing.T) {
	if _, err := aiken.Parse("x.txt", []byte("Q\xff\nA. a\nB. b\nANSWER: A")); err == nil || !strings.Contains(err.Error(), "x.txt: the file is not UTF-8") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("Q?\nA. a\nB. b\nANSWER: B\n")
	f.Add("A. a\nANSWER: A\n\n\nB) x")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := aiken.Parse("f", []byte(s))
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

// TestParseMalformed checks that one malformed question never runs into
// the next, and that options written without a space are read as Moodle
// reads them.
func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // per item: prompt and key, or "skip: reason"
	}{
		{"no space after the letter", "Pick one\nA)first\nB)second\nANSWER: B\n",
			[]string{`Pick one "b"`}},
		{"stem line that looks like an option", "I.e. what?\nA. yes\nB. no\nANSWER: A\n",
			[]string{`I.e. what? "a"`}},
		{"options not recognised, answer line ends it", "Broken\nA-first\nB-second\nANSWER: A\n\nNext?\nA. x\nB. y\nANSWER: B\n",
			[]string{"skip: at least two options", `Next? "b"`}},
		{"answer with no question", "ANSWER: A\n\nQ?\nA. x\nB. y\nANSWER: A\n",
			[]string{"skip: an answer line with no question", `Q? "a"`}},
		{"missing answer, blank line", "Q1?\nA. x\nB. y\n\nQ2?\nA. x\nB. y\nANSWER: A\n",
			[]string{"skip: no line \"ANSWER: X\"", `Q2? "a"`}},
		{"lower-case answer keyword", "Q?\nA. x\nB. y\nanswer: b\n",
			[]string{`Q? "b"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := aiken.Parse("q.txt", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range b.Items {
				if it.Question == nil {
					got = append(got, "skip: "+it.Skipped)
					continue
				}
				got = append(got, it.Question.Prompt+" "+string(it.Question.Answer))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] && !(strings.HasPrefix(tt.want[i], "skip: ") && strings.Contains(got[i], strings.TrimPrefix(tt.want[i], "skip: "))) {
					t.Errorf("item %d: got %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

package qti_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"examhall"
	"examhall/content"
	"examhall/content/qti"
)

// TestCorpusItems reads every QTI 2.1 item of the corpus: each imports as
// the question its interaction and correct response say, or is skipped
// with a reason.
func TestCorpusItems(t *testing.T) {
	dir := content.CorporaDir()
	if dir == "" {
		t.Skip("corpora folder not found (set EXAMHALL_CORPORA); skipping the QTI corpus")
	}
	want := map[string]string{
		"choice.xml":                   `single "ChoiceA"`,
		"Example02-feedbackInline.xml": "true_false",
		"essay.xml":                    "essay",
		"extended_text_rubric.xml":     "essay",
		"text_entry.xml":               `short_text ["York"]`,
		"match.xml":                    `match {"A":"P","C":"M","D":"L"}`,
		"match2.xml":                   "match",
		"categorization.xml":           "match",
		"order.xml":                    `order ["DriverC","DriverA","DriverB"]`,
		"gap_match.xml":                `gap_match {"G1":"W","G2":"Su"}`,
	}
	files, _ := filepath.Glob(filepath.Join(dir, "qti21-instructure", "spec", "fixtures", "items_2.1", "*.xml"))
	if len(files) == 0 {
		t.Fatalf("no items under %s", dir)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(f)
			b, err := qti.Parse(name, data)
			if err != nil {
				t.Fatal(err)
			}
			it := b.Items[0]
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectation for %s (question %v, skipped %q)", name, it.Question, it.Skipped)
			}
			if reason, skip := strings.CutPrefix(w, "skip: "); skip {
				if it.Question != nil || !strings.Contains(it.Skipped, reason) {
					t.Errorf("skipped %q, want %q", it.Skipped, reason)
				}
				return
			}
			if it.Question == nil {
				t.Fatalf("skipped: %s", it.Skipped)
			}
			q := it.Question
			got := string(q.Type)
			if strings.Contains(w, " ") {
				got += " " + string(q.Answer)
			}
			if got != w {
				t.Errorf("got %s, want %s", got, w)
			}
			e := &examhall.Exam{Title: "t", DurationSeconds: 60, Questions: []examhall.Question{*q}}
			if err := e.Validate(); err != nil {
				b, _ := json.Marshal(q)
				t.Errorf("invalid question %s: %v", b, err)
			}
		})
	}
}

// TestCorpusPackage imports the corpus's content package: the test's five
// items in order, with its title.
func TestCorpusPackage(t *testing.T) {
	dir := content.CorporaDir()
	if dir == "" {
		t.Skip("corpora folder not found (set EXAMHALL_CORPORA); skipping the QTI corpus")
	}
	root := filepath.Join(dir, "qti21-instructure", "spec", "fixtures", "test_qti_2.1")
	files := map[string][]byte{}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	b, err := qti.ParsePackage(files)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, it := range b.Items {
		if it.Question == nil {
			t.Errorf("%s skipped: %s", it.Source, it.Skipped)
			continue
		}
		types = append(types, string(it.Question.Type))
	}
	if got := strings.Join(types, ","); got != "true_false,single,multiple,short_text,essay" && got != "single,single,multiple,short_text,essay" {
		t.Errorf("types %s", got)
	}
	if !strings.Contains(b.Title, "QTI v2.1 Entry Profile") {
		t.Errorf("title %q", b.Title)
	}
	fib := b.Items[3].Question
	var accepted []string
	json.Unmarshal(fib.Answer, &accepted)
	if len(accepted) != 1 || accepted[0] != "Lake Michigan" || len(b.Items[3].Changes) == 0 {
		t.Errorf("fill in the blank: %v, changes %v", accepted, b.Items[3].Changes)
	}
}

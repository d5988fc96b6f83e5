package importer_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"examhall"
	"examhall/content/importer"
	"examhall/content/qti"
)

// roundTripExam has every question type, text and HTML prompts, feedback,
// partial credit and an image.
const roundTripExam = `{"id": "rt-1", "title": "Round trip & <more>", "instructions": "Read\ncarefully.",
 "duration_seconds": 1800, "shuffle_questions": true, "shuffle_options": true,
 "questions": [
  {"id": "single", "type": "single", "prompt": "Pick <b> & b", "points": 2, "feedback": "Because.",
   "options": [{"id": "a", "text": "A < B", "feedback": "no"}, {"id": "b", "text": "B"}], "answer": "b"},
  {"id": "multi", "type": "multiple", "partial_credit": true, "prompt": "Pick two", "points": 3, "shuffle": false,
   "correct_feedback": "All right.", "partially_correct_feedback": "Some.", "incorrect_feedback": "None.",
   "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], "answer": ["a", "c"]},
  {"id": "tf", "type": "true_false", "prompt": "True?", "answer": false},
  {"id": "num", "type": "numeric", "prompt": "Pi", "answer": 3.14, "tolerance": 0.005, "correct_feedback": "Yes."},
  {"id": "text", "type": "short_text", "prompt": "Capital of France", "answer": ["Paris", "Lutèce"]},
  {"id": "essay", "type": "essay", "prompt": "Discuss.\nAt length.", "points": 5},
  {"id": "html", "type": "single", "format": "html", "prompt": "<p>Which <i>shape</i>?<br><img src=\"assets/fig.png\" alt=\"a figure\"></p>",
   "options": [{"id": "x", "text": "<b>round</b> <math><mfrac><mn>1</mn><msqrt><mn>2</mn></msqrt></mfrac></math>"}, {"id": "y", "text": "square &amp; flat"}], "answer": "x", "feedback": "<p>See <em>fig</em>.</p>"},
  {"id": "match", "type": "match", "partial_credit": true, "prompt": "Capitals", "points": 2,
   "options": [{"id": "fr", "text": "France"}, {"id": "de", "text": "Germany"}],
   "targets": [{"id": "paris", "text": "Paris"}, {"id": "berlin", "text": "Berlin"}, {"id": "rome", "text": "Rome"}],
   "answer": {"fr": "paris", "de": "berlin"}},
  {"id": "order", "type": "order", "partial_credit": true, "prompt": "Sort",
   "options": [{"id": "one", "text": "1"}, {"id": "two", "text": "2"}, {"id": "three", "text": "3"}], "answer": ["one", "two", "three"]}],
 "pools": [{"id": "objective", "draw": 2, "questions": ["tf", "num", "text"]}]}`

func TestQTIRoundTrip(t *testing.T) {
	want, err := examhall.ParseExam([]byte(roundTripExam))
	if err != nil {
		t.Fatal(err)
	}
	assets := []examhall.Asset{{Name: "fig.png", Type: "image/png", Data: []byte("\x89PNG fake")}}
	zip, err := qti.Export(want, assets)
	if err != nil {
		t.Fatal(err)
	}
	files, err := importer.Read("rt.zip", zip)
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Import(files, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Format != "qti" || res.Report.Imported != len(want.Questions) || res.Report.WithChanges+res.Report.Skipped != 0 {
		t.Errorf("report %+v", res.Report)
	}
	got := res.Exam
	decoded := cmp.Transformer("json", func(r json.RawMessage) any {
		var v any
		json.Unmarshal(r, &v)
		return v
	})
	if diff := cmp.Diff(want, got, decoded, cmpopts.IgnoreUnexported(examhall.Exam{}, examhall.Question{})); diff != "" {
		t.Errorf("re-imported exam differs (-exported +imported):\n%s", diff)
	}
	if diff := cmp.Diff(assets, res.Assets); diff != "" {
		t.Errorf("assets differ:\n%s", diff)
	}
}

// TestExportZipDates checks that the package's entries carry a real date,
// not the DOS epoch of 1980 that zip writes when none is given.
func TestExportZipDates(t *testing.T) {
	e, err := examhall.ParseExam([]byte(roundTripExam))
	if err != nil {
		t.Fatal(err)
	}
	e.CreatedAt = time.Date(2031, 5, 6, 7, 8, 10, 0, time.UTC)
	data, err := qti.Export(e, nil)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !f.Modified.Equal(e.CreatedAt) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, e.CreatedAt)
		}
	}
}

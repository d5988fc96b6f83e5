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

// moreTypesRoundTrip has every type beyond the core, in text and HTML.
const moreTypesRoundTrip = `{"id": "rt-2", "title": "More types", "duration_seconds": 900, "shuffle_options": true,
 "questions": [
  {"id": "cz", "type": "cloze", "points": 4, "partial_credit": true, "feedback": "See the atlas.",
   "prompt": "The capital of France is [[city]]; 2+2 is [[sum]] & the sky is [[colour]].",
   "gaps": [{"id": "city", "type": "text", "answer": ["Paris", "Lutèce"], "weight": 2},
            {"id": "sum", "type": "numeric", "answer": 4, "tolerance": 0.1},
            {"id": "colour", "type": "choice", "options": [{"id": "b", "text": "blue"}, {"id": "r", "text": "red"}], "answer": "b"}]},
  {"id": "cz-html", "type": "cloze", "format": "html", "prompt": "<p>Water is <b>[[f]]</b>.</p>",
   "gaps": [{"id": "f", "type": "choice", "options": [{"id": "h", "text": "H<sub>2</sub>O"}, {"id": "c", "text": "CO<sub>2</sub>"}], "answer": "h"}]},
  {"id": "gm", "type": "gap_match", "points": 2, "partial_credit": true,
   "prompt": "[[g1]] is red, [[g2]] is yellow.",
   "options": [{"id": "cherry", "text": "A cherry"}, {"id": "banana", "text": "A banana"}, {"id": "sky", "text": "The sky"}],
   "gaps": [{"id": "g1"}, {"id": "g2"}], "answer": {"g1": "cherry", "g2": "banana"}},
  {"id": "ht", "type": "hot_text", "max_choices": 2, "partial_credit": true,
   "prompt": "Pick the verbs: The [[h1]] cat [[h2]] and [[h3]].",
   "options": [{"id": "h1", "text": "fat"}, {"id": "h2", "text": "sat"}, {"id": "h3", "text": "purred"}], "answer": ["h2", "h3"]},
  {"id": "hs", "type": "hotspot", "prompt": "Click the capital.", "max_choices": 1, "shuffle": false,
   "image": {"src": "assets/map.png", "width": 400, "height": 300, "alt": "a map"},
   "options": [{"id": "a", "text": "north", "shape": "circle", "coords": [100, 50, 20]},
               {"id": "b", "text": "south & east", "shape": "rect", "coords": [10, 200, 60, 260]},
               {"id": "c", "text": "west", "shape": "poly", "coords": [300, 100, 350, 100, 325, 150.5]}], "answer": ["a"]},
  {"id": "sp", "type": "select_point", "prompt": "Mark the two lakes.", "points": 2, "partial_credit": true, "max_choices": 3,
   "image": {"src": "assets/map.png", "width": 400, "height": 300},
   "answer": [{"shape": "circle", "coords": [100, 100, 10]}, {"shape": "ellipse", "coords": [300, 200, 20, 10]}]},
  {"id": "up", "type": "upload", "prompt": "Attach your essay.", "points": 10,
   "upload": {"max_bytes": 1048576, "accept": ["application/pdf", ".docx"]}},
  {"id": "mp", "type": "multipart", "prompt": "About water.", "correct_feedback": "Well done.",
   "parts": [{"id": "a", "type": "single", "prompt": "Formula?", "points": 1,
              "options": [{"id": "x", "text": "H2O"}, {"id": "y", "text": "CO2"}], "answer": "x"},
             {"id": "b", "type": "numeric", "prompt": "Boils at (°C)?", "points": 2, "answer": 100, "tolerance": 0.5},
             {"id": "c", "type": "hot_text", "prompt": "The [[w1]] is [[w2]].", "options": [{"id": "w1", "text": "sea"}, {"id": "w2", "text": "wet"}], "answer": ["w2"]},
             {"id": "d", "type": "upload", "prompt": "A photo of ice.", "upload": {"accept": ["image/*"]}},
             {"id": "e", "type": "essay", "prompt": "Why is ice lighter?", "points": 3}]}]}`

// TestQTIRoundTripMoreTypes exports and re-imports every type beyond the
// core: the same questions, exactly.
func TestQTIRoundTripMoreTypes(t *testing.T) {
	want, err := examhall.ParseExam([]byte(moreTypesRoundTrip))
	if err != nil {
		t.Fatal(err)
	}
	assets := []examhall.Asset{{Name: "map.png", Type: "image/png", Data: []byte("\x89PNG fake")}}
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
	if res.Report.Imported != len(want.Questions) || !res.Report.Exact {
		t.Errorf("report %+v", res.Report)
	}
	decoded := cmp.Transformer("json", func(r json.RawMessage) any {
		var v any
		json.Unmarshal(r, &v)
		return v
	})
	if diff := cmp.Diff(want, res.Exam, decoded, cmpopts.IgnoreUnexported(examhall.Exam{}, examhall.Question{}, examhall.Gap{})); diff != "" {
		t.Errorf("re-imported exam differs (-exported +imported):\n%s", diff)
	}
}

package examhall_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"examhall"
)

// moreTypesExam has one question of each of the types beyond the core.
const moreTypesExam = `{"id": "nt", "title": "New types", "duration_seconds": 600, "shuffle_options": true,
 "questions": [
  {"id": "cz", "type": "cloze", "points": 4, "partial_credit": true,
   "prompt": "The capital of France is [[city]]; 2+2 is [[sum]]; the sky is [[colour]].",
   "gaps": [{"id": "city", "type": "text", "answer": ["Paris"], "weight": 2},
            {"id": "sum", "type": "numeric", "answer": 4, "tolerance": 0.1},
            {"id": "colour", "type": "choice", "options": [{"id": "b", "text": "blue"}, {"id": "r", "text": "red"}], "answer": "b"}]},
  {"id": "cz0", "type": "cloze", "prompt": "A [[g]] B", "gaps": [{"id": "g", "type": "text", "answer": "x"}]},
  {"id": "gm", "type": "gap_match", "points": 2, "partial_credit": true,
   "prompt": "[[g1]] is red, [[g2]] is yellow.",
   "options": [{"id": "cherry", "text": "A cherry"}, {"id": "banana", "text": "A banana"}, {"id": "sky", "text": "The sky"}],
   "gaps": [{"id": "g1"}, {"id": "g2"}], "answer": {"g1": "cherry", "g2": "banana"}},
  {"id": "ht", "type": "hot_text", "max_choices": 2, "partial_credit": true,
   "prompt": "Pick the verbs: The [[h1]] cat [[h2]] and [[h3]].",
   "options": [{"id": "h1", "text": "fat"}, {"id": "h2", "text": "sat"}, {"id": "h3", "text": "purred"}], "answer": ["h2", "h3"]},
  {"id": "hs", "type": "hotspot", "prompt": "Click the capital.", "max_choices": 1,
   "image": {"src": "assets/map.png", "width": 400, "height": 300, "alt": "a map"},
   "options": [{"id": "a", "text": "north", "shape": "circle", "coords": [100, 50, 20]},
               {"id": "b", "text": "south", "shape": "rect", "coords": [10, 200, 60, 260]},
               {"id": "c", "text": "west", "shape": "poly", "coords": [300, 100, 350, 100, 325, 150]}], "answer": ["a"]},
  {"id": "sp", "type": "select_point", "prompt": "Mark the two lakes.", "points": 2, "partial_credit": true, "max_choices": 3,
   "image": {"src": "assets/map.png", "width": 400, "height": 300},
   "answer": [{"shape": "circle", "coords": [100, 100, 10]}, {"shape": "ellipse", "coords": [300, 200, 20, 10]}]},
  {"id": "up", "type": "upload", "prompt": "Attach your essay.", "points": 10,
   "upload": {"max_bytes": 1048576, "accept": ["application/pdf", ".docx", "image/*"]}},
  {"id": "mp", "type": "multipart", "prompt": "About water.",
   "parts": [{"id": "a", "type": "single", "prompt": "Formula?", "points": 1,
              "options": [{"id": "x", "text": "H2O"}, {"id": "y", "text": "CO2"}], "answer": "x"},
             {"id": "b", "type": "numeric", "prompt": "Boils at (°C)?", "points": 2, "answer": 100},
             {"id": "c", "type": "essay", "prompt": "Why is ice lighter?"}]}]}`

func mustMoreTypes(t *testing.T) *examhall.Exam {
	t.Helper()
	e, err := examhall.ParseExam([]byte(moreTypesExam))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestNewTypesGrade checks each response shape, its canonical form and
// its grade, partial credit included.
func TestNewTypesGrade(t *testing.T) {
	e := mustMoreTypes(t)
	tests := []struct {
		name, q, response string
		want              float64
		pending           bool
		canonical         string // "" when the response is canonical already
	}{
		{"cloze all right", "cz", `{"city": " paris ", "sum": 4.05, "colour": "b"}`, 4, false, `{"city":" paris ","colour":"b","sum":4.05}`},
		{"cloze weighted part", "cz", `{"city": "Paris", "sum": 5}`, 2, false, `{"city":"Paris","sum":5}`},
		{"cloze one gap of weight 1", "cz", `{"colour": "b"}`, 1, false, ""},
		{"cloze empty gap", "cz", `{"city": null, "colour": "r"}`, 0, false, `{"colour":"r"}`},
		{"cloze without partial credit", "cz0", `{"g": "X"}`, 1, false, ""},
		{"gap match right", "gm", `{"g1": "cherry", "g2": "banana"}`, 2, false, ""},
		{"gap match half", "gm", `{"g1": "cherry", "g2": "sky"}`, 1, false, ""},
		{"hot text right", "ht", `["h3", "h2"]`, 1, false, `["h3","h2"]`},
		{"hot text one wrong", "ht", `["h1", "h2"]`, 0, false, `["h1","h2"]`},
		{"hot text half", "ht", `["h2"]`, 0.5, false, ""},
		{"hotspot right", "hs", `["a"]`, 1, false, ""},
		{"hotspot wrong", "hs", `["c"]`, 0, false, ""},
		{"points in both areas", "sp", `[{"x": 105, "y": 95}, {"x": 315, "y": 204}]`, 2, false, `[{"x":105,"y":95},{"x":315,"y":204}]`},
		{"one point in, one out", "sp", `[{"x": 100, "y": 100}, {"x": 5, "y": 5}]`, 0, false, `[{"x":100,"y":100},{"x":5,"y":5}]`},
		{"one lake", "sp", `[{"x": 100, "y": 108}]`, 1, false, `[{"x":100,"y":108}]`},
		{"upload waits for a person", "up", `{"ref": "u1.x", "name": "essay.pdf", "type": "application/pdf", "size": 10, "sha256": "` + strings.Repeat("ab", 32) + `"}`, 0, true,
			`{"ref":"u1.x","name":"essay.pdf","type":"application/pdf","size":10,"sha256":"` + strings.Repeat("ab", 32) + `"}`},
		{"multipart objective parts", "mp", `{"a": "x", "b": 100}`, 3, false, ""},
		{"multipart with essay", "mp", `{"a": "y", "b": 100, "c": "Density."}`, 2, true, `{"a":"y","b":100,"c":"Density."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := e.Question(tt.q)
			a, err := examhall.CheckAnswer(q, examhall.Answer{Question: tt.q, Response: json.RawMessage(tt.response), Seq: 1})
			if err != nil {
				t.Fatalf("CheckAnswer: %v", err)
			}
			want := tt.canonical
			if want == "" {
				var buf bytes.Buffer
				json.Compact(&buf, []byte(tt.response))
				want = buf.String()
			}
			if string(a.Response) != want {
				t.Errorf("canonical %s, want %s", a.Response, want)
			}
			got, pending := examhall.Grade(q, a.Response)
			if got != tt.want || pending != tt.pending {
				t.Errorf("Grade = %v pending %v, want %v pending %v", got, pending, tt.want, tt.pending)
			}
		})
	}
	if q, _ := e.Question("mp"); q.Points != 4 {
		t.Errorf("multipart points %v, want the sum of its parts, 4", q.Points)
	}
}

// TestNewTypesWrongShape refuses responses of the wrong shape, naming the
// question.
func TestNewTypesWrongShape(t *testing.T) {
	e := mustMoreTypes(t)
	tests := []struct{ q, response, want string }{
		{"cz", `["Paris"]`, "an object of gap ids"},
		{"cz", `{"town": "Paris"}`, `"town" is not one of its gaps`},
		{"cz", `{"sum": "four"}`, "gap sum takes a number"},
		{"cz", `{"colour": "green"}`, "gap colour takes the id of one of its options"},
		{"gm", `{"g1": "pear"}`, `"pear" is not one of its options`},
		{"gm", `{"g9": "cherry"}`, `"g9" is not one of its gaps`},
		{"ht", `["h1", "h2", "h3"]`, "at most 2"},
		{"ht", `"h1"`, "a list of option ids"},
		{"hs", `["z"]`, `"z" is not one of its options`},
		{"sp", `[{"x": 500, "y": 1}]`, "outside the image"},
		{"sp", `{"x": 1, "y": 1}`, "a list of points"},
		{"sp", `[{"x":1,"y":1},{"x":1,"y":1},{"x":1,"y":1},{"x":1,"y":1}]`, "at most 3 points"},
		{"up", `"essay.pdf"`, "the reference an upload returned"},
		{"up", `{"ref": "u1.x", "name": "a", "type": "t", "size": 1, "sha256": "xyz"}`, "the reference an upload returned"},
		{"mp", `{"d": 1}`, `"d" is not one of its parts`},
		{"mp", `{"b": "hundred"}`, "Answer to mp.b"},
	}
	for _, tt := range tests {
		q, _ := e.Question(tt.q)
		_, err := examhall.CheckAnswer(q, examhall.Answer{Question: tt.q, Response: json.RawMessage(tt.response), Seq: 1})
		if examhall.ErrorCode(err) != examhall.EBadRequest || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: err %v, want bad_request containing %q", tt.q, tt.response, err, tt.want)
		}
	}
}

// TestNewTypesDocumentErrors refuses broken documents of the new types
// with the field at fault.
func TestNewTypesDocumentErrors(t *testing.T) {
	tests := []struct{ q, want string }{
		{`{"id": "c", "type": "cloze", "prompt": "No gap here", "gaps": [{"id": "g", "type": "text", "answer": "x"}]}`, `the gap "g" is not marked in the prompt as [[g]]`},
		{`{"id": "c", "type": "cloze", "prompt": "[[g]] [[h]]", "gaps": [{"id": "g", "type": "text", "answer": "x"}]}`, "[[h]] marks no gap"},
		{`{"id": "c", "type": "cloze", "prompt": "[[g]]", "gaps": [{"id": "g", "type": "choice", "options": [{"id": "a", "text": "a"}, {"id": "b", "text": "b"}], "answer": "z"}]}`, "gaps[0].answer: must be the id of one of the gap's options"},
		{`{"id": "c", "type": "cloze", "prompt": "[[g]]", "gaps": [{"id": "g", "type": "date", "answer": "x"}]}`, `"date" is not a kind of gap`},
		{`{"id": "c", "type": "cloze", "prompt": "[[g]]", "answer": "x", "gaps": [{"id": "g", "type": "text", "answer": "x"}]}`, "the gaps of a cloze question carry their answers"},
		{`{"id": "h", "type": "hotspot", "prompt": "p", "options": [{"id": "a", "text": "a", "shape": "circle", "coords": [1, 2, 3]}], "answer": ["a"]}`, "needs an image"},
		{`{"id": "h", "type": "hotspot", "prompt": "p", "image": {"src": "assets/x.png", "width": 10, "height": 10}, "options": [{"id": "a", "text": "a", "shape": "rect", "coords": [5, 5, 1, 1]}], "answer": ["a"]}`, "options[0].coords: not the coordinates of a rect"},
		{`{"id": "h", "type": "hotspot", "prompt": "p", "image": {"src": "javascript:x", "width": 10, "height": 10}, "options": [{"id": "a", "text": "a", "shape": "circle", "coords": [5, 5, 1]}], "answer": ["a"]}`, "needs an image"},
		{`{"id": "s", "type": "select_point", "prompt": "p", "image": {"src": "assets/x.png", "width": 10, "height": 10}, "answer": [{"shape": "star", "coords": [1]}]}`, `"star" is not a shape`},
		{`{"id": "u", "type": "upload", "upload": {"accept": ["pdf"]}}`, `"pdf" is neither a media type`},
		{`{"id": "u", "type": "upload", "upload": {"max_bytes": 999999999}}`, "max_bytes: must be from 1"},
		{`{"id": "m", "type": "multipart", "points": 5, "parts": [{"id": "a", "type": "true_false", "answer": true}]}`, "the sum of its parts' (1), not 5"},
		{`{"id": "m", "type": "multipart", "parts": [{"id": "a", "type": "multipart", "parts": []}]}`, "a part cannot have parts"},
		{`{"id": "t", "type": "hot_text", "prompt": "[[a]]", "max_choices": 1, "options": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}], "answer": ["a"]}`, `the option "b" is not marked`},
		{`{"id": "g", "type": "single", "prompt": "p", "max_choices": 1, "options": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}], "answer": "a"}`, "max_choices: only hot_text"},
	}
	for _, tt := range tests {
		_, err := examhall.ParseExam([]byte(`{"title": "t", "duration_seconds": 60, "questions": [` + tt.q + `]}`))
		if examhall.ErrorCode(err) != examhall.EBadRequest || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\n err %v\n want one containing %q", tt.q, err, tt.want)
		}
	}
}

// TestNewTypesPaper keeps keys off the paper: no gap answers, no areas
// of a select_point question, and parts without theirs.
func TestNewTypesPaper(t *testing.T) {
	e := mustMoreTypes(t)
	b, _ := json.Marshal(e.Paper("attempt-1"))
	for _, leak := range []string{`"answer"`, `Paris`, `"tolerance"`, `"weight"`, `"coords":[100,100,10]`, `"feedback"`} {
		if strings.Contains(string(b), leak) {
			t.Errorf("the paper holds %s: %s", leak, b)
		}
	}
	for _, want := range []string{`"gaps":[{"id":"city","type":"text"}`, `"max_choices":2`, `"image":{"src":"assets/map.png"`, `"shape":"circle","coords":[100,50,20]`, `"upload":{"max_bytes":1048576`, `"parts":[{"id":"a","type":"single"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the paper lacks %s", want)
		}
	}
}

// FuzzCheckAnswerMore: as FuzzCheckAnswer, for the types beyond the core.
func FuzzCheckAnswerMore(f *testing.F) {
	for _, r := range []string{`{"city": "x", "sum": 4, "colour": "b"}`, `{"g1": "cherry"}`, `["h1"]`, `["a"]`, `[{"x": 1, "y": 2}]`,
		`{"ref": "u1.x", "name": "a", "type": "t", "size": 1, "sha256": "` + strings.Repeat("a", 64) + `"}`, `{"a": "x", "b": 1e3, "c": "s"}`, `null`, `{}`, `[]`} {
		for _, q := range []string{"cz", "gm", "ht", "hs", "sp", "up", "mp"} {
			f.Add(q, []byte(r), int64(1))
		}
	}
	e, err := examhall.ParseExam([]byte(moreTypesExam))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, question string, response []byte, seq int64) {
		q, ok := e.Question(question)
		if !ok {
			return
		}
		a, err := examhall.CheckAnswer(q, examhall.Answer{Question: question, Response: response, Seq: seq})
		if err != nil {
			if examhall.ErrorCode(err) != examhall.EBadRequest {
				t.Fatalf("error %v is not bad_request", err)
			}
			return
		}
		if !json.Valid(a.Response) {
			t.Fatalf("canonical response %q is not JSON", a.Response)
		}
		again, err := examhall.CheckAnswer(q, a)
		if err != nil || string(again.Response) != string(a.Response) {
			t.Fatalf("canonical response %s is not stable: %s, %v", a.Response, again.Response, err)
		}
		if pts, _ := examhall.Grade(q, a.Response); pts < 0 || pts > q.Points {
			t.Fatalf("%s scored %v of %v", a.Response, pts, q.Points)
		}
	})
}

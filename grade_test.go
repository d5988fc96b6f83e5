package examhall_test

import (
	"encoding/json"
	"testing"

	"examhall"
)

func mustExam(t *testing.T, doc string) *examhall.Exam {
	t.Helper()
	e, err := examhall.ParseExam([]byte(doc))
	if err != nil {
		t.Fatalf("ParseExam: %v", err)
	}
	return e
}

const gradeExam = `{"title": "t", "duration_seconds": 60, "questions": [
	{"id": "single", "type": "single", "points": 2, "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "b"},
	{"id": "multi", "type": "multiple", "points": 3, "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], "answer": ["a", "c"]},
	{"id": "tf", "type": "true_false", "answer": false},
	{"id": "num", "type": "numeric", "answer": 3.14, "tolerance": 0.01},
	{"id": "exact", "type": "numeric", "answer": 0.3},
	{"id": "text", "type": "short_text", "answer": ["Paris", "Lutèce"]},
	{"id": "essay", "type": "essay", "points": 5}]}`

func TestGrade(t *testing.T) {
	e := mustExam(t, gradeExam)
	tests := []struct {
		name        string
		question    string
		response    string
		wantPoints  float64
		wantPending bool
	}{
		{"single correct", "single", `"b"`, 2, false},
		{"single wrong", "single", `"a"`, 0, false},
		{"multiple exact set", "multi", `["c", "a"]`, 3, false},
		{"multiple subset", "multi", `["a"]`, 0, false},
		{"multiple superset", "multi", `["a", "b", "c"]`, 0, false},
		{"multiple empty", "multi", `[]`, 0, false},
		{"true_false correct", "tf", `false`, 1, false},
		{"true_false wrong", "tf", `true`, 0, false},
		{"numeric inside tolerance", "num", `3.149`, 1, false},
		{"numeric on the edge of tolerance", "num", `3.15`, 1, false},
		{"numeric outside tolerance", "num", `3.16`, 0, false},
		{"numeric without tolerance, float noise", "exact", `0.30000000000000004`, 1, false},
		{"numeric without tolerance, wrong", "exact", `0.31`, 0, false},
		{"short_text case and space ignored", "text", `"  pARIS "`, 1, false},
		{"short_text second accepted answer", "text", `"lutèce"`, 1, false},
		{"short_text inner spaces folded", "text", `"Par is"`, 0, false},
		{"short_text wrong", "text", `"London"`, 0, false},
		{"essay waits for a person", "essay", `"An essay"`, 0, true},
		{"unanswered essay does not wait", "essay", `null`, 0, false},
		{"null scores nothing", "single", `null`, 0, false},
		{"missing scores nothing", "multi", ``, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, ok := e.Question(tt.question)
			if !ok {
				t.Fatalf("no question %q", tt.question)
			}
			points, pending := examhall.Grade(q, json.RawMessage(tt.response))
			if points != tt.wantPoints || pending != tt.wantPending {
				t.Errorf("Grade(%s, %s) = %v, %v; want %v, %v", tt.question, tt.response, points, pending, tt.wantPoints, tt.wantPending)
			}
		})
	}
}

func TestScore(t *testing.T) {
	e := mustExam(t, gradeExam)
	a := &examhall.Attempt{ID: "a1", Exam: e.ID, Candidate: "c1", Status: examhall.Submitted}
	answers := map[string]examhall.Answer{
		"single": {Question: "single", Response: json.RawMessage(`"b"`), Seq: 1},
		"multi":  {Question: "multi", Response: json.RawMessage(`["a"]`), Seq: 1},
		"text":   {Question: "text", Response: json.RawMessage(`"paris"`), Seq: 2},
		"essay":  {Question: "essay", Response: json.RawMessage(`"words"`), Seq: 1},
	}
	r := examhall.Score(e, a, answers, nil)
	if r.Score != 3 || r.MaxScore != 14 || r.Pending != 1 {
		t.Errorf("Score = %v/%v pending %d; want 3/14 pending 1", r.Score, r.MaxScore, r.Pending)
	}
	marks := map[string]examhall.Mark{"essay": {Question: "essay", Points: 4}, "multi": {Question: "multi", Points: 1.5}}
	r = examhall.Score(e, a, answers, marks)
	if r.Score != 8.5 || r.Pending != 0 {
		t.Errorf("Score with marks = %v pending %d; want 8.5 pending 0", r.Score, r.Pending)
	}
	if len(r.Questions) != len(e.Questions) {
		t.Fatalf("%d question results, want %d", len(r.Questions), len(e.Questions))
	}
	for _, q := range r.Questions {
		if q.Question == "tf" && string(q.Response) != "null" {
			t.Errorf("unanswered question has response %s, want null", q.Response)
		}
	}
}

package examhall_test

import (
	"encoding/json"
	"testing"

	"examhall"
)

// FuzzParseExam: any input is either refused with a bad_request or parsed
// into an exam that survives a round trip.
func FuzzParseExam(f *testing.F) {
	f.Add([]byte(gradeExam))
	f.Add([]byte(`{"title": "T", "duration_seconds": 60, "questions": [{"id": "q1", "type": "true_false", "answer": true}], "pools": [{"id": "p", "draw": 1, "questions": ["q1"]}]}`))
	f.Add([]byte(`{"title": "T", "closes_at": "2030-01-01T00:00:00Z", "questions": [{"id": "q", "type": "short_text", "answer": "x"}]}`))
	f.Add([]byte(`{"questions": [{"options": [{}]}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"title": "\u0000", "duration_seconds": 1e400}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		e, err := examhall.ParseExam(doc)
		if err != nil {
			if examhall.ErrorCode(err) != examhall.EBadRequest {
				t.Fatalf("error %v is not bad_request", err)
			}
			return
		}
		out, err := examhall.MarshalExam(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := examhall.ParseExam(out); err != nil {
			t.Fatalf("a parsed exam does not parse again: %v\n%s", err, out)
		}
	})
}

// FuzzCheckAnswer: any response is refused with bad_request or accepted in a
// canonical form that is accepted again unchanged, and grading it never
// panics.
func FuzzCheckAnswer(f *testing.F) {
	for _, r := range []string{`"b"`, `["a","c"]`, `true`, `3.14`, `"Paris"`, `null`, `{}`, `[1]`, `"\ud800"`, `1e999`} {
		for _, q := range []string{"single", "multi", "tf", "num", "text", "essay"} {
			f.Add(q, []byte(r), int64(1))
		}
	}
	e, err := examhall.ParseExam([]byte(gradeExam))
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
		examhall.Grade(q, a.Response)
	})
}

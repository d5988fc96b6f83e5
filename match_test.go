package examhall_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall"
)

const newTypesExam = `{"title": "t", "duration_seconds": 60, "questions": [
	{"id": "m", "type": "match", "points": 4,
	 "options": [{"id": "fr", "text": "France"}, {"id": "de", "text": "Germany"}],
	 "targets": [{"id": "paris", "text": "Paris"}, {"id": "berlin", "text": "Berlin"}, {"id": "rome", "text": "Rome"}],
	 "answer": {"fr": "paris", "de": "berlin"}},
	{"id": "mp", "type": "match", "points": 4, "partial_credit": true,
	 "options": [{"id": "fr", "text": "France"}, {"id": "de", "text": "Germany"}],
	 "targets": [{"id": "paris", "text": "Paris"}, {"id": "berlin", "text": "Berlin"}],
	 "answer": {"fr": "paris", "de": "berlin"}},
	{"id": "o", "type": "order", "points": 3,
	 "options": [{"id": "a", "text": "1"}, {"id": "b", "text": "2"}, {"id": "c", "text": "3"}], "answer": ["a", "b", "c"]},
	{"id": "op", "type": "order", "points": 3, "partial_credit": true,
	 "options": [{"id": "a", "text": "1"}, {"id": "b", "text": "2"}, {"id": "c", "text": "3"}], "answer": ["a", "b", "c"]},
	{"id": "mc", "type": "multiple", "points": 2, "partial_credit": true,
	 "options": [{"id": "a", "text": "A", "feedback": "yes"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}, {"id": "d", "text": "D"}],
	 "answer": ["a", "c"], "feedback": "A and C are right."}]}`

func TestGradeNewTypes(t *testing.T) {
	e := mustExam(t, newTypesExam)
	tests := []struct {
		name, question, response string
		want                     float64
	}{
		{"match all pairs", "m", `{"de": "berlin", "fr": "paris"}`, 4},
		{"match one wrong pair", "m", `{"fr": "rome", "de": "berlin"}`, 0},
		{"match one pair missing", "m", `{"fr": "paris"}`, 0},
		{"match partial: one of two", "mp", `{"fr": "paris", "de": "paris"}`, 2},
		{"match partial: none", "mp", `{"fr": "berlin"}`, 0},
		{"match partial: all", "mp", `{"fr": "paris", "de": "berlin"}`, 4},
		{"order right", "o", `["a", "b", "c"]`, 3},
		{"order wrong", "o", `["b", "a", "c"]`, 0},
		{"order too short", "o", `["a", "b"]`, 0},
		{"order partial: one in place", "op", `["b", "a", "c"]`, 1},
		{"order partial: two in place of a short list", "op", `["a", "b"]`, 2},
		{"order partial: all", "op", `["a","b","c"]`, 3},
		{"multiple partial: both keyed", "mc", `["a", "c"]`, 2},
		{"multiple partial: one keyed", "mc", `["a"]`, 1},
		{"multiple partial: one keyed one wrong", "mc", `["a", "b"]`, 0},
		{"multiple partial: wrong ones never go below zero", "mc", `["b", "d"]`, 0},
		{"multiple partial: everything", "mc", `["a", "b", "c", "d"]`, 0},
		{"null", "m", `null`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := e.Question(tt.question)
			got, pending := examhall.Grade(q, json.RawMessage(tt.response))
			if got != tt.want || pending {
				t.Errorf("Grade(%s, %s) = %v, %v; want %v, false", tt.question, tt.response, got, pending, tt.want)
			}
		})
	}
}

func TestCheckAnswerNewTypes(t *testing.T) {
	e := mustExam(t, newTypesExam)
	tests := []struct {
		name, question, response, want, wantErr string
	}{
		{"match canonical", "m", `{ "fr":"paris", "de" : "rome" }`, `{"de":"rome","fr":"paris"}`, ""},
		{"match empty", "m", `{}`, `{}`, ""},
		{"match unknown option", "m", `{"it": "rome"}`, "", `"it" is not one of its options`},
		{"match unknown target", "m", `{"fr": "london"}`, "", `"london" is not one of its targets`},
		{"match wrong shape", "m", `["fr", "paris"]`, "", "takes an object pairing"},
		{"order canonical", "o", `[ "c", "a", "b" ]`, `["c","a","b"]`, ""},
		{"order twice", "o", `["a", "a"]`, "", "listed twice"},
		{"order unknown", "o", `["z"]`, "", `"z" is not one of its options`},
		{"order wrong shape", "o", `"a"`, "", "list of option ids in order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := e.Question(tt.question)
			got, err := examhall.CheckAnswer(q, examhall.Answer{Question: q.ID, Response: json.RawMessage(tt.response), Seq: 1})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if examhall.ErrorCode(err) != examhall.EBadRequest {
					t.Errorf("code = %s, want bad_request", examhall.ErrorCode(err))
				}
				return
			}
			if err != nil || string(got.Response) != tt.want {
				t.Errorf("CheckAnswer = %s, %v; want %s", got.Response, err, tt.want)
			}
		})
	}
}

func TestParseExamNewTypeErrors(t *testing.T) {
	tests := []struct{ name, question, want string }{
		{"match without targets", `{"id": "q", "type": "match", "options": [{"id": "a", "text": "A"}], "answer": {"a": "x"}}`,
			"questions[0] (q).targets: a match question needs 1 to"},
		{"match key names unknown target", `{"id": "q", "type": "match", "options": [{"id": "a", "text": "A"}], "targets": [{"id": "x", "text": "X"}], "answer": {"a": "y"}}`,
			`questions[0] (q).answer: "y" is not one of the question's targets.`},
		{"match key is a list", `{"id": "q", "type": "match", "options": [{"id": "a", "text": "A"}], "targets": [{"id": "x", "text": "X"}], "answer": ["a"]}`,
			"questions[0] (q).answer: must be an object pairing"},
		{"order key misses an option", `{"id": "q", "type": "order", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": ["a"]}`,
			"questions[0] (q).answer: must list every option id once"},
		{"order key repeats", `{"id": "q", "type": "order", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": ["a", "a"]}`,
			"questions[0] (q).answer: must list every option id once"},
		{"targets on a single", `{"id": "q", "type": "single", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "targets": [{"id": "x", "text": "X"}], "answer": "a"}`,
			"questions[0] (q).targets: only match questions have targets."},
		{"partial credit on single", `{"id": "q", "type": "single", "partial_credit": true, "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "a"}`,
			"questions[0] (q).partial_credit: only multiple, match, order"},
		{"unknown format", `{"id": "q", "type": "essay", "format": "markdown"}`,
			`questions[0] (q).format: "markdown" is not a format`},
		{"unknown field in target", `{"id": "q", "type": "match", "options": [{"id": "a", "text": "A"}], "targets": [{"id": "x", "txt": "X"}], "answer": {"a": "x"}}`,
			"questions[0].targets[0].txt: unknown field."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := examhall.ParseExam([]byte(`{"title": "T", "duration_seconds": 60, "questions": [` + tt.question + `]}`))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestHTMLPromptSanitised(t *testing.T) {
	e := mustExam(t, `{"title": "T", "duration_seconds": 60, "questions": [
		{"id": "q", "type": "single", "format": "html",
		 "prompt": "<p onclick=\"x()\">What is <b>2</b>+2?<script>alert(1)</script><img src=\"assets/fig1.png\" alt=\"fig\"><img src=\"javascript:alert(1)\"></p>",
		 "options": [{"id": "a", "text": "<i>4</i><iframe src=\"https://evil.example\"></iframe>"}, {"id": "b", "text": "5"}], "answer": "a"}]}`)
	q := e.Questions[0]
	for _, bad := range []string{"script", "onclick", "iframe", "javascript:"} {
		if strings.Contains(q.Prompt, bad) || strings.Contains(q.Options[0].Text, bad) {
			t.Errorf("sanitised HTML still has %q: %s / %s", bad, q.Prompt, q.Options[0].Text)
		}
	}
	for _, good := range []string{"<b>2</b>", `src="assets/fig1.png"`, "<p>"} {
		if !strings.Contains(q.Prompt, good) {
			t.Errorf("sanitised prompt lost %q: %s", good, q.Prompt)
		}
	}
	if q.Options[0].Text != "<i>4</i>" {
		t.Errorf("option text = %q, want <i>4</i>", q.Options[0].Text)
	}
	if again := examhall.SanitizeHTML(q.Prompt); again != q.Prompt {
		t.Errorf("sanitising is not idempotent: %q then %q", q.Prompt, again)
	}
}

func TestPaperHidesFeedbackAndKeyOrder(t *testing.T) {
	e := mustExam(t, newTypesExam)
	orders := map[string]bool{}
	for i := 0; i < 50; i++ {
		seed := "attempt-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		paper := e.Paper(seed)
		b, _ := json.Marshal(paper)
		if strings.Contains(string(b), "feedback") || strings.Contains(string(b), "A and C") {
			t.Fatalf("paper shows feedback: %s", b)
		}
		for _, pq := range paper {
			if pq.Type != examhall.Order {
				continue
			}
			ids := []string{}
			for _, o := range pq.Options {
				ids = append(ids, o.ID)
			}
			orders[strings.Join(ids, ",")] = true
		}
		if got := paper[0]; got.Type == examhall.Match && len(got.Targets) != 3 {
			t.Fatalf("match question on paper has %d targets, want 3", len(got.Targets))
		}
	}
	// Every order of the three options comes out, the keyed one too: the
	// shown order says nothing about the key.
	if len(orders) != 6 {
		t.Errorf("%d orders of 3 options over 50 papers, want all 6: %v", len(orders), orders)
	}
}

// FuzzCheckAnswerNewTypes: responses to match, order and partial-credit
// questions are refused with bad_request or accepted in a stable canonical
// form that grades between 0 and the question's points.
func FuzzCheckAnswerNewTypes(f *testing.F) {
	for _, r := range []string{`{"fr":"paris","de":"berlin"}`, `{"fr":"rome"}`, `["a","b","c"]`, `["c","a"]`, `["a","b","c","d"]`, `{}`, `[]`, `null`, `{"fr":1}`, `"a"`} {
		for _, q := range []string{"m", "mp", "o", "op", "mc"} {
			f.Add(q, []byte(r))
		}
	}
	f.Add("x", []byte(newTypesExam))
	e, err := examhall.ParseExam([]byte(newTypesExam))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, question string, response []byte) {
		if question == "x" {
			if _, err := examhall.ParseExam(response); err != nil && examhall.ErrorCode(err) != examhall.EBadRequest {
				t.Fatalf("error %v is not bad_request", err)
			}
			return
		}
		q, ok := e.Question(question)
		if !ok {
			return
		}
		a, err := examhall.CheckAnswer(q, examhall.Answer{Question: question, Response: response, Seq: 1})
		if err != nil {
			if examhall.ErrorCode(err) != examhall.EBadRequest {
				t.Fatalf("error %v is not bad_request", err)
			}
			return
		}
		again, err := examhall.CheckAnswer(q, a)
		if err != nil || string(again.Response) != string(a.Response) {
			t.Fatalf("canonical response %s is not stable: %s, %v", a.Response, again.Response, err)
		}
		if p, _ := examhall.Grade(q, a.Response); p < 0 || p > q.Points {
			t.Fatalf("%s scores %v of %v", a.Response, p, q.Points)
		}
	})
}

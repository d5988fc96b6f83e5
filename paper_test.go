package examhall_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"examhall"
)

func poolExam(t *testing.T) *examhall.Exam {
	t.Helper()
	var qs []map[string]any
	for i := 1; i <= 10; i++ {
		qs = append(qs, map[string]any{"id": fmt.Sprintf("q%d", i), "type": "single", "points": i,
			"options": []map[string]string{{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}, {"id": "d", "text": "D"}},
			"answer":  "a"})
	}
	doc, _ := json.Marshal(map[string]any{"title": "pools", "duration_seconds": 60, "shuffle_questions": true, "shuffle_options": true,
		"questions": qs, "pools": []map[string]any{{"id": "p1", "draw": 2, "questions": []string{"q1", "q2", "q3", "q4"}}, {"id": "p2", "draw": 1, "questions": []string{"q5", "q6"}}}})
	return mustExam(t, string(doc))
}

func TestPaperIsDeterministic(t *testing.T) {
	e := poolExam(t)
	a, b := e.Paper("attempt-1"), e.Paper("attempt-1")
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("the same attempt got two papers:\n%s", diff)
	}
	differs := false
	for i := 2; i < 20 && !differs; i++ {
		differs = !cmp.Equal(a, e.Paper(fmt.Sprintf("attempt-%d", i)))
	}
	if !differs {
		t.Error("twenty attempts got the same paper: nothing is shuffled")
	}
}

func TestPaperDrawsFromPools(t *testing.T) {
	e := poolExam(t)
	for i := 0; i < 50; i++ {
		seed := fmt.Sprintf("seed-%d", i)
		ids := e.PaperQuestionIDs(seed)
		count := map[string]int{}
		var max float64
		for _, id := range ids {
			switch id {
			case "q1", "q2", "q3", "q4":
				count["p1"]++
			case "q5", "q6":
				count["p2"]++
			default:
				count["rest"]++
			}
			q, _ := e.Question(id)
			max += q.Points
			if !e.OnPaper(seed, id) {
				t.Errorf("%s: OnPaper(%s) = false for a question on the paper", seed, id)
			}
		}
		if count["p1"] != 2 || count["p2"] != 1 || count["rest"] != 4 {
			t.Errorf("%s: drew %v, want p1:2 p2:1 rest:4", seed, count)
		}
		if got := e.MaxScore(seed); got != max {
			t.Errorf("%s: MaxScore = %v, want %v", seed, got, max)
		}
	}
}

func TestPaperHidesKeys(t *testing.T) {
	e := mustExam(t, gradeExam)
	b, err := json.Marshal(e.Paper("x"))
	if err != nil {
		t.Fatal(err)
	}
	var qs []map[string]any
	json.Unmarshal(b, &qs)
	for _, q := range qs {
		for k := range q {
			switch k {
			case "id", "type", "prompt", "points", "options":
			default:
				t.Errorf("question %v shows field %q to the candidate", q["id"], k)
			}
		}
	}
}

package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"examhall"
)

func TestFinalRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		answers map[string]examhall.Answer
	}{
		{"empty", map[string]examhall.Answer{}},
		{"every shape", map[string]examhall.Answer{
			"q1": {Question: "q1", Response: json.RawMessage(`"a"`), Seq: 3},
			"q2": {Question: "q2", Response: json.RawMessage(`["a","c"]`), Seq: 1 << 40},
			"q3": {Question: "q3", Response: json.RawMessage(`null`), Seq: 0},
			"q4": {Question: "q4", Response: json.RawMessage(`{"fr":"paris"}`), Seq: 7},
			"q5": {Question: "q5", Response: json.RawMessage(`"ünïcode \"quoted\""`), Seq: 9},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeFinal(encodeFinal(tt.answers))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.answers, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeFinalRejectsDamage(t *testing.T) {
	t.Parallel()
	good := encodeFinal(map[string]examhall.Answer{"q1": {Question: "q1", Response: json.RawMessage(`"a"`), Seq: 3}})
	for _, b := range [][]byte{nil, {}, {9}, good[:len(good)-1], append(append([]byte{}, good...), 0xff)} {
		if _, err := decodeFinal(b); err == nil {
			t.Errorf("decodeFinal(%x) accepted damaged input", b)
		}
	}
}

func FuzzDecodeFinal(f *testing.F) {
	f.Add(encodeFinal(map[string]examhall.Answer{"q1": {Question: "q1", Response: json.RawMessage(`"a"`), Seq: 3}}))
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeFinal(b)
		if err != nil {
			return
		}
		again, err := decodeFinal(encodeFinal(got))
		if err != nil || !cmp.Equal(got, again) {
			t.Fatalf("re-encoding %x changed it: %v", b, err)
		}
	})
}

// TestExamAnswersFromFinalsAndDrafts checks that an exam's answers come
// from the final row of a submitted attempt, from the answers table for an
// attempt in progress, and from the answers table for an attempt submitted
// before final rows existed.
func TestExamAnswersFromFinalsAndDrafts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := &examhall.Exam{ID: "x", Title: "X", DurationSeconds: 60, Questions: []examhall.Question{
		{ID: "q1", Type: examhall.TrueFalse, Points: 1, Answer: json.RawMessage(`true`)}}}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateExam(ctx, e); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, id := range []string{"done", "open", "legacy"} {
		a := &examhall.Attempt{ID: id, Exam: "x", Candidate: id, Status: examhall.InProgress, StartedAt: now, Deadline: now.Add(time.Hour), Due: now.Add(time.Hour)}
		if _, err := db.Begin(ctx, a, "s"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Save(ctx, id, []examhall.Answer{{Question: "q1", Response: json.RawMessage(`true`), Seq: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	seal := func(s *examhall.Submission) { s.Receipt = "r" }
	final := []examhall.Answer{{Question: "q1", Response: json.RawMessage(`false`), Seq: 2}}
	for _, id := range []string{"done", "legacy"} {
		if _, _, err := db.Submit(ctx, id, final, now, id == "legacy", seal); err != nil {
			t.Fatal(err)
		}
	}
	err = db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`DELETE FROM finals WHERE attempt = 'legacy'`)
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err = db.ExamAnswers(ctx, "x", func(id string, as map[string]examhall.Answer) error {
		got[id] = fmt.Sprintf("%s@%d", as["q1"].Response, as["q1"].Seq)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"done": "false@2", "legacy": "false@2", "open": "true@1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exam answers (-want +got):\n%s", diff)
	}
	var n int
	db.rd.QueryRow(`SELECT count(*) FROM finals`).Scan(&n)
	if n != 1 {
		t.Errorf("%d final rows, want 1", n)
	}
}

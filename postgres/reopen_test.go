package postgres_test

import (
	"context"
	"testing"
	"time"

	"examhall"
	"examhall/postgres"
)

// TestReopenAppliesInLogOrderOnce: a reopen between two submissions of an
// attempt sets the first aside and lets the second in, with the saves
// between them; replaying the log from any point (a grader that crashed
// before committing its offsets) changes nothing.
func TestReopenAppliesInLogOrderOnce(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	e := mustExam(t, db, "math")
	a := examhall.NewAttempt("a1", e, &examhall.Candidate{Exam: "math", ID: "c1"}, time.Now())
	if _, _, err := db.CreateAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC().Truncate(time.Millisecond)
	deadline := t0.Add(time.Hour)
	sub := func(gen int, receipt string, at time.Time, answers ...examhall.Answer) postgres.LogSubmission {
		m := map[string]examhall.Answer{}
		for _, a := range answers {
			m[a.Question] = a
		}
		return postgres.LogSubmission{Exam: "math", Generation: gen, Submission: examhall.Submission{Attempt: "a1", SubmittedAt: at, Receipt: receipt, Answers: m}}
	}
	// The log: save, submit (r1), reopen, save, submit (r2).
	log := []*postgres.Batch{
		{Saves: []postgres.LogSave{{Part: 0, Offset: 1, Attempt: "a1", At: t0, Answers: []examhall.Answer{ans("q1", `"a"`, 1)}}},
			Submissions: []postgres.LogSubmission{sub(0, "r1", t0, ans("q1", `"a"`, 1))}},
		{Reopens: []postgres.LogReopen{{Attempt: "a1", At: t0.Add(time.Minute), Generation: 0, Deadline: deadline, Due: deadline.Add(5 * time.Second)}},
			Saves: []postgres.LogSave{{Part: 0, Offset: 4, Attempt: "a1", At: t0.Add(2 * time.Minute), Answers: []examhall.Answer{ans("q3", `true`, 1)}}}},
		{Submissions: []postgres.LogSubmission{sub(1, "r2", t0.Add(3*time.Minute), ans("q1", `"a"`, 1), ans("q3", `true`, 1))}},
	}
	check := func(when string) {
		t.Helper()
		got, err := db.Attempt(ctx, "a1")
		if err != nil || got.Status != examhall.Submitted || got.Receipt != "r2" || got.Reopens != 1 || !got.Deadline.Equal(deadline) {
			t.Fatalf("%s: attempt %+v, %v; want submitted r2, reopened once, deadline %v", when, got, err, deadline)
		}
		s, err := db.Submission(ctx, "a1")
		if err != nil || s.Receipt != "r2" || len(s.Answers) != 2 {
			t.Fatalf("%s: submission %+v, %v; want r2 with two answers", when, s, err)
		}
		if d, _ := db.Drafts(ctx, "a1"); len(d) != 2 || string(d["q3"].Response) != "true" {
			t.Fatalf("%s: kept answers %v, want q1 and q3", when, d)
		}
		h, err := db.SubmissionHistory(ctx, "a1")
		if err != nil || len(h) != 1 || h[0].Receipt != "r1" || len(h[0].Answers) != 1 {
			t.Fatalf("%s: history %+v, %v; want r1 alone", when, h, err)
		}
	}
	// Between the reopen and the second submission the attempt is in
	// progress, with the first submission's answers and the save after.
	if _, err := db.WriteBatches(ctx, log[:2]); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Attempt(ctx, "a1"); got.Status != examhall.InProgress || got.Receipt != "" || got.Reopens != 1 {
		t.Fatalf("after the reopen: %+v, want in progress", got)
	}
	if _, err := db.Submission(ctx, "a1"); examhall.ErrorCode(err) != examhall.ENotFound {
		t.Fatalf("after the reopen the submission is %v, want none", err)
	}
	if _, err := db.WriteBatches(ctx, log[2:]); err != nil {
		t.Fatal(err)
	}
	check("in order")
	for from := range log {
		if _, err := db.WriteBatches(ctx, log[from:]); err != nil {
			t.Fatal(err)
		}
		check("replayed from batch " + string(rune('0'+from)))
	}
}

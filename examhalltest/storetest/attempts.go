package storetest

import (
	"slices"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// Begin creates an attempt once and makes each login's session the live
// one; a later Begin keeps the start and deadline. Attempt is ENotFound
// for none; Attempts lists an exam's.
func testBegin(t *testing.T, s *suite) {
	e := s.mustExam(t)
	first := s.mustAttempt(t, e, time.Now())
	if first.Status != examhall.InProgress || first.Session != "s1" {
		t.Errorf("Begin = %s, session %q; want in_progress, s1", first.Status, first.Session)
	}
	again := *first
	again.StartedAt, again.Deadline, again.Due = first.StartedAt.Add(time.Minute), first.Deadline.Add(time.Minute), first.Due.Add(time.Minute)
	got, err := s.Attempts.Begin(ctx, &again, "s2")
	if err != nil {
		t.Fatal(err)
	}
	if !got.StartedAt.Equal(first.StartedAt) || !got.Deadline.Equal(first.Deadline) || got.Session != "s2" {
		t.Errorf("second Begin: started %v, deadline %v, session %q; want %v, %v, s2", got.StartedAt, got.Deadline, got.Session, first.StartedAt, first.Deadline)
	}
	a, err := s.Attempts.Attempt(ctx, first.ID)
	if err != nil || a.Session != "s2" || a.Exam != e.ID || a.Candidate != first.Candidate || !a.Due.Equal(first.Due) {
		t.Errorf("Attempt = %+v, %v; want the first attempt with session s2", a, err)
	}
	as, err := s.Attempts.Attempts(ctx, e.ID)
	if err != nil || len(as) != 1 || as[0].ID != first.ID {
		t.Errorf("Attempts = %v, %v; want the one attempt", as, err)
	}
	_, err = s.Attempts.Attempt(ctx, examhalltest.UniqueName("none"))
	wantCode(t, "Attempt of none", err, examhall.ENotFound)
}

// ClaimDue offers attempts in progress past their due time, up to limit;
// never a submitted one; a claimed one again once its lease (if any) ends.
// Its attempts are due in 2001, before any other test's.
func testClaimDue(t *testing.T, s *suite) {
	e := s.mustExam(t)
	base := time.Date(2001, 1, 1, 9, 0, 0, 0, time.UTC)
	// An attempt is due its duration (600 s) and grace (10 s) after its start.
	due := func(at time.Time) *examhall.Attempt { return s.mustAttempt(t, e, at.Add(-610*time.Second)) }
	a, b, c, d := due(base), due(base.Add(2*time.Hour)), due(base.Add(10*time.Minute)), due(base.Add(10*time.Minute))
	claim := func(now time.Time, limit int) []string {
		t.Helper()
		ids, err := s.Attempts.ClaimDue(ctx, now, limit)
		if err != nil {
			t.Fatalf("ClaimDue: %v", err)
		}
		slices.Sort(ids)
		return ids
	}
	if got := claim(base.Add(time.Minute), 100); !slices.Equal(got, []string{a.ID}) {
		t.Errorf("ClaimDue a minute after the first due time = %v, want [%s]", got, a.ID)
	}
	if _, _, err := s.Answers.Submit(ctx, a.ID, nil, a.Deadline, true, func(*examhall.Submission) {}); err != nil {
		t.Fatal(err)
	}
	want := []string{c.ID, d.ID}
	slices.Sort(want)
	now := base.Add(time.Hour)
	if got := claim(now, 100); !slices.Equal(got, want) {
		t.Errorf("ClaimDue an hour later = %v, want %v (not the submitted %s, not %s, due later)", got, want, a.ID, b.ID)
	}
	if s.opt.Lease > 0 {
		if got := claim(now, 100); len(got) != 0 {
			t.Errorf("ClaimDue again within the lease = %v, want none", got)
		}
	}
	got := claim(now.Add(s.opt.Lease+time.Minute), 1)
	if len(got) != 1 || !slices.Contains(want, got[0]) {
		t.Errorf("ClaimDue after the lease, limit 1 = %v, want one of %v", got, want)
	}
}

// Extend moves the deadline and due time of an attempt in progress;
// ENotFound for none, EAttemptClosed once submitted.
func testExtend(t *testing.T, s *suite) {
	e := s.mustExam(t)
	a := s.mustAttempt(t, e, time.Now())
	deadline, due := a.Deadline.Add(time.Hour), a.Due.Add(time.Hour)
	if err := s.Attempts.Extend(ctx, a.ID, deadline, due); err != nil {
		t.Fatal(err)
	}
	got, err := s.Attempts.Attempt(ctx, a.ID)
	if err != nil || !got.Deadline.Equal(deadline) || !got.Due.Equal(due) {
		t.Errorf("after Extend: deadline %v due %v (%v), want %v and %v", got.Deadline, got.Due, err, deadline, due)
	}
	wantCode(t, "Extend of none", s.Attempts.Extend(ctx, examhalltest.UniqueName("none"), deadline, due), examhall.ENotFound)
	if _, _, err := s.Answers.Submit(ctx, a.ID, nil, time.Now(), false, func(*examhall.Submission) {}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "Extend of a submitted attempt", s.Attempts.Extend(ctx, a.ID, deadline, due), examhall.EAttemptClosed)
}

// Reopen makes a submitted attempt in progress again with its final
// answers as drafts and returns it as it was; the next Submit is a new
// submission. ENotFound for none, EAttemptNotSubmitted while in progress.
func testReopen(t *testing.T, s *suite) {
	e := s.mustExam(t)
	a := s.mustAttempt(t, e, time.Now())
	deadline := a.Deadline.Add(time.Hour).UTC().Truncate(time.Millisecond)
	due := deadline.Add(10 * time.Second)
	_, err := s.Attempts.Reopen(ctx, a.ID, deadline, due)
	wantCode(t, "Reopen in progress", err, examhall.EAttemptNotSubmitted)
	_, err = s.Attempts.Reopen(ctx, examhalltest.UniqueName("none"), deadline, due)
	wantCode(t, "Reopen of none", err, examhall.ENotFound)
	final := []examhall.Answer{{Question: "q1", Response: []byte(`"a"`), Seq: 1}}
	first, _, err := s.Answers.Submit(ctx, a.ID, final, time.Now(), true, func(s *examhall.Submission) { s.Receipt = "first" })
	if err != nil {
		t.Fatal(err)
	}
	prev, err := s.Attempts.Reopen(ctx, a.ID, deadline, due)
	if err != nil || prev.Status != examhall.Submitted || prev.Receipt != "first" || !prev.Auto || !prev.SubmittedAt.Equal(first.SubmittedAt) || prev.Reopens != 0 {
		t.Fatalf("Reopen = %+v, %v; want the attempt as submitted, receipt first", prev, err)
	}
	got, err := s.Attempts.Attempt(ctx, a.ID)
	if err != nil || got.Status != examhall.InProgress || got.Receipt != "" || got.Reopens != 1 || !got.Deadline.Equal(deadline) || !got.Due.Equal(due) {
		t.Fatalf("after Reopen: %+v, %v; want in progress until %v, reopened once", got, err, deadline)
	}
	_, err = s.Attempts.Reopen(ctx, a.ID, deadline, due)
	wantCode(t, "Reopen twice", err, examhall.EAttemptNotSubmitted)
	if _, err := s.Answers.Save(ctx, a.ID, []examhall.Answer{{Question: "q3", Response: []byte(`true`), Seq: 1}}); err != nil {
		t.Fatal(err)
	}
	second, created, err := s.Answers.Submit(ctx, a.ID, nil, time.Now(), false, func(s *examhall.Submission) { s.Receipt = "second" })
	if err != nil || !created || second.Receipt != "second" || len(second.Answers) != 2 {
		t.Fatalf("Submit after Reopen = %+v, %v, %v; want a new submission of q1 and q3", second, created, err)
	}
}

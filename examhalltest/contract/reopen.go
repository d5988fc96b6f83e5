package contract

import (
	"context"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// Reopening a submitted attempt: the candidate signs in again to the same
// attempt, in progress until now + the extra seconds, with the answers
// submitted; a new submission has a new receipt, results follow it, the
// first receipt stays in the audit log, and the sweeper submits the
// reopened attempt at its new deadline.
func testReopen(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 2)
	base := "/api/v1/admin/exams/" + exam + "/attempts/"
	submit := func(l *examhall.LoginResult) examhall.SubmitResult {
		t.Helper()
		var res examhall.SubmitResult
		r := s.Do(t, "POST", "/api/v1/attempts/"+l.Attempt+"/submit", l.Token, nil)
		if r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &res)
		return res
	}
	reopen := func(attempt string, body any) *examhalltest.Response {
		t.Helper()
		return staffDo(t, s, "POST", base+attempt+"/reopen", body)
	}
	score := func(candidate string) *examhall.Result {
		t.Helper()
		var all examhall.ExamResults
		r := staffDo(t, s, "GET", "/api/v1/admin/exams/"+exam+"/results", nil)
		if r.Status != 200 {
			t.Fatalf("results: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &all)
		for _, res := range all.Results {
			if res.Candidate == candidate {
				return res
			}
		}
		t.Fatalf("no result of %s: %s", candidate, r.Body)
		return nil
	}

	l := login(t, s, exam, codes[0])
	other := login(t, s, exam, codes[1])
	save(t, s, l, ans("q1", `"a"`, 1), ans("q3", `true`, 1)) // q1 wrong, q3 right
	first := submit(l)
	if got := score(codes[0].Candidate); got.Status != examhall.Submitted || got.Score != 1 {
		t.Fatalf("result of the first submission: %s %v, want submitted 1", got.Status, got.Score)
	}

	// What is refused.
	wantCode(t, reopen(other.Attempt, map[string]any{"extra_seconds": 60}), 409, examhall.EAttemptNotSubmitted)
	wantCode(t, reopen("no-such-attempt", map[string]any{"extra_seconds": 60}), 404, examhall.ENotFound)
	wantCode(t, staffDo(t, s, "POST", "/api/v1/admin/exams/no-such-exam/attempts/"+l.Attempt+"/reopen", map[string]any{"extra_seconds": 60}), 404, examhall.ENotFound)
	for _, body := range []any{map[string]any{}, map[string]any{"extra_seconds": 0}, map[string]any{"extra_seconds": -5},
		map[string]any{"extra_seconds": examhall.MaxReopenSeconds + 1}, map[string]any{"extra_seconds": "60"}, nil} {
		wantCode(t, reopen(l.Attempt, body), 400, examhall.EBadRequest)
	}
	wantCode(t, s.Do(t, "POST", base+l.Attempt+"/reopen", l.Token, map[string]any{"extra_seconds": 60}), 403, examhall.EForbidden)

	// The exam closes now; a reopen gives its time all the same.
	if r := staffDo(t, s, "PUT", "/api/v1/admin/exams/"+exam+"/window", map[string]any{"closes_at": s.Clock.Now().UTC()}); r.Status != 200 {
		t.Fatalf("close now: %d %s", r.Status, r.Body)
	}

	// Reopen for five minutes.
	s.Clock.Advance(time.Minute)
	now := s.Clock.Now().UTC().Truncate(time.Millisecond)
	var re examhall.Reopened
	r := reopen(l.Attempt, map[string]any{"extra_seconds": 300})
	if r.Status != 200 {
		t.Fatalf("reopen: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &re)
	// The clock runs on with the wall clock.
	if late := s.Clock.Now().Add(5 * time.Minute); re.Status != examhall.InProgress || re.Deadline.Before(now.Add(5*time.Minute)) || re.Deadline.After(late) || !re.Due.Equal(re.Deadline.Add(5*time.Second)) ||
		re.Reopens != 1 || re.Previous.Receipt != first.Receipt || !re.Previous.SubmittedAt.Equal(first.SubmittedAt) {
		t.Fatalf("reopen: %s; want in progress until %v, previous receipt %s", r.Body, now.Add(5*time.Minute), first.Receipt)
	}
	wantCode(t, reopen(l.Attempt, map[string]any{"extra_seconds": 300}), 409, examhall.EAttemptNotSubmitted)

	// The candidate signs in again: the same attempt, in progress, with
	// what was submitted.
	again := login(t, s, exam, codes[0])
	if again.Attempt != l.Attempt || again.Status != examhall.InProgress || !again.Deadline.Equal(re.Deadline) {
		t.Fatalf("login after reopen: %+v; want attempt %s in progress until %v", again, l.Attempt, re.Deadline)
	}
	// The window change's second pass (after the exam cache's time) leaves
	// the reopened attempt's deadline alone.
	s.Clock.Advance(10 * time.Second)
	if _, err := s.Hall.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	v := paper(t, s, again)
	if !v.Deadline.Equal(re.Deadline) {
		t.Fatalf("deadline after the window's second pass: %v, want the reopen's %v", v.Deadline, re.Deadline)
	}
	if v.Status != examhall.InProgress || v.Receipt != "" || string(v.Answers["q1"].Response) != `"a"` || string(v.Answers["q3"].Response) != `true` {
		t.Fatalf("paper after reopen: status %s receipt %q answers %v", v.Status, v.Receipt, v.Answers)
	}
	if r := save(t, s, again, ans("q1", `"b"`, 2)); r.Status != 200 {
		t.Fatalf("save after reopen: %d %s", r.Status, r.Body)
	}
	s.Clock.Advance(time.Minute)
	second := submit(again)
	if second.Receipt == first.Receipt || !second.SubmittedAt.After(first.SubmittedAt) {
		t.Fatalf("second submission %+v, first %+v: want a new receipt and time", second, first)
	}
	if got := score(codes[0].Candidate); got.Status != examhall.Submitted || got.Score != 2 || !got.SubmittedAt.Equal(second.SubmittedAt) {
		t.Fatalf("result after the second submission: %s %v at %v, want submitted 2 at %v", got.Status, got.Score, got.SubmittedAt, second.SubmittedAt)
	}
	evs := events(t, s, exam)
	if !hasEvent(evs, "attempt_reopened", examhalltest.AdminUser, "receipt="+first.Receipt) {
		t.Fatalf("the first receipt is not in the audit log: %+v", evs)
	}
	var d examhall.AttemptDetail
	staffDo(t, s, "GET", base+l.Attempt, nil).Decode(t, &d)
	if d.Receipt != second.Receipt || d.Reopens != 1 || d.Result.Score != 2 {
		t.Fatalf("staff attempt view: receipt %s reopens %d score %v; want %s, 1, 2", d.Receipt, d.Reopens, d.Result.Score, second.Receipt)
	}

	// Reopened again, and left: the sweeper submits it at its new deadline.
	r = reopen(l.Attempt, map[string]any{"extra_seconds": 120})
	r.Decode(t, &re)
	if r.Status != 200 || re.Reopens != 2 || re.Previous.Receipt != second.Receipt {
		t.Fatalf("second reopen: %d %s", r.Status, r.Body)
	}
	third := login(t, s, exam, codes[0])
	if r := save(t, s, third, ans("q3", `false`, 2)); r.Status != 200 {
		t.Fatalf("save after the second reopen: %d %s", r.Status, r.Body)
	}
	s.Clock.Advance(2*time.Minute + 6*time.Second)
	if _, err := s.Hall.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	v = paper(t, s, third)
	if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(re.Deadline) || v.Receipt == second.Receipt {
		t.Fatalf("after the new deadline: status %s auto %v at %v receipt %s; want auto-submitted at %v", v.Status, v.Auto, v.SubmittedAt, v.Receipt, re.Deadline)
	}
	if got := score(codes[0].Candidate); !got.Auto || got.Score != 1 {
		t.Fatalf("result after the automatic submission: auto %v score %v, want auto 1", got.Auto, got.Score)
	}

	// Once results are released, reopening is refused.
	if r := staffDo(t, s, "POST", "/api/v1/admin/exams/"+exam+"/release", nil); r.Status != 200 {
		t.Fatalf("release: %d %s", r.Status, r.Body)
	}
	wantCode(t, reopen(l.Attempt, map[string]any{"extra_seconds": 60}), 409, examhall.EResultsReleased)
	if evs := events(t, s, exam); strings.Count(eventKinds(evs), "attempt_reopened") != 2 {
		t.Fatalf("want two attempt_reopened events: %s", eventKinds(evs))
	}
}

func eventKinds(evs []examhall.Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(e.Kind + " ")
	}
	return b.String()
}

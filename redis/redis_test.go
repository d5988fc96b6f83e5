package redis_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/redis"
)

func open(t *testing.T) *redis.Store {
	t.Helper()
	s, err := redis.Open(context.Background(), examhalltest.RedisURL(t), redis.Options{Prefix: examhalltest.UniqueName("t") + ":"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { examhalltest.DeleteRedisPrefix(t, s.Client(), s.Prefix()); s.Close() })
	return s
}

func attempt(id string, due time.Time) *examhall.Attempt {
	return &examhall.Attempt{ID: id, Exam: "e", Candidate: "c-" + id, Status: examhall.InProgress,
		StartedAt: due.Add(-time.Hour), Deadline: due, Due: due}
}

func ans(q string, seq int64, resp string) examhall.Answer {
	return examhall.Answer{Question: q, Seq: seq, Response: json.RawMessage(resp)}
}

func TestApplyNeverGoesBackwards(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	if _, _, err := s.PutAttempt(ctx, attempt("a1", time.Now().Add(time.Hour)), "s1", false); err != nil {
		t.Fatal(err)
	}
	saved, err := s.Apply(ctx, "a1", []examhall.Answer{ans("q1", 5, `"a"`), ans("q2", 1, `true`), ans("q1", 3, `"b"`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved) != 2 || saved[0] != (examhall.Saved{Question: "q1", Seq: 5}) || saved[1].Seq != 1 {
		t.Fatalf("saved = %+v", saved)
	}
	if _, err := s.Apply(ctx, "a1", []examhall.Answer{ans("q1", 4, `"c"`)}); err != nil {
		t.Fatal(err)
	}
	d, _, err := s.Drafts(ctx, "a1")
	if err != nil || string(d["q1"].Response) != `"a"` || d["q1"].Seq != 5 {
		t.Fatalf("drafts = %+v, %v; want q1 \"a\" at 5", d, err)
	}
	big := int64(examhall.MaxSeq)
	if saved, _ := s.Apply(ctx, "a1", []examhall.Answer{ans("q1", big, `"b"`)}); saved[0].Seq != big {
		t.Fatalf("largest seq stored as %d, want %d", saved[0].Seq, big)
	}
	sub := &examhall.Submission{Attempt: "a1", SubmittedAt: time.Now(), Receipt: "r1.x"}
	if err := s.Seal(ctx, sub, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, "a1", []examhall.Answer{ans("q3", 1, `1`)}); examhall.ErrorCode(err) != examhall.EAttemptClosed {
		t.Fatalf("save after seal: %v, want attempt_closed", err)
	}
	if err := s.Seal(ctx, sub, nil); examhall.ErrorCode(err) != examhall.EAttemptClosed {
		t.Fatalf("second seal: %v, want attempt_closed", err)
	}
	// The store contract's code for an attempt the store does not hold;
	// hall tells the candidate to sign in again (it rebuilds the attempt).
	if _, err := s.Apply(ctx, "nope", []examhall.Answer{ans("q3", 1, `1`)}); examhall.ErrorCode(err) != examhall.ENotFound {
		t.Fatalf("save to a lost attempt: %v, want not_found", err)
	}
}

func TestClaimDueHandsEachAttemptToOneClaimer(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	now := time.Now()
	const n = 200
	for i := 0; i < n; i++ {
		id := "a" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		if _, _, err := s.PutAttempt(ctx, attempt(id, now.Add(-time.Minute)), "", false); err != nil {
			t.Fatal(err)
		}
	}
	s.PutAttempt(ctx, attempt("later", now.Add(time.Hour)), "", false)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ids, err := s.ClaimDue(ctx, now, 7, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ids) == 0 {
					return
				}
				mu.Lock()
				for _, id := range ids {
					seen[id]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("claimed %d attempts, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Fatalf("%s claimed %d times", id, k)
		}
	}
	// Unsubmitted claims come back once the lease ends.
	if ids, _ := s.ClaimDue(ctx, now.Add(2*time.Minute), 1000, time.Minute); len(ids) != n {
		t.Fatalf("after the lease %d attempts offered again, want %d", len(ids), n)
	}
}

func TestLimiter(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		ok, wait, err := s.Allow(ctx, "login:x", 3, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if ok != (i <= 3) || (!ok && (wait <= 0 || wait > time.Minute)) {
			t.Fatalf("event %d: ok=%v wait=%v", i, ok, wait)
		}
	}
}

func TestCloseAttemptStopsSavesButNotTheSeal(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	if _, _, err := s.PutAttempt(ctx, attempt("c1", time.Now().Add(time.Hour)), "s1", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, "c1", []examhall.Answer{ans("q1", 1, `"a"`)}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a retried submission closes again
		d, err := s.CloseAttempt(ctx, "c1")
		if err != nil || d["q1"].Seq != 1 {
			t.Fatalf("close: drafts %+v, %v; want q1 at 1", d, err)
		}
	}
	// While a submission is under way a save is refused, retryable.
	if _, err := s.Apply(ctx, "c1", []examhall.Answer{ans("q1", 2, `"b"`)}); examhall.ErrorCode(err) != examhall.EUnavailable {
		t.Fatalf("save to a closing attempt: %v, want unavailable (retry)", err)
	}
	// A submission that failed before the log took it reopens the attempt.
	if err := s.Reopen(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, "c1", []examhall.Answer{ans("q1", 2, `"b"`)}); err != nil {
		t.Fatalf("save after reopening: %v", err)
	}
	if _, err := s.CloseAttempt(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, "c1", []examhall.Answer{ans("q1", 3, `"c"`)}); examhall.ErrorCode(err) != examhall.EUnavailable {
		t.Fatalf("save to a closed-again attempt: %v, want unavailable", err)
	}
	if err := s.Seal(ctx, &examhall.Submission{Attempt: "c1", SubmittedAt: time.Now(), Receipt: "r"}, []examhall.Answer{ans("q2", 1, `true`)}); err != nil {
		t.Fatalf("seal of a closing attempt: %v", err)
	}
	d, _, err := s.Drafts(ctx, "c1")
	if err != nil || d["q1"].Seq != 2 || d["q2"].Seq != 1 {
		t.Fatalf("drafts after the seal = %+v, %v: want q1 at 2 (the refused saves left out) and q2 at 1", d, err)
	}
	if _, err := s.Apply(ctx, "c1", []examhall.Answer{ans("q1", 4, `"d"`)}); examhall.ErrorCode(err) != examhall.EAttemptClosed {
		t.Fatalf("save to a submitted attempt: %v, want attempt_closed", err)
	}
	if _, err := s.CloseAttempt(ctx, "c1"); examhall.ErrorCode(err) != examhall.EAttemptClosed {
		t.Fatalf("closing a submitted attempt: %v, want attempt_closed", err)
	}
	if _, err := s.CloseAttempt(ctx, "nope"); examhall.ErrorCode(err) != examhall.ENotFound {
		t.Fatalf("closing a lost attempt: %v, want not_found", err)
	}
}

// TestDraftsComplete: Drafts says whether Redis holds all of an attempt's
// drafts, which spares a fresh attempt's reads the database, and never
// says so when the database may hold more.
func TestDraftsComplete(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	due := time.Now().Add(time.Hour)
	complete := func(id string) bool {
		t.Helper()
		_, ok, err := s.Drafts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if complete("none") {
		t.Error("an attempt Redis does not hold: complete")
	}
	if _, _, err := s.PutAttempt(ctx, attempt("fresh", due), "s1", false); err != nil {
		t.Fatal(err)
	}
	if !complete("fresh") {
		t.Error("a fresh attempt without drafts: not complete")
	}
	if _, err := s.Apply(ctx, "fresh", []examhall.Answer{ans("q1", 1, `"a"`)}); err != nil {
		t.Fatal(err)
	}
	if !complete("fresh") {
		t.Error("an attempt with its drafts: not complete")
	}
	// Pick reads the entries asked for, and tells the same.
	picked, ok, err := s.Pick(ctx, "fresh", []string{"~extra", "q1"})
	if err != nil || !ok || len(picked) != 1 || string(picked["q1"].Response) != `"a"` {
		t.Errorf("pick: %v %v %v; want q1 only, complete", picked, ok, err)
	}
	// Its drafts evicted: the database may hold them.
	if err := s.Client().Do(ctx, s.Client().B().Del().Key(s.DraftsKey("fresh")).Build()).Error(); err != nil {
		t.Fatal(err)
	}
	if complete("fresh") {
		t.Error("an attempt whose drafts were lost: complete")
	}
	if _, ok, err := s.Pick(ctx, "fresh", []string{"~extra"}); err != nil || ok {
		t.Errorf("pick from lost drafts: complete %v, %v", ok, err)
	}
	if _, _, err := s.PutAttempt(ctx, attempt("rebuilt", due), "", true); err != nil {
		t.Fatal(err)
	}
	if complete("rebuilt") {
		t.Error("an attempt rebuilt from the database: complete")
	}
}

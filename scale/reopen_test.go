package scale_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// TestReopenReachesPostgres: an attempt reopened and submitted again
// while the grader is stopped has its results refused (503), never served
// from the first submission; once the grader runs, PostgreSQL holds the
// second submission, with the first in its history. A reopened attempt
// that Redis then loses comes back in progress from PostgreSQL. On one
// Redis, and on a Redis Cluster (EXAMHALL_TEST_REDIS_CLUSTER) where the
// reopen's script touches the attempt and its shard's deadline index in
// one slot.
func TestReopenReachesPostgres(t *testing.T) {
	t.Parallel()
	t.Run("redis", func(t *testing.T) {
		t.Parallel()
		testReopenReachesPostgres(t, examhalltest.NewScaleDeps(t))
	})
	t.Run("cluster", func(t *testing.T) {
		t.Parallel()
		testReopenReachesPostgres(t, examhalltest.NewScaleDepsOn(t, examhalltest.RedisClusterURL(t)))
	})
}

func testReopenReachesPostgres(t *testing.T, d *examhalltest.ScaleDeps) {
	ctx := context.Background()
	stop := d.StartGrader(t)
	srv := d.StartPod(t, examhalltest.Options{Quiet: true, SyncWait: 300 * time.Millisecond})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("reopen", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	do := func(method, path, token string, body any, want int) *examhalltest.Response {
		t.Helper()
		r := srv.Do(t, method, path, token, body)
		if r.Status != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, r.Status, r.Body, want)
		}
		return r
	}
	submit := func(l *examhall.LoginResult) string {
		t.Helper()
		var res examhall.SubmitResult
		do("POST", "/api/v1/attempts/"+l.Attempt+"/submit", l.Token, nil, 200).Decode(t, &res)
		return res.Receipt
	}
	_, l := srv.MustLogin(t, exam, code)
	do("PUT", "/api/v1/attempts/"+l.Attempt+"/answers", l.Token, `{"answers":[{"question":"q1","response":"a","seq":1}]}`, 200)
	first := submit(l)
	examhalltest.Eventually(t, 30*time.Second, func() error {
		if s, err := d.PG.Submission(ctx, l.Attempt); err != nil || s.Receipt != first {
			return fmt.Errorf("submission in PostgreSQL: %+v, %v", s, err)
		}
		return nil
	})

	stop()
	reopen := "/api/v1/admin/exams/" + exam + "/attempts/" + l.Attempt + "/reopen"
	do("POST", reopen, staff.Token, map[string]int{"extra_seconds": 600}, 200)
	_, l = srv.MustLogin(t, exam, code)
	do("PUT", "/api/v1/attempts/"+l.Attempt+"/answers", l.Token, `{"answers":[{"question":"q1","response":"b","seq":2}]}`, 200)
	second := submit(l)
	r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/results", staff.Token, nil)
	if r.Status != 503 || r.Code() != examhall.EUnavailable {
		t.Fatalf("results with the grader behind the reopen: %d %.300s, want 503 unavailable", r.Status, r.Body)
	}

	d.StartGrader(t)
	examhalltest.Eventually(t, 30*time.Second, func() error {
		s, err := d.PG.Submission(ctx, l.Attempt)
		if err != nil || s.Receipt != second || string(s.Answers["q1"].Response) != `"b"` {
			return fmt.Errorf("submission in PostgreSQL: %+v, %v; want the second, %s", s, err, second)
		}
		return nil
	})
	a, err := d.PG.Attempt(ctx, l.Attempt)
	if err != nil || a.Status != examhall.Submitted || a.Receipt != second || a.Reopens != 1 {
		t.Fatalf("attempt in PostgreSQL: %+v, %v", a, err)
	}
	if h, err := d.PG.SubmissionHistory(ctx, l.Attempt); err != nil || len(h) != 1 || h[0].Receipt != first {
		t.Fatalf("history in PostgreSQL: %+v, %v; want the first submission %s", h, err, first)
	}
	var res examhall.ExamResults
	do("GET", "/api/v1/admin/exams/"+exam+"/results", staff.Token, nil, 200).Decode(t, &res)
	if len(res.Results) != 1 || res.Results[0].Score != 1 {
		t.Fatalf("results: %+v, want the second submission's q1 (right)", res.Results)
	}

	// Reopened again, then Redis loses everything: the attempt comes back
	// in progress with its answers once the grader has the reopen.
	do("POST", reopen, staff.Token, map[string]int{"extra_seconds": 600}, 200)
	examhalltest.Eventually(t, 30*time.Second, func() error {
		if a, err := d.PG.Attempt(ctx, l.Attempt); err != nil || a.Status != examhall.InProgress || a.Reopens != 2 {
			return fmt.Errorf("attempt in PostgreSQL: %+v, %v", a, err)
		}
		return nil
	})
	d.FlushRedis(t)
	_, l = srv.MustLogin(t, exam, code)
	var v examhall.AttemptView
	do("GET", "/api/v1/attempts/"+l.Attempt, l.Token, nil, 200).Decode(t, &v)
	if v.Status != examhall.InProgress || string(v.Answers["q1"].Response) != `"b"` {
		t.Fatalf("paper after a Redis flush: %s with %v, want in progress with q1 \"b\"", v.Status, v.Answers)
	}
	do("PUT", "/api/v1/attempts/"+l.Attempt+"/answers", l.Token, `{"answers":[{"question":"q3","response":true,"seq":1}]}`, 200)
	third := submit(l)
	examhalltest.Eventually(t, 30*time.Second, func() error {
		if s, err := d.PG.Submission(ctx, l.Attempt); err != nil || s.Receipt != third || len(s.Answers) != 2 {
			return fmt.Errorf("submission in PostgreSQL: %+v, %v; want the third, %s", s, err, third)
		}
		return nil
	})
}

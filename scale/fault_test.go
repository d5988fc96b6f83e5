package scale_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/redis"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func TestRedisFlushedMidExamLosesNothing(t *testing.T) {
	t.Parallel()
	d, pod, cs := setupOnePod(t, 5)
	for _, c := range cs {
		for i, q := range []string{"q1", "q3", "q5"} {
			c.mustSave(t, q, int64(10+i), map[string]string{"q1": `"b"`, "q3": `true`, "q5": `"Paris"`}[q])
		}
	}
	d.FlushRedis(t)
	for _, c := range cs {
		r := c.pod.Do(t, "GET", "/api/v1/attempts/"+c.login.Attempt, c.login.Token, nil)
		if r.Status != 401 || r.Code() != examhall.EUnauthorized {
			t.Fatalf("after the flush the old session gives %d %s, want 401 unauthorized", r.Status, r.Body)
		}
		_, l := pod.MustLogin(t, c.login.Exam, c.code)
		if l.Attempt != c.login.Attempt || !l.Deadline.Equal(c.login.Deadline) {
			t.Fatalf("login after the flush: attempt %s deadline %v, want %s %v", l.Attempt, l.Deadline, c.login.Attempt, c.login.Deadline)
		}
		c.login = l
		c.waitAnswers(t)
		// A stale save after the flush must not overwrite an acknowledged answer.
		c.mustSave(t, "q1", 1, `"a"`)
		c.acked["q1"] = 10
		if v := c.waitAnswers(t); string(v.Answers["q1"].Response) != `"b"` {
			t.Fatalf("a stale save replaced q1: %s", v.Answers["q1"].Response)
		}
		c.mustSubmit(t)
	}
	waitScores(t, scores(cs, 3)) // q1, q3 and q5 right
}

func TestBrokerDownRefusesWithRetryAfterAndAcksNothing(t *testing.T) {
	t.Parallel()
	d, _, cs := setupOnePod(t, 1)
	c := cs[0]
	c.mustSave(t, "q1", 1, `"a"`)
	down := d.Kafka.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.NotEnoughReplicas, Count: -1})
	r := c.save(t, "q1", 2, `"b"`)
	if !retryable(r) || r.Code() != examhall.EUnavailable {
		t.Fatalf("save with the broker down: %d %s (Retry-After %q), want 503 unavailable with Retry-After", r.Status, r.Body, r.Header.Get("Retry-After"))
	}
	r = c.submit(t)
	if !retryable(r) {
		t.Fatalf("submit with the broker down: %d %s, want 503 with Retry-After", r.Status, r.Body)
	}
	if v := c.waitAnswers(t); v.Answers["q1"].Seq != 1 || v.Status != examhall.InProgress {
		t.Fatalf("with the broker down the paper shows %v %s: something was stored that was not acknowledged", v.Answers, v.Status)
	}
	down.Remove()
	if r := c.save(t, "q1", 2, `"b"`); r.Status != 200 {
		t.Fatalf("retried save after the broker came back: %d %s", r.Status, r.Body)
	}
	if r := c.submit(t); r.Status != 200 {
		t.Fatalf("retried submit: %d %s", r.Status, r.Body)
	}
	waitScores(t, scores(cs, 1))
}

func TestRedisDownRefusesWithRetryAfter(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	pod := d.StartPod(t, examhalltest.Options{Quiet: true})
	_, cs := setup(t, []*examhalltest.Server{pod}, 600, 1)
	c := cs[0]
	cleaner, err := redis.Open(context.Background(), d.RedisURL, redis.Options{Prefix: d.Prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { examhalltest.DeleteRedisPrefix(t, cleaner.Client(), d.Prefix); cleaner.Close() })
	pod.Redis.Close() // this pod's connection to Redis is gone
	r := c.save(t, "q1", 1, `"a"`)
	if !retryable(r) || r.Code() != examhall.EUnavailable {
		t.Fatalf("save with Redis gone: %d %s, want 503 unavailable with Retry-After", r.Status, r.Body)
	}
}

// TestPodsAndGradersShareTheWork runs three pods and two graders: each
// overdue attempt is submitted automatically once, at its deadline, though
// every pod sweeps; a grader is stopped mid-run and the database
// connections of the other are cut, and no submission is lost or counted
// twice.
func TestPodsAndGradersShareTheWork(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	stopFirst := d.StartGrader(t)
	d.StartGrader(t)
	var pods []*examhalltest.Server
	for i := 0; i < 3; i++ {
		pods = append(pods, d.StartPod(t, examhalltest.Options{Quiet: true}))
	}
	exam, cs := setup(t, pods, 60, 30)
	var cut atomic.Int64 // grader connections cut
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := int64(1); seq <= 10; seq++ {
				c.save(t, "q4", seq, fmt.Sprint(3.14+float64(seq%2)))
				if i == 0 && seq == 5 {
					stopFirst()
				}
				if i == 1 && seq%3 == 0 {
					var n int
					d.PG.Pool().QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
						WHERE application_name = $1`, d.GraderAppName()).Scan(&n)
					cut.Add(int64(n))
				}
			}
		}()
	}
	wg.Wait()
	if cut.Load() == 0 {
		t.Fatal("no grader connection was cut: the test proved nothing about it")
	}
	for _, p := range pods {
		p.Clock.Advance(70 * time.Second)
	}
	ctx := context.Background()
	examhalltest.Eventually(t, 30*time.Second, func() error {
		var subs int
		if err := d.PG.Pool().QueryRow(ctx, `SELECT count(*) FROM submissions`).Scan(&subs); err != nil || subs < len(cs) {
			return fmt.Errorf("%d submissions recorded (%v), want %d", subs, err, len(cs))
		}
		return nil
	})
	for _, c := range cs {
		v := c.waitAnswers(t)
		if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(c.login.Deadline) {
			t.Fatalf("%s: %s auto=%v at %v, want submitted automatically at the deadline %v", c.code.Candidate, v.Status, v.Auto, v.SubmittedAt, c.login.Deadline)
		}
		var at time.Time
		d.PG.Pool().QueryRow(ctx, `SELECT submitted_at FROM submissions WHERE attempt = $1`, c.login.Attempt).Scan(&at)
		kept, _ := d.PG.Drafts(ctx, c.login.Attempt)
		seq := kept["q4"].Seq
		if seq != c.acked["q4"] || !at.Equal(c.login.Deadline) {
			t.Fatalf("%s: PostgreSQL has seq %d submitted at %v; acknowledged %d, deadline %v", c.code.Candidate, seq, at, c.acked["q4"], c.login.Deadline)
		}
	}
	waitScores(t, scores(cs, 1)) // q4 = 3.14 at seq 10
	var audits int
	staff := pods[1].Staff(t)
	var evs struct {
		Events []examhall.Event `json:"events"`
	}
	if err := staff.Do(ctx, "GET", "/api/v1/admin/exams/"+exam+"/events?limit=10000", nil, &evs); err != nil {
		t.Fatal(err)
	}
	for _, e := range evs.Events {
		if e.Kind == "auto_submit" {
			audits++
		}
	}
	if audits != len(cs) {
		t.Fatalf("%d automatic submissions audited over 3 sweeping pods, want exactly %d", audits, len(cs))
	}
}

func TestBrokerStoppedAndRestarted(t *testing.T) {
	t.Parallel()
	d, _, cs := setupOnePod(t, 3)
	for _, c := range cs {
		c.mustSave(t, "q1", 1, `"a"`)
	}
	d.StopKafka()
	for _, c := range cs[:1] {
		r := c.save(t, "q1", 2, `"b"`)
		if !retryable(r) {
			t.Fatalf("save with the broker stopped: %d %s, want 503 with Retry-After", r.Status, r.Body)
		}
	}
	d.StartKafka(t)
	for _, c := range cs {
		// The client retries, as the page does, until the broker is back.
		examhalltest.Eventually(t, 30*time.Second, func() error {
			if r := c.save(t, "q1", 2, `"b"`); r.Status != 200 {
				return fmt.Errorf("save after the broker restarted: %d %s", r.Status, r.Body)
			}
			return nil
		})
		c.mustSubmit(t)
	}
	waitScores(t, scores(cs, 1)) // q1 "b", from before and after the restart
	for _, c := range cs {
		kept, _ := d.PG.Drafts(context.Background(), c.login.Attempt)
		if kept["q1"].Seq != 2 {
			t.Fatalf("PostgreSQL keeps q1 at seq %d, want 2", kept["q1"].Seq)
		}
	}
}

// TestRedisFlushedRightAfterSubmit loses Redis the moment a submission is
// acknowledged, before the grader may have recorded it: the attempt rebuilt
// from PostgreSQL waits for the grader, so it comes back submitted, with
// the same receipt, and cannot be submitted again.
func TestRedisFlushedRightAfterSubmit(t *testing.T) {
	t.Parallel()
	d, pod, cs := setupOnePod(t, 5)
	for _, c := range cs {
		_, c.login = pod.MustLogin(t, c.login.Exam, c.code) // the last flush ended every session
		c.save(t, "q1", 1, `"b"`)
		var sub examhall.SubmitResult
		c.mustSubmit(t).Decode(t, &sub)
		d.FlushRedis(t)
		_, c.login = pod.MustLogin(t, c.login.Exam, c.code)
		v := c.waitAnswers(t)
		if v.Status != examhall.Submitted || v.Receipt != sub.Receipt {
			t.Fatalf("after the flush: %s receipt %q, want submitted with %q", v.Status, v.Receipt, sub.Receipt)
		}
		r := c.submit(t)
		var again examhall.SubmitResult
		r.Decode(t, &again)
		if r.Status != 200 || again.Receipt != sub.Receipt {
			t.Fatalf("submitting again after the flush: %d %s, want the receipt %s", r.Status, r.Body, sub.Receipt)
		}
	}
}

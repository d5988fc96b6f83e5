package scale_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/redis"
)

// TestRedisMasterKilledMidExamLosesNothing runs two pods on a Redis Cluster
// of three masters and three replicas, kills (SIGKILL) the master that
// holds one attempt's slot while candidates save and submit, and brings it
// back as a replica. Requests ride through the failover (only 200, or 503
// with Retry-After while the slot moves; never a 500), every acknowledged
// save and submission is in the final record, saves resume, and no
// submitted attempt takes a save again.
func TestRedisMasterKilledMidExamLosesNothing(t *testing.T) {
	t.Parallel()
	rc := examhalltest.StartRedisCluster(t)
	d := examhalltest.NewScaleDepsOn(t, rc.URL())
	d.StartGrader(t)
	pods := []*examhalltest.Server{d.StartPod(t, examhalltest.Options{Quiet: true}), d.StartPod(t, examhalltest.Options{Quiet: true})}
	_, cs := setup(t, pods, 600, 12)
	victim := rc.MasterOf(t, redis.HashTag(cs[0].login.Attempt))

	var (
		mu        sync.Mutex
		acked     = make([]int64, len(cs)) // last seq of q1 acknowledged, by candidate
		receipts  = make([]string, len(cs))
		statuses  = map[int]int{}
		afterKill atomic.Bool
		resumed   = make([]atomic.Bool, len(cs)) // a save acknowledged after the kill
	)
	check := func(r *examhalltest.Response, what string) bool {
		mu.Lock()
		statuses[r.Status]++
		mu.Unlock()
		switch {
		case r.Status == 200:
			return true
		case retryable(r):
			return false
		default:
			a, rebuilt, err := d.Redis.Attempt(context.Background(), what[strings.Index(what, " ")+1:])
			t.Errorf("%s during the failover: %d %s, want 200 or 503 with Retry-After (redis: %+v %v %v)", what, r.Status, r.Body, a, rebuilt, err)
			return false
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }); wg.Wait() }
	defer halt()
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq := int64(0)
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				// Half the candidates submit once the master is gone (so
				// their seals land on the promoted replica or race the
				// failover); the others keep saving.
				if i%2 == 1 && afterKill.Load() && n > 20 && receipts[i] == "" {
					if r := c.submit(t); check(r, "submit "+c.login.Attempt) {
						receipt := receiptOf(t, r)
						mu.Lock()
						receipts[i] = receipt
						mu.Unlock()
					}
					continue
				}
				if receipts[i] != "" {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				seq++
				resp := fmt.Sprintf(`"%s"`, []string{"a", "b", "c"}[seq%3])
				if check(c.send(t, "q1", seq, resp), "save "+c.login.Attempt) {
					mu.Lock()
					acked[i] = seq
					mu.Unlock()
					if afterKill.Load() {
						resumed[i].Store(true)
					}
				}
				if t.Failed() {
					return
				}
			}
		}()
	}
	// Let saves run, then kill the master mid-stream (a busy machine under
	// the race detector may take a while to reach a hundred).
	examhalltest.Eventually(t, 60*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if statuses[200] < 100 {
			return fmt.Errorf("%d saves acknowledged", statuses[200])
		}
		return nil
	})
	rc.Kill(t, victim)
	afterKill.Store(true)
	// Saves resume everywhere, and half the candidates have submitted.
	examhalltest.Eventually(t, 60*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		for i := range cs {
			if i%2 == 1 && receipts[i] == "" {
				return fmt.Errorf("candidate %d has not submitted", i)
			}
			if i%2 == 0 && !resumed[i].Load() {
				return fmt.Errorf("candidate %d: no save acknowledged since the kill", i)
			}
		}
		return nil
	})
	rc.Start(t, victim) // back, empty, as a replica
	rc.WaitHealthy(t)
	halt()
	if t.Failed() {
		return
	}
	t.Logf("statuses during the run: %v", statuses)

	for i, c := range cs {
		if receipts[i] != "" {
			// A submitted attempt never takes a save again.
			if r := c.send(t, "q1", 1<<40, `"z"`); r.Status != 409 || r.Code() != examhall.EAttemptClosed {
				t.Errorf("save to a submitted attempt after the failover: %d %s, want 409 attempt_closed", r.Status, r.Body)
			}
			continue
		}
		// The paper shows the last acknowledged save.
		c.acked = map[string]int64{"q1": acked[i]}
		c.waitAnswers(t)
		retry(t, func() bool {
			r := c.submit(t)
			if r.Status == 503 {
				time.Sleep(100 * time.Millisecond)
				return false
			}
			if r.Status != 200 {
				t.Fatalf("submit after the failover: %d %s", r.Status, r.Body)
			}
			receipts[i] = receiptOf(t, r)
			return true
		})
	}
	// The final record, in PostgreSQL: each submission with the receipt
	// the candidate got and every answer acknowledged before it.
	waitRecorded(t, d, cs, "q1", receipts, acked)
}

// TestSaveRacingSubmitIsInTheSubmission saves as fast as it can while the
// attempt is submitted: every save acknowledged is in the recorded
// submission, and every save after it is refused (503 while the submission
// is under way, then 409).
func TestSaveRacingSubmitIsInTheSubmission(t *testing.T) {
	t.Parallel()
	d, _, cs := setupOnePod(t, 4)
	for _, c := range cs {
		var acked atomic.Int64
		var closedSeen atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			for seq := int64(1); !closedSeen.Load(); seq++ {
				switch r := c.send(t, "q5", seq, `"Paris"`); r.Status {
				case 200:
					acked.Store(seq)
				case 409:
					closedSeen.Store(true)
				case 503:
					// While the submission is under way: nothing kept,
					// retry the same save.
					if r.Header.Get("Retry-After") == "" {
						t.Errorf("save refused without Retry-After: %d %s", r.Status, r.Body)
						return
					}
					seq--
				default:
					t.Errorf("save: %d %s", r.Status, r.Body)
					return
				}
			}
		}()
		examhalltest.Eventually(t, 10*time.Second, func() error {
			if acked.Load() < 5 {
				return fmt.Errorf("%d saves", acked.Load())
			}
			return nil
		})
		c.mustSubmit(t)
		<-done
		last := acked.Load()
		examhalltest.Eventually(t, 30*time.Second, func() error {
			sub, err := d.PG.Submission(context.Background(), c.login.Attempt)
			if err != nil {
				return err
			}
			if got := sub.Answers["q5"].Seq; got < last {
				t.Fatalf("save %d was acknowledged; the submission has q5 at %d", last, got)
			}
			return nil
		})
	}
}

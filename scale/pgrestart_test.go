package scale_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"examhall/client"
)

// TestPostgresConnectionsCutMidExam cuts every PostgreSQL connection of the
// pods and of the grader, again and again, while candidates log in, save
// and submit: what a PostgreSQL restart or a Multi-AZ failover does to
// them. Requests answer 200 or 503 with Retry-After (never a 500), the
// pools reconnect, the grader catches up, and every acknowledged save
// and submission is in the record.
func TestPostgresConnectionsCutMidExam(t *testing.T) {
	t.Parallel()
	d, pod, cs := setupOnePod(t, 6)
	staff := pod.Staff(t) // signed in before the cuts begin

	cut := func() int {
		var n int
		err := d.PG.Pool().QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE application_name IN ($1, $2)`, d.PodAppName(), d.GraderAppName()).Scan(&n)
		if err != nil {
			t.Errorf("cutting connections: %v", err)
		}
		return n
	}
	stop := make(chan struct{})
	var stopOnce sync.Once
	var wg sync.WaitGroup
	defer func() { stopOnce.Do(func() { close(stop) }); wg.Wait() }()
	var mu sync.Mutex
	statuses := map[int]int{}
	cuts := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			n := cut()
			mu.Lock()
			cuts += n
			mu.Unlock()
		}
	}()
	acked := make([]int64, len(cs))
	receipts := make([]string, len(cs))
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := int64(1); seq <= 40; seq++ {
				r := c.send(t, "q5", seq, `"Paris"`)
				mu.Lock()
				statuses[r.Status]++
				mu.Unlock()
				switch {
				case r.Status == 200:
					acked[i] = seq
				case retryable(r):
				default:
					t.Errorf("save with PostgreSQL connections cut: %d %s", r.Status, r.Body)
					return
				}
			}
			for tries := 0; receipts[i] == "" && tries < 100; tries++ {
				r := c.submit(t)
				switch {
				case r.Status == 200:
					receipt := receiptOf(t, r)
					mu.Lock() // the watcher below reads it
					receipts[i] = receipt
					mu.Unlock()
				case retryable(r):
					time.Sleep(20 * time.Millisecond)
				default:
					t.Errorf("submit with PostgreSQL connections cut: %d %s", r.Status, r.Body)
					return
				}
			}
		}()
	}
	// Staff reads (from PostgreSQL) under the same cuts.
	for range 5 {
		var ae *client.Error
		if _, err := staff.Results(context.Background(), cs[0].login.Exam); err != nil && (!errors.As(err, &ae) || ae.Status != 503 || ae.RetryAfter == 0) {
			t.Errorf("results with PostgreSQL connections cut: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Stop cutting once every candidate is done.
	go func() {
		for {
			mu.Lock()
			done := true
			for i := range cs {
				done = done && receipts[i] != ""
			}
			mu.Unlock()
			if done || t.Failed() {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		stopOnce.Do(func() { close(stop) })
	}()
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("statuses: %v; connections cut: %d", statuses, cuts)
	if cuts == 0 {
		t.Fatal("no connection was cut: the test did not test anything")
	}
	waitRecorded(t, d, cs, "q5", receipts, acked)
	// The pod is ready again and the grader caught up: results show
	// every submission.
	if r := pod.Do(t, "GET", "/readyz", "", nil); r.Status != 200 {
		t.Fatalf("readyz once the cuts are over: %d %s", r.Status, r.Body)
	}
	waitScores(t, scores(cs, 1)) // q5 right
}

package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall/client"
	"examhall/examhalltest"
	"examhall/redis"
)

// TestScaleFourPodsOnRedisCluster runs four API pods as processes behind
// one address (--reuseport) and a grader on a private Redis Cluster of
// three masters and three replicas, and kills one pod and then the Redis
// master of a candidate's slot mid-run. Candidates retry what was not
// acknowledged (503 with Retry-After, or a connection cut by the killed
// pod), as the browser does; at the end every acknowledged answer is on
// the paper and in PostgreSQL, and every acknowledged submission is
// recorded with its receipt.
func TestScaleFourPodsOnRedisCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server and Redis processes")
	}
	rc := examhalltest.StartRedisCluster(t)
	d := examhalltest.NewScaleDepsOn(t, rc.URL())
	first := startScaleProcess(t, d, "serve", "--addr", "127.0.0.1:0", "--reuseport")
	addr := strings.TrimPrefix(first.url, "http://")
	pods := []*serverProcess{first}
	for range 3 {
		pods = append(pods, startScaleProcess(t, d, "serve", "--addr", addr, "--reuseport"))
	}
	startScaleProcess(t, d, "grader", "--addr", "127.0.0.1:0")
	ctx := context.Background()
	doc := examhalltest.AllTypesExam("cluster", 3600)
	const n = 24
	_, exam, codes := processExam(t, first.url, "scale-test-password", doc, n)
	// retry calls fn until it is acknowledged or the run stops; an error
	// other than "not acknowledged, retry" fails the test.
	var stopped atomic.Bool
	retry := func(what string, fn func() error) bool {
		for !stopped.Load() {
			err := fn()
			if err == nil {
				return true
			}
			var ae *client.Error
			if errors.As(err, &ae) && ae.Status != 503 {
				t.Errorf("%s: %v (want success, or 503 while a pod or a Redis master is gone)", what, err)
				return false
			}
			time.Sleep(20 * time.Millisecond)
		}
		return false
	}
	acked := make([]ackedAnswer, n)
	var acks atomic.Int64
	var wg sync.WaitGroup
	for i, code := range codes {
		c := client.New(first.url)
		login, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			t.Fatal(err)
		}
		acked[i] = ackedAnswer{candidate: code.Candidate, code: code.Code, attempt: login.Attempt}
		wg.Add(1)
		go func(st *ackedAnswer) {
			defer wg.Done()
			for seq := int64(1); !stopped.Load(); seq++ {
				resp := fmt.Sprintf("c%d-s%d", i, seq)
				if i%4 == 0 && seq == 30 {
					resp = "Paris"
				}
				ans := answerQ5(resp, seq)
				if i%4 == 0 && seq == 30 {
					var receipt string
					if retry("submit", func() error {
						r, err := c.Submit(ctx, st.attempt, ans)
						if err == nil {
							receipt = r.Receipt
						}
						return err
					}) {
						st.seq, st.response, st.receipt = seq, resp, receipt
						acks.Add(1)
					}
					return
				}
				if !retry("save", func() error { _, err := c.Save(ctx, st.attempt, ans); return err }) {
					return
				}
				st.seq, st.response = seq, resp
				acks.Add(1)
			}
		}(&acked[i])
	}
	waitMoreAcks(t, &acks, 200)
	pods[1].cmd.Process.Kill()
	<-pods[1].exited
	waitMoreAcks(t, &acks, 200)
	rc.Kill(t, rc.MasterOf(t, redis.HashTag(acked[0].attempt)))
	waitMoreAcks(t, &acks, 300) // through the failover
	stopped.Store(true)
	wg.Wait()
	if t.Failed() {
		return
	}

	total, submitted := 0, 0
	for i, st := range acked {
		total += int(st.seq)
		if st.receipt != "" {
			submitted++
		}
		st.checkServed(t, first.url, exam, i, "the failover")
	}
	if total == 0 || submitted == 0 {
		t.Fatalf("%d saves and %d submissions acknowledged: the test proved nothing", total, submitted)
	}
	waitInPostgres(t, d, acked)
	t.Logf("%d saves and %d submissions acknowledged through four pods on a Redis Cluster; one pod and one Redis master killed; all in PostgreSQL", total, submitted)
}

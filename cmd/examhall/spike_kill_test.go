package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall/client"
	"examhall/examhalltest"
)

// startRecord is what the server acknowledged to one candidate during the
// spike.
type startRecord struct {
	ackedAnswer
	startedAt time.Time
}

// TestKillDuringLoginSpike kills the server with SIGKILL while a crowd is
// still signing in (a quarter of the logins acknowledged or more, the rest
// in flight),
// with saves and submissions of those already in, and restarts it on the
// same data (the logins are spread over a few seconds, as a ramp, so that
// the kill finds logins in flight, saves and submissions together): every
// candidate who had signed in finds the same attempt, its
// start not moved earlier, and every acknowledged save and submission; the
// others sign in now.
func TestKillDuringLoginSpike(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	const n = 600
	dir := t.TempDir()
	proc := startProcess(t, dir)
	ctx := context.Background()
	_, exam, codes := processExam(t, proc.url, "kill-test-password", examhalltest.AllTypesExam("spike", 3600), n)
	recs := make([]startRecord, n)
	var in, saved atomic.Int32
	ready := make(chan struct{})
	var once sync.Once
	check := func() {
		if in.Load() >= n/4 && saved.Load() >= 200 {
			once.Do(func() { close(ready) })
		}
	}
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 5 * time.Millisecond) // a 3-second ramp
			c := client.New(proc.url)
			res, err := c.Login(ctx, exam, codes[i].Candidate, codes[i].Code)
			if err != nil {
				return // not acknowledged: busy or killed
			}
			recs[i].attempt, recs[i].startedAt = res.Attempt, res.StartedAt
			in.Add(1)
			check()
			c.Token = res.Token
			for seq := int64(1); ; seq++ {
				resp := fmt.Sprintf("c%d-s%d", i, seq)
				ans := answerQ5(resp, seq)
				if i%5 == 0 && seq == 3 {
					r, err := c.Submit(ctx, res.Attempt, ans)
					if err == nil {
						recs[i].seq, recs[i].response, recs[i].receipt = seq, resp, r.Receipt
					}
					return
				}
				if _, err := c.Save(ctx, res.Attempt, ans); err != nil {
					return
				}
				recs[i].seq, recs[i].response = seq, resp
				saved.Add(1)
				check()
			}
		}()
	}
	select {
	case <-ready:
	case <-time.After(2 * time.Minute):
		t.Fatalf("only %d of %d logins and %d saves acknowledged", in.Load(), n, saved.Load())
	}
	proc.cmd.Process.Kill()
	<-proc.exited
	wg.Wait()

	after := startProcess(t, dir)
	signedIn, saves := 0, 0
	for i, r := range recs {
		c := client.New(after.url)
		res, err := c.Login(ctx, exam, codes[i].Candidate, codes[i].Code)
		if err != nil {
			t.Fatalf("candidate %d: login after the restart: %v", i, err)
		}
		if r.attempt == "" {
			continue
		}
		signedIn++
		saves += int(r.seq)
		if res.Attempt != r.attempt || res.StartedAt.Before(r.startedAt) {
			t.Errorf("candidate %d: attempt %s started %v before the kill; after: %s started %v", i, r.attempt, r.startedAt, res.Attempt, res.StartedAt)
		}
		c.Token = res.Token
		v, err := c.Paper(ctx, res.Attempt)
		if err != nil {
			t.Fatal(err)
		}
		r.checkPaper(t, i, v, "the restart")
	}
	if signedIn < n/4 || saves < 200 {
		t.Fatalf("%d candidates signed in and %d saves acknowledged before the kill: the test proved little", signedIn, saves)
	}
	t.Logf("%d of %d candidates had signed in and %d saves were acknowledged before SIGKILL; all there after restart", signedIn, n, saves)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// ackedAnswer is what the server acknowledged to one candidate.
type ackedAnswer struct {
	candidate, code string
	attempt         string
	seq             int64
	response        string
	receipt         string
}

// saveLoad is candidates saving as fast as they can against a server
// process until it stops answering; every eighth submits at seq 20.
type saveLoad struct {
	exam  string
	acked []ackedAnswer
	wg    sync.WaitGroup
	acks  atomic.Int64 // saves and submissions acknowledged so far
}

// waitAcks waits until the server has acknowledged n saves or submissions:
// the load is under way.
func (l *saveLoad) waitAcks(t *testing.T, n int64) {
	t.Helper()
	waitAcked(t, &l.acks, n, 30*time.Second)
}

// waitMoreAcks waits until k more saves or submissions than now are
// acknowledged: the load runs through whatever the test does next.
func waitMoreAcks(t *testing.T, acks *atomic.Int64, k int64) {
	t.Helper()
	waitAcked(t, acks, acks.Load()+k, 60*time.Second)
}

// waitAcked waits until acks counts n saves or submissions acknowledged.
func waitAcked(t *testing.T, acks *atomic.Int64, n int64, timeout time.Duration) {
	t.Helper()
	examhalltest.Eventually(t, timeout, func() error {
		if got := acks.Load(); got < n {
			return fmt.Errorf("%d of %d saves acknowledged", got, n)
		}
		return nil
	})
}

// startSaveLoad creates an exam with n candidates on the server at url,
// logs them in and starts their saves.
func startSaveLoad(t *testing.T, url, password string, n int) *saveLoad {
	t.Helper()
	ctx := context.Background()
	_, exam, codes := processExam(t, url, password, examhalltest.AllTypesExam("load", 3600), n)
	l := &saveLoad{exam: exam, acked: make([]ackedAnswer, len(codes))}
	for i, code := range codes {
		c := client.New(url)
		login, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			t.Fatal(err)
		}
		l.acked[i] = ackedAnswer{candidate: code.Candidate, code: code.Code, attempt: login.Attempt}
		l.wg.Add(1)
		go l.run(ctx, c, &l.acked[i], i)
	}
	return l
}

func (l *saveLoad) run(ctx context.Context, c *client.Client, st *ackedAnswer, i int) {
	defer l.wg.Done()
	for seq := int64(1); ; seq++ {
		resp := fmt.Sprintf("c%d-s%d", i, seq)
		ans := answerQ5(resp, seq)
		if i%8 == 0 && seq == 20 {
			r, err := c.Submit(ctx, st.attempt, ans)
			if err != nil {
				return
			}
			st.seq, st.response, st.receipt = seq, resp, r.Receipt
			l.acks.Add(1)
			return
		}
		if _, err := c.Save(ctx, st.attempt, ans); err != nil {
			return
		}
		st.seq, st.response = seq, resp
		l.acks.Add(1)
	}
}

// wait waits for every candidate to stop.
func (l *saveLoad) wait() { l.wg.Wait() }

// check logs every candidate in again on the server at url and requires
// each acknowledged answer and submission to be there; it returns the
// number of acknowledged saves checked, and fails when there were none.
func (l *saveLoad) check(t *testing.T, url, after string) int {
	t.Helper()
	ctx := context.Background()
	total := 0
	for i, st := range l.acked {
		total += int(st.seq)
		c := client.New(url)
		if _, err := c.Login(ctx, l.exam, st.candidate, st.code); err != nil {
			t.Fatalf("login after %s: %v", after, err)
		}
		v, err := c.Paper(ctx, st.attempt)
		if err != nil {
			t.Fatal(err)
		}
		st.checkPaper(t, i, v, after)
	}
	if total == 0 {
		t.Fatalf("no save was acknowledged before %s: the test proved nothing", after)
	}
	return total
}

// answerQ5 is a save of resp to q5 (short text) at seq.
func answerQ5(resp string, seq int64) []examhall.Answer {
	raw, _ := json.Marshal(resp)
	return []examhall.Answer{{Question: "q5", Response: raw, Seq: seq}}
}

// checkPaper fails the test where candidate i's paper v, read after what
// happened (a kill, a restart), lacks what st says was acknowledged: q5 at
// an older seq or with another response at the same seq, or a submission
// without its receipt.
func (st *ackedAnswer) checkPaper(t *testing.T, i int, v *examhall.AttemptView, after string) {
	t.Helper()
	got := v.Answers["q5"]
	var resp string
	json.Unmarshal(got.Response, &resp)
	if got.Seq < st.seq || got.Seq == st.seq && st.seq > 0 && resp != st.response {
		t.Errorf("candidate %d: %q at seq %d was acknowledged; after %s the server has %q at seq %d", i, st.response, st.seq, after, resp, got.Seq)
	}
	if st.receipt != "" && (v.Status != examhall.Submitted || v.Receipt != st.receipt) {
		t.Errorf("candidate %d: submission with receipt %s was acknowledged; after %s: %s %q", i, st.receipt, after, v.Status, v.Receipt)
	}
}

// checkServed logs candidate i in again on the server at url, again while
// it answers 503 as a page does (a pod that rebuilds a lost attempt waits
// for the grader first), and checks their paper (checkPaper).
func (st *ackedAnswer) checkServed(t *testing.T, url, exam string, i int, after string) {
	t.Helper()
	ctx := context.Background()
	c := client.New(url)
	examhalltest.Eventually(t, 30*time.Second, func() error {
		_, err := c.Login(ctx, exam, st.candidate, st.code)
		if err != nil && client.Code(err) != "unavailable" {
			t.Fatalf("candidate %d: login after %s: %v", i, after, err)
		}
		return err
	})
	v, err := c.Paper(ctx, st.attempt)
	if err != nil {
		t.Fatal(err)
	}
	st.checkPaper(t, i, v, after)
}

// waitInPostgres waits until PostgreSQL holds every acknowledged save of
// q5 and every acknowledged submission with its receipt. A killed grader
// holds its partitions for its session timeout (10 s): the wait allows a
// minute.
func waitInPostgres(t *testing.T, d *examhalltest.ScaleDeps, acked []ackedAnswer) {
	t.Helper()
	ctx := context.Background()
	for i, st := range acked {
		examhalltest.Eventually(t, 60*time.Second, func() error {
			if st.receipt != "" {
				sub, err := d.PG.Submission(ctx, st.attempt)
				if err != nil || sub.Receipt != st.receipt {
					return fmt.Errorf("candidate %d: receipt %s acknowledged; PostgreSQL has %+v (%v)", i, st.receipt, sub, err)
				}
			}
			kept, err := d.PG.Drafts(ctx, st.attempt)
			if seq := kept["q5"].Seq; err != nil || seq < st.seq {
				return fmt.Errorf("candidate %d: seq %d acknowledged; PostgreSQL has %d (%v)", i, st.seq, seq, err)
			}
			return nil
		})
	}
}

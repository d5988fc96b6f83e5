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
	examhalltest.Eventually(t, 30*time.Second, func() error {
		if got := l.acks.Load(); got < n {
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
	staff := client.New(url)
	if err := staff.StaffLogin(ctx, "admin", password); err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(examhalltest.AllTypesExam("load", 3600))
	exam, err := staff.CreateExam(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := staff.IssueCodes(ctx, exam, nil, n)
	if err != nil {
		t.Fatal(err)
	}
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
		raw, _ := json.Marshal(resp)
		ans := []examhall.Answer{{Question: "q5", Response: raw, Seq: seq}}
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
		got := v.Answers["q5"]
		var resp string
		json.Unmarshal(got.Response, &resp)
		switch {
		case got.Seq < st.seq:
			t.Errorf("candidate %d: seq %d was acknowledged, the server has %d after %s", i, st.seq, got.Seq, after)
		case got.Seq == st.seq && st.seq > 0 && resp != st.response:
			t.Errorf("candidate %d: acknowledged %q at seq %d, the server has %q", i, st.response, st.seq, resp)
		}
		if st.receipt != "" && (v.Status != examhall.Submitted || v.Receipt != st.receipt) {
			t.Errorf("candidate %d: submission with receipt %s was acknowledged; after %s: %s %q", i, st.receipt, after, v.Status, v.Receipt)
		}
	}
	if total == 0 {
		t.Fatalf("no save was acknowledged before %s: the test proved nothing", after)
	}
	return total
}

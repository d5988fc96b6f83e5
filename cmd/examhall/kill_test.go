package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// TestKillAndRestartLosesNothing saves and submits from many candidates
// against a server process, kills it with SIGKILL mid-stream, restarts it
// on the same data and checks that every acknowledged answer and
// submission is there.
func TestKillAndRestartLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	dir := t.TempDir()
	proc := startProcess(t, dir)
	url := proc.url
	ctx := context.Background()
	staff := client.New(url)
	if err := staff.StaffLogin(ctx, "admin", "kill-test-password"); err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(examhalltest.AllTypesExam("kill", 3600))
	exam, err := staff.CreateExam(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := staff.IssueCodes(ctx, exam, nil, 40)
	if err != nil {
		t.Fatal(err)
	}
	type acked struct {
		seq      int64
		response string
		receipt  string
		attempt  string
	}
	states := make([]acked, len(codes))
	var wg sync.WaitGroup
	for i, code := range codes {
		c := client.New(url)
		login, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			t.Fatal(err)
		}
		states[i].attempt = login.Attempt
		wg.Add(1)
		go func(i int, c *client.Client) {
			defer wg.Done()
			st := &states[i]
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
					return
				}
				if _, err := c.Save(ctx, st.attempt, ans); err != nil {
					return
				}
				st.seq, st.response = seq, resp
			}
		}(i, c)
	}
	time.Sleep(time.Duration(300+rand.IntN(500)) * time.Millisecond)
	proc.cmd.Process.Kill()
	<-proc.exited
	wg.Wait()

	url2 := startProcess(t, dir).url
	total := 0
	for i, code := range codes {
		st := states[i]
		total += int(st.seq)
		c := client.New(url2)
		if _, err := c.Login(ctx, exam, code.Candidate, code.Code); err != nil {
			t.Fatalf("login after restart: %v", err)
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
			t.Errorf("candidate %d: seq %d was acknowledged, the server has %d after the kill", i, st.seq, got.Seq)
		case got.Seq == st.seq && st.seq > 0 && resp != st.response:
			t.Errorf("candidate %d: acknowledged %q at seq %d, the server has %q", i, st.response, st.seq, resp)
		}
		if st.receipt != "" && (v.Status != examhall.Submitted || v.Receipt != st.receipt) {
			t.Errorf("candidate %d: submission with receipt %s was acknowledged; after the kill: %s %q", i, st.receipt, v.Status, v.Receipt)
		}
	}
	if total == 0 {
		t.Fatal("no save was acknowledged before the kill: the test proved nothing")
	}
	t.Logf("%d acknowledged saves checked after SIGKILL", total)
}

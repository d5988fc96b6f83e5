package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// startScaleProcess starts the test binary as `examhall args...` against
// the deployment d and returns it once it says it listens.
func startScaleProcess(t testing.TB, d *examhalltest.ScaleDeps, args ...string) *serverProcess {
	t.Helper()
	env := []string{"EXAMHALL_ADMIN_USER=admin", "EXAMHALL_ADMIN_PASSWORD=scale-test-password",
		"EXAMHALL_SECRET=" + fmt.Sprintf("%x", d.Secret),
		"EXAMHALL_POSTGRES=" + d.PostgresURL, "EXAMHALL_POSTGRES_SCHEMA=" + d.Schema,
		"EXAMHALL_REDIS=" + d.RedisURL, "EXAMHALL_REDIS_PREFIX=" + d.Prefix,
		"EXAMHALL_KAFKA=" + strings.Join(d.Brokers, ","), "EXAMHALL_KAFKA_PARTITIONS=4"}
	addr := regexp.MustCompile(`examhall (?:serving|grader consuming)"?.*?"?addr"?[=:]"?([^"\s,]+)`) // text or json
	return startBinary(t, env, addr, args...)
}

// TestScalePodsKilledLoseNothing runs two API pods and a grader as
// processes on one deployment, spreads candidates over the pods, kills the
// grader (a new one takes over) and then one pod mid-run, and checks that every acknowledged answer is served by the
// surviving pod and is in PostgreSQL once, and that every submission is
// recorded and graded once.
func TestScalePodsKilledLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	d := examhalltest.NewScaleDeps(t)
	pods := []*serverProcess{
		startScaleProcess(t, d, "serve", "--addr", "127.0.0.1:0"),
		startScaleProcess(t, d, "serve", "--addr", "127.0.0.1:0"),
	}
	grader := startScaleProcess(t, d, "grader", "--addr", "127.0.0.1:0")
	ctx := context.Background()
	const n = 40
	_, exam, codes := processExam(t, pods[0].url, "scale-test-password", examhalltest.AllTypesExam("scale", 3600), n)
	acked := make([]ackedAnswer, n)
	var wg sync.WaitGroup
	var acks atomic.Int64 // saves and submissions acknowledged so far
	stop := make(chan struct{})
	for i, code := range codes {
		c := client.New(pods[i%2].url)
		login, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			t.Fatal(err)
		}
		acked[i] = ackedAnswer{candidate: code.Candidate, code: code.Code, attempt: login.Attempt}
		wg.Add(1)
		go func(i int, st *ackedAnswer) {
			defer wg.Done()
			for seq := int64(1); ; seq++ {
				select {
				case <-stop:
					return
				default:
				}
				resp := fmt.Sprintf("c%d-s%d", i, seq)
				if i%4 == 0 && seq == 15 {
					resp = "Paris" // graded correct
				}
				ans := answerQ5(resp, seq)
				if i%4 == 0 && seq == 15 {
					r, err := c.Submit(ctx, st.attempt, ans)
					if err == nil {
						st.seq, st.response, st.receipt = seq, resp, r.Receipt
						acks.Add(1)
					}
					return
				}
				if _, err := c.Save(ctx, st.attempt, ans); err != nil {
					return
				}
				st.seq, st.response = seq, resp
				acks.Add(1)
			}
		}(i, &acked[i])
	}
	// Each step waits for more acknowledged saves: the load runs through it.
	waitMoreAcks(t, &acks, 200)
	grader.cmd.Process.Kill() // mid-batch, as likely as not
	<-grader.exited
	startScaleProcess(t, d, "grader", "--addr", "127.0.0.1:0")
	waitMoreAcks(t, &acks, 200)
	pods[0].cmd.Process.Kill()
	<-pods[0].exited
	waitMoreAcks(t, &acks, 100) // on the surviving pod
	close(stop)
	wg.Wait()

	total, submitted := 0, 0
	for i, st := range acked {
		total += int(st.seq)
		if st.receipt != "" {
			submitted++
		}
		st.checkServed(t, pods[1].url, exam, i, "the kills")
	}
	if total == 0 || submitted == 0 {
		t.Fatalf("%d saves and %d submissions acknowledged: the test proved nothing", total, submitted)
	}
	// The grader has everything in PostgreSQL within seconds.
	waitInPostgres(t, d, acked)
	var subs int
	d.PG.Pool().QueryRow(ctx, `SELECT count(*) FROM submissions`).Scan(&subs)
	// Graded from what the grader kept: staff results through the
	// surviving pod.
	res, err := staffClient(t, pods[1].url, "scale-test-password").Results(ctx, exam)
	if err != nil {
		t.Fatal(err)
	}
	graded, score := 0, 1.0
	for _, r := range res.Results {
		if r.Status == examhall.Submitted && !r.Auto {
			graded++
			score = min(score, r.Score)
		}
	}
	if subs != submitted || graded != submitted || score != 1 {
		t.Errorf("PostgreSQL has %d submissions and the results %d graded (lowest score %v); %d were acknowledged, each scoring 1", subs, graded, score, submitted)
	}
	t.Logf("%d saves and %d submissions acknowledged through two pods; grader and one pod killed; all in PostgreSQL", total, submitted)
}

func TestScaleModeNeedsTheSharedSecret(t *testing.T) {
	env := map[string]string{"EXAMHALL_POSTGRES": "postgres://127.0.0.1:1/x", "EXAMHALL_REDIS": "redis://127.0.0.1:1", "EXAMHALL_KAFKA": "127.0.0.1:1"}
	for _, tc := range []struct{ name, secret, want string }{
		{"missing", "", "EXAMHALL_SECRET or --secret-file"},
		{"short", "too-short", "at least 32"},
		{"one byte repeated", strings.Repeat("a", 64), "too little entropy"},
		{"two bytes repeated", strings.Repeat("ab", 32), "too little entropy"},
		{"a word repeated", strings.Repeat("secret", 8), "too little entropy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env["EXAMHALL_SECRET"] = tc.secret
			_, _, _, done := runMain(t, context.Background(), env, "serve", "--addr", "127.0.0.1:0")
			err := <-done
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("serve: %v; want one line saying %q", err, tc.want)
			}
		})
	}
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// startScaleProcess starts the test binary as `examhall args...` against
// the deployment d and returns it once it says it listens.
func startScaleProcess(t testing.TB, d *examhalltest.ScaleDeps, args ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "EXAMHALL_TEST_RUN_MAIN=1",
		"EXAMHALL_ADMIN_USER=admin", "EXAMHALL_ADMIN_PASSWORD=scale-test-password",
		"EXAMHALL_SECRET="+fmt.Sprintf("%x", d.Secret),
		"EXAMHALL_POSTGRES="+d.PostgresURL, "EXAMHALL_POSTGRES_SCHEMA="+d.Schema,
		"EXAMHALL_REDIS="+d.RedisURL, "EXAMHALL_REDIS_PREFIX="+d.Prefix,
		"EXAMHALL_KAFKA="+strings.Join(d.Brokers, ","), "EXAMHALL_KAFKA_PARTITIONS=4")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	t.Cleanup(func() { cmd.Process.Kill(); <-p.exited })
	addr := regexp.MustCompile(`examhall (?:serving|grader consuming)"?.*?"?addr"?[=:]"?([^"\s,]+)`) // text or json
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			p.stderr.Write(append(sc.Bytes(), '\n'))
			if m := addr.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, pipe)
		p.err = cmd.Wait()
		close(p.exited)
	}()
	select {
	case a := <-found:
		p.url = "http://" + a
	case <-p.exited:
		t.Fatalf("examhall %s exited: %v\n%s", args[0], p.err, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("examhall %s did not start:\n%s", args[0], p.stderr)
	}
	return p
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
	staff := client.New(pods[0].url)
	if err := staff.StaffLogin(ctx, "admin", "scale-test-password"); err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(examhalltest.AllTypesExam("scale", 3600))
	exam, err := staff.CreateExam(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	codes, err := staff.IssueCodes(ctx, exam, nil, n)
	if err != nil {
		t.Fatal(err)
	}
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
				raw, _ := json.Marshal(resp)
				ans := []examhall.Answer{{Question: "q5", Response: raw, Seq: seq}}
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
	more := func(n int64) {
		t.Helper()
		want := acks.Load() + n
		examhalltest.Eventually(t, 60*time.Second, func() error {
			if got := acks.Load(); got < want {
				return fmt.Errorf("%d of %d saves acknowledged", got, want)
			}
			return nil
		})
	}
	more(200)
	grader.cmd.Process.Kill() // mid-batch, as likely as not
	<-grader.exited
	startScaleProcess(t, d, "grader", "--addr", "127.0.0.1:0")
	more(200)
	pods[0].cmd.Process.Kill()
	<-pods[0].exited
	more(100) // on the surviving pod
	close(stop)
	wg.Wait()

	total, submitted := 0, 0
	for i, st := range acked {
		total += int(st.seq)
		if st.receipt != "" {
			submitted++
		}
		c := client.New(pods[1].url)
		examhalltest.Eventually(t, 30*time.Second, func() error { // 503: retry, as a page does
			_, err := c.Login(ctx, exam, st.candidate, st.code)
			if err != nil && client.Code(err) != "unavailable" {
				t.Fatalf("candidate %d: login on the surviving pod: %v", i, err)
			}
			return err
		})
		v, err := c.Paper(ctx, st.attempt)
		if err != nil {
			t.Fatal(err)
		}
		got := v.Answers["q5"]
		var resp string
		json.Unmarshal(got.Response, &resp)
		if got.Seq < st.seq || (got.Seq == st.seq && st.seq > 0 && resp != st.response) {
			t.Errorf("candidate %d: acknowledged %q at seq %d; the surviving pod has %q at %d", i, st.response, st.seq, resp, got.Seq)
		}
		if st.receipt != "" && v.Receipt != st.receipt {
			t.Errorf("candidate %d: receipt %s acknowledged, pod has %q", i, st.receipt, v.Receipt)
		}
	}
	if total == 0 || submitted == 0 {
		t.Fatalf("%d saves and %d submissions acknowledged: the test proved nothing", total, submitted)
	}
	// The grader has everything in PostgreSQL within seconds.
	pool := d.PG.Pool()
	for i, st := range acked {
		if st.seq == 0 {
			continue
		}
		// A killed grader holds its partitions for its session timeout (10 s).
		examhalltest.Eventually(t, 60*time.Second, func() error {
			kept, err := d.PG.Drafts(ctx, st.attempt)
			if seq := kept["q5"].Seq; err != nil || seq < st.seq {
				return fmt.Errorf("candidate %d: seq %d acknowledged; PostgreSQL has %d (%v)", i, st.seq, seq, err)
			}
			return nil
		})
	}
	var subs int
	pool.QueryRow(ctx, `SELECT count(*) FROM submissions`).Scan(&subs)
	// Graded from what the grader kept: staff results through the
	// surviving pod.
	staff = client.New(pods[1].url)
	if err := staff.StaffLogin(ctx, "admin", "scale-test-password"); err != nil {
		t.Fatal(err)
	}
	res, err := staff.Results(ctx, exam)
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

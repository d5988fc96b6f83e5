package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// TestLogsHoldNoSecrets drives logins, saves and submits with known access
// codes and distinctive answers against a server process logging every
// request at debug level, and requires its logs to be JSON lines with
// request ids that contain neither the codes nor the answers.
func TestLogsHoldNoSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	proc := startProcess(t, t.TempDir(), "--access-log", "--log-level", "debug")
	checkLogsHoldNoSecrets(t, proc, "kill-test-password")
}

// TestScaleLogsHoldNoSecrets does the same with a scale-mode pod and a
// grader, whose logs are checked too.
func TestScaleLogsHoldNoSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	d := examhalltest.NewScaleDeps(t)
	g := startScaleProcess(t, d, "grader", "--addr", "127.0.0.1:0", "--log-level", "debug")
	pod := startScaleProcess(t, d, "serve", "--addr", "127.0.0.1:0", "--access-log", "--log-level", "debug")
	secrets := checkLogsHoldNoSecrets(t, pod, "scale-test-password")
	// Let the grader write the answers before it stops.
	batches := regexp.MustCompile(`(?m)^examhall_grader_batch_size_count ([1-9]\d*)$`)
	examhalltest.Eventually(t, 20*time.Second, func() error {
		resp, err := http.Get(g.url + "/metrics")
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !batches.Match(body) {
			return errors.New("the grader wrote no batch")
		}
		return nil
	})
	g.cmd.Process.Signal(syscall.SIGTERM)
	<-g.exited
	logs := g.stderr.String()
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the grader's logs contain %q", s)
		}
	}
}

// checkLogsHoldNoSecrets drives the server process and checks its logs
// after stopping it; it returns the secrets it used.
func checkLogsHoldNoSecrets(t *testing.T, proc *serverProcess, password string) []string {
	t.Helper()
	ctx := context.Background()
	staff := staffClient(t, proc.url, password)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("logs", 600))
	codes, err := staff.IssueCodes(ctx, exam, []string{"cand-1", "cand-2"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{password}
	for i, code := range codes {
		secrets = append(secrets, code.Code)
		// A failed login with a near miss of the code must not log it either.
		last := "Q"
		if strings.HasSuffix(code.Code, last) {
			last = "Z"
		}
		wrong := code.Code[:len(code.Code)-1] + last
		if _, err := client.New(proc.url).Login(ctx, exam, code.Candidate, wrong); client.Code(err) != "invalid_credentials" {
			t.Fatalf("wrong code: %v", err)
		}
		secrets = append(secrets, wrong)
		c := client.New(proc.url)
		login, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			t.Fatal(err)
		}
		essay := "Zanzibar-quokka-essay-" + code.Candidate
		short := "Mellifluous-" + code.Candidate
		secrets = append(secrets, essay, short)
		save := []examhall.Answer{
			{Question: "q6", Response: mustJSON(essay), Seq: 1},
			{Question: "q5", Response: mustJSON(short), Seq: 1},
		}
		if _, err := c.Save(ctx, login.Attempt, save); err != nil {
			t.Fatal(err)
		}
		// A rejected save (wrong shape) carries content too.
		bad := []examhall.Answer{{Question: "q3", Response: mustJSON("Ocelot-bad-" + code.Candidate), Seq: 2}}
		secrets = append(secrets, "Ocelot-bad-"+code.Candidate)
		if _, err := c.Save(ctx, login.Attempt, bad); client.Code(err) != "bad_request" {
			t.Fatalf("bad save: %v", err)
		}
		if i == 0 {
			final := []examhall.Answer{{Question: "q6", Response: mustJSON(essay + "-final"), Seq: 2}}
			if _, err := c.Submit(ctx, login.Attempt, final); err != nil {
				t.Fatal(err)
			}
		}
	}
	proc.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-proc.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("server did not stop")
	}

	logs := proc.stderr.String()
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain %q", s)
		}
	}
	saves := 0
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON (stderr is not a terminal): %q", line)
		}
		if rec["msg"] == "request" && rec["route"] == "PUT /api/v1/attempts/{attempt}/answers" {
			saves++
			if id, _ := rec["request_id"].(string); id == "" {
				t.Errorf("access log line without request_id: %s", line)
			}
		}
	}
	if saves != 2*len(codes) {
		t.Errorf("access log has %d save lines, want %d: the test would prove nothing\n%s", saves, 2*len(codes), logs)
	}
	return secrets
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

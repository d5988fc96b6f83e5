package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"examhall/examhalltest"
)

// TestLoadtestProcs runs "examhall loadtest --procs 2" against an embedded
// server: two child processes (this test binary run as examhall) drive the
// candidates, the parent merges their results and judges them.
func TestLoadtestProcs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes and runs for seconds")
	}
	t.Setenv("EXAMHALL_TEST_RUN_MAIN", "1") // children run main()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{RealClock: true, Quiet: true})
	out := filepath.Join(t.TempDir(), "report.json")
	env := map[string]string{"EXAMHALL_ADMIN_USER": examhalltest.AdminUser, "EXAMHALL_ADMIN_PASSWORD": examhalltest.AdminPassword}
	duration := "3s"
	if raceOn {
		duration = "10s" // the race detector slows both sides several times over
	}
	stdout, stderr, _, done := runMain(t, context.Background(), env, "loadtest", "--url", srv.URL,
		"--candidates", "200", "--ramp", "1s", "--duration", duration, "--save-every", "400ms",
		"--procs", "2", "--conns", "40", "--close-margin", "1s", "--grace", "1s", "--json", out)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("loadtest: %v\n%s\n%s", err, stdout, stderr)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("loadtest did not finish")
	}
	t.Log(stdout.String())
	for _, want := range []string{"lost_answers: 0", "verdict: PASS", "2 process(es)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if !strings.Contains(stderr.String(), "loadtest: ") {
		t.Errorf("no progress lines on a non-terminal:\n%s", stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Candidates, Procs, Errors int
		Requests                  int
		LostAnswers               *int                          `json:"lost_answers"`
		Latency                   map[string]map[string]float64 `json:"latency_ms"`
		Verdict                   struct{ Attempts int }
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Candidates != 200 || r.Procs != 2 || r.Errors != 0 || r.LostAnswers == nil || *r.LostAnswers != 0 || r.Verdict.Attempts != 200 {
		t.Errorf("report %s: want 200 candidates over 2 processes, no errors, nothing lost", b)
	}
	// A login and a paper per candidate at least (how many saves fit in
	// the sessions depends on how busy the machine is).
	if r.Latency["save"]["p99"] <= 0 || r.Requests < 400 {
		t.Errorf("report %s: want saves timed and 400 requests or more", b)
	}
}

func TestPlanCommand(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	prices := filepath.Join(dir, "prices.json")
	os.WriteFile(report, []byte(`{"candidates": 5000, "requests": 600000, "elapsed_seconds": 300, "server_cpu_seconds": 200, "errors": 0, "lost_answers": 0}`), 0o644)
	os.WriteFile(prices, []byte(`{"currency": "EUR"}`), 0o644)
	stdout, stderr, _, done := runMain(t, context.Background(), nil, "plan", "--candidates", "50000", "--duration", "48h", "--from", report, "--prices", prices)
	if err := <-done; err != nil {
		t.Fatalf("plan: %v\n%s", err, stderr)
	}
	for _, want := range []string{"throughput 3000 API requests/s per core", "EUR", "TOTAL", "API pods (peak)", "no node above 70% CPU"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("plan output lacks %q:\n%s", want, stdout)
		}
	}
	stdout, stderr, _, done = runMain(t, context.Background(), nil, "plan", "--candidates", "50000", "--schedule", "--opens-at", "2026-06-01T09:00:00Z", "--lead", "15m")
	if err := <-done; err != nil {
		t.Fatalf("plan --schedule: %v\n%s", err, stderr)
	}
	for _, want := range []string{"from 2026-06-01T08:45:00Z", "start: \"45 8 1 6 *\"", "MIN_REPLICAS="} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("plan --schedule output lacks %q:\n%s", want, stdout)
		}
	}
}

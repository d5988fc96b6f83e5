package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"examhall/examhalltest"
)

// TestScaleSIGTERMUnderLoad sends SIGTERM to a scale-mode pod while
// candidates save through it: /readyz must fail during the drain, the pod
// must exit 0 (its producer flushed), and another pod must serve every
// acknowledged answer.
func TestScaleSIGTERMUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	d := examhalltest.NewScaleDeps(t)
	pod := startScaleProcess(t, d, "serve", "--addr", "127.0.0.1:0", "--drain-delay", "400ms", "--shutdown-timeout", "10s")
	load := startSaveLoad(t, pod.url, "scale-test-password", 24)
	load.waitAcks(t, int64(50+rand.IntN(200)))
	if err := pod.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitNotReady(t, pod.url)
	select {
	case <-pod.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("pod did not exit after SIGTERM:\n%s", pod.stderr)
	}
	if pod.err != nil {
		t.Fatalf("exit after SIGTERM: %v, want status 0\n%s", pod.err, pod.stderr)
	}
	load.wait()
	other := startScaleProcess(t, d, "serve", "--addr", "127.0.0.1:0")
	total := load.check(t, other.url, "SIGTERM of a pod")
	t.Logf("%d acknowledged saves served by another pod after SIGTERM", total)
}

// TestGraderMetricsTokenAndSIGTERM checks the grader's /metrics token and
// that SIGTERM stops it with status 0.
func TestGraderMetricsTokenAndSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a grader process")
	}
	d := examhalltest.NewScaleDeps(t)
	g := startScaleProcess(t, d, "grader", "--addr", "127.0.0.1:0", "--metrics-token", "grader-token")
	for _, tc := range []struct {
		token  string
		status int
	}{{"", 401}, {"wrong", 401}, {"grader-token", 200}} {
		req, _ := http.NewRequest("GET", g.url+"/metrics", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("grader /metrics with %q = %d, want %d", tc.token, resp.StatusCode, tc.status)
		}
		if tc.status == 200 && !strings.Contains(string(body), "examhall_grader_batch_size") {
			t.Error("grader /metrics lacks examhall_grader_batch_size")
		}
	}
	g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-g.exited:
	case <-time.After(20 * time.Second):
		t.Fatalf("grader did not exit after SIGTERM:\n%s", g.stderr)
	}
	if g.err != nil {
		t.Errorf("grader exit after SIGTERM: %v, want status 0\n%s", g.err, g.stderr)
	}
}

// waitNotReady requires /readyz to answer 503 soon after SIGTERM, while
// the server still answers (its drain delay).
func waitNotReady(t *testing.T, url string) {
	t.Helper()
	examhalltest.Eventually(t, 5*time.Second, func() error {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			return fmt.Errorf("/readyz never answered 503 after SIGTERM: %w", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			return fmt.Errorf("/readyz answers %d after SIGTERM", resp.StatusCode)
		}
		return nil
	})
}

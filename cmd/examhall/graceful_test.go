package main

import (
	"math/rand/v2"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMUnderLoad sends SIGTERM to a server process while candidates
// save: /readyz must turn false while requests are still served, the
// process must exit 0, and after a restart on the same data every
// acknowledged answer must be there.
func TestSIGTERMUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	proc := startProcess(t, dir, "--drain-delay", "400ms", "--shutdown-timeout", "10s")
	load := startSaveLoad(t, proc.url, "kill-test-password", 40)
	time.Sleep(time.Duration(300+rand.IntN(500)) * time.Millisecond)
	if err := proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// During the drain delay the server still answers, but not ready.
	notReady := false
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline) && !notReady; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get(proc.url + "/readyz")
		if err != nil {
			break
		}
		resp.Body.Close()
		notReady = resp.StatusCode == http.StatusServiceUnavailable
	}
	if !notReady {
		t.Error("/readyz never answered 503 after SIGTERM")
	}
	select {
	case <-proc.exited:
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not exit after SIGTERM:\n%s", proc.stderr)
	}
	if proc.err != nil {
		t.Fatalf("exit after SIGTERM: %v, want status 0\n%s", proc.err, proc.stderr)
	}
	load.wait()

	total := load.check(t, startProcess(t, dir).url, "SIGTERM")
	t.Logf("%d acknowledged saves checked after SIGTERM", total)
}

package main

import (
	"math/rand/v2"
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
	load.waitAcks(t, int64(100+rand.IntN(400)))
	if err := proc.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// During the drain delay the server still answers, but not ready.
	waitNotReady(t, proc.url)
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

package main

import (
	"math/rand/v2"
	"testing"
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
	load := startSaveLoad(t, proc.url, "kill-test-password", 40)
	load.waitAcks(t, int64(100+rand.IntN(400))) // mid-stream, at a point of chance
	proc.cmd.Process.Kill()
	<-proc.exited
	load.wait()

	total := load.check(t, startProcess(t, dir).url, "the kill")
	t.Logf("%d acknowledged saves checked after SIGKILL", total)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"examhall/client"
	"examhall/examhalltest"
)

// TestSecondProcessOnDataDirectory starts a server process on a data
// directory, then tries every command that writes to the directory: each
// refuses at once with one line naming the running server's pid, and the
// running server goes on serving. A backup works meanwhile.
func TestSecondProcessOnDataDirectory(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	proc := startProcess(t, dir)
	pid := fmt.Sprint(proc.cmd.Process.Pid)
	doc := filepath.Join(t.TempDir(), "exam.json")
	b, _ := json.Marshal(examhalltest.AllTypesExam("locked", 600))
	os.WriteFile(doc, b, 0o600)
	env := map[string]string{"EXAMHALL_NEW_PASSWORD": "another-password"}
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0", "--data", dir},
		{"import", "--data", dir, doc},
		{"admin", "user", "--data", dir, "--role", "marker", "second"},
		{"admin", "codes", "--data", dir, "--count", "2", "demo"},
		{"migrate", "--data", dir},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, stderr, _, done := runMain(t, ctx, env, args...)
		var err error
		select {
		case err = <-done:
		case <-ctx.Done():
			t.Fatalf("%s: still running while another process holds %s", args[0], dir)
		}
		cancel()
		if err == nil {
			t.Errorf("%v: succeeded while a server holds the directory:\n%s", args, stderr)
			continue
		}
		msg := oneLine(err.Error())
		if !strings.Contains(msg, "process "+pid) || !strings.Contains(msg, dir) {
			t.Errorf("%v: %q, want one line naming the directory and the holder's pid %s", args, msg, pid)
		}
		if exitCode(err) != 1 {
			t.Errorf("%v: exit code %d, want 1", args, exitCode(err))
		}
	}
	// The running server still answers and still holds the directory.
	if err := client.New(proc.url).StaffLogin(context.Background(), "admin", "kill-test-password"); err != nil {
		t.Fatalf("the first server after the refusals: %v", err)
	}
	file := filepath.Join(t.TempDir(), "copy.db")
	_, stderr, _, done := runMain(t, context.Background(), nil, "backup", "--data", dir, file)
	if err := <-done; err != nil {
		t.Fatalf("backup while the server runs: %v\n%s", err, stderr)
	}
}

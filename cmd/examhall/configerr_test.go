package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfigErrorsAreOneLine starts the binary with broken configurations:
// each must stop it with a non-zero status and one clear line on stderr,
// never a stack trace or a usage text.
func TestConfigErrorsAreOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "not-a-directory")
	os.WriteFile(file, []byte("x"), 0o600)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"bad listen address", nil, []string{"--addr", "256.0.0.1:80"}, "listening on 256.0.0.1:80"},
		{"address in use", nil, []string{"--addr", busy.Addr().String()}, "address already in use"},
		{"data is a file", nil, []string{"--data", file}, "not-a-directory"},
		{"bad log format", nil, []string{"--log-format", "xml"}, `log format "xml"`},
		{"bad duration in the environment", []string{"EXAMHALL_SHUTDOWN_TIMEOUT=soon"}, nil, "EXAMHALL_SHUTDOWN_TIMEOUT"},
		{"admin without password", []string{"EXAMHALL_ADMIN_USER=chief"}, nil, "EXAMHALL_ADMIN_PASSWORD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, tt.args...)
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(append(os.Environ(), "EXAMHALL_TEST_RUN_MAIN=1"), tt.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running with a broken configuration:\n%s", stderr.String())
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("exit %v, want a non-zero status", err)
			}
			out := strings.TrimRight(stderr.String(), "\n")
			if strings.Count(out, "\n") != 0 || !strings.HasPrefix(out, "examhall: ") || !strings.Contains(out, tt.want) {
				t.Errorf("stderr:\n%s\nwant one line \"examhall: ...%s...\"", out, tt.want)
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic") {
				t.Errorf("stderr has a stack trace:\n%s", out)
			}
		})
	}
}

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

	"examhall/examhalltest"
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
		{"bad trusted proxy", nil, []string{"--trusted-proxies", "10.0.0.0/8,lb.example"}, `--trusted-proxies: "lb.example"`},
		{"bad exempt network", nil, []string{"--login-exempt", "10.1.2.3/40"}, "--login-exempt"},
		{"no failed logins allowed", nil, []string{"--login-failures", "0"}, "--login-failures"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, tt.args...)
			checkConfigError(t, tt.env, args, tt.want)
		})
	}
}

// TestScaleConfigErrorsAreOneLine does the same for scale mode: missing
// secret, bad URL, each dependency unreachable.
func TestScaleConfigErrorsAreOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	d := examhalltest.NewScaleDeps(t) // a migrated schema: no migration line before the error
	secret := "EXAMHALL_SECRET=3f9c0e17b2d84a65c1e0f7a9d3b25e8c4a71f06b9d2e3c58a0b7f146e9d2c3a8"
	pg := "EXAMHALL_POSTGRES=" + d.PostgresURL
	schema := "EXAMHALL_POSTGRES_SCHEMA=" + d.Schema
	rd := "EXAMHALL_REDIS=" + d.RedisURL
	kafka := "EXAMHALL_KAFKA=" + strings.Join(d.Brokers, ",")
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"no secret", []string{pg, schema, rd, kafka}, "EXAMHALL_SECRET"},
		{"short secret", []string{"EXAMHALL_SECRET=short", pg, schema, rd, kafka}, "at least 32"},
		{"only some dependencies", []string{secret, pg, schema, rd}, "all of --postgres, --redis and --kafka"},
		{"bad PostgreSQL URL", []string{secret, "EXAMHALL_POSTGRES=postgres://%zz", rd, kafka}, "postgres URL"},
		{"PostgreSQL unreachable", []string{secret, "EXAMHALL_POSTGRES=postgres://root@127.0.0.1:1/x", rd, kafka}, "127.0.0.1:1"},
		{"Redis unreachable", []string{secret, pg, schema, "EXAMHALL_REDIS=redis://127.0.0.1:1/0", kafka}, "redis"},
		{"Kafka unreachable", []string{secret, pg, schema, rd, "EXAMHALL_KAFKA=127.0.0.1:1"}, "kafka"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkConfigError(t, tt.env, []string{"serve", "--addr", "127.0.0.1:0"}, tt.want)
		})
	}
}

// checkConfigError runs the binary with env and args and requires it to
// stop with a non-zero status and exactly one line "examhall: ...want...".
func checkConfigError(t *testing.T, env, args []string, want string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "EXAMHALL_TEST_RUN_MAIN=1"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running with a broken configuration:\n%s", stderr.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("exit %v, want a non-zero status", err)
	}
	out := strings.TrimRight(stderr.String(), "\n")
	if strings.Count(out, "\n") != 0 || !strings.HasPrefix(out, "examhall: ") || !strings.Contains(out, want) {
		t.Errorf("stderr:\n%s\nwant one line \"examhall: ...%s...\"", out, want)
	}
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic") {
		t.Errorf("stderr has a stack trace:\n%s", out)
	}
}

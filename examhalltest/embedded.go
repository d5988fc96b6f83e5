// Package examhalltest starts real examhall servers for tests and
// benchmarks: the full HTTP API on a loopback port, over a fresh store.
package examhalltest

import (
	"context"
	"examhall"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"examhall/client"
	"examhall/hall"
	ehttp "examhall/http"
	"examhall/metrics"
	"examhall/redis"
	"examhall/server"
)

// Admin credentials of every test server.
const (
	AdminUser     = "admin"
	AdminPassword = "correct horse battery"
)

// Server is a running examhall server.
type Server struct {
	URL  string
	Hall *hall.Hall
	// Now is the server's clock; tests move it with Advance.
	Clock *Clock
	// Metrics are the server's metrics (their registry is what /metrics serves).
	Metrics *metrics.Metrics
	// Scale is the deployment of a scale-mode server, nil for embedded.
	Scale *ScaleDeps
	// Redis is a scale-mode server's own connection to Redis (tests cut
	// it), nil for embedded.
	Redis *redis.Store
	stop  func()
}

// Options tune a test server.
type Options struct {
	// Dir is the embedded data directory (default: a fresh temporary one).
	Dir string
	// RealClock uses the wall clock instead of a controllable one.
	RealClock bool
	// Quiet discards the server's logs (default: they go to t.Log).
	Quiet bool
	// SweepInterval is how often overdue attempts are submitted (50 ms).
	SweepInterval time.Duration
	// Web serves the web UI (package web) as examhall serve does.
	Web bool
	// Backend, when set, decorates the server's backend (server.Config.Wrap).
	Backend func(examhall.Backend) examhall.Backend
	// HTTP configures the API server (metrics token, tracing...).
	HTTP ehttp.Config
	// Guard tunes the login defences (hall.Guard).
	Guard hall.Guard
	// SyncWait is a scale-mode pod's wait for the grader (10 s).
	SyncWait time.Duration
	// RedisClock makes a scale-mode pod decide by Redis's clock, its own
	// (the test's Clock) corrected by the measured offset.
	RedisClock bool
}

// NewEmbedded starts an embedded-mode server and stops it when the test
// ends.
func NewEmbedded(tb testing.TB, opt Options) *Server {
	tb.Helper()
	if opt.Dir == "" {
		opt.Dir = tb.TempDir()
	}
	return start(tb, server.Config{Data: opt.Dir}, opt)
}

// start builds a server as `examhall serve` does (server.Build) with the
// test's clock, logger and admin, and serves it on a loopback port until
// the test ends.
func start(tb testing.TB, cfg server.Config, opt Options) *Server {
	tb.Helper()
	clock := NewClock()
	if opt.SweepInterval == 0 {
		opt.SweepInterval = 50 * time.Millisecond
	}
	cfg.Now = time.Now
	if !opt.RealClock {
		cfg.Now = clock.Now
	}
	cfg.Logger = logger(tb, opt.Quiet)
	cfg.SweepInterval = opt.SweepInterval
	cfg.Guard = opt.Guard
	cfg.AdminUser, cfg.AdminPassword = AdminUser, AdminPassword
	cfg.HTTP, cfg.TracerProvider, cfg.Web, cfg.Wrap = opt.HTTP, opt.HTTP.TracerProvider, opt.Web, opt.Backend
	// Tests read the attempts gauge right after changing attempts.
	cfg.CountInterval = time.Nanosecond
	srv, err := server.Build(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("building the server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, server.ServeOptions{ShutdownWait: 5 * time.Second}) }()
	s := &Server{URL: "http://" + ln.Addr().String(), Hall: srv.Hall, Clock: clock, Metrics: srv.Metrics, Redis: srv.Redis}
	s.stop = func() {
		cancel()
		if err := <-done; err != nil {
			tb.Logf("stopping the server: %v", err)
		}
		srv.Close()
	}
	tb.Cleanup(func() { s.Stop() })
	return s
}

// Stop stops the server; later calls do nothing.
func (s *Server) Stop() {
	if s.stop != nil {
		s.stop()
		s.stop = nil
	}
}

// Client returns a client of the server with no token.
func (s *Server) Client() *client.Client { return client.New(s.URL) }

// Staff returns a client logged in as the admin.
func (s *Server) Staff(tb testing.TB) *client.Client {
	tb.Helper()
	c := s.Client()
	if err := c.StaffLogin(context.Background(), AdminUser, AdminPassword); err != nil {
		tb.Fatalf("staff login: %v", err)
	}
	return c
}

func logger(tb testing.TB, quiet bool) *slog.Logger {
	if quiet {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(string(p))
	return len(p), nil
}

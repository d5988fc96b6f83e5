// Package examhalltest starts real examhall servers for tests and
// benchmarks: the full HTTP API on a loopback port, over a fresh store.
package examhalltest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/hall"
	ehttp "examhall/http"
	"examhall/metrics"
	"examhall/sqlite"
	"examhall/web"
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
	// HTTP configures the API server (metrics token, readiness checks...).
	HTTP ehttp.Config
}

// NewEmbedded starts an embedded-mode server and stops it when the test
// ends.
func NewEmbedded(tb testing.TB, opt Options) *Server {
	tb.Helper()
	if opt.Dir == "" {
		opt.Dir = tb.TempDir()
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, opt.Dir, sqlite.Options{})
	if err != nil {
		tb.Fatalf("opening embedded store: %v", err)
	}
	secret, err := db.Secret(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	keys, err := hall.NewKeys(secret)
	if err != nil {
		tb.Fatal(err)
	}
	s := Start(tb, db.Backend(), keys, opt)
	prev := s.stop
	s.stop = func() {
		prev()
		db.Close()
	}
	return s
}

// Start serves backend over HTTP on a loopback port until the test ends.
func Start(tb testing.TB, b hallBackend, keys *hall.Keys, opt Options) *Server {
	tb.Helper()
	clock := NewClock()
	if opt.SweepInterval == 0 {
		opt.SweepInterval = 50 * time.Millisecond
	}
	met := metrics.New()
	cfg := hall.Config{Logger: logger(tb, opt.Quiet), SweepInterval: opt.SweepInterval, Observer: met, Now: time.Now}
	if !opt.RealClock {
		cfg.Now = clock.Now
	}
	if c, ok := b.Attempts.(examhall.AttemptCounter); ok {
		met.WatchAttempts(func(ctx context.Context) (map[string]int, error) { return c.CountAttempts(ctx, cfg.Now()) }, 0)
	}
	h := hall.New(b, keys, cfg)
	if _, err := h.EnsureAdmin(context.Background(), AdminUser, AdminPassword); err != nil {
		tb.Fatal(err)
	}
	hcfg := opt.HTTP
	if opt.Web {
		ui, err := web.New()
		if err != nil {
			tb.Fatal(err)
		}
		hcfg.Web = ui
	}
	hcfg.Ready = h.Ready
	srv := ehttp.NewServer(h, met, cfg.Logger, hcfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.RunSweeper(ctx)
	}()
	s := &Server{URL: "http://" + ln.Addr().String(), Hall: h, Clock: clock, Metrics: met}
	s.stop = func() {
		cancel()
		<-done
		hs.Close()
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

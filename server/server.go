// Package server builds a running examhall server from its configuration:
// it opens the adapters of one mode (embedded: sqlite; scale: postgres,
// redis and kafka through package scale), puts package hall on them with
// the server's clock, the HTTP API of package http in front, and serves
// until told to stop, draining gracefully.
//
// It is the one way a server is put together: `examhall serve`, the
// commands that work on a data directory, and every test server
// (package examhalltest) call Build.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"examhall"
	"examhall/hall"
	ehttp "examhall/http"
	"examhall/metrics"
	"examhall/redis"
	"examhall/web"

	"go.opentelemetry.io/otel/trace"
)

// Config is everything a server is built from. cmd/examhall fills it from
// flags and EXAMHALL_* variables; tests fill it directly.
type Config struct {
	// Data is the embedded mode's directory, used when Scale is nil.
	Data string
	// Scale, when set, selects scale mode.
	Scale *Scale
	// Now is the server's clock (default time.Now). Deadlines, tokens,
	// audit and save-log times and the login limiter's windows all read
	// it, so a test that moves it moves the whole server.
	Now func() time.Time
	// Logger receives the server's logs (default slog.Default).
	Logger *slog.Logger
	// TracerProvider, when set, traces every request and every call to
	// PostgreSQL, Redis and Kafka.
	TracerProvider trace.TracerProvider
	// HTTP tunes the API (body caps, metrics token, access log); Build
	// sets its Web, Ready and TracerProvider.
	HTTP ehttp.Config
	// Web serves the web UI (package web) outside /api/.
	Web bool
	// AdminUser and AdminPassword, when both are set, create that admin
	// account at start unless it exists.
	AdminUser, AdminPassword string
	// Guard tunes the defences of the logins (hall.Guard).
	Guard hall.Guard
	// SweepInterval is how often overdue attempts are submitted (1s).
	SweepInterval time.Duration
	// CountInterval bounds how often the examhall_attempts gauge asks
	// the store, however often Prometheus scrapes (5s).
	CountInterval time.Duration
	// Wrap, when set, decorates the mode's backend before the server uses
	// it: a store that holds or fails calls, in tests.
	Wrap func(examhall.Backend) examhall.Backend
}

// Server is a built server: its use cases, its API and its metrics.
type Server struct {
	// Hall runs the use cases, on the mode's backend.
	Hall *hall.Hall
	// API is the HTTP API over Hall.
	API *ehttp.Server
	// Metrics are what /metrics serves.
	Metrics *metrics.Metrics
	// Mode describes the mode for the log, such as "embedded (SQLite at
	// ./examhall-data/examhall.db)".
	Mode string
	// Redis is scale mode's connection to Redis, nil in embedded mode
	// (tests cut it).
	Redis *redis.Store

	log      *slog.Logger
	closers  []func() error
	tokenKey []byte // embedded mode's token key, kept outside the database
}

// Build opens the adapters of the mode cfg selects and builds the server
// on them. Close releases them.
func Build(ctx context.Context, cfg Config) (_ *Server, err error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CountInterval == 0 {
		cfg.CountInterval = 5 * time.Second
	}
	s := &Server{Metrics: metrics.New(), log: cfg.Logger}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	var b examhall.Backend
	var secret []byte
	if cfg.Scale != nil {
		b, secret, err = s.openScale(ctx, &cfg)
	} else {
		b, secret, err = s.openEmbedded(ctx, &cfg)
	}
	if err != nil {
		return nil, err
	}
	if cfg.Wrap != nil {
		b = cfg.Wrap(b)
	}
	keys, err := hall.NewKeys(secret)
	if err != nil {
		return nil, err
	}
	if s.tokenKey != nil {
		if keys, err = keys.WithTokenKey(s.tokenKey); err != nil {
			return nil, err
		}
	}
	s.watchAttempts(b, cfg.Now, cfg.CountInterval)
	s.Hall = hall.New(b, keys, hall.Config{
		Logger: cfg.Logger, Observer: s.Metrics, Now: cfg.Now, SweepInterval: cfg.SweepInterval, Guard: cfg.Guard,
		// A change made on another server shows here within a second.
		ExamCacheTTL: time.Second,
	})
	if err := s.ensureAdmin(ctx, cfg.AdminUser, cfg.AdminPassword); err != nil {
		return nil, err
	}
	hc := cfg.HTTP
	hc.Ready, hc.TracerProvider = s.Hall.Ready, cfg.TracerProvider
	if cfg.Web {
		if hc.Web, err = web.New(); err != nil {
			return nil, fmt.Errorf("loading the web UI: %w", err)
		}
	}
	s.API = ehttp.NewServer(s.Hall, s.Metrics, cfg.Logger, hc)
	return s, nil
}

// Close releases the adapters, newest first.
func (s *Server) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}

func (s *Server) onClose(fn func() error) { s.closers = append(s.closers, fn) }

func (s *Server) ensureAdmin(ctx context.Context, user, password string) error {
	if user == "" || password == "" {
		return nil
	}
	created, err := s.Hall.EnsureAdmin(ctx, user, password)
	if err != nil {
		return fmt.Errorf("creating admin %q: %w", user, err)
	}
	if created {
		s.log.Info("created admin account", "username", user)
	}
	return nil
}

// watchAttempts exports the attempts-by-state gauge when the backend can
// count them.
func (s *Server) watchAttempts(b examhall.Backend, now func() time.Time, every time.Duration) {
	if c, ok := b.Attempts.(examhall.AttemptCounter); ok {
		s.Metrics.WatchAttempts(func(ctx context.Context) (map[string]int, error) {
			return c.CountAttempts(ctx, now())
		}, every)
	}
}

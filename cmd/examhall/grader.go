package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"examhall/grader"
	"examhall/metrics"
	"examhall/postgres"
	"examhall/server"
)

// runGrader is `examhall grader`: a member of the grader's consumer group,
// carrying the event log into PostgreSQL, with its metrics on --addr.
func (m *Main) runGrader(ctx context.Context, args []string) error {
	var c scaleConfig
	fs := m.newFlagSet("grader", "grader [flags]")
	fs.StringVar(&c.Postgres, "postgres", "", "PostgreSQL URL")
	fs.StringVar(&c.Kafka, "kafka", "", "comma-separated Kafka brokers")
	scaleFlags(fs, &c, false)
	addr := fs.String("addr", ":9091", "address of /metrics, /healthz and /readyz")
	maxBatch := fs.Int("max-batch", 10000, "most records written to PostgreSQL in one transaction")
	logFormat := fs.String("log-format", "auto", "log format: text, json, or auto (text on a terminal, json otherwise)")
	metricsToken := fs.String("metrics-token", "", "require this bearer token on /metrics")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if c.Postgres == "" || c.Kafka == "" {
		return usageError{"the grader needs --postgres and --kafka (or EXAMHALL_POSTGRES and EXAMHALL_KAFKA)"}
	}
	log, err := newLogger(m, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	tp, stopTracing, err := m.setupTracing(ctx, log)
	if err != nil {
		return err
	}
	defer stopTracing()
	met := metrics.New()
	pg, err := server.OpenPostgres(ctx, c.Postgres, postgres.Options{Schema: c.Schema, Observer: met.Scale.Postgres(), TracerProvider: tp}, c.Migrate, log)
	if err != nil {
		return err
	}
	defer pg.Close()
	g, err := grader.New(ctx, pg, c.kafka(), grader.Config{Group: c.Group, MaxBatch: *maxBatch, Logger: log, Observer: met.Scale, TracerProvider: tp})
	if err != nil {
		return err
	}
	defer g.Close()
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", requireToken(*metricsToken, met.Handler()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := pg.Ready(r.Context()); err != nil {
			http.Error(w, "postgres: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	ln, err := listen(ctx, *addr, false)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	log.Info("examhall grader consuming", "brokers", c.Kafka, "group", c.Group, "addr", ln.Addr().String(), "version", Version)
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}
	err = g.Run(ctx)
	log.Info("grader stopped")
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// requireToken serves h only to requests bearing token, when it is set.
func requireToken(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintln(w, `{"error": {"code": "unauthorized", "message": "The metrics need the metrics token as a bearer token."}}`)
			return
		}
		h.ServeHTTP(w, r)
	})
}

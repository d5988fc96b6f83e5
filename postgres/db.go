// Package postgres is the durable store of examhall's scale mode: exam
// definitions, candidates, staff, attempts, marks, and what the grader
// keeps from the event log (drafts, the save log, submissions and the audit
// log), on PostgreSQL through a pgx connection pool. API pods read
// it rarely; the grader writes it in batches.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"examhall"
	"examhall/telemetry"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/trace"
)

// DB is an open PostgreSQL store. Its methods implement the exam, candidate,
// staff and mark stores of package examhall, and the durable half of the
// attempt and answer stores.
type DB struct {
	pool *pgxpool.Pool
	obs  Observer
}

// Observer is told of every call to PostgreSQL, for metrics. Its method
// must be cheap and safe for concurrent use.
type Observer interface {
	// Call records one call: its operation, how long it took and its
	// failure (a missing row is none).
	Call(op string, took time.Duration, err error)
}

type nopObserver struct{}

func (nopObserver) Call(string, time.Duration, error) {}

// Options tune a DB.
type Options struct {
	// Schema, if set, is created when missing and used as the search path,
	// so that several deployments (or tests) share one database.
	Schema string
	// MaxConns caps the pool (default: pgxpool's, 4 per core at least).
	MaxConns int32
	// Observer, if set, is told of every call.
	Observer Observer
	// AppName names the connections in pg_stat_activity.
	AppName string
	// TracerProvider, if set, makes a span of every query.
	TracerProvider trace.TracerProvider
}

// Open connects to the database at url. It does not migrate; call Migrate.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres URL: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	} else if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	if opt.AppName != "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = opt.AppName
	}
	if opt.Schema != "" {
		if !examhall.ValidID(opt.Schema) {
			return nil, fmt.Errorf("postgres schema %q: letters, digits and _ only", opt.Schema)
		}
		cfg.ConnConfig.RuntimeParams["search_path"] = opt.Schema
		if err := createSchema(ctx, url, opt.Schema); err != nil {
			return nil, err
		}
	}
	if opt.TracerProvider != nil {
		cfg.ConnConfig.Tracer = tracer{telemetry.NewTracer(opt.TracerProvider, "examhall/postgres")}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to postgres: %w", err)
	}
	if opt.Observer == nil {
		opt.Observer = nopObserver{}
	}
	return &DB{pool: pool, obs: opt.Observer}, nil
}

func createSchema(ctx context.Context, url, schema string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connecting to postgres: %w", err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // created concurrently
		err = nil
	}
	return err
}

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// Pool returns the connection pool, for tests and tools.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ready reports whether the database answers.
//
// A connection that the server cut while it sat idle in the pool (a
// restart or a failover that is over) fails the first ping and leaves the
// pool; the ping is tried again on a fresh connection, so that readiness
// says whether PostgreSQL answers now.
func (db *DB) Ready(ctx context.Context) error {
	err := db.pool.Ping(ctx)
	for i := 0; i < 3 && err != nil && ctx.Err() == nil && connectionLost(err); i++ {
		err = db.pool.Ping(ctx)
	}
	return err
}

// observe tells the observer of a call that started at start.
func (db *DB) observe(op string, start time.Time, err error) {
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil
	}
	db.obs.Call(op, time.Since(start), err)
}

func notFound(what, id string) error {
	return examhall.Errorf(examhall.ENotFound, "No %s has the id %q.", what, id)
}

func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

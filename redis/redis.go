// Package redis is the hot state of examhall's scale mode, shared by every
// API pod: attempts with their one live session, draft answers (applied
// with the seq rule inside Redis, atomically), the deadline index that
// drives automatic submission, submission locks and login rate limits.
//
// Redis is a cache of the event log, not the record: every key can be
// rebuilt from PostgreSQL, so a flush or an eviction costs candidates at
// worst a new login. Every key of one attempt carries the attempt id as its
// hash tag, so the keys a script touches share a Redis Cluster slot.
package redis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"examhall"
	"examhall/telemetry"

	"github.com/redis/rueidis"
	"go.opentelemetry.io/otel/trace"
)

// Store is a connection to Redis under one key prefix.
type Store struct {
	c      rueidis.Client
	prefix string
	obs    Observer
}

// Observer is told of every call to Redis, for metrics. Its method must be
// cheap and safe for concurrent use.
type Observer interface {
	// Call records one call: its operation, how long it took and its
	// failure (a missing key is none).
	Call(op string, took time.Duration, err error)
}

type nopObserver struct{}

func (nopObserver) Call(string, time.Duration, error) {}

// Options tune a Store.
type Options struct {
	// Prefix starts every key, so that deployments (or tests) can share a
	// Redis. It must not contain braces.
	Prefix string
	// Observer, if set, is told of every call.
	Observer Observer
	// TracerProvider, if set, makes a span of every command.
	TracerProvider trace.TracerProvider
}

// Open connects to the Redis at url (redis://host:port/db).
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	if strings.ContainsAny(opt.Prefix, "{}") {
		return nil, fmt.Errorf("redis key prefix %q: no braces", opt.Prefix)
	}
	o, err := rueidis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis URL: %w", err)
	}
	o.DisableCache = true
	o.ConnWriteTimeout = 5 * time.Second
	c, err := rueidis.NewClient(o)
	if err != nil {
		return nil, fmt.Errorf("connecting to redis: %w", err)
	}
	if opt.TracerProvider != nil {
		c = tracedClient{Client: c, t: telemetry.NewTracer(opt.TracerProvider, "examhall/redis")}
	}
	if opt.Observer == nil {
		opt.Observer = nopObserver{}
	}
	return &Store{c: c, prefix: opt.Prefix, obs: opt.Observer}, nil
}

// Close closes the connections.
func (s *Store) Close() { s.c.Close() }

// Client returns the underlying client, for tests and tools.
func (s *Store) Client() rueidis.Client { return s.c }

// Prefix returns the key prefix.
func (s *Store) Prefix() string { return s.prefix }

// Ready reports whether Redis answers.
func (s *Store) Ready(ctx context.Context) error {
	return s.c.Do(ctx, s.c.B().Ping().Build()).Error()
}

// Keys of one attempt; the braces make the attempt id the hash tag.
func (s *Store) attemptKey(id string) string { return s.prefix + "att:{" + id + "}" }
func (s *Store) draftsKey(id string) string  { return s.prefix + "drafts:{" + id + "}" }
func (s *Store) lockKey(id string) string    { return s.prefix + "lock:{" + id + "}" }

// dueKey is the deadline index: one sorted set (one slot) of attempt ids
// by due time.
func (s *Store) dueKey() string { return s.prefix + "due" }

// observe records a call and turns a failure into EUnavailable: Redis down
// means nothing was acknowledged and retrying is safe.
func (s *Store) observe(op string, start time.Time, err error) error {
	if rueidis.IsRedisNil(err) {
		err = nil
	}
	s.obs.Call(op, time.Since(start), err)
	if err != nil {
		return examhall.Unavailable(fmt.Errorf("redis %s: %w", op, err))
	}
	return nil
}

func ms(t time.Time) string {
	if t.IsZero() {
		return "0"
	}
	return fmt.Sprint(t.UnixMilli())
}

// Time returns Redis's clock (TIME): the one clock every pod can compare
// its own with.
func (s *Store) Time(ctx context.Context) (time.Time, error) {
	v, err := s.c.Do(ctx, s.c.B().Time().Build()).AsIntSlice()
	if err != nil {
		return time.Time{}, err
	}
	if len(v) != 2 {
		return time.Time{}, fmt.Errorf("redis TIME answered %v", v)
	}
	return time.Unix(v[0], v[1]*1000), nil
}

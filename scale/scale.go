// Package scale composes examhall's scale mode: an examhall.Backend on
// PostgreSQL (the record), Redis (the hot state, a cache of the log) and
// Kafka (the event log). A save is acknowledged only once the broker has it
// (acks=all) and Redis holds it; the grader (package grader) carries the
// log into PostgreSQL, from which Redis is rebuilt when it loses state.
package scale

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"examhall"
	"examhall/kafka"
	"examhall/postgres"
	"examhall/redis"
)

// Config tunes a Store.
type Config struct {
	// Group is the grader's consumer group, which staff reads wait for.
	Group string
	// SyncWait bounds how long a staff read (results, statistics, the
	// audit log) waits for the grader to catch up with the log (3s).
	SyncWait time.Duration
	// ClaimLease is how long an overdue attempt claimed by one pod is
	// hidden from the others (30s).
	ClaimLease time.Duration
	// LockWait bounds how long a submission waits for another submission
	// of the same attempt (5s).
	LockWait time.Duration
	// Now is the server's clock, which dates saves in the event log
	// (default time.Now).
	Now func() time.Time
}

// Store is the scale-mode backend of one API pod.
type Store struct {
	pg  *postgres.DB
	rd  *redis.Store
	log *kafka.Log
	cfg Config

	syncMu   sync.Mutex
	nextSync *syncWait // the shared wait callers join, not started yet
}

// New returns a Store on its three dependencies.
func New(pg *postgres.DB, rd *redis.Store, log *kafka.Log, cfg Config) *Store {
	if cfg.SyncWait == 0 {
		cfg.SyncWait = 3 * time.Second
	}
	if cfg.ClaimLease == 0 {
		cfg.ClaimLease = 30 * time.Second
	}
	if cfg.LockWait == 0 {
		cfg.LockWait = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Store{pg: pg, rd: rd, log: log, cfg: cfg}
}

// Backend returns the examhall.Backend of scale mode.
func (s *Store) Backend() examhall.Backend {
	return examhall.Backend{
		Exams: redis.NewExamCache(s.rd, s.pg, 5*time.Second), Candidates: s.pg, Staff: s.pg, Marks: s.pg,
		Attempts: s, Answers: s, Audit: s, Limiter: s.rd, Assets: s.pg, Uploads: s.pg, Ready: s.Ready,
		LTI: s.pg, Once: s.rd,
	}
}

var (
	_ examhall.AttemptStore   = (*Store)(nil)
	_ examhall.AnswerStore    = (*Store)(nil)
	_ examhall.AuditLog       = (*Store)(nil)
	_ examhall.AttemptCounter = (*Store)(nil)
)

// Ready reports whether PostgreSQL, Redis and a broker all answer.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.pg.Ready(ctx); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if err := s.rd.Ready(ctx); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	if err := s.log.Ready(ctx); err != nil {
		return fmt.Errorf("kafka: %w", err)
	}
	return nil
}

// catchUp waits, at most SyncWait, for the grader to have written every
// event logged so far, so that staff reads and rebuilt attempts include
// every acknowledged answer. If the grader is behind for longer, the read
// shows what is written. Callers within a few milliseconds of each other
// share one wait, which starts after all of them called, so that thousands
// of candidates logging in again after a Redis flush do not each cost the
// broker a wait.
//
// It reports whether the grader caught up: the live views (monitor,
// audit log) show what is written anyway, while results and statistics
// refuse to be partial (see complete).
func (s *Store) catchUp(ctx context.Context) bool {
	s.syncMu.Lock()
	w := s.nextSync
	if w == nil {
		w = &syncWait{done: make(chan struct{})}
		s.nextSync = w
		go s.runSync(w)
	}
	s.syncMu.Unlock()
	select {
	case <-w.done:
		return w.caught
	case <-ctx.Done():
		return false
	}
}

// syncWait is one shared wait for the grader.
type syncWait struct {
	done   chan struct{}
	caught bool // set before done is closed
}

// complete waits for the grader like catchUp, and is EUnavailable when it
// did not catch up: a read of every answer of an exam is then refused
// rather than silently missing some acknowledged ones.
func (s *Store) complete(ctx context.Context) error {
	if s.catchUp(ctx) {
		return nil
	}
	return &examhall.RetryError{Err: examhall.Errorf(examhall.EUnavailable,
		"The grader has not yet written every acknowledged answer (it is more than %s behind); results now would be incomplete. Retry shortly.", s.cfg.SyncWait), After: 5 * time.Second}
}

// syncGather is how long a shared wait gathers callers before it starts.
const syncGather = 5 * time.Millisecond

func (s *Store) runSync(w *syncWait) {
	time.Sleep(syncGather)
	s.syncMu.Lock()
	s.nextSync = nil // later callers start another wait
	s.syncMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.SyncWait)
	defer cancel()
	w.caught, _ = s.log.WaitConsumed(ctx, s.cfg.Group)
	close(w.done)
}

// dbErr marks a failure of PostgreSQL on the path of a candidate as
// EUnavailable: nothing was acknowledged and retrying is safe.
func dbErr(err error) error {
	var e *examhall.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return examhall.Unavailable(err)
}

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"sync"

	"examhall"
)

// The process keeps the hot state of embedded mode in memory: every
// attempt's row, the current answers of attempts in progress, and the
// candidates of exams in use. The file is the durable copy, and this
// process is its only writer (the data directory is locked), so the
// memory is authoritative: a login, a paper or a save reads no SQL. Memory
// changes only after the change is durable, so it never runs ahead of the
// file. An attempt costs a few hundred bytes plus its answers while in
// progress; a submitted one drops its answers (they are read back from the
// file on the rare request that needs them).

// attemptEntry is the in-process state of one attempt. Its mutex
// serializes every change to the attempt.
type attemptEntry struct {
	mu sync.Mutex
	a  examhall.Attempt
	// answers are the attempt's current answers by question; nil until
	// first needed, and again once the attempt is submitted.
	answers map[string]examhall.Answer
	// created is closed once a new attempt's row is durable; nil for
	// attempts read from the file. failed is set, before created is
	// closed, when the row could not be written.
	created chan struct{}
	failed  bool
}

func (e *attemptEntry) snapshot() *examhall.Attempt {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.a
	return &a
}

// loadAttempts reads every attempt into memory, at open.
func (db *DB) loadAttempts(ctx context.Context) error {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+attemptCols+` FROM attempts`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return err
		}
		db.attempts.Store(a.ID, &attemptEntry{a: *a})
	}
	return rows.Err()
}

// currentAnswers returns e's answers, reading them from the file the
// first time. e.mu must be held. For a submitted attempt they are read
// each time and not kept.
func (db *DB) currentAnswers(ctx context.Context, e *attemptEntry) (map[string]examhall.Answer, error) {
	if e.answers != nil {
		return e.answers, nil
	}
	m, err := db.readAnswers(ctx, e.a.ID)
	if err != nil {
		return nil, err
	}
	if e.a.Status == examhall.InProgress {
		e.answers = m
	}
	return m, nil
}

// readAnswers reads an attempt's answers from the file.
func (db *DB) readAnswers(ctx context.Context, id string) (map[string]examhall.Answer, error) {
	rows, err := db.query(ctx, `SELECT question, response, seq FROM answers WHERE attempt = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]examhall.Answer)
	for rows.Next() {
		var a examhall.Answer
		var resp string
		if err := rows.Scan(&a.Question, &resp, &a.Seq); err != nil {
			return nil, err
		}
		a.Response = json.RawMessage(resp)
		out[a.Question] = a
	}
	return out, rows.Err()
}

// candidateSet is the candidates of one exam, read from the file on first
// use and kept up to date by PutCandidates.
type candidateSet struct {
	mu     sync.RWMutex
	loaded bool
	byID   map[string]examhall.Candidate
}

func (db *DB) candidateSet(exam string) *candidateSet {
	if v, ok := db.candidates.Load(exam); ok {
		return v.(*candidateSet)
	}
	v, _ := db.candidates.LoadOrStore(exam, &candidateSet{})
	return v.(*candidateSet)
}

// lookup returns one candidate of the set, loading the set first if need be.
func (s *candidateSet) lookup(ctx context.Context, db *DB, exam, id string) (examhall.Candidate, bool, error) {
	s.mu.RLock()
	if s.loaded {
		c, ok := s.byID[id]
		s.mu.RUnlock()
		return c, ok, nil
	}
	s.mu.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		cs, err := db.readCandidates(ctx, exam)
		if err != nil {
			return examhall.Candidate{}, false, err
		}
		s.byID = make(map[string]examhall.Candidate, len(cs))
		for _, c := range cs {
			s.byID[c.ID] = *c
		}
		s.loaded = true
	}
	c, ok := s.byID[id]
	return c, ok, nil
}

// put records candidates just made durable.
func (s *candidateSet) put(cs []*examhall.Candidate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded {
		return // read in full on first use
	}
	for _, c := range cs {
		s.byID[c.ID] = *c
	}
}

// query runs a read with a statement prepared once per query text.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// queryRow is query for one row.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := db.prepared(ctx, query)
	if err != nil {
		return db.rd.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// prepared returns the read statement for query, preparing it on first use:
// parsing SQL costs more than running a point lookup.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.rd.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if old, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return old.(*sql.Stmt), nil
	}
	return s, nil
}

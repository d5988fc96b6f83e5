package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"examhall"
)

var _ examhall.AttemptStore = (*DB)(nil)

// attemptEntry is the in-process state of one attempt. Its mutex
// serializes every change to the attempt; memory changes only after the
// change committed, so it never runs ahead of the file.
type attemptEntry struct {
	mu   sync.Mutex
	a    examhall.Attempt
	seqs map[string]int64 // stored seq per question
}

func (e *attemptEntry) snapshot() *examhall.Attempt {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.a
	return &a
}

// entry returns the cached state of an attempt, loading it on first use.
func (db *DB) entry(ctx context.Context, id string) (*attemptEntry, error) {
	if v, ok := db.attempts.Load(id); ok {
		return v.(*attemptEntry), nil
	}
	row := db.rd.QueryRowContext(ctx, `SELECT `+attemptCols+` FROM attempts WHERE id = ?`, id)
	a, err := scanAttempt(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("attempt", id)
	}
	if err != nil {
		return nil, err
	}
	e := &attemptEntry{a: *a, seqs: make(map[string]int64)}
	rows, err := db.rd.QueryContext(ctx, `SELECT question, seq FROM answers WHERE attempt = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var q string
		var seq int64
		if err := rows.Scan(&q, &seq); err != nil {
			return nil, err
		}
		e.seqs[q] = seq
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	v, _ := db.attempts.LoadOrStore(id, e)
	return v.(*attemptEntry), nil
}

const attemptCols = `id, exam, candidate, status, started_at, deadline, due, submitted_at, auto, receipt, session`

func scanAttempt(s scanner) (*examhall.Attempt, error) {
	var a examhall.Attempt
	var started, deadline, due, submitted int64
	err := s.Scan(&a.ID, &a.Exam, &a.Candidate, &a.Status, &started, &deadline, &due, &submitted, &a.Auto, &a.Receipt, &a.Session)
	if err != nil {
		return nil, err
	}
	a.StartedAt, a.Deadline, a.Due, a.SubmittedAt = fromMS(started), fromMS(deadline), fromMS(due), fromMS(submitted)
	return &a, nil
}

// Begin implements examhall.AttemptStore.
func (db *DB) Begin(ctx context.Context, a *examhall.Attempt, sid string) (*examhall.Attempt, error) {
	e, err := db.entry(ctx, a.ID)
	if examhall.ErrorCode(err) == examhall.ENotFound {
		if e, err = db.create(ctx, a, sid); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.a.Session != sid {
		err := db.w.do(ctx, func(t *wtx) error {
			_, err := t.exec(`UPDATE attempts SET session = ? WHERE id = ?`, sid, a.ID)
			return err
		}, nil)
		if err != nil {
			return nil, examhall.Unavailable(fmt.Errorf("starting session: %w", err))
		}
		e.a.Session = sid
	}
	out := e.a
	return &out, nil
}

// create stores a new attempt with its first session, or returns the
// attempt that another login created meanwhile.
func (db *DB) create(ctx context.Context, a *examhall.Attempt, sid string) (*attemptEntry, error) {
	h := fnv.New32a()
	h.Write([]byte(a.ID))
	mu := &db.creating[h.Sum32()%uint32(len(db.creating))]
	mu.Lock()
	defer mu.Unlock()
	if e, err := db.entry(ctx, a.ID); err == nil {
		return e, nil
	} else if examhall.ErrorCode(err) != examhall.ENotFound {
		return nil, err
	}
	e := &attemptEntry{a: *a, seqs: make(map[string]int64)}
	e.a.Session = sid
	err := db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO attempts (`+attemptCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, '', ?)`,
			a.ID, a.Exam, a.Candidate, string(examhall.InProgress), ms(a.StartedAt), ms(a.Deadline), ms(a.Due), sid)
		return err
	}, nil)
	if err != nil {
		return nil, examhall.Unavailable(fmt.Errorf("starting attempt: %w", err))
	}
	db.attempts.Store(a.ID, e)
	return e, nil
}

// Attempt implements examhall.AttemptStore.
func (db *DB) Attempt(ctx context.Context, id string) (*examhall.Attempt, error) {
	e, err := db.entry(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.snapshot(), nil
}

// Attempts implements examhall.AttemptStore.
func (db *DB) Attempts(ctx context.Context, exam string) ([]*examhall.Attempt, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+attemptCols+` FROM attempts WHERE exam = ? ORDER BY candidate`, exam)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.Attempt
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ClaimDue implements examhall.AttemptStore. One process owns the file, so
// a claim needs no lease: the sweeper submits what it claimed before it
// claims again.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, limit int) ([]string, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT id FROM attempts WHERE status = 'in_progress' AND due <= ? ORDER BY due LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Extend implements examhall.AttemptStore.
func (db *DB) Extend(ctx context.Context, id string, deadline, due time.Time) error {
	e, err := db.entry(ctx, id)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.a.Status != examhall.InProgress {
		return e.a.CheckOpen(time.Now())
	}
	err = db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`UPDATE attempts SET deadline = ?, due = ? WHERE id = ?`, ms(deadline), ms(due), id)
		return err
	}, nil)
	if err != nil {
		return examhall.Unavailable(err)
	}
	e.a.Deadline, e.a.Due = deadline, due
	return nil
}

var _ examhall.AttemptCounter = (*DB)(nil)

// CountAttempts implements examhall.AttemptCounter.
func (db *DB) CountAttempts(ctx context.Context, now time.Time) (map[string]int, error) {
	out := map[string]int{}
	rows, err := db.rd.QueryContext(ctx, `SELECT status, count(*) FROM attempts GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out[status] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var overdue int
	err = db.rd.QueryRowContext(ctx, `SELECT count(*) FROM attempts WHERE status = 'in_progress' AND due < ?`, ms(now)).Scan(&overdue)
	out["overdue"] = overdue
	return out, err
}

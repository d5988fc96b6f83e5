package sqlite

import (
	"context"
	"fmt"
	"time"

	"examhall"
)

var _ examhall.AttemptStore = (*DB)(nil)

// entry returns the in-process state of an attempt. The process holds
// every attempt (see attemptEntry), so an id it does not know has no
// attempt. An attempt still being created is waited for.
func (db *DB) entry(ctx context.Context, id string) (*attemptEntry, error) {
	v, ok := db.attempts.Load(id)
	if !ok {
		return nil, notFound("attempt", id)
	}
	e := v.(*attemptEntry)
	if e.created != nil {
		select {
		case <-e.created:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.failed {
			return nil, notFound("attempt", id)
		}
	}
	return e, nil
}

const attemptCols = `id, exam, candidate, status, started_at, deadline, due, submitted_at, auto, receipt, session, reopens`

func scanAttempt(s scanner) (*examhall.Attempt, error) {
	var a examhall.Attempt
	var started, deadline, due, submitted int64
	err := s.Scan(&a.ID, &a.Exam, &a.Candidate, &a.Status, &started, &deadline, &due, &submitted, &a.Auto, &a.Receipt, &a.Session, &a.Reopens)
	if err != nil {
		return nil, err
	}
	a.StartedAt, a.Deadline, a.Due, a.SubmittedAt = fromMS(started), fromMS(deadline), fromMS(due), fromMS(submitted)
	return &a, nil
}

// Begin implements examhall.AttemptStore.
func (db *DB) Begin(ctx context.Context, a *examhall.Attempt, sid string) (_ *examhall.Attempt, err error) {
	defer examhall.Wrap(&err, "Begin", a.ID)
	for {
		e, err := db.entry(ctx, a.ID)
		if examhall.ErrorCode(err) == examhall.ENotFound {
			created, err := db.create(ctx, a, sid)
			if err != nil {
				return nil, err
			}
			if created != nil {
				return created.snapshot(), nil
			}
			continue // another login is creating it: wait for that one
		}
		if err != nil {
			return nil, err
		}
		return db.startSession(ctx, e, sid)
	}
}

// startSession makes sid the live session of an existing attempt.
func (db *DB) startSession(ctx context.Context, e *attemptEntry, sid string) (*examhall.Attempt, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.a.Session != sid {
		err := db.w.do(ctx, func(t *wtx) error {
			_, err := t.exec(`UPDATE attempts SET session = ? WHERE id = ?`, sid, e.a.ID)
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

// create stores a new attempt with its first session and returns its
// entry, or nil when another login got there first. The entry is visible
// at once, so that concurrent logins of the same candidate wait for this
// one instead of racing it, but nobody reads it before it is durable.
// Logins of different candidates never wait for each other here: each
// waits only for the group commit that carries its own row.
func (db *DB) create(ctx context.Context, a *examhall.Attempt, sid string) (*attemptEntry, error) {
	e := &attemptEntry{a: *a, answers: map[string]examhall.Answer{}, created: make(chan struct{})}
	e.a.Session = sid
	if _, loaded := db.attempts.LoadOrStore(a.ID, e); loaded {
		return nil, nil
	}
	err := db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO attempts (`+attemptCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, '', ?, 0)`,
			a.ID, a.Exam, a.Candidate, string(examhall.InProgress), ms(a.StartedAt), ms(a.Deadline), ms(a.Due), sid)
		return err
	}, nil)
	if err != nil {
		e.failed = true
		db.attempts.CompareAndDelete(a.ID, e)
		close(e.created)
		return nil, examhall.Unavailable(fmt.Errorf("starting attempt: %w", err))
	}
	close(e.created)
	return e, nil
}

// Attempt implements examhall.AttemptStore.
func (db *DB) Attempt(ctx context.Context, id string) (_ *examhall.Attempt, err error) {
	defer examhall.Wrap(&err, "Attempt", id)
	e, err := db.entry(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.snapshot(), nil
}

// Attempts implements examhall.AttemptStore.
func (db *DB) Attempts(ctx context.Context, exam string) (_ []*examhall.Attempt, err error) {
	defer examhall.Wrap(&err, "Attempts", exam)
	rows, err := db.query(ctx, `SELECT `+attemptCols+` FROM attempts WHERE exam = ? ORDER BY candidate`, exam)
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
func (db *DB) ClaimDue(ctx context.Context, now time.Time, limit int) (_ []string, err error) {
	defer examhall.Wrap(&err, "ClaimDue")
	rows, err := db.query(ctx, `SELECT id FROM attempts WHERE status = 'in_progress' AND due <= ? ORDER BY due LIMIT ?`, ms(now), limit)
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
func (db *DB) Extend(ctx context.Context, id string, deadline, due time.Time) (err error) {
	defer examhall.Wrap(&err, "Extend", id)
	e, err := db.entry(ctx, id)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.a.Status != examhall.InProgress {
		return e.a.CheckOpen(db.now())
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

// Reopen implements examhall.AttemptStore in one transaction: the
// attempt is in progress again, and its final row goes (the answers
// table keeps every answer, so the final answers are its drafts).
func (db *DB) Reopen(ctx context.Context, id string, deadline, due time.Time) (_ *examhall.Attempt, err error) {
	defer examhall.Wrap(&err, "Reopen", id)
	e, err := db.entry(ctx, id)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.a.Status != examhall.Submitted {
		return nil, examhall.Errorf(examhall.EAttemptNotSubmitted, "Attempt %q is not submitted; only a submitted attempt can be reopened.", id)
	}
	err = db.w.do(ctx, func(t *wtx) error {
		if _, err := t.exec(`UPDATE attempts SET status = 'in_progress', deadline = ?, due = ?, submitted_at = 0, auto = 0,
			receipt = '', reopens = reopens + 1 WHERE id = ?`, ms(deadline), ms(due), id); err != nil {
			return err
		}
		_, err := t.exec(`DELETE FROM finals WHERE attempt = ?`, id)
		return err
	}, nil)
	if err != nil {
		return nil, examhall.Unavailable(fmt.Errorf("reopening: %w", err))
	}
	prev := e.a
	e.a.Status, e.a.Deadline, e.a.Due = examhall.InProgress, deadline, due
	e.a.SubmittedAt, e.a.Auto, e.a.Receipt = time.Time{}, false, ""
	e.a.Reopens++
	e.answers = nil // read back from the file when first needed
	return &prev, nil
}

var _ examhall.AttemptCounter = (*DB)(nil)

// CountAttempts implements examhall.AttemptCounter, from the attempts the
// process holds: no query, so the gauge costs nothing at exam start.
func (db *DB) CountAttempts(ctx context.Context, now time.Time) (_ map[string]int, err error) {
	defer examhall.Wrap(&err, "CountAttempts")
	out := map[string]int{string(examhall.InProgress): 0, string(examhall.Submitted): 0, "overdue": 0}
	db.attempts.Range(func(_, v any) bool {
		e := v.(*attemptEntry)
		if e.created != nil && !closed(e.created) {
			return true
		}
		e.mu.Lock()
		status, due := e.a.Status, e.a.Due
		e.mu.Unlock()
		out[string(status)]++
		if status == examhall.InProgress && due.Before(now) {
			out["overdue"]++
		}
		return true
	})
	return out, nil
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"examhall"
)

var _ examhall.ExamStore = (*DB)(nil)

// CreateExam implements examhall.ExamStore.
func (db *DB) CreateExam(ctx context.Context, e *examhall.Exam) (err error) {
	defer examhall.Wrap(&err, "CreateExam", e.ID)
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	n, err := db.w.execN(ctx, `INSERT INTO exams (id, doc, released, created_at) VALUES (?, ?, 0, ?) ON CONFLICT (id) DO NOTHING`, e.ID, string(doc), ms(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("storing exam %q: %w", e.ID, err)
	}
	if n == 0 {
		return examhall.Errorf(examhall.EConflict, "An exam with the id %q exists already.", e.ID)
	}
	return nil
}

// ReplaceExam implements examhall.ExamStore.
func (db *DB) ReplaceExam(ctx context.Context, e *examhall.Exam) (err error) {
	defer examhall.Wrap(&err, "ReplaceExam", e.ID)
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	var found, started bool
	err = db.w.do(ctx, func(t *wtx) error {
		found, started = false, false
		var n int
		if err := t.QueryRow(`SELECT count(*) FROM exams WHERE id = ?`, e.ID).Scan(&n); err != nil {
			return err
		}
		found = n > 0
		if err := t.QueryRow(`SELECT count(*) FROM attempts WHERE exam = ?`, e.ID).Scan(&n); err != nil {
			return err
		}
		started = n > 0
		if !found || started {
			return nil
		}
		_, err := t.exec(`UPDATE exams SET doc = ? WHERE id = ?`, string(doc), e.ID)
		return err
	}, nil)
	switch {
	case err != nil:
		return fmt.Errorf("replacing exam %q: %w", e.ID, err)
	case !found:
		return notFound("exam", e.ID)
	case started:
		return examhall.Errorf(examhall.EConflict, "Exam %q has attempts already; its questions can no longer change.", e.ID)
	}
	return nil
}

// ReviseExam implements examhall.ExamStore.
func (db *DB) ReviseExam(ctx context.Context, e *examhall.Exam) (err error) {
	defer examhall.Wrap(&err, "ReviseExam", e.ID)
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	n, err := db.w.execN(ctx, `UPDATE exams SET doc = ? WHERE id = ?`, string(doc), e.ID)
	if err != nil {
		return fmt.Errorf("revising exam %q: %w", e.ID, err)
	}
	if n == 0 {
		return notFound("exam", e.ID)
	}
	return nil
}

// Exam implements examhall.ExamStore.
func (db *DB) Exam(ctx context.Context, id string) (_ *examhall.Exam, err error) {
	defer examhall.Wrap(&err, "Exam", id)
	row := db.rd.QueryRowContext(ctx, `SELECT doc, released, created_at FROM exams WHERE id = ?`, id)
	e, err := scanExam(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("exam", id)
	}
	return e, err
}

// Exams implements examhall.ExamStore.
func (db *DB) Exams(ctx context.Context) (_ []*examhall.Exam, err error) {
	defer examhall.Wrap(&err, "Exams")
	rows, err := db.rd.QueryContext(ctx, `SELECT doc, released, created_at FROM exams ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.Exam
	for rows.Next() {
		e, err := scanExam(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanExam(s scanner) (*examhall.Exam, error) {
	var doc string
	var released bool
	var created int64
	if err := s.Scan(&doc, &released, &created); err != nil {
		return nil, err
	}
	var e examhall.Exam
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		return nil, fmt.Errorf("decoding stored exam: %w", err)
	}
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("stored exam %q: %w", e.ID, err)
	}
	e.Released, e.CreatedAt = released, fromMS(created)
	return &e, nil
}

// SetReleased implements examhall.ExamStore.
func (db *DB) SetReleased(ctx context.Context, id string, released bool) (err error) {
	defer examhall.Wrap(&err, "SetReleased", id)
	return db.updateExam(ctx, id, `UPDATE exams SET released = ? WHERE id = ?`, released, id)
}

// SetWindow implements examhall.ExamStore.
func (db *DB) SetWindow(ctx context.Context, id string, opensAt, closesAt *time.Time) (err error) {
	defer examhall.Wrap(&err, "SetWindow", id)
	e, err := db.Exam(ctx, id)
	if err != nil {
		return err
	}
	e.OpensAt, e.ClosesAt = opensAt, closesAt
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return db.updateExam(ctx, id, `UPDATE exams SET doc = ? WHERE id = ?`, string(doc), id)
}

func (db *DB) updateExam(ctx context.Context, id, query string, args ...any) error {
	n, err := db.w.execN(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("updating exam %q: %w", id, err)
	}
	if n == 0 {
		return notFound("exam", id)
	}
	return nil
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.ExamStore = (*DB)(nil)

// CreateExam implements examhall.ExamStore.
func (db *DB) CreateExam(ctx context.Context, e *examhall.Exam) (err error) {
	defer wrap(&err, "CreateExam", e.ID)
	defer func(start time.Time) { db.observe("create_exam", start, err) }(time.Now())
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO exams (id, doc, released, created_at) VALUES ($1, $2, false, $3)
		ON CONFLICT (id) DO NOTHING`, e.ID, doc, e.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("storing exam %q: %w", e.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return examhall.Errorf(examhall.EConflict, "An exam with the id %q exists already.", e.ID)
	}
	return nil
}

// ReplaceExam implements examhall.ExamStore. The check for attempts and the
// update are one statement, so an attempt that starts meanwhile wins.
func (db *DB) ReplaceExam(ctx context.Context, e *examhall.Exam) (err error) {
	defer wrap(&err, "ReplaceExam", e.ID)
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tag, err := db.pool.Exec(ctx, `UPDATE exams SET doc = $2 WHERE id = $1
		AND NOT EXISTS (SELECT 1 FROM attempts WHERE exam = $1)`, e.ID, doc)
	if err != nil {
		return fmt.Errorf("replacing exam %q: %w", e.ID, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	if _, err := db.Exam(ctx, e.ID); err != nil {
		return err
	}
	return examhall.Errorf(examhall.EConflict, "Exam %q has attempts already; its questions can no longer change.", e.ID)
}

// ReviseExam implements examhall.ExamStore.
func (db *DB) ReviseExam(ctx context.Context, e *examhall.Exam) (err error) {
	defer examhall.Wrap(&err, "ReviseExam", e.ID)
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tag, err := db.pool.Exec(ctx, `UPDATE exams SET doc = $2 WHERE id = $1`, e.ID, doc)
	if err != nil {
		return fmt.Errorf("revising exam %q: %w", e.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("exam", e.ID)
	}
	return nil
}

const examCols = `doc, released, created_at`

// Exam implements examhall.ExamStore.
func (db *DB) Exam(ctx context.Context, id string) (e *examhall.Exam, err error) {
	defer wrap(&err, "Exam", id)
	defer func(start time.Time) { db.observe("exam", start, err) }(time.Now())
	e, err = scanExam(db.pool.QueryRow(ctx, `SELECT `+examCols+` FROM exams WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("exam", id)
	}
	return e, err
}

// Exams implements examhall.ExamStore.
func (db *DB) Exams(ctx context.Context) (_ []*examhall.Exam, err error) {
	defer wrap(&err, "Exams")
	rows, err := db.pool.Query(ctx, `SELECT `+examCols+` FROM exams ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*examhall.Exam, error) { return scanExam(r) })
}

func scanExam(row pgx.Row) (*examhall.Exam, error) {
	var doc []byte
	var released bool
	var created time.Time
	if err := row.Scan(&doc, &released, &created); err != nil {
		return nil, err
	}
	var e examhall.Exam
	if err := json.Unmarshal(doc, &e); err != nil {
		return nil, fmt.Errorf("decoding stored exam: %w", err)
	}
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("stored exam %q: %w", e.ID, err)
	}
	e.Released, e.CreatedAt = released, created.UTC()
	return &e, nil
}

// SetReleased implements examhall.ExamStore.
func (db *DB) SetReleased(ctx context.Context, id string, released bool) (err error) {
	defer wrap(&err, "SetReleased", id)
	return db.updateExam(ctx, id, `UPDATE exams SET released = $2 WHERE id = $1`, id, released)
}

// SetWindow implements examhall.ExamStore.
func (db *DB) SetWindow(ctx context.Context, id string, opensAt, closesAt *time.Time) (err error) {
	defer wrap(&err, "SetWindow", id)
	e, err := db.Exam(ctx, id)
	if err != nil {
		return err
	}
	e.OpensAt, e.ClosesAt = opensAt, closesAt
	doc, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return db.updateExam(ctx, id, `UPDATE exams SET doc = $2 WHERE id = $1`, id, doc)
}

func (db *DB) updateExam(ctx context.Context, id, query string, args ...any) error {
	tag, err := db.pool.Exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("updating exam %q: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("exam", id)
	}
	return nil
}

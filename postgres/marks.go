package postgres

import (
	"context"

	"examhall"
)

var _ examhall.MarkStore = (*DB)(nil)

// PutMark implements examhall.MarkStore.
func (db *DB) PutMark(ctx context.Context, m *examhall.Mark) (err error) {
	defer wrap(&err, "PutMark", m.Attempt)
	_, err = db.pool.Exec(ctx, `INSERT INTO marks (attempt, question, points, comment, marked_by, marked_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (attempt, question) DO UPDATE SET points = excluded.points, comment = excluded.comment,
		marked_by = excluded.marked_by, marked_at = excluded.marked_at`,
		m.Attempt, m.Question, m.Points, m.Comment, m.By, m.At.UTC())
	return err
}

// Marks implements examhall.MarkStore.
func (db *DB) Marks(ctx context.Context, exam string) (_ map[string]map[string]examhall.Mark, err error) {
	defer wrap(&err, "Marks", exam)
	return db.marks(ctx, `SELECT m.attempt, m.question, m.points, m.comment, m.marked_by, m.marked_at FROM marks m
		JOIN attempts t ON t.id = m.attempt WHERE t.exam = $1`, exam)
}

// AttemptMarks implements examhall.MarkStore.
func (db *DB) AttemptMarks(ctx context.Context, attempt string) (_ map[string]examhall.Mark, err error) {
	defer wrap(&err, "AttemptMarks", attempt)
	all, err := db.marks(ctx, `SELECT attempt, question, points, comment, marked_by, marked_at FROM marks WHERE attempt = $1`, attempt)
	if err != nil {
		return nil, err
	}
	return all[attempt], nil
}

func (db *DB) marks(ctx context.Context, query, arg string) (map[string]map[string]examhall.Mark, error) {
	rows, err := db.pool.Query(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]map[string]examhall.Mark)
	for rows.Next() {
		var m examhall.Mark
		if err := rows.Scan(&m.Attempt, &m.Question, &m.Points, &m.Comment, &m.By, &m.At); err != nil {
			return nil, err
		}
		m.At = m.At.UTC()
		if out[m.Attempt] == nil {
			out[m.Attempt] = make(map[string]examhall.Mark)
		}
		out[m.Attempt][m.Question] = m
	}
	return out, rows.Err()
}

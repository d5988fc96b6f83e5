package sqlite

import (
	"context"

	"examhall"
)

var _ examhall.MarkStore = (*DB)(nil)

// PutMark implements examhall.MarkStore.
func (db *DB) PutMark(ctx context.Context, m *examhall.Mark) (err error) {
	defer examhall.Wrap(&err, "PutMark", m.Attempt)
	return db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO marks (attempt, question, points, comment, marked_by, marked_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (attempt, question) DO UPDATE SET points = excluded.points, comment = excluded.comment,
			marked_by = excluded.marked_by, marked_at = excluded.marked_at`,
			m.Attempt, m.Question, m.Points, m.Comment, m.By, ms(m.At))
		return err
	}, nil)
}

// Marks implements examhall.MarkStore.
func (db *DB) Marks(ctx context.Context, exam string) (_ map[string]map[string]examhall.Mark, err error) {
	defer examhall.Wrap(&err, "Marks", exam)
	return db.marks(ctx, `SELECT m.attempt, m.question, m.points, m.comment, m.marked_by, m.marked_at FROM marks m
		JOIN attempts t ON t.id = m.attempt WHERE t.exam = ?`, exam)
}

// AttemptMarks implements examhall.MarkStore.
func (db *DB) AttemptMarks(ctx context.Context, attempt string) (_ map[string]examhall.Mark, err error) {
	defer examhall.Wrap(&err, "AttemptMarks", attempt)
	all, err := db.marks(ctx, `SELECT attempt, question, points, comment, marked_by, marked_at FROM marks WHERE attempt = ?`, attempt)
	if err != nil {
		return nil, err
	}
	return all[attempt], nil
}

func (db *DB) marks(ctx context.Context, query string, arg string) (map[string]map[string]examhall.Mark, error) {
	rows, err := db.rd.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]map[string]examhall.Mark)
	for rows.Next() {
		var m examhall.Mark
		var at int64
		if err := rows.Scan(&m.Attempt, &m.Question, &m.Points, &m.Comment, &m.By, &at); err != nil {
			return nil, err
		}
		m.At = fromMS(at)
		if out[m.Attempt] == nil {
			out[m.Attempt] = make(map[string]examhall.Mark)
		}
		out[m.Attempt][m.Question] = m
	}
	return out, rows.Err()
}

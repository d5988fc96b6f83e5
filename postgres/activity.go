package postgres

import (
	"context"
	"time"

	"examhall"
)

var _ examhall.ActivityStore = (*DB)(nil)

// Activity implements examhall.ActivityStore from the events and save log
// the grader has written.
func (db *DB) Activity(ctx context.Context, exam string) (_ map[string]examhall.Activity, err error) {
	defer examhall.Wrap(&err, "Activity", exam)
	out := make(map[string]examhall.Activity)
	rows, err := db.pool.Query(ctx, `SELECT attempt, count(*) FROM events WHERE exam = $1 AND kind = 'login' AND attempt <> '' GROUP BY attempt`, exam)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = examhall.Activity{Logins: int(n)}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.pool.Query(ctx, `SELECT s.attempt, count(*), max(s.at) FROM save_log s JOIN attempts t ON t.id = s.attempt
		WHERE t.exam = $1 GROUP BY s.attempt`, exam)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int64
		var last time.Time
		if err := rows.Scan(&id, &n, &last); err != nil {
			return nil, err
		}
		a := out[id]
		a.Saves, a.LastSaveAt = int(n), last.UTC()
		out[id] = a
	}
	return out, rows.Err()
}

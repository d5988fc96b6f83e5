package sqlite

import (
	"context"

	"examhall"
)

var _ examhall.ActivityStore = (*DB)(nil)

// Activity implements examhall.ActivityStore. Logins come from the audit
// log; saves from the save log, from the first start of the exam's
// attempts on (the log has no index by attempt: its ids follow time).
func (db *DB) Activity(ctx context.Context, exam string) (_ map[string]examhall.Activity, err error) {
	defer examhall.Wrap(&err, "Activity", exam)
	out := make(map[string]examhall.Activity)
	rows, err := db.rd.QueryContext(ctx, `SELECT attempt, count(*) FROM events WHERE exam = ? AND kind = 'login' AND attempt <> '' GROUP BY attempt`, exam)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = examhall.Activity{Logins: n}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var first *int64
	if err := db.rd.QueryRowContext(ctx, `SELECT min(started_at) FROM attempts WHERE exam = ?`, exam).Scan(&first); err != nil || first == nil {
		return out, err
	}
	from, err := db.logIDAt(ctx, *first-logSlack.Milliseconds())
	if err != nil {
		return nil, err
	}
	rows, err = db.rd.QueryContext(ctx, `SELECT l.attempt, count(*), max(l.at) FROM save_log l JOIN attempts a ON a.id = l.attempt
		WHERE l.id >= ? AND a.exam = ? GROUP BY l.attempt`, from, exam)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		var last int64
		if err := rows.Scan(&id, &n, &last); err != nil {
			return nil, err
		}
		a := out[id]
		a.Saves, a.LastSaveAt = n, fromMS(last)
		out[id] = a
	}
	return out, rows.Err()
}

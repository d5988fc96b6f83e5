package sqlite

import (
	"context"

	"examhall"
)

var _ examhall.AuditLog = (*DB)(nil)

// Record implements examhall.AuditLog: the event joins the next group
// commit without the caller waiting for it.
func (db *DB) Record(ctx context.Context, ev *examhall.Event) error {
	return db.w.later(ctx, func(t *wtx) error {
		t.addEvent(ms(ev.At), ev.Kind, ev.Exam, ev.Attempt, ev.Candidate, ev.Actor, ev.Detail)
		return nil
	})
}

// Events implements examhall.AuditLog.
func (db *DB) Events(ctx context.Context, exam, attempt string, limit int) ([]*examhall.Event, error) {
	query := `SELECT at, kind, exam, attempt, candidate, actor, detail FROM events WHERE attempt = ? ORDER BY id LIMIT ?`
	arg := attempt
	if attempt == "" {
		query = `SELECT at, kind, exam, attempt, candidate, actor, detail FROM events WHERE exam = ? AND kind <> 'save' ORDER BY id LIMIT ?`
		arg = exam
	}
	rows, err := db.rd.QueryContext(ctx, query, arg, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.Event
	for rows.Next() {
		var ev examhall.Event
		var at int64
		if err := rows.Scan(&at, &ev.Kind, &ev.Exam, &ev.Attempt, &ev.Candidate, &ev.Actor, &ev.Detail); err != nil {
			return nil, err
		}
		ev.At = fromMS(at)
		out = append(out, &ev)
	}
	return out, rows.Err()
}

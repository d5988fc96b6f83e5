package sqlite

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"examhall"
)

var _ examhall.AuditLog = (*DB)(nil)

// Record implements examhall.AuditLog: the event joins the next group
// commit without the caller waiting for it.
func (db *DB) Record(ctx context.Context, ev *examhall.Event) (err error) {
	defer examhall.Wrap(&err, "Record", ev.Kind)
	return db.w.later(ctx, func(t *wtx) error {
		t.addEvent(ms(ev.At), ev.Kind, ev.Exam, ev.Attempt, ev.Candidate, ev.Actor, ev.Detail)
		return nil
	})
}

// Events implements examhall.AuditLog. An attempt's events include every
// save, from the save log; an exam's leave saves out.
func (db *DB) Events(ctx context.Context, exam, attempt string, limit int) (_ []*examhall.Event, err error) {
	defer examhall.Wrap(&err, "Events", exam, attempt)
	const cols = `SELECT at, kind, exam, attempt, candidate, actor, detail FROM events`
	if attempt == "" {
		return db.events(ctx, cols+` WHERE exam = ? ORDER BY id LIMIT ?`, exam, limit)
	}
	evs, err := db.events(ctx, cols+` WHERE attempt = ? ORDER BY id LIMIT ?`, attempt, limit)
	if err != nil {
		return nil, err
	}
	a, err := db.Attempt(ctx, attempt)
	if err != nil {
		return nil, err
	}
	saves, err := db.saves(ctx, a, limit)
	if err != nil {
		return nil, err
	}
	evs = append(evs, saves...)
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].At.Before(evs[j].At) })
	if len(evs) > limit {
		evs = evs[:limit]
	}
	return evs, nil
}

func (db *DB) events(ctx context.Context, query string, args ...any) ([]*examhall.Event, error) {
	rows, err := db.rd.QueryContext(ctx, query, args...)
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

// logSlack covers the small disorder between the save log's ids (commit
// order) and its times (taken just before queueing).
const logSlack = 10 * time.Second

// saves returns an attempt's entries of the save log. The log has no index
// by attempt, which would cost every save a random write; its ids follow
// time, so the attempt's time span is found by binary search and only that
// range is scanned.
func (db *DB) saves(ctx context.Context, a *examhall.Attempt, limit int) ([]*examhall.Event, error) {
	end := a.SubmittedAt
	if end.IsZero() {
		end = db.now()
	}
	from, err := db.logIDAt(ctx, ms(a.StartedAt.Add(-logSlack)))
	if err != nil {
		return nil, err
	}
	to, err := db.logIDAt(ctx, ms(end.Add(logSlack)))
	if err != nil {
		return nil, err
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT at, answers FROM save_log WHERE id >= ? AND id <= ? AND attempt = ? ORDER BY id LIMIT ?`, from, to, a.ID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.Event
	for rows.Next() {
		ev := &examhall.Event{Kind: "save", Exam: a.Exam, Attempt: a.ID, Candidate: a.Candidate}
		var at int64
		if err := rows.Scan(&at, &ev.Detail); err != nil {
			return nil, err
		}
		ev.At = fromMS(at)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// logIDAt returns the first save log id whose time is at or after at, or one
// past the last id.
func (db *DB) logIDAt(ctx context.Context, at int64) (int64, error) {
	var lo, hi sql.NullInt64
	if err := db.rd.QueryRowContext(ctx, `SELECT min(id), max(id) FROM save_log`).Scan(&lo, &hi); err != nil || !lo.Valid {
		return 0, err
	}
	l, h := lo.Int64, hi.Int64+1
	for l < h {
		mid := l + (h-l)/2
		var id, t int64
		err := db.rd.QueryRowContext(ctx, `SELECT id, at FROM save_log WHERE id >= ? ORDER BY id LIMIT 1`, mid).Scan(&id, &t)
		if err != nil {
			return 0, err
		}
		if t < at {
			l = id + 1
		} else {
			h = mid
		}
	}
	return l, nil
}

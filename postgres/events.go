package postgres

import (
	"context"
	"sort"
	"time"

	"examhall"
)

// Events returns the audit events of an exam, or of an attempt with its
// saves from the save log, oldest first, at most limit.
func (db *DB) Events(ctx context.Context, exam, attempt string, limit int) (_ []*examhall.Event, err error) {
	defer wrap(&err, "Events", exam, attempt)
	const cols = `SELECT at, kind, exam, attempt, candidate, actor, detail FROM events`
	if attempt == "" {
		return db.events(ctx, cols+` WHERE exam = $1 ORDER BY at, part, off LIMIT $2`, exam, limit)
	}
	evs, err := db.events(ctx, cols+` WHERE attempt = $1 ORDER BY at, part, off LIMIT $2`, attempt, limit)
	if err != nil {
		return nil, err
	}
	saves, err := db.events(ctx, `SELECT s.at, 'save', t.exam, s.attempt, t.candidate, '', s.answers
		FROM save_log s JOIN attempts t ON t.id = s.attempt WHERE s.attempt = $1 ORDER BY s.part, s.off LIMIT $2`, attempt, limit)
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
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.Event
	for rows.Next() {
		var ev examhall.Event
		var at time.Time
		if err := rows.Scan(&at, &ev.Kind, &ev.Exam, &ev.Attempt, &ev.Candidate, &ev.Actor, &ev.Detail); err != nil {
			return nil, err
		}
		ev.At = at.UTC()
		out = append(out, &ev)
	}
	return out, rows.Err()
}

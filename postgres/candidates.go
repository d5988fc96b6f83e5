package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.CandidateStore = (*DB)(nil)

// PutCandidates implements examhall.CandidateStore: one multi-row upsert.
func (db *DB) PutCandidates(ctx context.Context, exam string, cs []*examhall.Candidate) (err error) {
	defer wrap(&err, "PutCandidates", exam)
	if _, err := db.Exam(ctx, exam); err != nil {
		return err
	}
	ids := make([]string, len(cs))
	hashes := make([][]byte, len(cs))
	extra := make([]int32, len(cs))
	created := make([]time.Time, len(cs))
	names := make([]string, len(cs))
	emails := make([]string, len(cs))
	opens := make([]*time.Time, len(cs))
	closes := make([]*time.Time, len(cs))
	for i, c := range cs {
		ids[i], hashes[i], extra[i], created[i] = c.ID, c.CodeHash, int32(c.ExtraSeconds), c.CreatedAt.UTC()
		names[i], emails[i], opens[i], closes[i] = c.Name, c.Email, c.OpensAt, c.ClosesAt
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO candidates (exam, id, code_hash, extra_seconds, created_at, name, email, opens_at, closes_at)
		SELECT $1, * FROM unnest($2::text[], $3::bytea[], $4::int[], $5::timestamptz[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])
		ON CONFLICT (exam, id) DO UPDATE SET code_hash = excluded.code_hash, extra_seconds = excluded.extra_seconds,
			name = excluded.name, email = excluded.email, opens_at = excluded.opens_at, closes_at = excluded.closes_at`,
		exam, ids, hashes, extra, created, names, emails, opens, closes)
	if err != nil {
		return fmt.Errorf("storing candidates of %q: %w", exam, err)
	}
	return nil
}

const candidateCols = `exam, id, code_hash, extra_seconds, created_at, name, email, opens_at, closes_at`

// Candidate implements examhall.CandidateStore.
func (db *DB) Candidate(ctx context.Context, exam, id string) (c *examhall.Candidate, err error) {
	defer wrap(&err, "Candidate", exam, id)
	defer func(start time.Time) { db.observe("candidate", start, err) }(time.Now())
	c, err = scanCandidate(db.pool.QueryRow(ctx, `SELECT `+candidateCols+` FROM candidates WHERE exam = $1 AND id = $2`, exam, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("candidate", id)
	}
	return c, err
}

// Candidates implements examhall.CandidateStore.
func (db *DB) Candidates(ctx context.Context, exam string) (_ []*examhall.Candidate, err error) {
	defer wrap(&err, "Candidates", exam)
	rows, err := db.pool.Query(ctx, `SELECT `+candidateCols+` FROM candidates WHERE exam = $1 ORDER BY id`, exam)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*examhall.Candidate, error) { return scanCandidate(r) })
}

func scanCandidate(row pgx.Row) (*examhall.Candidate, error) {
	var c examhall.Candidate
	var extra int32
	if err := row.Scan(&c.Exam, &c.ID, &c.CodeHash, &extra, &c.CreatedAt, &c.Name, &c.Email, &c.OpensAt, &c.ClosesAt); err != nil {
		return nil, err
	}
	c.ExtraSeconds, c.CreatedAt, c.OpensAt, c.ClosesAt = int(extra), c.CreatedAt.UTC(), utcPtr(c.OpensAt), utcPtr(c.ClosesAt)
	return &c, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

package sqlite

import (
	"context"
	"fmt"
	"time"

	"examhall"
)

var _ examhall.CandidateStore = (*DB)(nil)

// PutCandidates implements examhall.CandidateStore.
func (db *DB) PutCandidates(ctx context.Context, exam string, cs []*examhall.Candidate) (err error) {
	defer examhall.Wrap(&err, "PutCandidates", exam)
	if _, err := db.Exam(ctx, exam); err != nil {
		return err
	}
	err = db.w.do(ctx, func(t *wtx) error {
		for _, c := range cs {
			_, err := t.exec(`INSERT INTO candidates (exam, id, code_hash, extra_seconds, created_at, name, email, opens_at, closes_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (exam, id) DO UPDATE SET code_hash = excluded.code_hash, extra_seconds = excluded.extra_seconds,
					name = excluded.name, email = excluded.email, opens_at = excluded.opens_at, closes_at = excluded.closes_at`,
				exam, c.ID, c.CodeHash, c.ExtraSeconds, ms(c.CreatedAt), c.Name, c.Email, msPtr(c.OpensAt), msPtr(c.ClosesAt))
			if err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("storing candidates of %q: %w", exam, err)
	}
	db.candidateSet(exam).put(cs)
	return nil
}

// Candidate implements examhall.CandidateStore, from memory: the exam's
// candidates are read in one query on first use.
func (db *DB) Candidate(ctx context.Context, exam, id string) (_ *examhall.Candidate, err error) {
	defer examhall.Wrap(&err, "Candidate", exam, id)
	c, ok, err := db.candidateSet(exam).lookup(ctx, db, exam, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("candidate", id)
	}
	return &c, nil
}

// Candidates implements examhall.CandidateStore.
func (db *DB) Candidates(ctx context.Context, exam string) (_ []*examhall.Candidate, err error) {
	defer examhall.Wrap(&err, "Candidates", exam)
	return db.readCandidates(ctx, exam)
}

func (db *DB) readCandidates(ctx context.Context, exam string) ([]*examhall.Candidate, error) {
	rows, err := db.query(ctx, `SELECT exam, id, code_hash, extra_seconds, created_at, name, email, opens_at, closes_at FROM candidates WHERE exam = ? ORDER BY id`, exam)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.Candidate
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanCandidate(s scanner) (*examhall.Candidate, error) {
	var c examhall.Candidate
	var created, opens, closes int64
	if err := s.Scan(&c.Exam, &c.ID, &c.CodeHash, &c.ExtraSeconds, &created, &c.Name, &c.Email, &opens, &closes); err != nil {
		return nil, err
	}
	c.CreatedAt, c.OpensAt, c.ClosesAt = fromMS(created), fromMSPtr(opens), fromMSPtr(closes)
	return &c, nil
}

// msPtr stores an optional time as milliseconds, 0 for none.
func msPtr(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return ms(*t)
}

func fromMSPtr(n int64) *time.Time {
	if n == 0 {
		return nil
	}
	t := fromMS(n)
	return &t
}

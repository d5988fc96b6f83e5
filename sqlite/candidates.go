package sqlite

import (
	"context"
	"fmt"

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
			_, err := t.exec(`INSERT INTO candidates (exam, id, code_hash, extra_seconds, created_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (exam, id) DO UPDATE SET code_hash = excluded.code_hash, extra_seconds = excluded.extra_seconds`,
				exam, c.ID, c.CodeHash, c.ExtraSeconds, ms(c.CreatedAt))
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
	rows, err := db.query(ctx, `SELECT exam, id, code_hash, extra_seconds, created_at FROM candidates WHERE exam = ? ORDER BY id`, exam)
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
	var created int64
	if err := s.Scan(&c.Exam, &c.ID, &c.CodeHash, &c.ExtraSeconds, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMS(created)
	return &c, nil
}

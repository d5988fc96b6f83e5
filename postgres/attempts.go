package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"examhall"

	"github.com/jackc/pgx/v5"
)

const attemptCols = `id, exam, candidate, status, started_at, deadline, due, submitted_at, auto, receipt, reopens`

func scanAttempt(row pgx.Row) (*examhall.Attempt, error) {
	var a examhall.Attempt
	var submitted *time.Time
	if err := row.Scan(&a.ID, &a.Exam, &a.Candidate, &a.Status, &a.StartedAt, &a.Deadline, &a.Due, &submitted, &a.Auto, &a.Receipt, &a.Reopens); err != nil {
		return nil, err
	}
	a.StartedAt, a.Deadline, a.Due, a.SubmittedAt = a.StartedAt.UTC(), a.Deadline.UTC(), a.Due.UTC(), fromNull(submitted)
	return &a, nil
}

// CreateAttempt stores a new attempt, or returns the one stored before for
// the same id (another pod's login won); created says which.
func (db *DB) CreateAttempt(ctx context.Context, a *examhall.Attempt) (out *examhall.Attempt, created bool, err error) {
	defer wrap(&err, "CreateAttempt", a.ID)
	defer func(start time.Time) { db.observe("create_attempt", start, err) }(time.Now())
	tag, err := db.pool.Exec(ctx, `INSERT INTO attempts (id, exam, candidate, status, started_at, deadline, due)
		VALUES ($1, $2, $3, 'in_progress', $4, $5, $6) ON CONFLICT DO NOTHING`,
		a.ID, a.Exam, a.Candidate, a.StartedAt.UTC(), a.Deadline.UTC(), a.Due.UTC())
	if err != nil {
		return nil, false, fmt.Errorf("starting attempt %s: %w", a.ID, err)
	}
	if tag.RowsAffected() == 1 {
		cp := *a
		cp.Status = examhall.InProgress
		return &cp, true, nil
	}
	out, err = db.Attempt(ctx, a.ID)
	return out, false, err
}

// Attempt returns the stored attempt; its status changes when the grader
// records the submission. ENotFound if there is none.
func (db *DB) Attempt(ctx context.Context, id string) (a *examhall.Attempt, err error) {
	defer wrap(&err, "Attempt", id)
	defer func(start time.Time) { db.observe("attempt", start, err) }(time.Now())
	a, err = scanAttempt(db.pool.QueryRow(ctx, `SELECT `+attemptCols+` FROM attempts WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("attempt", id)
	}
	return a, err
}

// Attempts returns every attempt of an exam, by candidate.
func (db *DB) Attempts(ctx context.Context, exam string) (_ []*examhall.Attempt, err error) {
	defer wrap(&err, "Attempts", exam)
	rows, err := db.pool.Query(ctx, `SELECT `+attemptCols+` FROM attempts WHERE exam = $1 ORDER BY candidate`, exam)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*examhall.Attempt, error) { return scanAttempt(r) })
}

// OpenAttempts calls fn with the id and due time of every attempt the
// database holds as in progress, to rebuild the deadline index.
func (db *DB) OpenAttempts(ctx context.Context, fn func(id string, due time.Time) error) (err error) {
	defer wrap(&err, "OpenAttempts")
	rows, err := db.pool.Query(ctx, `SELECT id, due FROM attempts WHERE status = 'in_progress'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var due time.Time
		if err := rows.Scan(&id, &due); err != nil {
			return err
		}
		if err := fn(id, due.UTC()); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Extend moves the deadline of an attempt the database holds as in
// progress. ENotFound if there is none.
func (db *DB) Extend(ctx context.Context, id string, deadline, due time.Time) (err error) {
	defer wrap(&err, "Extend", id)
	tag, err := db.pool.Exec(ctx, `UPDATE attempts SET deadline = $2, due = $3 WHERE id = $1`, id, deadline.UTC(), due.UTC())
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound("attempt", id)
	}
	return nil
}

// CountAttempts implements examhall.AttemptCounter, from what the grader
// has recorded.
func (db *DB) CountAttempts(ctx context.Context, now time.Time) (_ map[string]int, err error) {
	defer wrap(&err, "CountAttempts")
	out := map[string]int{}
	rows, err := db.pool.Query(ctx, `SELECT status, count(*) FROM attempts GROUP BY status`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[status] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var overdue int
	err = db.pool.QueryRow(ctx, `SELECT count(*) FROM attempts WHERE status = 'in_progress' AND due < $1`, now.UTC()).Scan(&overdue)
	out["overdue"] = overdue
	return out, err
}

// Drafts returns the answers the grader kept for an attempt: its drafts,
// or its final answers once submitted.
func (db *DB) Drafts(ctx context.Context, attempt string) (_ map[string]examhall.Answer, err error) {
	defer wrap(&err, "Drafts", attempt)
	defer func(start time.Time) { db.observe("drafts", start, err) }(time.Now())
	var raw []byte
	err = db.pool.QueryRow(ctx, `SELECT answers FROM answer_sets WHERE attempt = $1`, attempt).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return map[string]examhall.Answer{}, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeAnswers(raw)
}

// ExamDrafts calls fn with the kept answers of every attempt of an exam.
func (db *DB) ExamDrafts(ctx context.Context, exam string, fn func(string, map[string]examhall.Answer) error) (err error) {
	defer wrap(&err, "ExamDrafts", exam)
	rows, err := db.pool.Query(ctx, `SELECT s.attempt, s.answers FROM answer_sets s
		JOIN attempts t ON t.id = s.attempt WHERE t.exam = $1 ORDER BY s.attempt`, exam)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		answers, err := decodeAnswers(raw)
		if err != nil {
			return err
		}
		if err := fn(id, answers); err != nil {
			return err
		}
	}
	return rows.Err()
}

// keptAnswer is one answer of an answer set as stored.
type keptAnswer struct {
	Seq      int64           `json:"s"`
	Response json.RawMessage `json:"r"`
}

func decodeAnswers(raw []byte) (map[string]examhall.Answer, error) {
	var kept map[string]keptAnswer
	if err := json.Unmarshal(raw, &kept); err != nil {
		return nil, fmt.Errorf("decoding kept answers: %w", err)
	}
	out := make(map[string]examhall.Answer, len(kept))
	for q, k := range kept {
		out[q] = examhall.Answer{Question: q, Seq: k.Seq, Response: k.Response}
	}
	return out, nil
}

// encodeAnswers writes an answer set by hand: responses are valid JSON
// already (checked when saved), and encoding/json would validate and
// compact every one of them again, which was most of a grader batch's CPU.
func encodeAnswers(answers map[string]examhall.Answer) ([]byte, error) {
	b := make([]byte, 0, 64*len(answers))
	b = append(b, '{')
	first := true
	for q, a := range answers {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, q)
		b = append(b, `:{"s":`...)
		b = strconv.AppendInt(b, a.Seq, 10)
		b = append(b, `,"r":`...)
		if len(a.Response) == 0 {
			b = append(b, "null"...)
		} else {
			b = append(b, a.Response...)
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Submission returns the submission the grader recorded for an attempt.
// ENotFound if there is none yet.
func (db *DB) Submission(ctx context.Context, attempt string) (_ *examhall.Submission, err error) {
	defer wrap(&err, "Submission", attempt)
	s := examhall.Submission{Attempt: attempt}
	var answers []byte
	err = db.pool.QueryRow(ctx, `SELECT submitted_at, auto, receipt, answers FROM submissions WHERE attempt = $1`, attempt).
		Scan(&s.SubmittedAt, &s.Auto, &s.Receipt, &answers)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("submission", attempt)
	}
	if err != nil {
		return nil, err
	}
	s.SubmittedAt = s.SubmittedAt.UTC()
	return &s, json.Unmarshal(answers, &s.Answers)
}

// SubmissionHistory returns the submissions of an attempt that reopens
// set aside, oldest first.
func (db *DB) SubmissionHistory(ctx context.Context, attempt string) (_ []*examhall.Submission, err error) {
	defer wrap(&err, "SubmissionHistory", attempt)
	rows, err := db.pool.Query(ctx, `SELECT submitted_at, auto, receipt, answers FROM submission_history
		WHERE attempt = $1 ORDER BY generation`, attempt)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*examhall.Submission, error) {
		s := examhall.Submission{Attempt: attempt}
		var answers []byte
		if err := r.Scan(&s.SubmittedAt, &s.Auto, &s.Receipt, &answers); err != nil {
			return nil, err
		}
		s.SubmittedAt = s.SubmittedAt.UTC()
		return &s, json.Unmarshal(answers, &s.Answers)
	})
}

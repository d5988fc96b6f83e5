package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"examhall"

	"github.com/jackc/pgx/v5"
)

// LogSave is one save of the event log, at its position in the log.
type LogSave struct {
	Part    int32
	Offset  int64
	Attempt string
	At      time.Time
	Answers []examhall.Answer
}

// LogEvent is one audit event of the log, at its position in the log.
type LogEvent struct {
	Part   int32
	Offset int64
	examhall.Event
}

// LogSubmission is one submission of the log: the final answer set as the
// API pod saw it, with its receipt.
type LogSubmission struct {
	Exam string
	examhall.Submission
}

// Batch is what a grader writes in one transaction.
type Batch struct {
	Saves       []LogSave
	Events      []LogEvent
	Submissions []LogSubmission
}

// Grader grades a newly recorded submission from the attempt and its final
// answers (the kept drafts merged with the submission's answers).
type Grader func(ctx context.Context, a *examhall.Attempt, final map[string]examhall.Answer) (*examhall.Result, error)

// WriteBatch writes a batch in one transaction: drafts upserted with the seq
// rule, the save log and audit events keyed by their log position, new
// submissions recorded (the first one of an attempt wins) and graded. It is
// idempotent: writing the same batch again, as a grader does after a crash
// between the commit and its offset commit, changes nothing. It returns the
// number of answer rows written.
func (db *DB) WriteBatch(ctx context.Context, b *Batch, grade Grader) (rows int, err error) {
	defer func(start time.Time) { db.observe("write_batch", start, err) }(time.Now())
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	if rows, err = writeDrafts(ctx, tx, b); err != nil {
		return 0, fmt.Errorf("writing drafts: %w", err)
	}
	if err := writeSaveLog(ctx, tx, b.Saves); err != nil {
		return 0, fmt.Errorf("writing the save log: %w", err)
	}
	if err := writeEvents(ctx, tx, b.Events); err != nil {
		return 0, fmt.Errorf("writing events: %w", err)
	}
	if err := writeSubmissions(ctx, tx, b.Submissions, grade); err != nil {
		return 0, fmt.Errorf("writing submissions: %w", err)
	}
	return rows, tx.Commit(ctx)
}

type draftKey struct{ attempt, question string }

type draftRow struct {
	examhall.Answer
	at time.Time
}

// writeDrafts keeps the newest answer per question of the batch and upserts
// those through a COPY into a temporary table. Attempts already submitted
// keep their final answers.
func writeDrafts(ctx context.Context, tx pgx.Tx, b *Batch) (int, error) {
	newest := make(map[draftKey]draftRow)
	add := func(attempt string, at time.Time, as []examhall.Answer) {
		for _, a := range as {
			k := draftKey{attempt, a.Question}
			if cur, ok := newest[k]; !ok || a.Seq > cur.Seq {
				newest[k] = draftRow{a, at}
			}
		}
	}
	for _, s := range b.Saves {
		add(s.Attempt, s.At, s.Answers)
	}
	for _, s := range b.Submissions {
		for _, a := range s.Answers {
			add(s.Attempt, s.SubmittedAt, []examhall.Answer{a})
		}
	}
	if len(newest) == 0 {
		return 0, nil
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS batch_drafts (attempt text, question text, response text, seq bigint, saved_at timestamptz) ON COMMIT DELETE ROWS`); err != nil {
		return 0, err
	}
	src := make([][]any, 0, len(newest))
	for k, r := range newest {
		src = append(src, []any{k.attempt, k.question, string(r.Response), r.Seq, r.at.UTC()})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"batch_drafts"}, []string{"attempt", "question", "response", "seq", "saved_at"}, pgx.CopyFromRows(src)); err != nil {
		return 0, err
	}
	_, err := tx.Exec(ctx, `INSERT INTO drafts (attempt, question, response, seq, saved_at)
		SELECT b.attempt, b.question, b.response, b.seq, b.saved_at FROM batch_drafts b
		WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.attempt = b.attempt)
		ON CONFLICT (attempt, question) DO UPDATE SET response = excluded.response, seq = excluded.seq, saved_at = excluded.saved_at
		WHERE excluded.seq > drafts.seq`)
	return len(src), err
}

func writeSaveLog(ctx context.Context, tx pgx.Tx, saves []LogSave) error {
	if len(saves) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS batch_saves (part integer, off bigint, attempt text, at timestamptz, answers text) ON COMMIT DELETE ROWS`); err != nil {
		return err
	}
	src := make([][]any, len(saves))
	for i, s := range saves {
		detail, err := json.Marshal(s.Answers)
		if err != nil {
			return err
		}
		src[i] = []any{s.Part, s.Offset, s.Attempt, s.At.UTC(), string(detail)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"batch_saves"}, []string{"part", "off", "attempt", "at", "answers"}, pgx.CopyFromRows(src)); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO save_log SELECT * FROM batch_saves ON CONFLICT DO NOTHING`)
	return err
}

func writeEvents(ctx context.Context, tx pgx.Tx, evs []LogEvent) error {
	if len(evs) == 0 {
		return nil
	}
	n := len(evs)
	part, off := make([]int32, n), make([]int64, n)
	at := make([]time.Time, n)
	kind, exam, attempt, cand, actor, detail := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, e := range evs {
		part[i], off[i], at[i] = e.Part, e.Offset, e.At.UTC()
		kind[i], exam[i], attempt[i], cand[i], actor[i], detail[i] = e.Kind, e.Exam, e.Attempt, e.Candidate, e.Actor, e.Detail
	}
	_, err := tx.Exec(ctx, `INSERT INTO events (part, off, at, kind, exam, attempt, candidate, actor, detail)
		SELECT * FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
		ON CONFLICT DO NOTHING`, part, off, at, kind, exam, attempt, cand, actor, detail)
	return err
}

// writeSubmissions records each submission unless its attempt has one,
// marks the attempt submitted and grades it from its kept answers.
func writeSubmissions(ctx context.Context, tx pgx.Tx, subs []LogSubmission, grade Grader) error {
	for _, s := range subs {
		answers, err := json.Marshal(s.Answers)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO submissions (attempt, submitted_at, auto, receipt, answers)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, s.Attempt, s.SubmittedAt.UTC(), s.Auto, s.Receipt, answers)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			continue // recorded before: the first submission wins
		}
		a, err := scanAttempt(tx.QueryRow(ctx, `UPDATE attempts SET status = 'submitted', submitted_at = $2, auto = $3, receipt = $4
			WHERE id = $1 RETURNING `+attemptCols, s.Attempt, s.SubmittedAt.UTC(), s.Auto, s.Receipt))
		if err != nil {
			return fmt.Errorf("attempt %s: %w", s.Attempt, err)
		}
		if grade == nil {
			continue
		}
		final, err := txDrafts(ctx, tx, s.Attempt)
		if err != nil {
			return err
		}
		r, err := grade(ctx, a, final)
		if err != nil {
			return err
		}
		if r == nil {
			continue
		}
		_, err = tx.Exec(ctx, `INSERT INTO results (attempt, exam, score, max_score, pending, graded_at) VALUES ($1, $2, $3, $4, $5, now())
			ON CONFLICT (attempt) DO UPDATE SET score = excluded.score, max_score = excluded.max_score, pending = excluded.pending, graded_at = excluded.graded_at`,
			s.Attempt, a.Exam, r.Score, r.MaxScore, r.Pending)
		if err != nil {
			return err
		}
	}
	return nil
}

func txDrafts(ctx context.Context, tx pgx.Tx, attempt string) (map[string]examhall.Answer, error) {
	rows, err := tx.Query(ctx, `SELECT question, response, seq FROM drafts WHERE attempt = $1`, attempt)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]examhall.Answer)
	for rows.Next() {
		var a examhall.Answer
		var resp string
		if err := rows.Scan(&a.Question, &resp, &a.Seq); err != nil {
			return nil, err
		}
		a.Response = json.RawMessage(resp)
		out[a.Question] = a
	}
	return out, rows.Err()
}

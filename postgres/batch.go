package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
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
	// Generation is the attempt's reopens count the submission belongs
	// to: one of an earlier generation (a replay after a reopen) changes
	// nothing.
	Generation int
	examhall.Submission
}

// LogReopen is one reopen of the log: staff made the submitted attempt
// in progress again until Deadline (Due with the grace).
type LogReopen struct {
	Attempt string
	At      time.Time
	// Generation is the reopens count of the submission it sets aside.
	Generation    int
	Deadline, Due time.Time
}

// Batch is what a grader writes in one transaction. Its reopens apply
// first: a grader starts a new batch at each reopen of the log (see
// WriteBatches), so that a reopen applies after the records before it
// and before those after it.
type Batch struct {
	Reopens     []LogReopen
	Saves       []LogSave
	Events      []LogEvent
	Submissions []LogSubmission
}

// WriteBatch writes a batch in one transaction: drafts upserted with the seq
// rule, the save log and audit events keyed by their log position, new
// submissions recorded (the first one of an attempt wins). It is
// idempotent: writing the same batch again, as a grader does after a crash
// between the commit and its offset commit, changes nothing. It returns the
// number of answer rows written.
func (db *DB) WriteBatch(ctx context.Context, b *Batch) (rows int, err error) {
	return db.WriteBatches(ctx, []*Batch{b})
}

// WriteBatches writes batches in order in one transaction, as WriteBatch
// writes one: each batch's reopens, then its drafts and submissions.
// A reopen applies once: to the attempt submitted in its generation,
// which it makes in progress again with the next generation, moving the
// submission to submission_history; the answer set stays, as the drafts
// the candidate continues from. A replay after the reopen finds another
// generation and changes nothing, as do the submissions replayed with it.
func (db *DB) WriteBatches(ctx context.Context, bs []*Batch) (rows int, err error) {
	defer wrap(&err, "WriteBatch")
	defer func(start time.Time) { db.observe("write_batch", start, err) }(time.Now())
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	for _, b := range bs {
		if err := writeReopens(ctx, tx, b.Reopens); err != nil {
			return 0, fmt.Errorf("writing reopens: %w", err)
		}
		gens, err := generations(ctx, tx, b.Submissions)
		if err != nil {
			return 0, fmt.Errorf("reading generations: %w", err)
		}
		n, err := writeDrafts(ctx, tx, b, gens)
		if err != nil {
			return 0, fmt.Errorf("writing drafts: %w", err)
		}
		rows += n
		if err := writeSaveLog(ctx, tx, b.Saves); err != nil {
			return 0, fmt.Errorf("writing the save log: %w", err)
		}
		if err := writeEvents(ctx, tx, b.Events); err != nil {
			return 0, fmt.Errorf("writing events: %w", err)
		}
		if err := writeSubmissions(ctx, tx, b.Submissions, gens); err != nil {
			return 0, fmt.Errorf("writing submissions: %w", err)
		}
	}
	return rows, tx.Commit(ctx)
}

// writeReopens applies reopens in order (see WriteBatches).
func writeReopens(ctx context.Context, tx pgx.Tx, reopens []LogReopen) error {
	for _, r := range reopens {
		tag, err := tx.Exec(ctx, `UPDATE attempts SET status = 'in_progress', deadline = $3, due = $4,
			submitted_at = NULL, auto = false, receipt = '', reopens = reopens + 1
			WHERE id = $1 AND reopens = $2 AND status = 'submitted'`, r.Attempt, r.Generation, r.Deadline.UTC(), r.Due.UTC())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			continue // applied before: this is a replay
		}
		if _, err := tx.Exec(ctx, `INSERT INTO submission_history (attempt, generation, submitted_at, auto, receipt, answers, reopened_at)
			SELECT attempt, $2, submitted_at, auto, receipt, answers, $3 FROM submissions WHERE attempt = $1
			ON CONFLICT DO NOTHING`, r.Attempt, r.Generation, r.At.UTC()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM submissions WHERE attempt = $1`, r.Attempt); err != nil {
			return err
		}
	}
	return nil
}

// generations returns the reopens count of the attempts that subs submit.
func generations(ctx context.Context, tx pgx.Tx, subs []LogSubmission) (map[string]int, error) {
	gens := make(map[string]int, len(subs))
	if len(subs) == 0 {
		return gens, nil
	}
	ids := make([]string, len(subs))
	for i, s := range subs {
		ids[i] = s.Attempt
	}
	return gens, forEachRow(ctx, tx, `SELECT id, reopens FROM attempts WHERE id = ANY($1)`, ids, func(r pgx.Rows) error {
		var id string
		var g int
		if err := r.Scan(&id, &g); err != nil {
			return err
		}
		gens[id] = g
		return nil
	})
}

// stale reports whether a submission belongs to an earlier generation of
// its attempt than the database holds: it was set aside by a reopen.
func stale(s *LogSubmission, gens map[string]int) bool {
	g, ok := gens[s.Attempt]
	return ok && g != s.Generation
}

// writeDrafts merges the batch's answers, with the seq rule, into the
// answer set of each attempt: it locks and reads the sets the batch
// touches, merges in memory and writes each set back in one statement.
// Attempts already submitted keep their final answers.
func writeDrafts(ctx context.Context, tx pgx.Tx, b *Batch, gens map[string]int) (int, error) {
	byAttempt := make(map[string]map[string]examhall.Answer)
	at := make(map[string]time.Time)
	rows := 0
	// set returns the answer set of an attempt that a record of time t
	// changes.
	set := func(attempt string, t time.Time) map[string]examhall.Answer {
		if t.After(at[attempt]) {
			at[attempt] = t
		}
		s := byAttempt[attempt]
		if s == nil {
			s = make(map[string]examhall.Answer)
			byAttempt[attempt] = s
		}
		return s
	}
	for _, s := range b.Saves {
		rows += len(s.Answers)
		examhall.Keep(set(s.Attempt, s.At), s.Answers...)
	}
	// A submission's answer set is final: exactly what the candidate was
	// acknowledged before it (a save the log holds but the pod refused,
	// before or after the submission, never counts).
	final := make(map[string]bool, len(b.Submissions))
	for i := range b.Submissions {
		s := &b.Submissions[i]
		rows += len(s.Answers)
		if final[s.Attempt] || stale(s, gens) {
			continue // the first submission of the batch wins
		}
		set(s.Attempt, s.SubmittedAt)
		fs := make(map[string]examhall.Answer, len(s.Answers))
		for q, a := range s.Answers {
			fs[q] = a
		}
		byAttempt[s.Attempt] = fs
		final[s.Attempt] = true
	}
	if len(byAttempt) == 0 {
		return 0, nil
	}
	ids := make([]string, 0, len(byAttempt))
	for id := range byAttempt {
		ids = append(ids, id)
	}
	sort.Strings(ids) // lock in one order: concurrent graders cannot deadlock
	// Sets of submitted attempts stay as they are.
	if err := forEachRow(ctx, tx, `SELECT attempt FROM submissions WHERE attempt = ANY($1)`, ids, func(r pgx.Rows) error {
		var id string
		if err := r.Scan(&id); err != nil {
			return err
		}
		delete(byAttempt, id)
		return nil
	}); err != nil {
		return 0, err
	}
	err := forEachRow(ctx, tx, `SELECT attempt, answers FROM answer_sets WHERE attempt = ANY($1) ORDER BY attempt FOR UPDATE`, ids, func(r pgx.Rows) error {
		var id string
		var raw []byte
		if err := r.Scan(&id, &raw); err != nil {
			return err
		}
		set, ok := byAttempt[id]
		if !ok || final[id] {
			return nil
		}
		stored, err := decodeAnswers(raw)
		if err != nil {
			return err
		}
		examhall.KeepSet(stored, set)
		byAttempt[id] = stored
		return nil
	})
	if err != nil {
		return 0, err
	}
	outIDs := make([]string, 0, len(byAttempt))
	sets := make([][]byte, 0, len(byAttempt))
	times := make([]time.Time, 0, len(byAttempt))
	for _, id := range ids {
		set, ok := byAttempt[id]
		if !ok {
			continue
		}
		raw, err := encodeAnswers(set)
		if err != nil {
			return 0, err
		}
		outIDs, sets, times = append(outIDs, id), append(sets, raw), append(times, at[id].UTC())
	}
	_, err = tx.Exec(ctx, `INSERT INTO answer_sets (attempt, answers, saved_at)
		SELECT * FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[])
		ON CONFLICT (attempt) DO UPDATE SET answers = excluded.answers, saved_at = excluded.saved_at`, outIDs, sets, times)
	return rows, err
}

func forEachRow(ctx context.Context, tx pgx.Tx, query string, ids []string, fn func(pgx.Rows) error) error {
	rows, err := tx.Query(ctx, query, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
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
		src[i] = []any{s.Part, s.Offset, s.Attempt, s.At.UTC(), string(appendAnswerList(nil, s.Answers))}
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

// writeSubmissions records each submission of its attempt's generation
// unless the attempt has one, and marks the attempt submitted.
func writeSubmissions(ctx context.Context, tx pgx.Tx, subs []LogSubmission, gens map[string]int) error {
	for i := range subs {
		s := &subs[i]
		if stale(s, gens) {
			continue
		}
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
		tag, err = tx.Exec(ctx, `UPDATE attempts SET status = 'submitted', submitted_at = $2, auto = $3, receipt = $4
			WHERE id = $1`, s.Attempt, s.SubmittedAt.UTC(), s.Auto, s.Receipt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("attempt %s: %w", s.Attempt, pgx.ErrNoRows)
		}
	}
	return nil
}

// appendAnswerList appends answers as encoding/json writes []examhall.Answer,
// without validating the responses again (see encodeAnswers).
func appendAnswerList(b []byte, answers []examhall.Answer) []byte {
	b = append(b, '[')
	for i, a := range answers {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"question":`...)
		b = appendString(b, a.Question)
		b = append(b, `,"response":`...)
		if len(a.Response) == 0 {
			b = append(b, "null"...)
		} else {
			b = append(b, a.Response...)
		}
		b = append(b, `,"seq":`...)
		b = strconv.AppendInt(b, a.Seq, 10)
		b = append(b, '}')
	}
	return append(b, ']')
}

package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"examhall"
)

var _ examhall.AnswerStore = (*DB)(nil)

// The statements behind wtx.addAnswer, addSave and addEvent. The upsert
// applies the seq rule in the database too.
const (
	answerInsert = `INSERT INTO answers (attempt, question, response, seq, saved_at)`
	answerUpsert = `ON CONFLICT (attempt, question) DO UPDATE SET response = excluded.response,
		seq = excluded.seq, saved_at = excluded.saved_at WHERE excluded.seq > answers.seq`
	eventInsert = `INSERT INTO events (attempt, id, at, kind, exam, candidate, actor, detail)`
	saveInsert  = `INSERT INTO save_log (at, attempt, answers)`
)

// Save implements examhall.AnswerStore.
func (db *DB) Save(ctx context.Context, id string, answers []examhall.Answer) (_ []examhall.Saved, err error) {
	defer examhall.Wrap(&err, "Save", id)
	e, err := db.entry(ctx, id)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.a.Status != examhall.InProgress {
		return nil, e.a.CheckOpen(db.now())
	}
	current, err := db.currentAnswers(ctx, e)
	if err != nil {
		return nil, err
	}
	fresh, saved := examhall.Apply(current, answers)
	if len(fresh) > 0 {
		if err := db.writeAnswers(ctx, &e.a, "save", fresh, nil, nil); err != nil {
			return nil, err
		}
	}
	// Durable now: memory follows, and answers not newer change nothing.
	examhall.Keep(current, fresh...)
	return saved, nil
}

// writeAnswers durably logs answers, saves in the save log (the answers
// table follows by the fold, see fold.go) and anything else as an event of
// kind, and upserts the answers of table into the answers table. extra,
// if not nil, runs in the same transaction.
func (db *DB) writeAnswers(ctx context.Context, a *examhall.Attempt, kind string, answers, table []examhall.Answer, extra func(*wtx) error) error {
	detail, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	now := ms(db.now())
	err = db.w.do(ctx, func(t *wtx) error {
		for _, ans := range table {
			t.addAnswer(a.ID, ans.Question, string(ans.Response), ans.Seq, now)
		}
		if kind == "save" {
			t.addSave(now, a.ID, string(detail))
		} else {
			t.addEvent(now, kind, a.Exam, a.ID, a.Candidate, "", string(detail))
		}
		if extra != nil {
			return extra(t)
		}
		return nil
	}, nil)
	if err != nil {
		return examhall.Unavailable(fmt.Errorf("writing %s of %s: %w", kind, a.ID, err))
	}
	return nil
}

// Submit implements examhall.AnswerStore.
func (db *DB) Submit(ctx context.Context, id string, final []examhall.Answer, at time.Time, auto bool, seal func(*examhall.Submission)) (_ *examhall.Submission, _ bool, err error) {
	defer examhall.Wrap(&err, "Submit", id)
	e, err := db.entry(ctx, id)
	if err != nil {
		return nil, false, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	current, err := db.currentAnswers(ctx, e)
	if err != nil {
		return nil, false, err
	}
	if e.a.Status == examhall.Submitted {
		return &examhall.Submission{Attempt: id, SubmittedAt: e.a.SubmittedAt, Auto: e.a.Auto, Answers: current, Receipt: e.a.Receipt}, false, nil
	}
	fresh, _ := examhall.Apply(current, final)
	answers := make(map[string]examhall.Answer, len(current)+len(fresh))
	for q, a := range current {
		answers[q] = a
	}
	examhall.Keep(answers, fresh...)
	at = at.UTC().Truncate(time.Millisecond)
	sub := &examhall.Submission{Attempt: id, SubmittedAt: at, Auto: auto, Answers: answers}
	seal(sub)
	kind := "submit"
	if auto {
		kind = "auto_submit"
	}
	blob := encodeFinal(answers)
	// Every answer goes to the table with the final row: the saves of the
	// attempt may not be folded yet, and a submitted attempt (or a
	// reopened one) reads its answers from the table.
	err = db.writeAnswers(ctx, &e.a, kind, fresh, slices.Collect(maps.Values(answers)), func(t *wtx) error {
		if _, err := t.exec(`UPDATE attempts SET status = 'submitted', submitted_at = ?, auto = ?, receipt = ? WHERE id = ?`, ms(at), auto, sub.Receipt, id); err != nil {
			return err
		}
		_, err := t.exec(finalInsert, id, e.a.Exam, blob)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	e.a.Status, e.a.SubmittedAt, e.a.Auto, e.a.Receipt = examhall.Submitted, at, auto, sub.Receipt
	e.answers = nil // the file has them; a submitted attempt is rarely read
	return sub, true, nil
}

// Answers implements examhall.AnswerStore.
func (db *DB) Answers(ctx context.Context, id string) (_ map[string]examhall.Answer, err error) {
	defer examhall.Wrap(&err, "Answers", id)
	e, err := db.entry(ctx, id)
	if err != nil {
		return nil, err
	}
	return db.copyAnswers(ctx, e, nil)
}

// copyAnswers returns a copy of the current answers of e under keys, or
// of all of them when keys is nil.
func (db *DB) copyAnswers(ctx context.Context, e *attemptEntry, keys []string) (map[string]examhall.Answer, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	current, err := db.currentAnswers(ctx, e)
	if err != nil {
		return nil, err
	}
	if keys != nil {
		return examhall.PickAnswers(current, keys), nil
	}
	out := make(map[string]examhall.Answer, len(current))
	for q, a := range current {
		out[q] = a
	}
	return out, nil
}

// Pick implements examhall.AnswerPicker.
func (db *DB) Pick(ctx context.Context, id string, keys []string) (_ map[string]examhall.Answer, err error) {
	defer examhall.Wrap(&err, "Pick", id)
	e, err := db.entry(ctx, id)
	if err != nil {
		return nil, err
	}
	return db.copyAnswers(ctx, e, keys)
}

// ExamAnswers implements examhall.AnswerStore. Submitted attempts are read
// from their final rows, one per attempt; only attempts in progress (and
// any submitted before final rows existed) are read answer by answer.
func (db *DB) ExamAnswers(ctx context.Context, exam string, fn func(string, map[string]examhall.Answer) error) (err error) {
	defer examhall.Wrap(&err, "ExamAnswers", exam)
	if err := db.examFinals(ctx, exam, fn); err != nil {
		return err
	}
	return db.examDrafts(ctx, exam, fn)
}

// examDrafts calls fn with the answers of the attempts of exam that have no
// final row.
func (db *DB) examDrafts(ctx context.Context, exam string, fn func(string, map[string]examhall.Answer) error) error {
	// Most often every attempt has its final row and nothing is left to
	// read: find out from the attempts alone, before touching answers.
	var pending int
	err := db.rd.QueryRowContext(ctx, `SELECT count(*) FROM attempts t WHERE t.exam = ?
		AND (t.status != 'submitted' OR NOT EXISTS (SELECT 1 FROM finals f WHERE f.attempt = t.id))`, exam).Scan(&pending)
	if err != nil || pending == 0 {
		return err
	}
	// Attempts whose answers are in memory (in progress, and used since
	// the database opened) are read from it: their newest saves may not
	// be folded into the table yet. The table holds the others whole.
	fromMemory, err := db.memoryDrafts(ctx, exam, fn)
	if err != nil {
		return err
	}
	// CROSS JOIN keeps attempts as the outer loop: one range of answers
	// per attempt of the exam, never a scan of every answer.
	rows, err := db.rd.QueryContext(ctx, `SELECT a.attempt, a.question, a.response, a.seq FROM attempts t
		CROSS JOIN answers a ON a.attempt = t.id
		WHERE t.exam = ? AND (t.status != 'submitted' OR NOT EXISTS (SELECT 1 FROM finals f WHERE f.attempt = t.id))
		ORDER BY a.attempt`, exam)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur string
	var group map[string]examhall.Answer
	for rows.Next() {
		var id, resp string
		var a examhall.Answer
		if err := rows.Scan(&id, &a.Question, &resp, &a.Seq); err != nil {
			return err
		}
		if fromMemory[id] {
			continue
		}
		if id != cur {
			if group != nil {
				if err := fn(cur, group); err != nil {
					return err
				}
			}
			cur, group = id, make(map[string]examhall.Answer)
		}
		a.Response = json.RawMessage(resp)
		group[a.Question] = a
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if group != nil {
		return fn(cur, group)
	}
	return nil
}

// memoryDrafts calls fn with the answers of the attempts of exam in
// progress that memory holds answers for, and returns their ids.
func (db *DB) memoryDrafts(ctx context.Context, exam string, fn func(string, map[string]examhall.Answer) error) (map[string]bool, error) {
	type draft struct {
		id      string
		answers map[string]examhall.Answer
	}
	var drafts []draft
	db.attempts.Range(func(_, v any) bool {
		e := v.(*attemptEntry)
		e.mu.Lock()
		if e.a.Exam == exam && e.a.Status == examhall.InProgress && e.answers != nil {
			drafts = append(drafts, draft{e.a.ID, maps.Clone(e.answers)})
		}
		e.mu.Unlock()
		return true
	})
	done := make(map[string]bool, len(drafts))
	for _, d := range drafts {
		done[d.id] = true
		if len(d.answers) == 0 {
			continue
		}
		if err := fn(d.id, d.answers); err != nil {
			return nil, err
		}
	}
	return done, ctx.Err()
}

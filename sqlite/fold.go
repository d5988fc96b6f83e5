package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"examhall"
)

// The answers table is folded from the save log, off the commit path.
//
// A save is durable once its row of the save log is: the group commit
// appends that row (a sequential write of a few pages per batch) and
// touches no row of the answers table. That table is keyed by attempt, and
// attempts are spread at random over it, so writing it at every save made
// each save of a batch dirty a page of its own, and the commit write every
// one of those pages to the log: the serial cost of an exam start. Memory
// holds the current answers of every attempt in progress (see hot.go), so
// nothing on a request's path reads the table for them.
//
// The fold copies the log into the table later, a window at a time: a
// window's saves are reduced to the newest answer per question and
// written in attempt order, in small operations that share the group
// commit with the requests of the moment, so each page of the table is
// written about once per window instead of once per save. The meta key
// answers_folded holds the id of the last log row folded. Opening the
// database folds the rest, so after a crash recovery replays the log past
// that mark; replaying is idempotent, since the table's upsert keeps the
// answer with the higher seq.
//
// What reads the table stays right without a fold: a submission writes
// all of the attempt's answers to the table with its final row (so a
// submitted or reopened attempt reads a complete table), and the drafts of
// attempts in progress are read from memory where memory holds them.

const foldMark = "answers_folded"

// Fold defaults: a window is folded once it holds foldRows log rows (or,
// while the group commit is busy, twice that), or once the log has been
// still for foldIdle.
const (
	defaultFoldRows = 200_000
	defaultFoldIdle = 10 * time.Second
	// foldChunk is how many answers one operation of the fold writes: it
	// shares a group commit with requests, so it must stay small.
	foldChunk = 512
)

type foldKey struct{ attempt, question string }

type foldAnswer struct {
	response string
	seq, at  int64
}

// foldedUpTo returns the id of the last log row folded into the table.
func foldedUpTo(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, error) {
	var v string
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, foldMark).Scan(&v); err != nil {
		return 0, fmt.Errorf("reading the fold mark: %w", err)
	}
	return strconv.ParseInt(v, 10, 64)
}

// lastSave returns the id of the newest row of the save log (0 if none).
func (db *DB) lastSave(ctx context.Context) (int64, error) {
	var last sql.NullInt64
	err := db.rd.QueryRowContext(ctx, `SELECT max(id) FROM save_log`).Scan(&last)
	return last.Int64, err
}

// readWindow reads the log rows after from up to to and keeps the newest
// answer of each question of each attempt.
func (db *DB) readWindow(ctx context.Context, from, to int64) (map[foldKey]foldAnswer, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT at, attempt, answers FROM save_log WHERE id > ? AND id <= ?`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[foldKey]foldAnswer)
	var answers []examhall.Answer
	for rows.Next() {
		var at int64
		var attempt string
		var blob []byte
		if err := rows.Scan(&at, &attempt, &blob); err != nil {
			return nil, err
		}
		answers = answers[:0]
		if err := json.Unmarshal(blob, &answers); err != nil {
			return nil, fmt.Errorf("save log of %s: %w", attempt, err)
		}
		for _, a := range answers {
			k := foldKey{attempt, a.Question}
			if old, ok := out[k]; !ok || a.Seq > old.seq {
				out[k] = foldAnswer{string(a.Response), a.Seq, at}
			}
		}
	}
	return out, rows.Err()
}

// fold folds the log rows after the mark up to the newest one into the
// answers table, and moves the mark. Only one fold runs at a time (the
// folder goroutine, or Open before it starts).
func (db *DB) fold(ctx context.Context) (folded int64, keys int, err error) {
	from, err := foldedUpTo(ctx, db.rd)
	if err != nil {
		return 0, 0, err
	}
	to, err := db.lastSave(ctx)
	if err != nil || to <= from {
		return 0, 0, err
	}
	window, err := db.readWindow(ctx, from, to)
	if err != nil {
		return 0, 0, err
	}
	sorted := make([]foldKey, 0, len(window))
	for k := range window {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, func(a, b foldKey) int {
		return cmp.Or(cmp.Compare(a.attempt, b.attempt), cmp.Compare(a.question, b.question))
	})
	// The last operation moves the mark; it runs even for a window with
	// no answer in it.
	for rest, first := sorted, true; first || len(rest) > 0; first = false {
		chunk := rest[:min(foldChunk, len(rest))]
		rest = rest[len(chunk):]
		last := len(rest) == 0
		vals := make([]any, 0, 5*len(chunk))
		for _, k := range chunk {
			a := window[k]
			vals = append(vals, k.attempt, k.question, a.response, a.seq, a.at)
		}
		err := db.w.do(ctx, func(t *wtx) error {
			// Its own statements, not the batch's rows (addAnswer): a
			// submission in the same batch may write the same answer,
			// and one upsert statement cannot change a row twice.
			if err := t.insertRows(answerInsert, answerUpsert, 5, vals); err != nil {
				return err
			}
			if !last {
				return nil
			}
			_, err := t.exec(`UPDATE meta SET value = ? WHERE key = ?`, strconv.FormatInt(to, 10), foldMark)
			return err
		}, nil)
		if err != nil {
			return 0, 0, fmt.Errorf("folding the save log into answers: %w", err)
		}
	}
	return to - from, len(sorted), nil
}

// folder folds a window once it holds rows log rows, or once the log has
// been still for idle, until Close. A full window waits while the group
// commit was busy for more than half of the last second (a login spike,
// a wave of submissions), up to twice its size.
func (db *DB) folder(rows int64, idle time.Duration) {
	defer close(db.folded)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var seen int64
	still := time.Now()
	lastBusy, lastTick := db.w.busy.Load(), time.Now()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
		}
		busyNow, tick := db.w.busy.Load(), time.Now()
		busy := float64(busyNow-lastBusy) / float64(tick.Sub(lastTick))
		lastBusy, lastTick = busyNow, tick
		ctx := context.Background()
		last, err := db.lastSave(ctx)
		if err != nil {
			continue
		}
		if last != seen {
			seen, still = last, time.Now()
		}
		mark, err := foldedUpTo(ctx, db.rd)
		if err != nil || last <= mark {
			continue
		}
		full := last-mark >= rows && (busy <= 0.5 || last-mark >= 2*rows)
		if full || time.Since(still) >= idle {
			if err := db.foldAndLog(ctx); err != nil {
				select {
				case <-db.stop:
					return // closing: the next open folds the rest
				default:
				}
				// The mark stays: the next tick tries again.
				db.log.Warn("folding the save log into the answers table failed", "err", err)
			}
		}
	}
}

// foldAndLog folds and reports a fold that found work in the log, with
// attrs.
func (db *DB) foldAndLog(ctx context.Context, attrs ...any) error {
	start := time.Now()
	n, keys, err := db.fold(ctx)
	if err == nil && n > 0 {
		db.log.Info("save log folded into the answers table",
			append([]any{"saves", n, "answers", keys, "took", time.Since(start).Round(time.Millisecond)}, attrs...)...)
	}
	return err
}

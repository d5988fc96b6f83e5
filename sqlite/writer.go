package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"examhall"
)

// writer is the group commit. One goroutine owns the only write connection
// and applies every queued operation in one transaction; nobody waits on a
// timer: while one batch commits, the next one queues up, so batches grow
// with load. The transaction commits without fsync (synchronous=NORMAL) and
// a second goroutine, the syncer, then fsyncs the write-ahead log once for
// every batch committed meanwhile and only then acknowledges their
// operations. Committing the next batch overlaps the fsync of the last one,
// and an operation is acknowledged only when it is on disk.
type writer struct {
	db      *sql.DB
	walPath string
	ops     chan *op
	syncq   chan []*op // committed batches waiting for fsync
	max     int
	stmts   map[string]*sql.Stmt
	// unprepared holds statements seen for the first time.
	unprepared map[string]bool

	mu     sync.RWMutex // held shared while sending, exclusively to close
	closed bool
	done   chan struct{}

	lastEvent int64 // id of the last event, owned by the loop

	wal     *os.File
	walDir  bool         // the log's directory entry was synced
	failure atomic.Value // error: a failed fsync poisons every later write

	batches, opsDone atomic.Int64
	busy             atomic.Int64 // nanoseconds spent applying and committing batches
	observe          atomic.Pointer[func(size int, d time.Duration)]
}

// op is one unit of work; done receives its outcome, or is nil when nobody
// waits for it.
type op struct {
	apply func(tx *wtx) error
	done  chan error
	err   error // outcome of apply, until synced
}

// wtx is a write transaction with the prepared statements bound to it.
// Rows added with addAnswer, addSave and addEvent are written together, by
// multi-row statements, when the batch ends: no op may read the answers,
// save_log or events tables inside the transaction.
type wtx struct {
	*sql.Tx
	w       *writer
	bound   map[string]*sql.Stmt
	answers []any // attempt, question, response, seq, saved_at; repeated
	events  []any // attempt, id, at, kind, exam, candidate, actor, detail; repeated
	saves   []any // at, attempt, answers; repeated
}

// addAnswer queues an upsert of an answer under the seq rule.
func (t *wtx) addAnswer(attempt, question, response string, seq, at int64) {
	t.answers = append(t.answers, attempt, question, response, seq, at)
}

// addEvent queues an event for the log. Events are clustered by attempt,
// so one attempt's history is one range of the table; ids order them.
func (t *wtx) addEvent(at int64, kind, exam, attempt, candidate, actor, detail string) {
	t.w.lastEvent++
	t.events = append(t.events, attempt, t.w.lastEvent, at, kind, exam, candidate, actor, detail)
}

// addSave queues an entry of the save log: an append, so it costs no random
// write, unlike the events, which are clustered by attempt.
func (t *wtx) addSave(at int64, attempt, answers string) {
	t.saves = append(t.saves, at, attempt, answers)
}

// rowsPerInsert is the most rows one statement carries.
const rowsPerInsert = 32

// flush writes the queued rows.
func (t *wtx) flush() error {
	if err := t.insertRows(answerInsert, answerUpsert, 5, t.answers); err != nil {
		return err
	}
	if err := t.insertRows(saveInsert, "", 3, t.saves); err != nil {
		return err
	}
	return t.insertRows(eventInsert, "", 8, t.events)
}

func (t *wtx) insertRows(head, tail string, width int, vals []any) error {
	for len(vals) > 0 {
		n := min(len(vals)/width, rowsPerInsert)
		if _, err := t.exec(multiRow(head, tail, width, n), vals[:n*width]...); err != nil {
			return err
		}
		vals = vals[n*width:]
	}
	return nil
}

// multiRows caches the SQL text of multi-row statements.
var multiRows sync.Map

func multiRow(head, tail string, width, n int) string {
	key := fmt.Sprint(head, n)
	if q, ok := multiRows.Load(key); ok {
		return q.(string)
	}
	row := "(" + strings.Repeat("?, ", width-1) + "?)"
	q := head + " VALUES " + strings.Repeat(row+", ", n-1) + row + " " + tail
	multiRows.Store(key, q)
	return q
}

// exec runs a statement in the transaction: prepared if it ran before,
// else directly, and remembered so that the writer prepares it between
// transactions (preparing inside one would need a second connection).
func (t *wtx) exec(query string, args ...any) (sql.Result, error) {
	if s, ok := t.bound[query]; ok {
		return s.Exec(args...)
	}
	if s, ok := t.w.stmts[query]; ok {
		b := t.Tx.Stmt(s)
		t.bound[query] = b
		return b.Exec(args...)
	}
	t.w.unprepared[query] = true
	return t.Tx.Exec(query, args...)
}

// prepare prepares the statements that ran unprepared.
func (w *writer) prepare() {
	for q := range w.unprepared {
		if s, err := w.db.Prepare(q); err == nil {
			w.stmts[q] = s
		}
		delete(w.unprepared, q)
	}
}

func newWriter(db *sql.DB, dbPath string, max int) (*writer, error) {
	var last sql.NullInt64
	if err := db.QueryRow(`SELECT max(id) FROM events`).Scan(&last); err != nil {
		return nil, err
	}
	w := &writer{
		lastEvent: last.Int64,
		db:        db, walPath: dbPath + "-wal", max: max,
		ops: make(chan *op, 4*max), syncq: make(chan []*op, 64),
		stmts: make(map[string]*sql.Stmt), unprepared: make(map[string]bool),
		done: make(chan struct{}),
	}
	go w.loop()
	go w.syncer()
	return w, nil
}

var errClosed = errors.New("sqlite: database is closed")

// do queues fn and waits until its transaction committed. An error means
// nothing of fn is durable.
func (w *writer) do(ctx context.Context, fn func(*wtx) error, done chan error) error {
	if done == nil {
		done = make(chan error, 1)
	}
	if err := w.send(ctx, &op{apply: fn, done: done}); err != nil {
		return err
	}
	// Wait even if ctx ends: the caller must know whether it committed.
	return <-done
}

// execN runs one statement in the group commit, waits for it as do does,
// and returns how many rows it changed.
func (w *writer) execN(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	err := w.do(ctx, func(t *wtx) error {
		res, err := t.exec(query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	}, nil)
	return n, err
}

// later queues fn without waiting for it.
func (w *writer) later(ctx context.Context, fn func(*wtx) error) error {
	return w.send(ctx, &op{apply: fn})
}

func (w *writer) send(ctx context.Context, o *op) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return examhall.Unavailable(errClosed)
	}
	if err, _ := w.failure.Load().(error); err != nil {
		return examhall.Unavailable(err)
	}
	select {
	case w.ops <- o:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *writer) loop() {
	defer close(w.syncq)
	for o := range w.ops {
		batch := make([]*op, 1, 16)
		batch[0] = o
		if len(w.ops) < 4 {
			runtime.Gosched() // let a few more operations queue up
		}
	fill:
		for len(batch) < w.max {
			select {
			case o, ok := <-w.ops:
				if !ok {
					break fill
				}
				batch = append(batch, o)
			default:
				break fill
			}
		}
		start := time.Now()
		w.commit(batch)
		w.prepare()
		w.batches.Add(1)
		w.opsDone.Add(int64(len(batch)))
		w.busy.Add(int64(time.Since(start)))
		if f := w.observe.Load(); f != nil {
			(*f)(len(batch), time.Since(start))
		}
		w.syncq <- batch
	}
}

// commit applies a batch in one transaction and records each operation's
// outcome. If one operation fails, the others are retried one transaction
// each, so a bad one fails alone.
func (w *writer) commit(batch []*op) {
	errs, err := w.apply(batch)
	if err == nil {
		for i, o := range batch {
			o.err = errs[i]
		}
		return
	}
	if len(batch) == 1 {
		batch[0].err = err
		return
	}
	for _, o := range batch {
		errs, err := w.apply([]*op{o})
		if err == nil {
			err = errs[0]
		}
		o.err = err
	}
}

// syncer fsyncs the log for every committed batch, taking all that wait in
// one fsync, and then reports each operation's outcome.
func (w *writer) syncer() {
	defer close(w.done)
	for batch := range w.syncq {
		batches := [][]*op{batch}
	more:
		for {
			select {
			case b, ok := <-w.syncq:
				if !ok {
					break more
				}
				batches = append(batches, b)
			default:
				break more
			}
		}
		err := w.syncLog()
		for _, b := range batches {
			for _, o := range b {
				if o.err == nil {
					o.err = err
				}
				finish(o, o.err)
			}
		}
	}
}

// syncLog makes everything committed so far durable. A failed fsync leaves
// the kernel's copy of the file in doubt, so it poisons every later write
// until the process restarts and SQLite recovers from what is on disk.
func (w *writer) syncLog() error {
	if err, _ := w.failure.Load().(error); err != nil {
		return err
	}
	err := w.fsync()
	if err != nil {
		err = fmt.Errorf("fsync of %s failed; refusing writes until restart: %w", w.walPath, err)
		w.failure.Store(err)
	}
	return err
}

func (w *writer) fsync() error {
	fi, err := os.Stat(w.walPath)
	if err != nil {
		return err
	}
	if w.wal != nil {
		if cur, err := w.wal.Stat(); err != nil || !os.SameFile(cur, fi) {
			w.wal.Close()
			w.wal = nil
		}
	}
	if w.wal == nil {
		if w.wal, err = os.OpenFile(w.walPath, os.O_RDWR, 0); err != nil {
			return err
		}
		w.walDir = false
	}
	if err := w.wal.Sync(); err != nil {
		return err
	}
	if !w.walDir {
		// A new log file is durable only once its directory entry is.
		d, err := os.Open(filepath.Dir(w.walPath))
		if err != nil {
			return err
		}
		err = d.Sync()
		d.Close()
		if err != nil {
			return err
		}
		w.walDir = true
	}
	return nil
}

// apply runs ops in one transaction. err is a failure of the transaction as a
// whole (nothing committed) or of one op (nothing committed either).
func (w *writer) apply(ops []*op) ([]error, error) {
	tx, err := w.db.Begin()
	if err != nil {
		return nil, err
	}
	t := &wtx{Tx: tx, w: w, bound: make(map[string]*sql.Stmt)}
	for _, o := range ops {
		if err := o.apply(t); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	if err := t.flush(); err != nil {
		tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return make([]error, len(ops)), nil
}

func finish(o *op, err error) {
	if o.done != nil {
		o.done <- err
	}
}

// close stops accepting work, commits what is queued and closes the
// connection.
func (w *writer) close() error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.ops)
	}
	w.mu.Unlock()
	<-w.done
	for _, s := range w.stmts {
		s.Close()
	}
	if w.wal != nil {
		w.wal.Close()
	}
	return w.db.Close()
}

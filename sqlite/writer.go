package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"examhall"
)

// writer is the group commit: one goroutine owns the only write connection
// and applies every queued operation in one transaction, so concurrent saves
// share one fsync. Nobody waits on a timer: while one batch commits, the
// next one queues up, so batches grow with load and latency stays at about
// one commit.
type writer struct {
	db    *sql.DB
	ops   chan *op
	max   int
	stmts map[string]*sql.Stmt
	// unprepared holds statements seen for the first time.
	unprepared map[string]bool

	mu     sync.RWMutex // held shared while sending, exclusively to close
	closed bool
	done   chan struct{}

	batches, opsDone atomic.Int64
	observe          atomic.Pointer[func(size int, d time.Duration)]
}

// op is one unit of work; done receives its outcome, or is nil when nobody
// waits for it.
type op struct {
	apply func(tx *wtx) error
	done  chan error
}

// wtx is a write transaction with the prepared statements bound to it.
type wtx struct {
	*sql.Tx
	w     *writer
	bound map[string]*sql.Stmt
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

func newWriter(db *sql.DB, max int) (*writer, error) {
	w := &writer{db: db, ops: make(chan *op, 4*max), max: max, stmts: make(map[string]*sql.Stmt), unprepared: make(map[string]bool), done: make(chan struct{})}
	go w.loop()
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
	select {
	case w.ops <- o:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *writer) loop() {
	defer close(w.done)
	batch := make([]*op, 0, w.max)
	for o := range w.ops {
		batch = append(batch[:0], o)
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
		if f := w.observe.Load(); f != nil {
			(*f)(len(batch), time.Since(start))
		}
	}
}

// commit applies a batch in one transaction. If one operation fails, the
// others are retried one transaction each, so a bad one fails alone.
func (w *writer) commit(batch []*op) {
	errs, err := w.apply(batch)
	if err == nil {
		for i, o := range batch {
			finish(o, errs[i])
		}
		return
	}
	if len(batch) == 1 {
		finish(batch[0], err)
		return
	}
	for _, o := range batch {
		errs, err := w.apply([]*op{o})
		if err == nil {
			err = errs[0]
		}
		finish(o, err)
	}
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
	return w.db.Close()
}

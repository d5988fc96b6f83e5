// Package sqlite is examhall's embedded mode: every store of package examhall
// on one SQLite file in WAL mode, with a group-commit writer that lets many
// concurrent saves share one fsync, and in-process caches of the hot state
// (attempts, sessions, stored seqs). The same file holds the durable event
// log: every save, submission, login and staff action is appended to its
// events table in the transaction that makes it durable.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"examhall"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is an open embedded database. Its methods implement the store
// interfaces of package examhall.
type DB struct {
	path string
	rd   *sql.DB // readers: WAL lets them run beside the writer
	w    *writer

	cp      *sql.DB // checkpoints, see checkpoints
	stop    chan struct{}
	stopped chan struct{}
	folded  chan struct{} // closed when the folder stops

	attempts   sync.Map // attempt id -> *attemptEntry, every attempt (see hot.go)
	candidates sync.Map // exam id -> *candidateSet
	stmts      sync.Map // query text -> *sql.Stmt on rd

	lock *dirLock
	now  func() time.Time // the server's clock
	log  *slog.Logger
}

// Options tune a DB.
type Options struct {
	// MaxBatch caps how many operations share one commit (default 2048).
	MaxBatch int
	// Readers is the size of the read connection pool (default 8).
	Readers int
	// Now is the server's clock, which dates the save log and times the
	// login limiter's windows (default time.Now).
	Now func() time.Time
	// Observer, if set, is told of every group commit.
	Observer Observer
	// FoldRows and FoldIdle set when the save log is folded into the
	// answers table (see fold.go): once it holds FoldRows rows not yet
	// folded (default 200,000), or once no save came for FoldIdle
	// (default 10 s).
	FoldRows int64
	FoldIdle time.Duration
	// Logger receives the fold's reports (default: none).
	Logger *slog.Logger
}

// FileName is the database's name inside the data directory.
const FileName = "examhall.db"

// Open opens (creating if needed) the database in directory dir and brings
// its schema up to date.
func Open(ctx context.Context, dir string, opt Options) (_ *DB, err error) {
	if opt.MaxBatch == 0 {
		opt.MaxBatch = 2048
	}
	if opt.Readers == 0 {
		opt.Readers = 8
	}
	if opt.FoldRows == 0 {
		opt.FoldRows = defaultFoldRows
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.FoldIdle == 0 {
		opt.FoldIdle = defaultFoldIdle
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			lock.release()
		}
	}()
	path := filepath.Join(dir, FileName)
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(OFF)"
	// The writer never checkpoints: a background connection does, so that
	// copying the log into the file is off the path of every save.
	// It commits without fsync: the writer's syncer fsyncs the log before
	// any operation is acknowledged (see writer). A new database gets 1 KiB
	// pages: a login or a save changes a few rows at random places of
	// large tables, and every page it touches is written whole to the log
	// and again to the file; smaller pages made the writer's group commits
	// (and the checkpoints) several times cheaper at an exam start (see
	// BENCHMARKS.md). An existing database keeps its page size.
	wdb, err := sql.Open("sqlite", dsn+"&_txlock=immediate&_pragma=page_size(1024)&_pragma=wal_autocheckpoint(0)&_pragma=cache_size(-65536)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)")
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	defer func() {
		if err != nil {
			wdb.Close()
		}
	}()
	if err := migrate(ctx, wdb); err != nil {
		return nil, fmt.Errorf("preparing %s: %w", path, err)
	}
	rd, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	rd.SetMaxOpenConns(opt.Readers)
	rd.SetMaxIdleConns(opt.Readers)
	w, err := newWriter(wdb, path, opt.MaxBatch)
	if err == nil && opt.Observer != nil {
		commit := opt.Observer.Commit
		w.observe.Store(&commit)
	}
	if err != nil {
		rd.Close()
		return nil, err
	}
	cp, err := sql.Open("sqlite", dsn+"&_pragma=synchronous(FULL)")
	if err != nil {
		rd.Close()
		w.close()
		return nil, err
	}
	cp.SetMaxOpenConns(1)
	db := &DB{path: path, rd: rd, w: w, cp: cp, stop: make(chan struct{}), stopped: make(chan struct{}), folded: make(chan struct{}), lock: lock, now: opt.Now, log: opt.Logger}
	closeAll := func() {
		rd.Close()
		w.close()
		cp.Close()
	}
	// Recovery: the answers table catches up with the save log before
	// anything reads it.
	if err := db.foldAndLog(ctx, "at_open", true); err != nil {
		closeAll()
		return nil, fmt.Errorf("replaying the save log of %s: %w", path, err)
	}
	if err := db.loadAttempts(ctx); err != nil {
		closeAll()
		return nil, fmt.Errorf("reading attempts of %s: %w", path, err)
	}
	go db.checkpoints(time.Second)
	go db.folder(opt.FoldRows, opt.FoldIdle)
	return db, nil
}

// checkpoints copies the write-ahead log into the database file every
// interval, without blocking the writer (PASSIVE), until Close.
func (db *DB) checkpoints(interval time.Duration) {
	defer close(db.stopped)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			db.cp.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
			return
		case <-t.C:
			db.cp.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// Close finishes pending commits and closes the database.
func (db *DB) Close() error {
	err := db.w.close()
	close(db.stop)
	<-db.stopped
	<-db.folded
	db.stmts.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
	err = errors.Join(err, db.cp.Close(), db.rd.Close())
	db.lock.release()
	return err
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Ready reports whether the database answers.
func (db *DB) Ready(ctx context.Context) error {
	return db.rd.PingContext(ctx)
}

// Secret returns the server's master secret, creating it on first use. It is
// kept inside the database so that one file is the whole server.
func (db *DB) Secret(ctx context.Context) ([]byte, error) {
	var s string
	err := db.rd.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'secret'`).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		err = db.w.do(ctx, func(tx *wtx) error {
			_, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('secret', ?) ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(b))
			return err
		}, nil)
		if err != nil {
			return nil, err
		}
		return db.Secret(ctx)
	}
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(s)
}

// Backend returns the examhall.Backend of embedded mode on db.
func (db *DB) Backend() examhall.Backend {
	return examhall.Backend{
		Exams: db, Candidates: db, Staff: db, Attempts: db, Answers: db, Marks: db,
		Audit: db, Limiter: NewLimiter(db.now), Ready: db.Ready, Assets: db, Uploads: db,
		LTI: db, Once: NewOnce(db.now),
	}
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

func notFound(what, id string) error {
	return examhall.Errorf(examhall.ENotFound, "No %s has the id %q.", what, id)
}

// Observer is told of every group commit, for metrics. Its method must be
// cheap and safe for concurrent use.
type Observer interface {
	// Commit records one group commit: the operations it carried and how
	// long it took.
	Commit(size int, took time.Duration)
}

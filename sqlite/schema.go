package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; PRAGMA user_version counts those done.
var migrations = []string{
	`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	CREATE TABLE exams (
		id TEXT PRIMARY KEY,
		doc TEXT NOT NULL,
		released INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL);
	CREATE TABLE candidates (
		exam TEXT NOT NULL,
		id TEXT NOT NULL,
		code_hash BLOB NOT NULL,
		extra_seconds INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (exam, id)) WITHOUT ROWID;
	CREATE TABLE staff (
		username TEXT PRIMARY KEY,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL,
		created_at INTEGER NOT NULL);
	CREATE TABLE attempts (
		id TEXT PRIMARY KEY,
		exam TEXT NOT NULL,
		candidate TEXT NOT NULL,
		status TEXT NOT NULL,
		started_at INTEGER NOT NULL,
		deadline INTEGER NOT NULL,
		due INTEGER NOT NULL,
		submitted_at INTEGER NOT NULL DEFAULT 0,
		auto INTEGER NOT NULL DEFAULT 0,
		receipt TEXT NOT NULL DEFAULT '',
		session TEXT NOT NULL DEFAULT '',
		UNIQUE (exam, candidate)) WITHOUT ROWID;
	CREATE INDEX attempts_due ON attempts (due) WHERE status = 'in_progress';
	CREATE TABLE answers (
		attempt TEXT NOT NULL,
		question TEXT NOT NULL,
		response TEXT NOT NULL,
		seq INTEGER NOT NULL,
		saved_at INTEGER NOT NULL,
		PRIMARY KEY (attempt, question)) WITHOUT ROWID;
	CREATE TABLE marks (
		attempt TEXT NOT NULL,
		question TEXT NOT NULL,
		points REAL NOT NULL,
		comment TEXT NOT NULL DEFAULT '',
		marked_by TEXT NOT NULL,
		marked_at INTEGER NOT NULL,
		PRIMARY KEY (attempt, question)) WITHOUT ROWID;
	CREATE TABLE events (
		attempt TEXT NOT NULL DEFAULT '',
		id INTEGER NOT NULL,
		at INTEGER NOT NULL,
		kind TEXT NOT NULL,
		exam TEXT NOT NULL DEFAULT '',
		candidate TEXT NOT NULL DEFAULT '',
		actor TEXT NOT NULL DEFAULT '',
		detail TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (attempt, id)) WITHOUT ROWID;
	CREATE INDEX events_exam ON events (exam, id);
	CREATE TABLE save_log (
		id INTEGER PRIMARY KEY,
		at INTEGER NOT NULL,
		attempt TEXT NOT NULL,
		answers TEXT NOT NULL);`,
	// 2: the final answer set of each submitted attempt as one row, so that
	// results and statistics read one row per attempt (see finals.go).
	`CREATE TABLE finals (
		attempt TEXT PRIMARY KEY,
		exam TEXT NOT NULL,
		answers BLOB NOT NULL);
	CREATE INDEX finals_exam ON finals (exam);`,
	// 3: images and other files of imported exams (see assets.go).
	`CREATE TABLE assets (
		exam TEXT NOT NULL,
		name TEXT NOT NULL,
		type TEXT NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (exam, name));`,
	// 4: files candidates attach to answers (see uploads.go).
	`CREATE TABLE uploads (
		attempt TEXT NOT NULL,
		sha256 TEXT NOT NULL,
		question TEXT NOT NULL,
		name TEXT NOT NULL,
		type TEXT NOT NULL,
		size INTEGER NOT NULL,
		data BLOB NOT NULL,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (attempt, sha256, question)) WITHOUT ROWID;`,
	// 5: LTI 1.3 platforms (see lti.go); the tool's key is in meta.
	`CREATE TABLE lti_platforms (
		id TEXT PRIMARY KEY,
		issuer TEXT NOT NULL,
		client_id TEXT NOT NULL,
		doc TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		UNIQUE (issuer, client_id));`,
	// 6: the outbox of LTI grade passback, one row per attempt (lti.go).
	`CREATE TABLE lti_grades (
		attempt TEXT PRIMARY KEY,
		exam TEXT NOT NULL,
		candidate TEXT NOT NULL,
		platform TEXT NOT NULL,
		subject TEXT NOT NULL,
		lineitem TEXT NOT NULL,
		version INTEGER NOT NULL DEFAULT 0,
		due INTEGER,
		tries INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		sent_at INTEGER NOT NULL DEFAULT 0,
		score_given REAL NOT NULL DEFAULT 0,
		score_maximum REAL NOT NULL DEFAULT 0,
		grading_progress TEXT NOT NULL DEFAULT '');
	CREATE INDEX lti_grades_due ON lti_grades (due) WHERE due IS NOT NULL;
	CREATE INDEX lti_grades_exam ON lti_grades (exam);
	CREATE TABLE lti_rosters (
		exam TEXT NOT NULL,
		url TEXT NOT NULL,
		platform TEXT NOT NULL,
		PRIMARY KEY (exam, url));`,
	// 7: who a candidate is, and their own sitting (a make-up window).
	`ALTER TABLE candidates ADD COLUMN name TEXT NOT NULL DEFAULT '';
	ALTER TABLE candidates ADD COLUMN email TEXT NOT NULL DEFAULT '';
	ALTER TABLE candidates ADD COLUMN opens_at INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE candidates ADD COLUMN closes_at INTEGER NOT NULL DEFAULT 0;`,
	// 8: how many times staff reopened a submitted attempt.
	`ALTER TABLE attempts ADD COLUMN reopens INTEGER NOT NULL DEFAULT 0;`,
	// 9: the answers table is folded from the save log (see fold.go); the
	// rows logged so far are in it already.
	`INSERT INTO meta (key, value) SELECT 'answers_folded', CAST(coalesce(max(id), 0) AS TEXT) FROM save_log;`,
}

// migrate applies the migrations not yet applied, each in a transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	var done int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&done); err != nil {
		return err
	}
	if done > len(migrations) {
		return fmt.Errorf("the database has schema version %d, newer than this examhall (%d): upgrade examhall", done, len(migrations))
	}
	for v := done; v < len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

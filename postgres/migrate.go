package postgres

import (
	"context"
	"fmt"
)

// migrations are applied in order, each once; schema_migrations records
// those done. Never edit one that shipped: add another.
var migrations = []string{
	`CREATE TABLE exams (
		id text PRIMARY KEY,
		doc jsonb NOT NULL,
		released boolean NOT NULL DEFAULT false,
		created_at timestamptz NOT NULL);
	CREATE TABLE candidates (
		exam text NOT NULL,
		id text NOT NULL,
		code_hash bytea NOT NULL,
		extra_seconds integer NOT NULL DEFAULT 0,
		created_at timestamptz NOT NULL,
		PRIMARY KEY (exam, id));
	CREATE TABLE staff (
		username text PRIMARY KEY,
		password_hash text NOT NULL,
		role text NOT NULL,
		created_at timestamptz NOT NULL);
	CREATE TABLE attempts (
		id text PRIMARY KEY,
		exam text NOT NULL,
		candidate text NOT NULL,
		status text NOT NULL,
		started_at timestamptz NOT NULL,
		deadline timestamptz NOT NULL,
		due timestamptz NOT NULL,
		submitted_at timestamptz,
		auto boolean NOT NULL DEFAULT false,
		receipt text NOT NULL DEFAULT '',
		UNIQUE (exam, candidate));
	CREATE INDEX attempts_due ON attempts (due) WHERE status = 'in_progress';
	CREATE TABLE drafts (
		attempt text NOT NULL,
		question text NOT NULL,
		response text NOT NULL,
		seq bigint NOT NULL,
		saved_at timestamptz NOT NULL,
		PRIMARY KEY (attempt, question));
	CREATE TABLE save_log (
		part integer NOT NULL,
		off bigint NOT NULL,
		attempt text NOT NULL,
		at timestamptz NOT NULL,
		answers text NOT NULL,
		PRIMARY KEY (part, off));
	CREATE INDEX save_log_attempt ON save_log (attempt);
	CREATE TABLE submissions (
		attempt text PRIMARY KEY,
		submitted_at timestamptz NOT NULL,
		auto boolean NOT NULL,
		receipt text NOT NULL,
		answers jsonb NOT NULL,
		recorded_at timestamptz NOT NULL DEFAULT now());
	-- results is no longer written: results are graded when staff read
	-- them. It stays, so that a grader of an older version, still running
	-- during an upgrade, can go on writing it.
	CREATE TABLE results (
		attempt text PRIMARY KEY,
		exam text NOT NULL,
		score double precision NOT NULL,
		max_score double precision NOT NULL,
		pending integer NOT NULL,
		graded_at timestamptz NOT NULL);
	CREATE TABLE marks (
		attempt text NOT NULL,
		question text NOT NULL,
		points double precision NOT NULL,
		comment text NOT NULL DEFAULT '',
		marked_by text NOT NULL,
		marked_at timestamptz NOT NULL,
		PRIMARY KEY (attempt, question));
	CREATE TABLE events (
		part integer NOT NULL,
		off bigint NOT NULL,
		at timestamptz NOT NULL,
		kind text NOT NULL,
		exam text NOT NULL DEFAULT '',
		attempt text NOT NULL DEFAULT '',
		candidate text NOT NULL DEFAULT '',
		actor text NOT NULL DEFAULT '',
		detail text NOT NULL DEFAULT '',
		PRIMARY KEY (part, off));
	CREATE INDEX events_exam ON events (exam, at);
	CREATE INDEX events_attempt ON events (attempt, at) WHERE attempt <> '';`,
	// 2: one row of kept answers per attempt ({"q": {"s": seq, "r": response}})
	// instead of one per answer: a grader batch rewrites one row per attempt,
	// a tenth of the index work for ten answers.
	`CREATE TABLE answer_sets (
		attempt text PRIMARY KEY,
		answers jsonb NOT NULL,
		saved_at timestamptz NOT NULL);
	INSERT INTO answer_sets (attempt, answers, saved_at)
		SELECT attempt, jsonb_object_agg(question, jsonb_build_object('s', seq, 'r', response::jsonb)), max(saved_at)
		FROM drafts GROUP BY attempt;
	DROP TABLE drafts;`,
	// 3: images of imported exams.
	`CREATE TABLE assets (
		exam text NOT NULL,
		name text NOT NULL,
		type text NOT NULL,
		data bytea NOT NULL,
		PRIMARY KEY (exam, name));`,
	// 4: files candidates attach to answers, written by the API pods
	// directly (durable before the upload is acknowledged).
	`CREATE TABLE uploads (
		attempt text NOT NULL,
		sha256 text NOT NULL,
		question text NOT NULL,
		name text NOT NULL,
		type text NOT NULL,
		size bigint NOT NULL,
		data bytea NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (attempt, sha256, question));`,
	// 5: LTI 1.3 platforms and the tool's signing key (see lti.go).
	`CREATE TABLE lti_platforms (
		id text PRIMARY KEY,
		issuer text NOT NULL,
		client_id text NOT NULL,
		doc jsonb NOT NULL,
		created_at timestamptz NOT NULL,
		UNIQUE (issuer, client_id));
	CREATE TABLE lti_keys (
		name text PRIMARY KEY,
		key bytea NOT NULL);`,
	// 6: the outbox of LTI grade passback, one row per attempt.
	`CREATE TABLE lti_grades (
		attempt text PRIMARY KEY,
		exam text NOT NULL,
		candidate text NOT NULL,
		platform text NOT NULL,
		subject text NOT NULL,
		lineitem text NOT NULL,
		version bigint NOT NULL DEFAULT 0,
		due timestamptz,
		tries integer NOT NULL DEFAULT 0,
		last_error text NOT NULL DEFAULT '',
		sent_at timestamptz,
		score_given double precision NOT NULL DEFAULT 0,
		score_maximum double precision NOT NULL DEFAULT 0,
		grading_progress text NOT NULL DEFAULT '');
	CREATE INDEX lti_grades_due ON lti_grades (due) WHERE due IS NOT NULL;
	CREATE INDEX lti_grades_exam ON lti_grades (exam);
	CREATE TABLE lti_rosters (
		exam text NOT NULL,
		url text NOT NULL,
		platform text NOT NULL,
		PRIMARY KEY (exam, url));`,
	// 7: who a candidate is, and their own sitting (a make-up window).
	`ALTER TABLE candidates ADD COLUMN name text NOT NULL DEFAULT '',
		ADD COLUMN email text NOT NULL DEFAULT '',
		ADD COLUMN opens_at timestamptz,
		ADD COLUMN closes_at timestamptz;`,
	// 8: reopening a submitted attempt. reopens numbers the attempt's
	// submissions; a reopen moves the submission it sets aside to
	// submission_history.
	`ALTER TABLE attempts ADD COLUMN reopens integer NOT NULL DEFAULT 0;
	CREATE TABLE submission_history (
		attempt text NOT NULL,
		generation integer NOT NULL,
		submitted_at timestamptz NOT NULL,
		auto boolean NOT NULL,
		receipt text NOT NULL,
		answers jsonb NOT NULL,
		reopened_at timestamptz NOT NULL,
		PRIMARY KEY (attempt, generation));`,
}

// Migrate applies the migrations not yet applied and returns how many it
// applied. Concurrent callers (pods starting together) take turns on an
// advisory lock, so each migration runs once.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrating: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.examhall_migrate'))`); err != nil {
		return 0, fmt.Errorf("migrating: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, fmt.Errorf("migrating: %w", err)
	}
	var done int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&done); err != nil {
		return 0, fmt.Errorf("migrating: %w", err)
	}
	if done > len(migrations) {
		return 0, fmt.Errorf("the database has schema version %d, newer than this examhall (%d): upgrade examhall", done, len(migrations))
	}
	for v := done; v < len(migrations); v++ {
		if _, err := tx.Exec(ctx, migrations[v]); err != nil {
			return 0, fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v+1); err != nil {
			return 0, fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("migrating: %w", err)
	}
	return len(migrations) - done, nil
}

// SchemaVersion returns the number of migrations applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Latest is the schema version this examhall brings.
func Latest() int { return len(migrations) }

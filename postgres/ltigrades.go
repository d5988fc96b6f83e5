package postgres

import (
	"context"
	"time"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.LTIGradeStore = (*DB)(nil)

const gradeColumns = `attempt, exam, candidate, platform, subject, lineitem, version, due, tries, last_error, sent_at, score_given, score_maximum, grading_progress`

// LinkGrade implements examhall.LTIGradeStore.
func (db *DB) LinkGrade(ctx context.Context, g *examhall.LTIGrade) (err error) {
	defer examhall.Wrap(&err, "LinkGrade", g.Attempt)
	_, err = db.pool.Exec(ctx, `INSERT INTO lti_grades (attempt, exam, candidate, platform, subject, lineitem) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (attempt) DO UPDATE SET platform = excluded.platform, subject = excluded.subject, lineitem = excluded.lineitem`,
		g.Attempt, g.Exam, g.Candidate, g.Platform, g.Subject, g.LineItem)
	return err
}

// GradeDue implements examhall.LTIGradeStore.
func (db *DB) GradeDue(ctx context.Context, attempt string, at time.Time) (_ bool, err error) {
	defer examhall.Wrap(&err, "GradeDue", attempt)
	tag, err := db.pool.Exec(ctx, `UPDATE lti_grades SET version = version + 1, due = $1, tries = 0 WHERE attempt = $2`, at.UTC(), attempt)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() > 0, nil
}

// ClaimGrades implements examhall.LTIGradeStore: rows locked by another
// pod's claim are skipped, and the lease hides the claimed ones.
func (db *DB) ClaimGrades(ctx context.Context, now time.Time, lease time.Duration, limit int) (_ []*examhall.LTIGrade, err error) {
	defer examhall.Wrap(&err, "ClaimGrades")
	rows, err := db.pool.Query(ctx, `UPDATE lti_grades SET due = $2 WHERE attempt IN (
			SELECT attempt FROM lti_grades WHERE due IS NOT NULL AND due <= $1 ORDER BY due LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING `+gradeColumns, now.UTC(), now.Add(lease).UTC(), limit)
	if err != nil {
		return nil, err
	}
	gs, err := pgx.CollectRows(rows, scanGrade)
	if err != nil {
		return nil, err
	}
	return gs, nil
}

// GradeSent implements examhall.LTIGradeStore.
func (db *DB) GradeSent(ctx context.Context, attempt string, version int64, s *examhall.LTIGrade) (err error) {
	defer examhall.Wrap(&err, "GradeSent", attempt)
	_, err = db.pool.Exec(ctx, `UPDATE lti_grades SET due = CASE WHEN version = $1 THEN NULL ELSE due END,
		tries = 0, last_error = '', sent_at = $2, score_given = $3, score_maximum = $4, grading_progress = $5 WHERE attempt = $6`,
		version, s.SentAt.UTC(), s.ScoreGiven, s.ScoreMaximum, s.GradingProgress, attempt)
	return err
}

// GradeFailed implements examhall.LTIGradeStore.
func (db *DB) GradeFailed(ctx context.Context, attempt string, version int64, msg string, next time.Time) (err error) {
	defer examhall.Wrap(&err, "GradeFailed", attempt)
	_, err = db.pool.Exec(ctx, `UPDATE lti_grades SET due = CASE WHEN version = $1 THEN $2 ELSE due END,
		tries = tries + 1, last_error = $3 WHERE attempt = $4`, version, next.UTC(), msg, attempt)
	return err
}

// Grades implements examhall.LTIGradeStore.
func (db *DB) Grades(ctx context.Context, exam string) (_ []*examhall.LTIGrade, err error) {
	defer examhall.Wrap(&err, "Grades", exam)
	rows, err := db.pool.Query(ctx, `SELECT `+gradeColumns+` FROM lti_grades WHERE exam = $1 ORDER BY candidate`, exam)
	if err != nil {
		return nil, err
	}
	gs, err := pgx.CollectRows(rows, scanGrade)
	if err != nil {
		return nil, err
	}
	if gs == nil {
		gs = []*examhall.LTIGrade{}
	}
	return gs, nil
}

func scanGrade(row pgx.CollectableRow) (*examhall.LTIGrade, error) {
	var g examhall.LTIGrade
	var sent *time.Time
	err := row.Scan(&g.Attempt, &g.Exam, &g.Candidate, &g.Platform, &g.Subject, &g.LineItem, &g.Version, &g.Due, &g.Tries,
		&g.LastError, &sent, &g.ScoreGiven, &g.ScoreMaximum, &g.GradingProgress)
	if err != nil {
		return nil, err
	}
	if g.Due != nil {
		d := g.Due.UTC()
		g.Due = &d
	}
	if sent != nil {
		g.SentAt = sent.UTC()
	}
	return &g, nil
}

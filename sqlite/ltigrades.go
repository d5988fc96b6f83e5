package sqlite

import (
	"context"
	"database/sql"
	"time"

	"examhall"
)

var _ examhall.LTIGradeStore = (*DB)(nil)

const gradeColumns = `attempt, exam, candidate, platform, subject, lineitem, version, due, tries, last_error, sent_at, score_given, score_maximum, grading_progress`

// LinkGrade implements examhall.LTIGradeStore.
func (db *DB) LinkGrade(ctx context.Context, g *examhall.LTIGrade) (err error) {
	defer examhall.Wrap(&err, "LinkGrade", g.Attempt)
	return db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO lti_grades (attempt, exam, candidate, platform, subject, lineitem) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (attempt) DO UPDATE SET platform = excluded.platform, subject = excluded.subject, lineitem = excluded.lineitem`,
			g.Attempt, g.Exam, g.Candidate, g.Platform, g.Subject, g.LineItem)
		return err
	}, nil)
}

// GradeDue implements examhall.LTIGradeStore.
func (db *DB) GradeDue(ctx context.Context, attempt string, at time.Time) (_ bool, err error) {
	defer examhall.Wrap(&err, "GradeDue", attempt)
	n, err := db.w.execN(ctx, `UPDATE lti_grades SET version = version + 1, due = ?, tries = 0 WHERE attempt = ?`, ms(at), attempt)
	return n > 0, err
}

// ClaimGrades implements examhall.LTIGradeStore.
func (db *DB) ClaimGrades(ctx context.Context, now time.Time, lease time.Duration, limit int) (_ []*examhall.LTIGrade, err error) {
	defer examhall.Wrap(&err, "ClaimGrades")
	// Most of the time nothing is due: a read says so without taking the
	// writer, which serves the candidates' saves.
	var any int
	err = db.rd.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM lti_grades WHERE due IS NOT NULL AND due <= ? LIMIT 1)`, ms(now)).Scan(&any)
	if err != nil || any == 0 {
		return nil, err
	}
	var out []*examhall.LTIGrade
	err = db.w.do(ctx, func(t *wtx) error {
		out = out[:0]
		rows, err := t.Query(`SELECT `+gradeColumns+` FROM lti_grades WHERE due IS NOT NULL AND due <= ? ORDER BY due LIMIT ?`, ms(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			g, err := scanGrade(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, g := range out {
			if _, err := t.exec(`UPDATE lti_grades SET due = ? WHERE attempt = ?`, ms(now.Add(lease)), g.Attempt); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	return out, err
}

// GradeSent implements examhall.LTIGradeStore.
func (db *DB) GradeSent(ctx context.Context, attempt string, version int64, s *examhall.LTIGrade) (err error) {
	defer examhall.Wrap(&err, "GradeSent", attempt)
	return db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`UPDATE lti_grades SET due = CASE WHEN version = ? THEN NULL ELSE due END,
			tries = 0, last_error = '', sent_at = ?, score_given = ?, score_maximum = ?, grading_progress = ? WHERE attempt = ?`,
			version, ms(s.SentAt), s.ScoreGiven, s.ScoreMaximum, s.GradingProgress, attempt)
		return err
	}, nil)
}

// GradeFailed implements examhall.LTIGradeStore.
func (db *DB) GradeFailed(ctx context.Context, attempt string, version int64, msg string, next time.Time) (err error) {
	defer examhall.Wrap(&err, "GradeFailed", attempt)
	return db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`UPDATE lti_grades SET due = CASE WHEN version = ? THEN ? ELSE due END,
			tries = tries + 1, last_error = ? WHERE attempt = ?`, version, ms(next), msg, attempt)
		return err
	}, nil)
}

// Grades implements examhall.LTIGradeStore.
func (db *DB) Grades(ctx context.Context, exam string) (_ []*examhall.LTIGrade, err error) {
	defer examhall.Wrap(&err, "Grades", exam)
	rows, err := db.rd.QueryContext(ctx, `SELECT `+gradeColumns+` FROM lti_grades WHERE exam = ? ORDER BY candidate`, exam)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*examhall.LTIGrade{}
	for rows.Next() {
		g, err := scanGrade(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func scanGrade(s scanner) (*examhall.LTIGrade, error) {
	var g examhall.LTIGrade
	var due sql.NullInt64
	var sent int64
	err := s.Scan(&g.Attempt, &g.Exam, &g.Candidate, &g.Platform, &g.Subject, &g.LineItem, &g.Version, &due, &g.Tries,
		&g.LastError, &sent, &g.ScoreGiven, &g.ScoreMaximum, &g.GradingProgress)
	if err != nil {
		return nil, err
	}
	if due.Valid {
		d := fromMS(due.Int64)
		g.Due = &d
	}
	g.SentAt = fromMS(sent)
	return &g, nil
}

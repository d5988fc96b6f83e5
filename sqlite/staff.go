package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"examhall"
)

var _ examhall.StaffStore = (*DB)(nil)

// PutStaff implements examhall.StaffStore.
func (db *DB) PutStaff(ctx context.Context, s *examhall.Staff) (err error) {
	defer examhall.Wrap(&err, "PutStaff", s.Username)
	return db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO staff (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role`,
			s.Username, s.PasswordHash, s.Role, ms(s.CreatedAt))
		return err
	}, nil)
}

// Staff implements examhall.StaffStore.
func (db *DB) Staff(ctx context.Context, username string) (_ *examhall.Staff, err error) {
	defer examhall.Wrap(&err, "Staff", username)
	var s examhall.Staff
	var created int64
	err = db.rd.QueryRowContext(ctx, `SELECT username, password_hash, role, created_at FROM staff WHERE username = ?`, username).
		Scan(&s.Username, &s.PasswordHash, &s.Role, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, examhall.Errorf(examhall.ENotFound, "No staff account is named %q.", username)
	}
	if err != nil {
		return nil, err
	}
	s.CreatedAt = fromMS(created)
	return &s, nil
}

// StaffList implements examhall.StaffStore.
func (db *DB) StaffList(ctx context.Context) (_ []*examhall.Staff, err error) {
	defer examhall.Wrap(&err, "StaffList")
	rows, err := db.rd.QueryContext(ctx, `SELECT username, password_hash, role, created_at FROM staff ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.Staff
	for rows.Next() {
		var s examhall.Staff
		var created int64
		if err := rows.Scan(&s.Username, &s.PasswordHash, &s.Role, &created); err != nil {
			return nil, err
		}
		s.CreatedAt = fromMS(created)
		out = append(out, &s)
	}
	return out, rows.Err()
}

// DeleteStaff implements examhall.StaffStore.
func (db *DB) DeleteStaff(ctx context.Context, username string) (err error) {
	defer examhall.Wrap(&err, "DeleteStaff", username)
	return db.w.do(ctx, func(t *wtx) error {
		res, err := t.exec(`DELETE FROM staff WHERE username = ?`, username)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return examhall.Errorf(examhall.ENotFound, "No staff account is named %q.", username)
		}
		return nil
	}, nil)
}

package postgres

import (
	"context"
	"errors"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.StaffStore = (*DB)(nil)

// PutStaff implements examhall.StaffStore.
func (db *DB) PutStaff(ctx context.Context, s *examhall.Staff) (err error) {
	defer wrap(&err, "PutStaff", s.Username)
	_, err = db.pool.Exec(ctx, `INSERT INTO staff (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role`,
		s.Username, s.PasswordHash, s.Role, s.CreatedAt.UTC())
	return err
}

// Staff implements examhall.StaffStore.
func (db *DB) Staff(ctx context.Context, username string) (_ *examhall.Staff, err error) {
	defer wrap(&err, "Staff", username)
	var s examhall.Staff
	err = db.pool.QueryRow(ctx, `SELECT username, password_hash, role, created_at FROM staff WHERE username = $1`, username).
		Scan(&s.Username, &s.PasswordHash, &s.Role, &s.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, examhall.Errorf(examhall.ENotFound, "No staff account is named %q.", username)
	}
	if err != nil {
		return nil, err
	}
	s.CreatedAt = s.CreatedAt.UTC()
	return &s, nil
}

// StaffList implements examhall.StaffStore.
func (db *DB) StaffList(ctx context.Context) (_ []*examhall.Staff, err error) {
	defer examhall.Wrap(&err, "StaffList")
	rows, err := db.pool.Query(ctx, `SELECT username, password_hash, role, created_at FROM staff ORDER BY username`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (*examhall.Staff, error) {
		var s examhall.Staff
		err := r.Scan(&s.Username, &s.PasswordHash, &s.Role, &s.CreatedAt)
		s.CreatedAt = s.CreatedAt.UTC()
		return &s, err
	})
}

// DeleteStaff implements examhall.StaffStore.
func (db *DB) DeleteStaff(ctx context.Context, username string) (err error) {
	defer examhall.Wrap(&err, "DeleteStaff", username)
	tag, err := db.pool.Exec(ctx, `DELETE FROM staff WHERE username = $1`, username)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return examhall.Errorf(examhall.ENotFound, "No staff account is named %q.", username)
	}
	return nil
}

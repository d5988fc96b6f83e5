package postgres

import (
	"context"
	"errors"
	"fmt"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.UploadStore = (*DB)(nil)

// PutUpload implements examhall.UploadStore: the file is committed before
// it returns. API pods write uploads here directly rather than through
// the event log, as files are too large for it.
func (db *DB) PutUpload(ctx context.Context, u *examhall.UploadFile) (err error) {
	defer wrap(&err, "PutUpload", u.Attempt)
	_, err = db.pool.Exec(ctx, `INSERT INTO uploads (attempt, sha256, question, name, type, size, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		u.Attempt, u.SHA256, u.Question, u.Name, u.Type, u.Size, u.Data)
	if err != nil {
		return examhall.Unavailable(fmt.Errorf("storing an upload of %q: %w", u.Attempt, err))
	}
	return nil
}

// Upload implements examhall.UploadStore.
func (db *DB) Upload(ctx context.Context, attempt, sha string) (_ *examhall.UploadFile, err error) {
	defer wrap(&err, "Upload", attempt)
	u := &examhall.UploadFile{Attempt: attempt, SHA256: sha}
	err = db.pool.QueryRow(ctx, `SELECT question, name, type, size, data FROM uploads WHERE attempt = $1 AND sha256 = $2 LIMIT 1`,
		attempt, sha).Scan(&u.Question, &u.Name, &u.Type, &u.Size, &u.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, examhall.Errorf(examhall.ENotFound, "Attempt %q has no such upload.", attempt)
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

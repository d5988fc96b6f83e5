package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"examhall"
)

var _ examhall.UploadStore = (*DB)(nil)

// PutUpload implements examhall.UploadStore: the file is committed (with
// the writer's group commit) before it returns.
func (db *DB) PutUpload(ctx context.Context, u *examhall.UploadFile) (err error) {
	defer examhall.Wrap(&err, "PutUpload", u.Attempt)
	err = db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO uploads (attempt, sha256, question, name, type, size, data, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			u.Attempt, u.SHA256, u.Question, u.Name, u.Type, u.Size, u.Data, db.now().UnixMilli())
		return err
	}, nil)
	if err != nil {
		return examhall.Unavailable(fmt.Errorf("storing an upload of %q: %w", u.Attempt, err))
	}
	return nil
}

// Upload implements examhall.UploadStore.
func (db *DB) Upload(ctx context.Context, attempt, sha string) (_ *examhall.UploadFile, err error) {
	defer examhall.Wrap(&err, "Upload", attempt)
	u := &examhall.UploadFile{Attempt: attempt, SHA256: sha}
	err = db.rd.QueryRowContext(ctx, `SELECT question, name, type, size, data FROM uploads WHERE attempt = ? AND sha256 = ? LIMIT 1`,
		attempt, sha).Scan(&u.Question, &u.Name, &u.Type, &u.Size, &u.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, examhall.Errorf(examhall.ENotFound, "Attempt %q has no such upload.", attempt)
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"examhall"
)

var _ examhall.AssetStore = (*DB)(nil)

// PutAssets implements examhall.AssetStore.
func (db *DB) PutAssets(ctx context.Context, exam string, assets []examhall.Asset) (err error) {
	defer examhall.Wrap(&err, "PutAssets", exam)
	err = db.w.do(ctx, func(t *wtx) error {
		for _, a := range assets {
			_, err := t.exec(`INSERT INTO assets (exam, name, type, data) VALUES (?, ?, ?, ?)
				ON CONFLICT (exam, name) DO UPDATE SET type = excluded.type, data = excluded.data`, exam, a.Name, a.Type, a.Data)
			if err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil {
		return examhall.Unavailable(fmt.Errorf("storing assets of %q: %w", exam, err))
	}
	return nil
}

// Asset implements examhall.AssetStore.
func (db *DB) Asset(ctx context.Context, exam, name string) (_ *examhall.Asset, err error) {
	defer examhall.Wrap(&err, "Asset", exam, name)
	a := &examhall.Asset{Name: name}
	err = db.rd.QueryRowContext(ctx, `SELECT type, data FROM assets WHERE exam = ? AND name = ?`, exam, name).Scan(&a.Type, &a.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, examhall.Errorf(examhall.ENotFound, "Exam %q has no asset %q.", exam, name)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Assets implements examhall.AssetStore.
func (db *DB) Assets(ctx context.Context, exam string) (_ []examhall.Asset, err error) {
	defer examhall.Wrap(&err, "Assets", exam)
	rows, err := db.rd.QueryContext(ctx, `SELECT name, type, data FROM assets WHERE exam = ? ORDER BY name`, exam)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []examhall.Asset
	for rows.Next() {
		var a examhall.Asset
		if err := rows.Scan(&a.Name, &a.Type, &a.Data); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

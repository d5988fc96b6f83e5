package postgres

import (
	"context"
	"errors"
	"fmt"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.AssetStore = (*DB)(nil)

// PutAssets implements examhall.AssetStore.
func (db *DB) PutAssets(ctx context.Context, exam string, assets []examhall.Asset) (err error) {
	defer wrap(&err, "PutAssets", exam)
	names, types, data := make([]string, len(assets)), make([]string, len(assets)), make([][]byte, len(assets))
	for i, a := range assets {
		names[i], types[i], data[i] = a.Name, a.Type, a.Data
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO assets (exam, name, type, data)
		SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bytea[])
		ON CONFLICT (exam, name) DO UPDATE SET type = excluded.type, data = excluded.data`, exam, names, types, data)
	if err != nil {
		return examhall.Unavailable(fmt.Errorf("storing assets of %q: %w", exam, err))
	}
	return nil
}

// Asset implements examhall.AssetStore.
func (db *DB) Asset(ctx context.Context, exam, name string) (_ *examhall.Asset, err error) {
	defer wrap(&err, "Asset", exam, name)
	a := &examhall.Asset{Name: name}
	err = db.pool.QueryRow(ctx, `SELECT type, data FROM assets WHERE exam = $1 AND name = $2`, exam, name).Scan(&a.Type, &a.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, examhall.Errorf(examhall.ENotFound, "Exam %q has no asset %q.", exam, name)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Assets implements examhall.AssetStore.
func (db *DB) Assets(ctx context.Context, exam string) (_ []examhall.Asset, err error) {
	defer wrap(&err, "Assets", exam)
	rows, err := db.pool.Query(ctx, `SELECT name, type, data FROM assets WHERE exam = $1 ORDER BY name`, exam)
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

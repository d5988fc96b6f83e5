package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.FlagStore = (*DB)(nil)

// PutFlags implements examhall.FlagStore.
func (db *DB) PutFlags(ctx context.Context, attempt string, flags []string) (err error) {
	defer examhall.Wrap(&err, "PutFlags", attempt)
	raw, err := json.Marshal(flags)
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO flags (attempt, flags) VALUES ($1, $2)
		ON CONFLICT (attempt) DO UPDATE SET flags = excluded.flags`, attempt, raw)
	return err
}

// Flags implements examhall.FlagStore.
func (db *DB) Flags(ctx context.Context, attempt string) (_ []string, err error) {
	defer examhall.Wrap(&err, "Flags", attempt)
	var raw []byte
	err = db.pool.QueryRow(ctx, `SELECT flags FROM flags WHERE attempt = $1`, attempt).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return []string{}, nil
	} else if err != nil {
		return nil, err
	}
	var out []string
	return out, json.Unmarshal(raw, &out)
}

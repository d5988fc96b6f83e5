package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"examhall"
)

var _ examhall.FlagStore = (*DB)(nil)

// PutFlags implements examhall.FlagStore.
func (db *DB) PutFlags(ctx context.Context, attempt string, flags []string) (err error) {
	defer examhall.Wrap(&err, "PutFlags", attempt)
	raw, err := json.Marshal(flags)
	if err != nil {
		return err
	}
	return db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO flags (attempt, flags) VALUES (?, ?) ON CONFLICT (attempt) DO UPDATE SET flags = excluded.flags`, attempt, string(raw))
		return err
	}, nil)
}

// Flags implements examhall.FlagStore.
func (db *DB) Flags(ctx context.Context, attempt string) (_ []string, err error) {
	defer examhall.Wrap(&err, "Flags", attempt)
	var raw string
	err = db.rd.QueryRowContext(ctx, `SELECT flags FROM flags WHERE attempt = ?`, attempt).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return []string{}, nil
	} else if err != nil {
		return nil, err
	}
	var out []string
	return out, json.Unmarshal([]byte(raw), &out)
}

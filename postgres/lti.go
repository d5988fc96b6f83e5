package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"examhall"

	"github.com/jackc/pgx/v5"
)

var _ examhall.LTIStore = (*DB)(nil)

// PutPlatform implements examhall.LTIStore.
func (db *DB) PutPlatform(ctx context.Context, p *examhall.LTIPlatform) (err error) {
	defer examhall.Wrap(&err, "PutPlatform", p.ID)
	doc, err := json.Marshal(p)
	if err != nil {
		return err
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO lti_platforms (id, issuer, client_id, doc, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, p.ID, p.Issuer, p.ClientID, doc, p.CreatedAt.UTC())
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return examhall.Errorf(examhall.EConflict, "The platform %q with client id %q is registered already.", p.Issuer, p.ClientID)
	}
	return nil
}

// Platforms implements examhall.LTIStore.
func (db *DB) Platforms(ctx context.Context) (_ []*examhall.LTIPlatform, err error) {
	defer examhall.Wrap(&err, "Platforms")
	rows, err := db.pool.Query(ctx, `SELECT doc FROM lti_platforms ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*examhall.LTIPlatform{}
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var p examhall.LTIPlatform
		if err := json.Unmarshal(doc, &p); err != nil {
			return nil, fmt.Errorf("decoding stored platform: %w", err)
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

// DeletePlatform implements examhall.LTIStore.
func (db *DB) DeletePlatform(ctx context.Context, id string) (err error) {
	defer examhall.Wrap(&err, "DeletePlatform", id)
	tag, err := db.pool.Exec(ctx, `DELETE FROM lti_platforms WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return examhall.Errorf(examhall.ENotFound, "No LTI platform has the id %q.", id)
	}
	return nil
}

// ToolKey implements examhall.LTIStore: the first pod to ask stores its
// key, and every pod reads the one stored.
func (db *DB) ToolKey(ctx context.Context, gen func() ([]byte, error)) (_ []byte, err error) {
	defer examhall.Wrap(&err, "ToolKey")
	var k []byte
	err = db.pool.QueryRow(ctx, `SELECT key FROM lti_keys WHERE name = 'tool'`).Scan(&k)
	if errors.Is(err, pgx.ErrNoRows) {
		if k, err = gen(); err != nil {
			return nil, err
		}
		if _, err = db.pool.Exec(ctx, `INSERT INTO lti_keys (name, key) VALUES ('tool', $1) ON CONFLICT DO NOTHING`, k); err != nil {
			return nil, err
		}
		err = db.pool.QueryRow(ctx, `SELECT key FROM lti_keys WHERE name = 'tool'`).Scan(&k)
	}
	return k, err
}

// PutRoster implements examhall.LTIStore.
func (db *DB) PutRoster(ctx context.Context, r *examhall.LTIRoster) (err error) {
	defer examhall.Wrap(&err, "PutRoster", r.Exam)
	_, err = db.pool.Exec(ctx, `INSERT INTO lti_rosters (exam, url, platform) VALUES ($1, $2, $3)
		ON CONFLICT (exam, url) DO UPDATE SET platform = excluded.platform`, r.Exam, r.URL, r.Platform)
	return err
}

// Rosters implements examhall.LTIStore.
func (db *DB) Rosters(ctx context.Context, exam string) (_ []*examhall.LTIRoster, err error) {
	defer examhall.Wrap(&err, "Rosters", exam)
	rows, err := db.pool.Query(ctx, `SELECT exam, url, platform FROM lti_rosters WHERE exam = $1 ORDER BY url`, exam)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*examhall.LTIRoster, error) {
		var r examhall.LTIRoster
		err := row.Scan(&r.Exam, &r.URL, &r.Platform)
		return &r, err
	})
}

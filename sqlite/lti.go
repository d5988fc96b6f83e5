package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"examhall"
)

var _ examhall.LTIStore = (*DB)(nil)

// PutPlatform implements examhall.LTIStore.
func (db *DB) PutPlatform(ctx context.Context, p *examhall.LTIPlatform) (err error) {
	defer examhall.Wrap(&err, "PutPlatform", p.ID)
	doc, err := json.Marshal(p)
	if err != nil {
		return err
	}
	n, err := db.w.execN(ctx, `INSERT INTO lti_platforms (id, issuer, client_id, doc, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		p.ID, p.Issuer, p.ClientID, string(doc), ms(p.CreatedAt))
	if err != nil {
		return err
	}
	if n == 0 {
		return examhall.Errorf(examhall.EConflict, "The platform %q with client id %q is registered already.", p.Issuer, p.ClientID)
	}
	return nil
}

// Platforms implements examhall.LTIStore.
func (db *DB) Platforms(ctx context.Context) (_ []*examhall.LTIPlatform, err error) {
	defer examhall.Wrap(&err, "Platforms")
	rows, err := db.rd.QueryContext(ctx, `SELECT doc FROM lti_platforms ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*examhall.LTIPlatform{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var p examhall.LTIPlatform
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			return nil, fmt.Errorf("decoding stored platform: %w", err)
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

// DeletePlatform implements examhall.LTIStore.
func (db *DB) DeletePlatform(ctx context.Context, id string) (err error) {
	defer examhall.Wrap(&err, "DeletePlatform", id)
	n, err := db.w.execN(ctx, `DELETE FROM lti_platforms WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound("LTI platform", id)
	}
	return nil
}

// ToolKey implements examhall.LTIStore: the key lives in meta, beside the
// master secret.
func (db *DB) ToolKey(ctx context.Context, gen func() ([]byte, error)) (_ []byte, err error) {
	defer examhall.Wrap(&err, "ToolKey")
	var s string
	err = db.rd.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'lti_tool_key'`).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		var k []byte
		if k, err = gen(); err != nil {
			return nil, err
		}
		err = db.w.do(ctx, func(t *wtx) error {
			_, err := t.Exec(`INSERT INTO meta (key, value) VALUES ('lti_tool_key', ?) ON CONFLICT (key) DO NOTHING`, base64.StdEncoding.EncodeToString(k))
			return err
		}, nil)
		if err != nil {
			return nil, err
		}
		err = db.rd.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'lti_tool_key'`).Scan(&s)
	}
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(s)
}

// PutRoster implements examhall.LTIStore.
func (db *DB) PutRoster(ctx context.Context, r *examhall.LTIRoster) (err error) {
	defer examhall.Wrap(&err, "PutRoster", r.Exam)
	return db.w.do(ctx, func(t *wtx) error {
		_, err := t.exec(`INSERT INTO lti_rosters (exam, url, platform) VALUES (?, ?, ?)
			ON CONFLICT (exam, url) DO UPDATE SET platform = excluded.platform`, r.Exam, r.URL, r.Platform)
		return err
	}, nil)
}

// Rosters implements examhall.LTIStore.
func (db *DB) Rosters(ctx context.Context, exam string) (_ []*examhall.LTIRoster, err error) {
	defer examhall.Wrap(&err, "Rosters", exam)
	rows, err := db.rd.QueryContext(ctx, `SELECT exam, url, platform FROM lti_rosters WHERE exam = ? ORDER BY url`, exam)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*examhall.LTIRoster
	for rows.Next() {
		var r examhall.LTIRoster
		if err := rows.Scan(&r.Exam, &r.URL, &r.Platform); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

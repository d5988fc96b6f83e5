package server

import (
	"context"
	"fmt"

	"examhall"
	"examhall/sqlite"
)

// openEmbedded opens embedded mode's database in cfg.Data. Its master
// secret lives in the database, so that one file is the whole server; the
// key that signs tokens does not (s.tokenKey, from the data directory).
func (s *Server) openEmbedded(ctx context.Context, cfg *Config) (examhall.Backend, []byte, error) {
	db, err := sqlite.Open(ctx, cfg.Data, sqlite.Options{Now: cfg.Now, Observer: s.Metrics, Logger: s.log})
	if err != nil {
		return examhall.Backend{}, nil, err
	}
	s.onClose(db.Close)
	secret, err := db.Secret(ctx)
	if err != nil {
		return examhall.Backend{}, nil, fmt.Errorf("reading the server secret: %w", err)
	}
	if s.tokenKey, err = db.TokenKey(); err != nil {
		return examhall.Backend{}, nil, err
	}
	s.Mode = fmt.Sprintf("embedded (SQLite at %s)", db.Path())
	return db.Backend(), secret, nil
}

package main

import (
	"context"
	"examhall"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"examhall/hall"
	"examhall/sqlite"
)

// openEmbedded opens the embedded database in dir and a Hall on it, for the
// commands that work on a data directory directly.
func openEmbedded(ctx context.Context, dir string, mustExist bool, log *slog.Logger) (*sqlite.DB, *hall.Hall, error) {
	if mustExist {
		if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
			return nil, nil, fmt.Errorf("no examhall database in %s (set --data or EXAMHALL_DATA)", dir)
		}
	}
	db, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		return nil, nil, err
	}
	secret, err := db.Secret(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	keys, err := hall.NewKeys(secret)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, hall.New(db.Backend(), keys, hall.Config{Logger: log}), nil
}

// operator returns ctx acting as the member of staff name, with every
// right: whoever runs a command on the data directory owns the server.
func operator(ctx context.Context, name string) context.Context {
	return examhall.WithIdentity(ctx, &examhall.Identity{Staff: name, Role: examhall.RoleAdmin})
}

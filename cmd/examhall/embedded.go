package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"examhall"
	"examhall/server"
	"examhall/sqlite"
)

// openEmbedded builds the embedded server of the data directory dir, for
// the commands that work on it directly (without serving it).
func openEmbedded(ctx context.Context, dir string, mustExist bool, log *slog.Logger) (*server.Server, error) {
	if mustExist {
		if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
			return nil, fmt.Errorf("no examhall database in %s (set --data or EXAMHALL_DATA)", dir)
		}
	}
	return server.Build(ctx, server.Config{Data: dir, Logger: log})
}

// operator returns ctx acting as the member of staff name, with every
// right: whoever runs a command on the data directory owns the server.
func operator(ctx context.Context, name string) context.Context {
	return examhall.WithIdentity(ctx, &examhall.Identity{Staff: name, Role: examhall.RoleAdmin})
}

package main

import (
	"context"
	"fmt"

	"examhall/sqlite"
)

// runBackup is `examhall backup FILE`: a consistent copy of the embedded
// database, taken while the server runs.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.newFlagSet("backup", "backup [flags] FILE")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"backup takes one FILE to write"}
	}
	if err := sqlite.Backup(ctx, *data, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backed up %s to %s\n", *data, fs.Arg(0))
	return nil
}

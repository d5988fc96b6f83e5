package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database in directory dir to the
// file dest, while a server may be using it: SQLite's VACUUM INTO reads one
// snapshot (a read transaction, which never blocks the writer in WAL mode)
// and writes a compact database. dest must not exist. To restore, put the
// copy in an empty data directory as FileName.
func Backup(ctx context.Context, dir, dest string) (err error) {
	src := filepath.Join(dir, FileName)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("no examhall database in %s", dir)
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("%s exists: a backup never overwrites a file", dest)
	}
	tmp := dest + ".partial"
	os.Remove(tmp)
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	db, err := sql.Open("sqlite", "file:"+src+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	// The copy is created empty and private first: VACUUM INTO would
	// create it with the umask's mode (world-readable, usually), and it
	// holds the access codes' key.
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("backing up %s: %w", src, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	return syncFile(filepath.Dir(dest))
}

// syncFile flushes a file or directory to stable storage.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

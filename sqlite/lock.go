package sqlite

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// LockName is the lock file inside a data directory. The process that has
// the directory open holds an exclusive lock on it and keeps its pid in
// it; the kernel drops the lock when the process ends, however it ends.
const LockName = "examhall.lock"

// ErrLocked is wrapped by Open's error when another process has the
// directory open.
var ErrLocked = errors.New("the data directory is in use")

// dirLock is a held lock on a data directory. Embedded mode keeps the hot
// state in memory and trusts it (see hot.go), so a second process writing
// the same file would go unseen: only one may have it open.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		holder := strings.TrimSpace(string(b))
		if _, perr := strconv.Atoi(holder); perr != nil || holder == "" {
			holder = "unknown"
		}
		return nil, fmt.Errorf("%w: %s is held by examhall process %s; stop it first, or work through its API", ErrLocked, dir, holder)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
	l.f = nil
}

// TokenKeyName is the file, in the data directory and outside the
// database, that holds the key signing bearer tokens: a backup of the
// database does not hold it, so nobody can forge a token from a backup. A
// server restored from a backup makes a new one (everybody signs in again).
const TokenKeyName = "token.key"

// TokenKey returns the token-signing key of the open data directory,
// creating it (32 random bytes, mode 0600) on first use.
func (db *DB) TokenKey() ([]byte, error) {
	dir := filepath.Dir(db.path)
	path := filepath.Join(dir, TokenKeyName)
	b, err := os.ReadFile(path)
	if err == nil {
		key, derr := hex.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(key) < 32 {
			return nil, fmt.Errorf("%s is not a token key (64 hex digits); delete it to make a new one, which signs everybody out", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading the token key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("writing the token key: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("writing the token key: %w", err)
	}
	return key, syncFile(dir)
}

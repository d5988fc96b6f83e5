package sqlite

import (
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

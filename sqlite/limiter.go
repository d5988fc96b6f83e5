package sqlite

import (
	"context"
	"sync"
	"time"

	"examhall"
)

// Limiter is an in-process fixed-window rate limiter: the right one for a
// single server, whose limits need not be shared. A window is dropped as
// soon as it ends, keys are cut to MaxKey bytes, and past MaxKeys windows
// the oldest half goes (a flood of distinct keys can only make the limiter
// forget, never grow).
type Limiter struct {
	now     func() time.Time
	mu      sync.Mutex
	windows map[string]*window
	swept   time.Time
}

// MaxKey is the longest key kept; longer keys are cut. MaxKeys bounds the
// number of windows kept at once.
const (
	MaxKey  = 128
	MaxKeys = 100000
)

type window struct {
	end time.Time
	n   int
}

var _ examhall.Limiter = (*Limiter)(nil)

// NewLimiter returns an empty limiter on the clock now.
func NewLimiter(now func() time.Time) *Limiter {
	return &Limiter{now: now, windows: make(map[string]*window)}
}

// Allow implements examhall.Limiter.
func (l *Limiter) Allow(_ context.Context, key string, limit int, per time.Duration) (bool, time.Duration, error) {
	key = cut(key)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	w := l.windows[key]
	if w == nil || !now.Before(w.end) {
		if len(l.windows) >= MaxKeys {
			l.evict(now)
		}
		w = &window{end: now.Add(per)}
		l.windows[key] = w
	}
	w.n++
	if w.n > limit {
		return false, w.end.Sub(now), nil
	}
	return true, 0, nil
}

// Blocked implements examhall.Limiter.
func (l *Limiter) Blocked(_ context.Context, key string, limit int) (bool, time.Duration, error) {
	key = cut(key)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if w == nil || !now.Before(w.end) || w.n < limit {
		return false, 0, nil
	}
	return true, w.end.Sub(now), nil
}

// Len returns the number of windows kept.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.windows)
}

// sweep drops the windows that ended, at most once a second. l.mu is held.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Second {
		return
	}
	for k, w := range l.windows {
		if !now.Before(w.end) {
			delete(l.windows, k)
		}
	}
	l.swept = now
}

// evict makes room when the map is full: ended windows go, then (if that
// was not enough) windows at random until half the map is free. l.mu is
// held.
func (l *Limiter) evict(now time.Time) {
	for k, w := range l.windows {
		if !now.Before(w.end) {
			delete(l.windows, k)
		}
	}
	l.swept = now
	for k := range l.windows {
		if len(l.windows) < MaxKeys/2 {
			break
		}
		delete(l.windows, k)
	}
}

func cut(key string) string {
	if len(key) > MaxKey {
		return key[:MaxKey]
	}
	return key
}

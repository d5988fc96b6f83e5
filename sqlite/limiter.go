package sqlite

import (
	"context"
	"sync"
	"time"

	"examhall"
)

// Limiter is an in-process fixed-window rate limiter: the right one for a
// single server, whose limits need not be shared.
type Limiter struct {
	now     func() time.Time
	mu      sync.Mutex
	windows map[string]*window
	swept   time.Time
}

type window struct {
	start time.Time
	n     int
}

var _ examhall.Limiter = (*Limiter)(nil)

// NewLimiter returns an empty limiter on the clock now.
func NewLimiter(now func() time.Time) *Limiter {
	return &Limiter{now: now, windows: make(map[string]*window)}
}

// Allow implements examhall.Limiter.
func (l *Limiter) Allow(_ context.Context, key string, limit int, per time.Duration) (bool, time.Duration, error) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, w := range l.windows {
			if now.Sub(w.start) > time.Hour {
				delete(l.windows, k)
			}
		}
		l.swept = now
	}
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= per {
		w = &window{start: now}
		l.windows[key] = w
	}
	w.n++
	if w.n > limit {
		return false, w.start.Add(per).Sub(now), nil
	}
	return true, 0, nil
}

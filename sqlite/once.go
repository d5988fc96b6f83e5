package sqlite

import (
	"context"
	"sync"
	"time"

	"examhall"
)

// Once is embedded mode's examhall.OnceStore: in the process, which is the
// whole server. Its values live for minutes at most, so a restart losing
// them costs a user one more click in the platform.
type Once struct {
	now  func() time.Time
	mu   sync.Mutex
	m    map[string]onceValue
	puts int
}

type onceValue struct {
	v       []byte
	expires time.Time
}

var _ examhall.OnceStore = (*Once)(nil)

// NewOnce returns an empty store on the clock now.
func NewOnce(now func() time.Time) *Once {
	return &Once{now: now, m: make(map[string]onceValue)}
}

// Put implements examhall.OnceStore.
func (o *Once) Put(_ context.Context, key string, value []byte, ttl time.Duration) error {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if v, ok := o.m[key]; ok && now.Before(v.expires) {
		return examhall.Errorf(examhall.EConflict, "The key %q is held already.", key)
	}
	// Every thousand puts, drop what has expired, so values never taken
	// do not pile up.
	if o.puts++; o.puts%1000 == 0 {
		for k, v := range o.m {
			if !now.Before(v.expires) {
				delete(o.m, k)
			}
		}
	}
	o.m[key] = onceValue{v: value, expires: now.Add(ttl)}
	return nil
}

// Take implements examhall.OnceStore.
func (o *Once) Take(_ context.Context, key string) ([]byte, error) {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := o.m[key]
	delete(o.m, key)
	if !ok || !now.Before(v.expires) {
		return nil, examhall.Errorf(examhall.ENotFound, "Nothing is held under %q.", key)
	}
	return v.v, nil
}

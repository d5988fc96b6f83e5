package redis

import (
	"context"
	"time"

	"examhall"

	"github.com/redis/rueidis"
)

var _ examhall.OnceStore = (*Store)(nil)

// Put implements examhall.OnceStore with SET NX PX: shared by every pod,
// so an LTI launch may reach another pod than its login.
func (s *Store) Put(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	start := time.Now()
	err := s.c.Do(ctx, s.c.B().Set().Key(s.onceKey(key)).Value(rueidis.BinaryString(value)).Nx().PxMilliseconds(max(1, ttl.Milliseconds())).Build()).Error()
	if rueidis.IsRedisNil(err) {
		s.obs.Call("once_put", time.Since(start), nil)
		return examhall.Errorf(examhall.EConflict, "The key %q is held already.", key)
	}
	return s.observe("once_put", start, err)
}

// Take implements examhall.OnceStore with GETDEL: of several pods taking
// the same key, one gets the value.
func (s *Store) Take(ctx context.Context, key string) ([]byte, error) {
	start := time.Now()
	v, err := s.c.Do(ctx, s.c.B().Getdel().Key(s.onceKey(key)).Build()).AsBytes()
	if rueidis.IsRedisNil(err) {
		s.obs.Call("once_take", time.Since(start), nil)
		return nil, examhall.Errorf(examhall.ENotFound, "Nothing is held under %q.", key)
	}
	if err := s.observe("once_take", start, err); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Store) onceKey(key string) string { return s.prefix + "once:{" + key + "}" }

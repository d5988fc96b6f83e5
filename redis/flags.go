package redis

import (
	"context"
	"encoding/json"
	"time"

	"github.com/redis/rueidis"
)

func (s *Store) flagsKey(id string) string { return s.prefix + "flags:{" + id + "}" }

// flagsTTL keeps cached flags for a day: longer than any sitting.
const flagsTTL = 24 * time.Hour

// SetFlags caches an attempt's flags.
func (s *Store) SetFlags(ctx context.Context, id string, flags []string) error {
	start := time.Now()
	raw, err := json.Marshal(flags)
	if err != nil {
		return err
	}
	err = s.c.Do(ctx, s.c.B().Set().Key(s.flagsKey(id)).Value(string(raw)).Ex(flagsTTL).Build()).Error()
	return s.observe("set_flags", start, err)
}

// Flags returns an attempt's cached flags, and false when Redis holds
// none for it.
func (s *Store) Flags(ctx context.Context, id string) ([]string, bool, error) {
	start := time.Now()
	raw, err := s.c.Do(ctx, s.c.B().Get().Key(s.flagsKey(id)).Build()).ToString()
	if rueidis.IsRedisNil(err) {
		return nil, false, s.observe("flags", start, nil)
	}
	if err := s.observe("flags", start, err); err != nil {
		return nil, false, err
	}
	var out []string
	return out, true, json.Unmarshal([]byte(raw), &out)
}

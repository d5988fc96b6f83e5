package redis

import (
	"context"
	"strconv"
	"time"

	"examhall"
)

var _ examhall.Limiter = (*Store)(nil)

// limitScript counts one event in a fixed window that starts with the
// first event, and returns the count and the window's remaining time.
var limitScript = newScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`)

// Allow implements examhall.Limiter, shared by every pod.
func (s *Store) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	start := time.Now()
	res, err := s.exec(ctx, limitScript, []string{s.limitKey(key)}, []string{strconv.FormatInt(window.Milliseconds(), 10)}).AsIntSlice()
	if err := s.observe("limit", start, err); err != nil {
		return false, 0, err
	}
	if res[0] > int64(limit) {
		return false, time.Duration(res[1]) * time.Millisecond, nil
	}
	return true, 0, nil
}

// blockedScript reads a window's count and remaining time without counting.
var blockedScript = newScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
return {n, redis.call('PTTL', KEYS[1])}`)

// Blocked implements examhall.Limiter.
func (s *Store) Blocked(ctx context.Context, key string, limit int) (bool, time.Duration, error) {
	start := time.Now()
	res, err := s.exec(ctx, blockedScript, []string{s.limitKey(key)}, nil).AsIntSlice()
	if err := s.observe("limit", start, err); err != nil {
		return false, 0, err
	}
	if res[0] < int64(limit) || res[1] <= 0 {
		return false, 0, nil
	}
	return true, time.Duration(res[1]) * time.Millisecond, nil
}

// maxLimitKey is the longest key kept; longer keys are cut, so that no
// client makes Redis keep large keys.
const maxLimitKey = 128

func (s *Store) limitKey(key string) string {
	if len(key) > maxLimitKey {
		key = key[:maxLimitKey]
	}
	return s.prefix + "limit:{" + key + "}"
}

package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestLimiterForgets: a window is dropped once it ends, long keys are cut,
// and a flood of distinct keys cannot grow the limiter past MaxKeys.
func TestLimiterForgets(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := NewLimiter(func() time.Time { return now })
	ctx := context.Background()
	for i := 0; i < 1000; i++ {
		l.Allow(ctx, strings.Repeat("u", 16<<10)+string(rune('a'+i%26))+time.Duration(i).String(), 10, time.Minute)
	}
	if n := l.Len(); n != 1 {
		t.Errorf("%d windows for 1000 16 KiB keys that differ past the cut, want 1", n)
	}
	now = now.Add(61 * time.Second)
	l.Allow(ctx, "fresh", 10, time.Minute)
	if n := l.Len(); n != 1 {
		t.Errorf("%d windows a second after the others ended, want only the fresh one", n)
	}
	for i := 0; i < MaxKeys+5000; i++ {
		l.Allow(ctx, time.Duration(i).String(), 10, time.Hour)
	}
	if n := l.Len(); n > MaxKeys {
		t.Errorf("%d windows after a flood of distinct keys, want at most %d", n, MaxKeys)
	}
}

package examhalltest

import (
	"testing"
	"time"
)

// Eventually calls cond until it returns nil, and fails the test with the
// last error cond returned if that has not happened within timeout. It is
// how a test waits for something that happens in the background (a sweep,
// the grader, a shutdown) without sleeping for a guessed time: it returns
// as soon as the condition holds, and the timeout is only a deadline, as
// generous as a loaded machine needs.
func Eventually(tb testing.TB, timeout time.Duration, cond func() error) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	wait := 5 * time.Millisecond
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("still not so after %v: %v", timeout, err)
		}
		time.Sleep(wait)
		wait = min(2*wait, 100*time.Millisecond)
	}
}

package loadtest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"syscall"
	"time"

	"examhall/client"
)

// Retry policy, as the web UI does it: a 429 or 503 (or a broken
// connection) is retried after the server's Retry-After, or else after an
// exponential backoff, with random jitter on top so that refused candidates
// do not come back in one wave.
const (
	maxTries    = 10
	baseBackoff = 500 * time.Millisecond
	maxBackoff  = 8 * time.Second
	tryTimeout  = 30 * time.Second
)

// backoff is how long to wait before retry number n (from 1).
func backoff(n int, retryAfter time.Duration, rng *rand.Rand) time.Duration {
	d := retryAfter
	if d <= 0 {
		d = min(baseBackoff<<min(n-1, 10), maxBackoff)
	}
	return d + time.Duration(rng.Int64N(int64(d)/2+1))
}

// retryable reports whether a failed request may be sent again: the API's
// "try again" answers, and network failures (every candidate request is
// idempotent, so a request whose answer was lost is safe to repeat).
func retryable(err error) bool {
	var e *client.Error
	if errors.As(err, &e) {
		return e.Status == 429 || e.Status == 503
	}
	return !errors.Is(err, context.Canceled)
}

// Hints for refusals of the operating system.
const (
	hintEMFILE = "too many open files (EMFILE): raise the open-file limit (ulimit -n, or LimitNOFILE= in a systemd unit), " +
		"or lower --conns, or split the candidates over more --procs"
	hintAddr = "no free local address (EADDRNOTAVAIL): the ephemeral ports of a source address are used up; " +
		"use more --procs (each dials from its own 127.0.0.x on loopback), widen net.ipv4.ip_local_port_range, or lower --conns"
)

// errCode names an error for the report: the API's code, or a short name
// for a failure below HTTP. It also returns a hint when the operating
// system refused a socket.
func errCode(err error) (code, hint string) {
	var e *client.Error
	switch {
	case err == nil:
		return "", ""
	case errors.As(err, &e):
		return e.Code, ""
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "emfile", hintEMFILE
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "eaddrnotavail", hintAddr
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused", ""
	case errors.Is(err, syscall.ECONNRESET):
		return "connection_reset", ""
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout", ""
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout", ""
	}
	return "network", ""
}

// shed reports whether the server turned a request away before doing any
// work (503 with Retry-After): not a failure, as long as a retry gets in.
func shed(err error) bool {
	var e *client.Error
	return errors.As(err, &e) && e.Status == 503 && e.RetryAfter > 0
}

func retryAfter(err error) time.Duration {
	var e *client.Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// sleep waits d or until ctx ends; it reports whether the full time passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

package hall

import (
	"context"
	"net/netip"
	"time"

	"examhall"
)

// Guard tunes the defences of the login endpoints against guessing and
// floods (docs/security.md). Zero values take the defaults.
//
// Only failed logins count, per client address and per network (/24 for
// IPv4, /64 for IPv6): a login with the right code or password is never
// refused by them, however many came from the same address, and a
// candidate's own typos cannot lock anyone out of their account, since
// nothing is counted per candidate or per username. An address (or
// network) past its limit is refused before anything is checked, with
// 429 rate_limited and the wait, in two steps: a minute's window, then an
// hour's with ten times the room.
type Guard struct {
	// AddrFailures is how many failed logins an address may have in a
	// minute (60); an hour allows ten times as many, and a network four
	// times an address's.
	AddrFailures int
	// Exempt lists networks whose failures are not counted at all: an exam
	// hall whose thousands of candidates share one NAT address, when its
	// operator prefers that to raising AddrFailures.
	Exempt []netip.Prefix
	// MaxHashing bounds the staff password checks (argon2id, 32 MiB each)
	// running at once (4); a staff login past it is refused at once with
	// 503 unavailable and Retry-After.
	MaxHashing int
}

// DefaultAddrFailures is Guard.AddrFailures's default.
const DefaultAddrFailures = 60

// Lengths past which a login is refused unread.
const (
	maxUsername = 64
	maxPassword = 1024
)

func (g *Guard) defaults() {
	if g.AddrFailures == 0 {
		g.AddrFailures = DefaultAddrFailures
	}
	if g.MaxHashing == 0 {
		g.MaxHashing = 4
	}
}

// failureKeys returns the limiter keys that count a login failure from the
// request's peer, with their limits and windows; none without a peer (a
// command on the data directory) or for an exempt address.
func (h *Hall) failureKeys(ctx context.Context, kind string) []limitKey {
	p := examhall.PeerFrom(ctx)
	if p == nil || !p.Addr.IsValid() {
		return nil
	}
	addr := p.Addr.Unmap()
	for _, n := range h.cfg.Guard.Exempt {
		if n.Contains(addr) {
			return nil
		}
	}
	bits := 24
	if addr.Is6() {
		bits = 64
	}
	network, _ := addr.Prefix(bits)
	n := h.cfg.Guard.AddrFailures
	a, w := "fail:"+kind+":"+addr.String(), "fail:"+kind+":"+network.String()
	return []limitKey{
		{a + ":m", n, time.Minute}, {a + ":h", 10 * n, time.Hour},
		{w + ":m", 4 * n, time.Minute}, {w + ":h", 40 * n, time.Hour},
	}
}

type limitKey struct {
	key    string
	limit  int
	window time.Duration
}

// checkFailures refuses a login from a peer that failed too often, before
// anything else is done; it counts nothing. The keys are read at once (in
// scale mode each is a Redis call: a login waits for one round trip, not
// four).
func (h *Hall) checkFailures(ctx context.Context, keys []limitKey) error {
	if h.b.Limiter == nil || len(keys) == 0 {
		return nil
	}
	type answer struct {
		wait time.Duration
		err  error
	}
	answers := make(chan answer, len(keys))
	for _, k := range keys {
		go func() {
			blocked, w, err := h.b.Limiter.Blocked(ctx, k.key, k.limit)
			if !blocked {
				w = 0
			}
			answers <- answer{w, err}
		}()
	}
	var wait time.Duration
	var err error
	for range keys {
		a := <-answers
		if a.err != nil && err == nil {
			err = a.err
		}
		wait = max(wait, a.wait)
	}
	if err != nil {
		return err
	}
	if wait > 0 {
		return rateLimited(wait)
	}
	return nil
}

// countFailure counts a failed login against its peer. A limiter that
// fails is logged, not passed on: the candidate was told their code is
// wrong, which is the answer that matters.
func (h *Hall) countFailure(ctx context.Context, keys []limitKey) {
	if h.b.Limiter == nil {
		return
	}
	for _, k := range keys {
		if _, _, err := h.b.Limiter.Allow(ctx, k.key, k.limit, k.window); err != nil {
			h.log.Warn("counting a failed login", "err", err)
			return
		}
	}
}

func rateLimited(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return &examhall.RetryError{Err: examhall.Errorf(examhall.ERateLimited, "Too many failed sign-ins from your network; try again in %d seconds.", secs), After: wait}
}

// hashing is a semaphore of staff password checks.
type hashing chan struct{}

// acquire takes a slot or reports that none is free.
func (s hashing) acquire() bool {
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s hashing) release() { <-s }

func busyHashing() error {
	return &examhall.RetryError{Err: examhall.Errorf(examhall.EUnavailable, "Too many staff sign-ins at this moment; try again shortly."), After: time.Second}
}

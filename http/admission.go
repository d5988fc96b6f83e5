package http

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"examhall"
	"examhall/hall"
)

// Admission control keeps the exam start calm. Every API request belongs to
// a class; a request the server cannot take now is refused at once with
// 503 unavailable and a short, jittered Retry-After, before it does any
// work, instead of waiting in a queue that grows for as long as the spike
// lasts. Candidates already writing come first: their saves and submits
// (the work class) are refused only past a high cap, while new logins get
// an adaptive share that shrinks as soon as either logins or work slow
// down, and grows back while both are fast.
//
// The login limit follows AIMD, like TCP's window: every controlPeriod it
// looks at the requests that finished; if more than one in twenty took
// longer than its class's target, the limit drops by a quarter; if none
// did and logins were refused for want of room, it grows by an eighth.

// Request classes.
const (
	classLogin = iota // a candidate signing in
	classWork         // a signed-in candidate: paper, save, submit, result
	classStaff        // the staff API
	numClasses
)

// ClassNames are the label values of the admission metrics.
var ClassNames = [numClasses]string{"login", "work", "staff"}

// Admission tunes admission control. Zero values take the defaults.
type Admission struct {
	// Off admits everything (for measuring the server without it).
	Off bool
	// MaxLogins bounds the adaptive limit of concurrent logins (512);
	// MinLogins is its floor (8).
	MaxLogins, MinLogins int
	// MaxWork caps concurrent requests of signed-in candidates (8192) and
	// MaxStaff of staff (64); past them requests are refused.
	MaxWork, MaxStaff int
	// LoginTarget and WorkTarget are the latencies the controller keeps
	// (250 ms and 100 ms).
	LoginTarget, WorkTarget time.Duration
}

const controlPeriod = 100 * time.Millisecond

// admission is the state of admission control.
type admission struct {
	cfg      Admission
	inflight [numClasses]atomic.Int64
	shed     [numClasses]atomic.Int64
	limit    atomic.Int64 // concurrent logins allowed now

	mu         sync.Mutex
	winStart   time.Time
	done       [numClasses]int // requests finished in the window
	slow       [numClasses]int // ... of them over their target
	refused    bool            // a login was refused in the window
	lastShrink time.Time
}

func newAdmission(cfg Admission) *admission {
	if cfg.MaxLogins == 0 {
		cfg.MaxLogins = 512
	}
	if cfg.MinLogins == 0 {
		cfg.MinLogins = 8
	}
	if cfg.MaxWork == 0 {
		cfg.MaxWork = 8192
	}
	if cfg.MaxStaff == 0 {
		cfg.MaxStaff = 64
	}
	if cfg.LoginTarget == 0 {
		cfg.LoginTarget = 250 * time.Millisecond
	}
	if cfg.WorkTarget == 0 {
		cfg.WorkTarget = 100 * time.Millisecond
	}
	a := &admission{cfg: cfg, winStart: time.Now()}
	a.limit.Store(int64(min(cfg.MaxLogins, 128)))
	return a
}

// cap returns how many requests of class c may run at once now.
func (a *admission) cap(c int) int64 {
	switch c {
	case classLogin:
		return a.limit.Load()
	case classWork:
		return int64(a.cfg.MaxWork)
	default:
		return int64(a.cfg.MaxStaff)
	}
}

// enter admits a request of class c, or reports false when it must be
// refused.
func (a *admission) enter(c int) bool {
	if a.cfg.Off {
		a.inflight[c].Add(1)
		return true
	}
	if n := a.inflight[c].Add(1); n > a.cap(c) {
		a.inflight[c].Add(-1)
		a.shed[c].Add(1)
		if c == classLogin {
			a.mu.Lock()
			a.refused = true
			a.mu.Unlock()
		}
		return false
	}
	return true
}

// leave records the end of an admitted request that took d.
func (a *admission) leave(c int, d time.Duration) {
	a.inflight[c].Add(-1)
	target := a.cfg.WorkTarget
	if c == classLogin {
		target = a.cfg.LoginTarget
	}
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.done[c]++
	if d > target {
		a.slow[c]++
	}
	if now.Sub(a.winStart) >= controlPeriod {
		a.adjust(now)
	}
}

// adjust moves the login limit at the end of a window. a.mu is held.
func (a *admission) adjust(now time.Time) {
	congested := func(c int) bool { return a.slow[c]*20 > a.done[c] }
	lim := a.limit.Load()
	switch {
	case congested(classLogin) || congested(classWork):
		// One cut per period of slow answers: what was admitted before the
		// cut is still finishing and must not cut again.
		if now.Sub(a.lastShrink) >= 2*controlPeriod {
			lim = max(int64(a.cfg.MinLogins), lim*3/4)
			a.lastShrink = now
		}
	case a.refused:
		lim = min(int64(a.cfg.MaxLogins), lim+max(1, lim/8))
	}
	a.limit.Store(lim)
	a.winStart, a.refused = now, false
	a.done, a.slow = [numClasses]int{}, [numClasses]int{}
}

// retryAfter is how long a refused client should wait: a few seconds,
// spread at random so that refused clients do not come back together.
func retryAfter(c int) time.Duration {
	if c == classLogin {
		return time.Duration(1000+rand.IntN(2000)) * time.Millisecond
	}
	return time.Duration(500+rand.IntN(1000)) * time.Millisecond
}

// refusal is the answer to a request admission control turned away.
func refusal(c int) error {
	msg := "The server is busy; your work is safe. Trying again shortly."
	if c == classLogin {
		msg = "Many candidates are signing in at this moment; you are in line. Trying again shortly."
	}
	return &hall.RetryError{Err: examhall.Errorf(examhall.EUnavailable, "%s", msg), After: retryAfter(c)}
}

// admit wraps h in admission control for class c.
func (s *Server) admit(c int, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.adm.enter(c) {
			writeError(w, r, refusal(c))
			return
		}
		start := time.Now()
		defer func() { s.adm.leave(c, time.Since(start)) }()
		h(w, r)
	}
}

// Inflight implements metrics.AdmissionSource.
func (a *admission) Inflight(c int) int64 { return a.inflight[c].Load() }

// Shed implements metrics.AdmissionSource.
func (a *admission) Shed(c int) int64 { return a.shed[c].Load() }

// LoginLimit implements metrics.AdmissionSource.
func (a *admission) LoginLimit() int64 { return a.limit.Load() }

package http

import (
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"examhall"
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
// looks at the requests that finished; if in three windows in a row more
// than one in twenty took longer than its class's target, the limit drops
// by a tenth (at most once
// per two periods, so that requests admitted before a cut do not cut
// again); if none did and logins were refused for want of room, it grows
// by an eighth. Its floor is high enough that a server slowed by something
// else (a busy machine, a slow disk) still starts candidates at a steady
// pace: refusing them would not make it faster.
//
// A refused client is told to come back after a random wait of one to
// three seconds; while most logins have been refused for a couple of
// seconds the wait grows (up to twenty seconds), so that the candidates in
// line do not spend the server's time asking again.

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
	// MaxLogins bounds the adaptive limit of concurrent logins (1024);
	// MinLogins is its floor (64).
	MaxLogins, MinLogins int
	// MaxWork caps concurrent requests of signed-in candidates (8192) and
	// MaxStaff of staff (64); past them requests are refused.
	MaxWork, MaxStaff int
	// LoginTarget and WorkTarget are the latencies the controller keeps
	// (1 s and 250 ms).
	LoginTarget, WorkTarget time.Duration
}

// controlPeriod is the controller's window; the limit is cut once
// hotWindows windows in a row were slow, so that one stall (a long commit,
// a collection) does not turn candidates away.
const (
	controlPeriod = 100 * time.Millisecond
	hotWindows    = 3
)

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
	tried      int             // logins that came in the window
	refused    int             // ... of them refused
	hot        int             // windows in a row with slow answers
	lastShrink time.Time
	// pressure is the share of logins refused lately (a moving average
	// over windows), which stretches Retry-After.
	pressure atomic.Uint64 // math.Float64bits
}

func newAdmission(cfg Admission) *admission {
	if cfg.MaxLogins == 0 {
		cfg.MaxLogins = 1024
	}
	if cfg.MinLogins == 0 {
		cfg.MinLogins = min(64, cfg.MaxLogins)
	}
	if cfg.MaxWork == 0 {
		cfg.MaxWork = 8192
	}
	if cfg.MaxStaff == 0 {
		cfg.MaxStaff = 64
	}
	if cfg.LoginTarget == 0 {
		cfg.LoginTarget = time.Second
	}
	if cfg.WorkTarget == 0 {
		cfg.WorkTarget = 250 * time.Millisecond
	}
	a := &admission{cfg: cfg, winStart: time.Now()}
	a.limit.Store(int64(max(cfg.MinLogins, min(cfg.MaxLogins, 256))))
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
	n := a.inflight[c].Add(1)
	ok := n <= a.cap(c)
	if !ok {
		a.inflight[c].Add(-1)
		a.shed[c].Add(1)
	}
	if c == classLogin {
		a.mu.Lock()
		a.tried++
		if !ok {
			a.refused++
		}
		a.mu.Unlock()
	}
	return ok
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
	congested := func(c int) bool { return a.done[c] >= 10 && a.slow[c]*20 > a.done[c] }
	if congested(classLogin) || congested(classWork) {
		a.hot++
	} else {
		a.hot = 0
	}
	lim := a.limit.Load()
	switch {
	case a.hot >= hotWindows:
		if now.Sub(a.lastShrink) >= 2*controlPeriod {
			lim = max(int64(a.cfg.MinLogins), lim*9/10)
			a.lastShrink = now
		}
	case a.refused > 0:
		lim = min(int64(a.cfg.MaxLogins), lim+max(1, lim/8))
	}
	a.limit.Store(lim)
	if a.tried > 0 {
		p := math.Float64frombits(a.pressure.Load())
		// Over about two seconds (20 windows): a stall of a few hundred
		// milliseconds, whose refused logins find room again within
		// seconds, must not send them away for twenty.
		p = 0.95*p + 0.05*float64(a.refused)/float64(a.tried)
		a.pressure.Store(math.Float64bits(p))
	}
	a.winStart, a.tried, a.refused = now, 0, 0
	a.done, a.slow = [numClasses]int{}, [numClasses]int{}
}

// retryAfter is how long a refused client of class c should wait: one to
// three seconds, spread at random so that refused clients do not come back
// together, and up to twenty while most logins are refused.
func (a *admission) retryAfter(c int) time.Duration {
	if c != classLogin {
		return time.Duration(500+rand.IntN(1000)) * time.Millisecond
	}
	spread := 2000.0
	if p := math.Float64frombits(a.pressure.Load()); p > 0.5 {
		spread += 18000 * (p - 0.5) * 2
	}
	return time.Duration(1000+rand.Float64()*spread) * time.Millisecond
}

// refusal is the answer to a request admission control turned away.
func (a *admission) refusal(c int) error {
	msg := "The server is busy; your work is safe. Trying again shortly."
	if c == classLogin {
		msg = "Many candidates are signing in at this moment; you are in line. Trying again shortly."
	}
	return &shedError{&examhall.RetryError{Err: examhall.Errorf(examhall.EUnavailable, "%s", msg), After: a.retryAfter(c)}}
}

// shedError is a refusal of admission control: load kept off the server
// on purpose, counted by examhall_admission_shed_total, and logged only
// at debug level (a login spike may shed thousands a second).
type shedError struct{ *examhall.RetryError }

func (e *shedError) Unwrap() error { return e.RetryError }

// admit wraps h in admission control for class c.
func (s *Server) admit(c int, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.adm.enter(c) {
			writeError(w, r, s.adm.refusal(c))
			return
		}
		start := time.Now()
		defer func() { s.adm.leave(c, time.Since(start)) }()
		if c != classWork {
			// Logins are limited per address, staff actions audited with it.
			r = s.withPeer(r)
		}
		h(w, r)
	}
}

// Inflight implements metrics.AdmissionSource.
func (a *admission) Inflight(c int) int64 { return a.inflight[c].Load() }

// Shed implements metrics.AdmissionSource.
func (a *admission) Shed(c int) int64 { return a.shed[c].Load() }

// LoginLimit implements metrics.AdmissionSource.
func (a *admission) LoginLimit() int64 { return a.limit.Load() }

package hall

import (
	"sync"
	"sync/atomic"
	"time"
)

// Observer is told what the hall does, for metrics. Its methods must be
// cheap and safe for concurrent use.
type Observer interface {
	// LoggedIn counts a candidate login: "ok", "failed" or "rate_limited".
	LoggedIn(result string)
	// Saved counts an acknowledged save of n answers.
	Saved(n int)
	// Submitted counts a submission, automatic or not.
	Submitted(auto bool)
}

type nopObserver struct{}

func (nopObserver) LoggedIn(string) {}
func (nopObserver) Saved(int)       {}
func (nopObserver) Submitted(bool)  {}

// liveStats counts what this server did per exam, for the live monitor,
// and tells the observer.
type liveStats struct {
	exams        sync.Map // exam id -> *examCounters
	loginsFailed atomic.Int64
	obs          Observer
}

type examCounters struct {
	logins, saves, answers, submits, autos atomic.Int64
	// perSecond is a ring of per-second save counts over the last minute.
	perSecond [60]struct{ sec, n atomic.Int64 }
}

func newLiveStats(obs Observer) *liveStats {
	if obs == nil {
		obs = nopObserver{}
	}
	return &liveStats{obs: obs}
}

func (s *liveStats) of(exam string) *examCounters {
	if c, ok := s.exams.Load(exam); ok {
		return c.(*examCounters)
	}
	c, _ := s.exams.LoadOrStore(exam, &examCounters{})
	return c.(*examCounters)
}

func (s *liveStats) loginOK(exam string) {
	s.of(exam).logins.Add(1)
	s.obs.LoggedIn("ok")
}

func (s *liveStats) loginFailed() {
	s.loginsFailed.Add(1)
	s.obs.LoggedIn("failed")
}

func (s *liveStats) loginLimited() { s.obs.LoggedIn("rate_limited") }

func (s *liveStats) saved(exam string, answers int) {
	s.obs.Saved(answers)
	c := s.of(exam)
	c.saves.Add(1)
	c.answers.Add(int64(answers))
	now := time.Now().Unix()
	b := &c.perSecond[now%60]
	if old := b.sec.Load(); old != now && b.sec.CompareAndSwap(old, now) {
		b.n.Store(0)
	}
	b.n.Add(1)
}

func (s *liveStats) submitted(exam string, auto bool) {
	s.obs.Submitted(auto)
	c := s.of(exam)
	if auto {
		c.autos.Add(1)
	} else {
		c.submits.Add(1)
	}
}

// savesLastMinute returns the saves of the last 60 whole seconds.
func (s *liveStats) savesLastMinute(exam string) int64 {
	c := s.of(exam)
	now := time.Now().Unix()
	var n int64
	for i := range c.perSecond {
		b := &c.perSecond[i]
		if sec := b.sec.Load(); sec < now && sec >= now-60 {
			n += b.n.Load()
		}
	}
	return n
}

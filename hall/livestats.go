package hall

import (
	"sync"
	"sync/atomic"
	"time"
)

// liveStats counts what this server did per exam, for the live monitor.
type liveStats struct {
	exams        sync.Map // exam id -> *examCounters
	loginsFailed atomic.Int64
}

type examCounters struct {
	logins, saves, answers, submits, autos atomic.Int64
	// perSecond is a ring of per-second save counts over the last minute.
	perSecond [60]struct{ sec, n atomic.Int64 }
}

func newLiveStats() *liveStats { return &liveStats{} }

func (s *liveStats) of(exam string) *examCounters {
	if c, ok := s.exams.Load(exam); ok {
		return c.(*examCounters)
	}
	c, _ := s.exams.LoadOrStore(exam, &examCounters{})
	return c.(*examCounters)
}

func (s *liveStats) loginOK(exam string) { s.of(exam).logins.Add(1) }
func (s *liveStats) loginFailed()        { s.loginsFailed.Add(1) }

func (s *liveStats) saved(exam string, answers int) {
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

package hall

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"examhall"

	"github.com/golang-jwt/jwt/v5"
)

// Config tunes a Hall. Zero values take the documented defaults.
type Config struct {
	// ExamCacheTTL is how long an exam definition is reused before it is
	// read again; it bounds how late a change made by another server is
	// seen. Default 5s.
	ExamCacheTTL time.Duration
	// Guard tunes the defences of the logins (guard.go).
	Guard Guard
	// SweepInterval is how often overdue attempts are looked for (1s).
	SweepInterval time.Duration
	// Now returns the time; tests replace it. Default time.Now.
	Now func() time.Time
	// Logger receives what the sweeper has to report. Default slog.Default.
	Logger *slog.Logger
	// Observer is told of logins, saves and submissions (metrics).
	Observer Observer
}

// Hall serves candidates and staff from one examhall.Backend. It
// authenticates bearer tokens and authorizes every use case from the
// identity in its context.
type Hall struct {
	b      examhall.Backend
	keys   *Keys
	cfg    Config
	parser *jwt.Parser
	log    *slog.Logger

	mu    sync.Mutex
	exams map[string]cachedExam

	stats *liveStats

	// recheck holds exams whose window changed, and when to move their
	// attempts' deadlines again (see recheckWindows).
	recheckMu sync.Mutex
	recheck   map[string]time.Time

	tokens     sync.Map // token -> *verified, see remember
	tokenCount atomic.Int64

	hashing hashing

	// LTI: the registered platforms, the platforms' keys and the tool's.
	ltiPlatforms platformCache
	jwks         *jwksCache
	ltiKeyMu     sync.Mutex
	ltiToolKey   *toolKey
	agsTokens    agsTokens
}

type cachedExam struct {
	exam *examhall.Exam
	at   time.Time
}

// New returns a Hall on backend b with the master secret's keys.
func New(b examhall.Backend, keys *Keys, cfg Config) *Hall {
	if cfg.ExamCacheTTL == 0 {
		cfg.ExamCacheTTL = 5 * time.Second
	}
	cfg.Guard.defaults()
	if cfg.SweepInterval == 0 {
		cfg.SweepInterval = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Hall{
		b: b, keys: keys, cfg: cfg, log: cfg.Logger,
		parser:  newParser(cfg.Now),
		exams:   make(map[string]cachedExam),
		stats:   newLiveStats(cfg.Observer),
		hashing: make(hashing, cfg.Guard.MaxHashing),
		jwks:    newJWKSCache(cfg.Now),

		ltiPlatforms: platformCache{ttl: int64(cfg.ExamCacheTTL)},
	}
}

func wallNanos() int64 { return time.Now().UnixNano() }

// Keys returns the hall's keys.
func (h *Hall) Keys() *Keys { return h.keys }

// Now returns the server's time, in UTC to the millisecond.
func (h *Hall) Now() time.Time { return h.cfg.Now().UTC().Truncate(time.Millisecond) }

// Ready reports whether the backend's dependencies are reachable.
func (h *Hall) Ready(ctx context.Context) error {
	if h.b.Ready == nil {
		return nil
	}
	return h.b.Ready(ctx)
}

// exam returns an exam definition, from the cache while it is fresh.
func (h *Hall) exam(ctx context.Context, id string) (*examhall.Exam, error) {
	now := time.Now()
	h.mu.Lock()
	c, ok := h.exams[id]
	h.mu.Unlock()
	if ok && now.Sub(c.at) < h.cfg.ExamCacheTTL {
		return c.exam, nil
	}
	e, err := h.b.Exams.Exam(ctx, id)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.exams[id] = cachedExam{exam: e, at: now}
	h.mu.Unlock()
	return e, nil
}

// forget drops an exam from the cache after this server changed it.
func (h *Hall) forget(id string) {
	h.mu.Lock()
	delete(h.exams, id)
	h.mu.Unlock()
}

func isCode(err error, code string) bool { return examhall.ErrorCode(err) == code }

package server

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"examhall"
	"examhall/hall"
	"examhall/kafka"
	"examhall/postgres"
	"examhall/redis"
	"examhall/scale"
)

// Scale configures scale mode: a stateless pod on PostgreSQL, Redis and
// Kafka.
type Scale struct {
	// Postgres and Redis are URLs; Kafka says where the event log is (Build
	// sets its metrics and tracing).
	Postgres, Redis string
	Kafka           kafka.Config
	// Schema is the PostgreSQL schema (created if missing; default: the
	// URL's search path); Prefix starts every Redis key.
	Schema, Prefix string
	// Migrate brings the PostgreSQL schema up to date at start.
	Migrate bool
	// Secret is the master secret every pod of a deployment shares, at
	// least hall.MinSecretBytes.
	Secret []byte
	// SkewEvery is how often the pod compares its clock with Redis's
	// (examhall_clock_skew_seconds; default 10 s).
	SkewEvery time.Duration
	// RedisClock makes Redis's clock the pod's: the server's clock is
	// Config.Now corrected by the offset measured every SkewEvery, so that
	// every pod decides deadlines, the save check and the sweeper by the
	// same clock (examhall serve sets it; tests that move a fake clock
	// leave it off).
	RedisClock bool
	// Group is the grader's consumer group, which staff reads wait for;
	// SyncWait bounds that wait (see scale.Config).
	Group    string
	SyncWait time.Duration
}

// openScale connects to the three dependencies of an API pod.
func (s *Server) openScale(ctx context.Context, cfg *Config) (examhall.Backend, []byte, error) {
	sc := cfg.Scale
	if sc.Postgres == "" || sc.Redis == "" || len(sc.Kafka.Brokers) == 0 {
		return examhall.Backend{}, nil, fmt.Errorf("scale mode needs all of PostgreSQL, Redis and Kafka")
	}
	if len(sc.Secret) < hall.MinSecretBytes {
		return examhall.Backend{}, nil, fmt.Errorf("the master secret is %d bytes; it must be at least %d", len(sc.Secret), hall.MinSecretBytes)
	}
	if err := hall.CheckEntropy(sc.Secret); err != nil {
		return examhall.Backend{}, nil, fmt.Errorf("the master secret: %w", err)
	}
	met, tp := s.Metrics.Scale, cfg.TracerProvider
	pg, err := OpenPostgres(ctx, sc.Postgres, postgres.Options{Schema: sc.Schema, Observer: met.Postgres(), TracerProvider: tp}, sc.Migrate, s.log)
	if err != nil {
		return examhall.Backend{}, nil, err
	}
	s.onClose(func() error { pg.Close(); return nil })
	rd, err := redis.Open(ctx, sc.Redis, redis.Options{Prefix: sc.Prefix, Observer: met.Redis(), TracerProvider: tp})
	if err != nil {
		return examhall.Backend{}, nil, err
	}
	s.onClose(func() error { rd.Close(); return nil })
	if err := rd.Ready(ctx); err != nil {
		return examhall.Backend{}, nil, fmt.Errorf("redis at %s: %w", sc.Redis, err)
	}
	kc := sc.Kafka
	kc.Observer, kc.TracerProvider = met, tp
	log, err := kafka.Open(ctx, kc)
	if err != nil {
		return examhall.Backend{}, nil, err
	}
	s.onClose(func() error { log.Close(); return nil })
	if w := log.Weak(); w != "" {
		s.log.Error("the event log is less durable than a 2xx promises", "why", w)
	}
	s.Redis = rd
	base := cfg.Now
	var rc *redisClock
	if sc.RedisClock {
		rc = &redisClock{base: base}
		if err := rc.measure(ctx, rd); err != nil {
			return examhall.Backend{}, nil, fmt.Errorf("redis at %s: reading its clock: %w", sc.Redis, err)
		}
		cfg.Now = rc.Now
	}
	s.watchSkew(rd, base, rc, sc.SkewEvery)
	s.Mode = "scale (PostgreSQL, Redis, Kafka)"
	st := scale.New(pg, rd, log, scale.Config{Group: sc.Group, SyncWait: sc.SyncWait, Now: cfg.Now})
	return st.Backend(), sc.Secret, nil
}

// OpenPostgres opens scale mode's database and, if migrate is set, brings
// its schema up to date. The grader opens it this way too.
func OpenPostgres(ctx context.Context, url string, opt postgres.Options, migrate bool, log *slog.Logger) (*postgres.DB, error) {
	pg, err := postgres.Open(ctx, url, opt)
	if err != nil {
		return nil, err
	}
	if migrate {
		n, err := pg.Migrate(ctx)
		if err != nil {
			pg.Close()
			return nil, err
		}
		if n > 0 {
			log.Info("postgres schema migrated", "applied", n, "version", postgres.Latest())
		}
	}
	return pg, nil
}

// redisClock is the pod's clock corrected to Redis's: base minus the
// offset last measured (RTT/2 accuracy on the same network).
type redisClock struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds the base clock is ahead of Redis's
}

func (c *redisClock) Now() time.Time {
	return c.base().Add(-time.Duration(c.offset.Load()))
}

// skew measures how far base is ahead of Redis's clock.
func skew(ctx context.Context, rd *redis.Store, base func() time.Time) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	t0 := base()
	rt, err := rd.Time(ctx)
	t1 := base()
	if err != nil {
		return 0, err
	}
	return t0.Add(t1.Sub(t0) / 2).Sub(rt), nil
}

func (c *redisClock) measure(ctx context.Context, rd *redis.Store) error {
	d, err := skew(ctx, rd, c.base)
	if err == nil {
		c.offset.Store(int64(d))
	}
	return err
}

// watchSkew measures how far the pod's own clock (base) is from Redis's,
// every every, into examhall_clock_skew_seconds (positive: the pod is
// ahead), and keeps rc, when set, corrected by it. With rc the pod decides
// by Redis's clock and the metric shows how far its own clock drifted (a
// broken NTP on its node); without it the pod decides by its own clock and
// the alert on the metric says when pods disagree.
func (s *Server) watchSkew(rd *redis.Store, base func() time.Time, rc *redisClock, every time.Duration) {
	if every <= 0 {
		every = 10 * time.Second
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	s.onClose(func() error { close(stop); <-done; return nil })
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if d, err := skew(context.Background(), rd, base); err == nil {
				s.Metrics.Scale.ClockSkew.Set(d.Seconds())
				if rc != nil {
					rc.offset.Store(int64(d))
				}
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
}

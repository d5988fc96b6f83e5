package server

import (
	"context"
	"fmt"
	"log/slog"
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
	s.watchSkew(rd, cfg.Now, sc.SkewEvery)
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

// watchSkew measures how far the pod's clock is from Redis's, every
// every, into examhall_clock_skew_seconds (positive: the pod is ahead).
// Deadlines are decided on the pods' clocks, so a pod that drifts decides
// differently from the others: the alert on this metric says so.
func (s *Server) watchSkew(rd *redis.Store, now func() time.Time, every time.Duration) {
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
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			t0 := now()
			rt, err := rd.Time(ctx)
			t1 := now()
			cancel()
			if err == nil {
				local := t0.Add(t1.Sub(t0) / 2)
				s.Metrics.Scale.ClockSkew.Set(local.Sub(rt).Seconds())
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
}

package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"examhall/hall"
	"examhall/kafka"
	"examhall/metrics"
	"examhall/postgres"
	"examhall/redis"
	"examhall/scale"

	"go.opentelemetry.io/otel/trace"
)

// scaleConfig is the configuration shared by the scale-mode commands.
type scaleConfig struct {
	Postgres, Redis, Kafka string
	Schema, Prefix         string
	EventsTopic            string
	AuditTopic             string
	CreateTopics           bool
	Partitions             int
	Migrate                bool
	SecretFile             string
	Group                  string
	DeliveryTimeout        time.Duration

	// tracing, when OTEL_* variables configure it, traces the calls to
	// PostgreSQL, Redis and Kafka.
	tracing trace.TracerProvider
}

// scaleFlags adds the flags of scale mode; serve's --postgres, --redis and
// --kafka are its own.
func scaleFlags(fs *flag.FlagSet, c *scaleConfig, withURLs bool) {
	if withURLs {
		fs.StringVar(&c.Postgres, "postgres", "", "PostgreSQL URL")
		fs.StringVar(&c.Redis, "redis", "", "Redis URL")
		fs.StringVar(&c.Kafka, "kafka", "", "comma-separated Kafka brokers")
	}
	fs.StringVar(&c.Schema, "postgres-schema", "", "scale mode: PostgreSQL schema (created if missing; default: the URL's search path)")
	fs.StringVar(&c.Prefix, "redis-prefix", "examhall:", "scale mode: prefix of every Redis key")
	fs.StringVar(&c.EventsTopic, "kafka-events-topic", "examhall.events", "scale mode: topic of saves and submissions")
	fs.StringVar(&c.AuditTopic, "kafka-audit-topic", "examhall.audit", "scale mode: topic of logins and staff actions")
	fs.BoolVar(&c.CreateTopics, "kafka-create-topics", true, "scale mode: create missing topics (false for managed clusters)")
	fs.IntVar(&c.Partitions, "kafka-partitions", 12, "scale mode: partitions of topics created")
	fs.DurationVar(&c.DeliveryTimeout, "kafka-timeout", 5*time.Second, "scale mode: how long a save waits for the broker before it is refused (503)")
	fs.BoolVar(&c.Migrate, "migrate", true, "scale mode: bring the PostgreSQL schema up to date at start")
	fs.StringVar(&c.SecretFile, "secret-file", "", "scale mode: file holding the master secret (or set EXAMHALL_SECRET); every pod needs the same")
	fs.StringVar(&c.Group, "kafka-group", kafka.DefaultGroup, "scale mode: the grader's consumer group")
}

func (c *scaleConfig) enabled() bool { return c.Postgres != "" || c.Redis != "" || c.Kafka != "" }

func (c *scaleConfig) kafka(met *metrics.Scale) kafka.Config {
	return kafka.Config{
		Brokers: kafka.ParseBrokers(c.Kafka), EventsTopic: c.EventsTopic, AuditTopic: c.AuditTopic,
		CreateTopics: c.CreateTopics, Partitions: int32(c.Partitions), DeliveryTimeout: c.DeliveryTimeout, Metrics: met,
		TracerProvider: c.tracing,
	}
}

// secret returns the master secret of a scale deployment: every pod must
// share it, so there is no default.
func (m *Main) secret(c *scaleConfig) ([]byte, error) {
	var s []byte
	switch {
	case c.SecretFile != "":
		b, err := os.ReadFile(c.SecretFile)
		if err != nil {
			return nil, fmt.Errorf("reading --secret-file: %w", err)
		}
		s = bytes.TrimSpace(b)
	case m.Getenv("EXAMHALL_SECRET") != "":
		s = []byte(m.Getenv("EXAMHALL_SECRET"))
	default:
		return nil, usageError{"scale mode needs the master secret that every pod shares: set EXAMHALL_SECRET or --secret-file (at least 32 bytes, e.g. openssl rand -hex 32)"}
	}
	if len(s) < hall.MinSecretBytes {
		return nil, usageError{fmt.Sprintf("the master secret is %d bytes; it must be at least %d", len(s), hall.MinSecretBytes)}
	}
	return s, nil
}

// scaleDeps are the open connections of a scale-mode process.
type scaleDeps struct {
	pg  *postgres.DB
	rd  *redis.Store
	log *kafka.Log
}

func (d *scaleDeps) Close() {
	if d.log != nil {
		d.log.Close()
	}
	if d.rd != nil {
		d.rd.Close()
	}
	if d.pg != nil {
		d.pg.Close()
	}
}

// openPostgres opens (and, if asked, migrates) the database.
func openPostgres(ctx context.Context, c *scaleConfig, met *metrics.Scale, log *slog.Logger) (*postgres.DB, error) {
	pg, err := postgres.Open(ctx, c.Postgres, postgres.Options{Schema: c.Schema, Metrics: met, TracerProvider: c.tracing})
	if err != nil {
		return nil, err
	}
	if c.Migrate {
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

// openScale connects to the three dependencies of an API pod.
func openScale(ctx context.Context, c *scaleConfig, met *metrics.Scale, log *slog.Logger) (_ *scaleDeps, err error) {
	if c.Postgres == "" || c.Redis == "" || c.Kafka == "" {
		return nil, usageError{"scale mode needs all of --postgres, --redis and --kafka"}
	}
	d := &scaleDeps{}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if d.pg, err = openPostgres(ctx, c, met, log); err != nil {
		return nil, err
	}
	if d.rd, err = redis.Open(ctx, c.Redis, redis.Options{Prefix: c.Prefix, Metrics: met, TracerProvider: c.tracing}); err != nil {
		return nil, err
	}
	if err := d.rd.Ready(ctx); err != nil {
		return nil, fmt.Errorf("redis at %s: %w", c.Redis, err)
	}
	if d.log, err = kafka.Open(ctx, c.kafka(met)); err != nil {
		return nil, err
	}
	return d, nil
}

// runScaleServe is `examhall serve` in scale mode: a stateless pod.
func (m *Main) runScaleServe(ctx context.Context, c *serveConfig, log *slog.Logger) error {
	sc := &c.Scale
	sc.Postgres, sc.Redis, sc.Kafka = c.Postgres, c.Redis, c.Kafka
	secret, err := m.secret(sc)
	if err != nil {
		return err
	}
	keys, err := hall.NewKeys(secret)
	if err != nil {
		return err
	}
	met := metrics.New()
	d, err := openScale(ctx, sc, met.Scale, log)
	if err != nil {
		return err
	}
	defer d.Close()
	st := scale.New(d.pg, d.rd, d.log, scale.Config{Group: sc.Group})
	b := st.Backend()
	watchAttempts(met, b)
	h := hall.New(b, keys, hall.Config{Logger: log, ExamCacheTTL: time.Second, Observer: met})
	return m.serve(ctx, c, log, h, met, "scale (PostgreSQL, Redis, Kafka)")
}

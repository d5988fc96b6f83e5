package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"time"

	"examhall/hall"
	"examhall/kafka"
	"examhall/server"
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
	AllowWeakTopics        bool
	Clock                  string
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
	fs.BoolVar(&c.AllowWeakTopics, "kafka-allow-weak-topics", false, "scale mode: start even when, on three brokers or more, a topic has fewer than 3 replicas or min.insync.replicas under 2 (logged as an error)")
}

func (c *scaleConfig) kafka() kafka.Config {
	return kafka.Config{
		Brokers: kafka.ParseBrokers(c.Kafka), EventsTopic: c.EventsTopic, AuditTopic: c.AuditTopic,
		CreateTopics: c.CreateTopics, Partitions: int32(c.Partitions), DeliveryTimeout: c.DeliveryTimeout,
		AllowWeakTopics: c.AllowWeakTopics,
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

// scaleServer is the scale-mode part of the server's configuration.
func (m *Main) scaleServer(c *serveConfig) (*server.Scale, error) {
	sc := &c.Scale
	sc.Postgres, sc.Redis, sc.Kafka = c.Postgres, c.Redis, c.Kafka
	if sc.Postgres == "" || sc.Redis == "" || sc.Kafka == "" {
		return nil, usageError{"scale mode needs all of --postgres, --redis and --kafka"}
	}
	if sc.Clock != "redis" && sc.Clock != "local" {
		return nil, usageError{fmt.Sprintf("--clock is %q; it must be redis or local", sc.Clock)}
	}
	secret, err := m.secret(sc)
	if err != nil {
		return nil, err
	}
	return &server.Scale{
		Postgres: sc.Postgres, Redis: sc.Redis, Kafka: sc.kafka(),
		Schema: sc.Schema, Prefix: sc.Prefix, Migrate: sc.Migrate, Secret: secret, Group: sc.Group,
		RedisClock: sc.Clock == "redis",
	}, nil
}

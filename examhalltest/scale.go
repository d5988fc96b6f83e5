package examhalltest

import (
	"context"
	"crypto/rand"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"examhall/grader"
	"examhall/kafka"
	"examhall/postgres"
	"examhall/redis"
	"examhall/server"

	"github.com/twmb/franz-go/pkg/kfake"
)

// ScaleDeps are the outside things of one scale-mode deployment under
// test: a PostgreSQL schema, a Redis key prefix and a Kafka cluster (kfake,
// in process, over loopback TCP), all of this test alone.
type ScaleDeps struct {
	Kafka   *kfake.Cluster
	Brokers []string
	PG      *postgres.DB
	Redis   *redis.Store
	Secret  []byte
	// PostgresURL, Schema, RedisURL and Prefix say where the state is, for
	// servers started as processes.
	PostgresURL, Schema, RedisURL, Prefix string
	// KafkaConfig is what every producer and consumer of the deployment
	// uses.
	KafkaConfig kafka.Config

	kafkaDir string
}

// StopKafka stops the broker; its log stays on disk for StartKafka.
func (d *ScaleDeps) StopKafka() { d.Kafka.Close() }

// StartKafka starts the broker again on the same port with the log it had.
func (d *ScaleDeps) StartKafka(tb testing.TB) {
	tb.Helper()
	_, port, err := net.SplitHostPort(d.Brokers[0])
	if err != nil {
		tb.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	// The port is free again once the old broker's listener is gone.
	Eventually(tb, 10*time.Second, func() (err error) {
		d.Kafka, err = kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(p), kfake.DataDir(d.kafkaDir))
		return err
	})
}

// NewScaleDeps prepares the dependencies of a scale-mode deployment, or
// skips the test when EXAMHALL_TEST_POSTGRES or EXAMHALL_TEST_REDIS is
// unset.
func NewScaleDeps(tb testing.TB) *ScaleDeps {
	tb.Helper()
	return NewScaleDepsOn(tb, RedisURL(tb))
}

// NewScaleDepsOn is NewScaleDeps with the Redis at redisURL.
func NewScaleDepsOn(tb testing.TB, redisURL string) *ScaleDeps {
	tb.Helper()
	ctx := context.Background()
	d := &ScaleDeps{RedisURL: redisURL, Prefix: UniqueName("t") + ":"}
	d.PostgresURL, d.Schema = PostgresSchema(tb)
	var err error
	d.kafkaDir = tb.TempDir()
	if d.Kafka, err = kfake.NewCluster(kfake.NumBrokers(1), kfake.DataDir(d.kafkaDir)); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Kafka.Close() })
	d.Brokers = d.Kafka.ListenAddrs()
	d.KafkaConfig = kafka.Config{Brokers: d.Brokers, CreateTopics: true, Partitions: 4, DeliveryTimeout: 2 * time.Second}
	if d.PG, err = postgres.Open(ctx, d.PostgresURL, postgres.Options{Schema: d.Schema}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(d.PG.Close)
	if _, err := d.PG.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if d.Redis, err = redis.Open(ctx, d.RedisURL, redis.Options{Prefix: d.Prefix}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if d.Redis.Ready(ctx) == nil {
			DeleteRedisPrefix(tb, d.Redis.Client(), d.Prefix)
		}
		d.Redis.Close()
	})
	d.Secret = make([]byte, 32)
	rand.Read(d.Secret)
	return d
}

// FlushRedis deletes every key of the deployment: FLUSHALL, for this
// deployment alone.
func (d *ScaleDeps) FlushRedis(tb testing.TB) {
	tb.Helper()
	DeleteRedisPrefix(tb, d.Redis.Client(), d.Prefix)
}

// PodAppName is the application_name of the pods' connections.
func (d *ScaleDeps) PodAppName() string { return "pod-" + d.Schema }

// GraderAppName is the application_name of the graders' connections.
func (d *ScaleDeps) GraderAppName() string { return "grader-" + d.Schema }

// StartGrader runs a grader in process until the returned stop is called
// or the test ends.
func (d *ScaleDeps) StartGrader(tb testing.TB) (stop func()) {
	tb.Helper()
	// The grader has its own pool, named so that tests can cut its
	// connections (GraderAppName).
	pg, err := postgres.Open(context.Background(), d.PostgresURL, postgres.Options{Schema: d.Schema, AppName: d.GraderAppName()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pg.Close)
	g, err := grader.New(context.Background(), pg, d.KafkaConfig, grader.Config{Logger: logger(tb, true)})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.Run(ctx)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
			g.Close()
		})
	}
	tb.Cleanup(stop)
	return stop
}

// StartPod starts one API server (a pod) of the deployment, with its own
// connections to PostgreSQL, Redis and Kafka.
func (d *ScaleDeps) StartPod(tb testing.TB, opt Options) *Server {
	tb.Helper()
	syncWait := opt.SyncWait
	if syncWait == 0 {
		syncWait = 10 * time.Second
	}
	s := start(tb, server.Config{Scale: &server.Scale{
		Postgres: withParam(d.PostgresURL, "application_name", d.PodAppName()), Schema: d.Schema, Redis: d.RedisURL, Prefix: d.Prefix,
		Kafka: d.KafkaConfig, Secret: d.Secret, SyncWait: syncWait, SkewEvery: 100 * time.Millisecond,
		RedisClock: opt.RedisClock,
	}}, opt)
	s.Scale = d
	return s
}

// NewScale starts a scale-mode server with its own dependencies and a
// grader in process, and stops it all when the test ends.
func NewScale(tb testing.TB, opt Options) *Server {
	tb.Helper()
	d := NewScaleDeps(tb)
	d.StartGrader(tb)
	return d.StartPod(tb, opt)
}

// New starts a server of the mode EXAMHALL_TEST_MODE names: "scale" for
// NewScale (skipped where PostgreSQL and Redis are not configured),
// anything else for NewEmbedded. It lets the API's end-to-end tests run in
// both modes.
func New(tb testing.TB, opt Options) *Server {
	tb.Helper()
	if os.Getenv("EXAMHALL_TEST_MODE") == "scale" {
		return NewScale(tb, opt)
	}
	return NewEmbedded(tb, opt)
}

// withParam adds a query parameter to a URL.
func withParam(url, key, value string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + key + "=" + value
}

package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Scale holds the metrics of the scale-mode adapters: the event log
// producer, the grader's consumer, Redis and PostgreSQL. They are registered
// on every registry so that dashboards and alert rules see the same names in
// both modes; in embedded mode they simply stay empty.
type Scale struct {
	ProduceDuration *prometheus.HistogramVec // topic
	ProduceFailures *prometheus.CounterVec   // topic
	ConsumerLag     *prometheus.GaugeVec     // topic, partition
	Undecoded       *prometheus.CounterVec   // topic
	ClockSkew       prometheus.Gauge
	GraderBatch     prometheus.Histogram     // records per database batch
	GraderBatchTime prometheus.Histogram     // seconds to write one batch
	RedisDuration   *prometheus.HistogramVec // op
	RedisErrors     *prometheus.CounterVec   // op
	PostgresTime    *prometheus.HistogramVec // op
	PostgresErrors  *prometheus.CounterVec   // op
}

var callBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}

func newScale() *Scale {
	return &Scale{
		ProduceDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "eventlog", Name: "produce_duration_seconds",
			Help:    "Time from producing an event to the broker's acknowledgement (acks=all), by topic.",
			Buckets: callBuckets,
		}, []string{"topic"}),
		ProduceFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "eventlog", Name: "produce_failures_total",
			Help: "Events the broker did not acknowledge, by topic.",
		}, []string{"topic"}),
		ConsumerLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "grader", Name: "consumer_lag",
			Help: "Records in the event log not yet committed by this grader, by topic and partition.",
		}, []string{"topic", "partition"}),
		ClockSkew: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "clock_skew_seconds",
			Help: "How far this pod's clock is ahead of Redis's (negative: behind), measured every 10 s.",
		}),
		Undecoded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "grader", Name: "undecodable_records_total",
			Help: "Event log records the grader skipped because it could not decode them, by topic.",
		}, []string{"topic"}),
		GraderBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "grader", Name: "batch_size",
			Help:    "Records written to PostgreSQL in one grader batch.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14),
		}),
		GraderBatchTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "grader", Name: "batch_duration_seconds",
			Help:    "Time to write and commit one grader batch.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		RedisDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "redis", Name: "call_duration_seconds",
			Help:    "Redis call latency by operation.",
			Buckets: callBuckets,
		}, []string{"op"}),
		RedisErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "redis", Name: "call_errors_total",
			Help: "Failed Redis calls by operation.",
		}, []string{"op"}),
		PostgresTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "postgres", Name: "call_duration_seconds",
			Help:    "PostgreSQL call latency by operation.",
			Buckets: callBuckets,
		}, []string{"op"}),
		PostgresErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "postgres", Name: "call_errors_total",
			Help: "Failed PostgreSQL calls by operation.",
		}, []string{"op"}),
	}
}

func (s *Scale) collectors() []prometheus.Collector {
	return []prometheus.Collector{
		s.ProduceDuration, s.ProduceFailures, s.ConsumerLag, s.Undecoded, s.ClockSkew, s.GraderBatch, s.GraderBatchTime,
		s.RedisDuration, s.RedisErrors, s.PostgresTime, s.PostgresErrors,
	}
}

// The adapters are told nothing of Prometheus: each declares a small
// Observer interface of what it has to report, and the types below
// implement them.

// Calls records the calls to one dependency: their latency and failures
// by operation. It implements the Observer of packages redis and postgres.
type Calls struct {
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
}

// Call records one call.
func (c Calls) Call(op string, took time.Duration, err error) {
	c.duration.WithLabelValues(op).Observe(took.Seconds())
	if err != nil {
		c.errors.WithLabelValues(op).Inc()
	}
}

// Redis returns the observer of the calls to Redis.
func (s *Scale) Redis() Calls { return Calls{s.RedisDuration, s.RedisErrors} }

// Postgres returns the observer of the calls to PostgreSQL.
func (s *Scale) Postgres() Calls { return Calls{s.PostgresTime, s.PostgresErrors} }

// Produced records one event produced to topic (kafka.Observer).
func (s *Scale) Produced(topic string, took time.Duration, err error) {
	if err != nil {
		s.ProduceFailures.WithLabelValues(topic).Inc()
		return
	}
	s.ProduceDuration.WithLabelValues(topic).Observe(took.Seconds())
}

// Lag records how many records of a partition this consumer has yet to
// read (kafka.Observer).
func (s *Scale) Lag(topic string, partition int32, lag int64) {
	s.ConsumerLag.WithLabelValues(topic, strconv.Itoa(int(partition))).Set(float64(lag))
}

// Undecodable records an event log record the grader skipped
// (grader.Observer).
func (s *Scale) Undecodable(topic string) {
	s.Undecoded.WithLabelValues(topic).Inc()
}

// Batch records one batch the grader wrote (grader.Observer).
func (s *Scale) Batch(records int, took time.Duration) {
	s.GraderBatch.Observe(float64(records))
	s.GraderBatchTime.Observe(took.Seconds())
}

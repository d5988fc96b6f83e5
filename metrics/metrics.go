// Package metrics declares examhall's Prometheus metrics in one place, all
// in the examhall namespace, on a registry of their own that also carries
// the Go runtime and process collectors.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "examhall"

// Metrics holds the registry and every metric examhall exports.
type Metrics struct {
	Registry *prometheus.Registry

	HTTPRequests *prometheus.CounterVec   // route, method, code
	HTTPDuration *prometheus.HistogramVec // route, method
	HTTPInFlight prometheus.Gauge

	CommitBatch    prometheus.Histogram // operations per group commit
	CommitDuration prometheus.Histogram

	Logins      *prometheus.CounterVec // result: ok, failed, rate_limited
	Saves       prometheus.Counter     // acknowledged saves (requests)
	Answers     prometheus.Counter     // answers in acknowledged saves
	Submissions *prometheus.CounterVec // kind: manual, auto

	Scale *Scale // event log, grader, Redis and PostgreSQL (scale mode)
}

// New returns the metrics, registered.
func New() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		HTTPInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		CommitBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "sqlite", Name: "commit_batch_size",
			Help:    "Operations that shared one group commit (embedded mode).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
		CommitDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "sqlite", Name: "commit_duration_seconds",
			Help:    "Time to apply and commit one group commit (embedded mode).",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, 1},
		}),
		Logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "logins_total",
			Help: "Candidate logins by result: ok, failed (wrong exam, candidate or code) or rate_limited.",
		}, []string{"result"}),
		Saves: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "saves_total",
			Help: "Acknowledged (durable) autosave requests.",
		}),
		Answers: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Name: "answers_saved_total",
			Help: "Answers carried by acknowledged autosave requests.",
		}),
		Submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "submissions_total",
			Help: "Acknowledged submissions, by kind: manual (the candidate) or auto (at the deadline).",
		}, []string{"kind"}),
	}
	for _, res := range []string{"ok", "failed", "rate_limited"} {
		m.Logins.WithLabelValues(res)
	}
	for _, kind := range []string{"manual", "auto"} {
		m.Submissions.WithLabelValues(kind)
	}
	r.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.HTTPRequests, m.HTTPDuration, m.HTTPInFlight, m.CommitBatch, m.CommitDuration,
		m.Logins, m.Saves, m.Answers, m.Submissions,
	)
	m.Scale = newScale()
	r.MustRegister(m.Scale.collectors()...)
	return m
}

// LoggedIn implements hall.Observer.
func (m *Metrics) LoggedIn(result string) { m.Logins.WithLabelValues(result).Inc() }

// Saved implements hall.Observer.
func (m *Metrics) Saved(n int) {
	m.Saves.Inc()
	m.Answers.Add(float64(n))
}

// Submitted implements hall.Observer.
func (m *Metrics) Submitted(auto bool) {
	kind := "manual"
	if auto {
		kind = "auto"
	}
	m.Submissions.WithLabelValues(kind).Inc()
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// Commit records one group commit of the embedded store (sqlite.Observer).
func (m *Metrics) Commit(size int, took time.Duration) {
	m.CommitBatch.Observe(float64(size))
	m.CommitDuration.Observe(took.Seconds())
}

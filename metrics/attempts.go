package metrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// CountFunc counts attempts by state: in_progress, submitted, and overdue
// (in progress past deadline + grace: the auto-submit backlog).
type CountFunc func(ctx context.Context) (map[string]int, error)

// WatchAttempts exports examhall_attempts{state} from count, asked at most
// every interval however often Prometheus scrapes.
func (m *Metrics) WatchAttempts(count CountFunc, interval time.Duration) {
	m.Registry.MustRegister(&attemptsCollector{count: count, interval: interval})
}

var attemptsDesc = prometheus.NewDesc(namespace+"_attempts", "Attempts by state: in_progress, submitted, and overdue (in progress past deadline + grace, the auto-submit backlog).", []string{"state"}, nil)

type attemptsCollector struct {
	count    CountFunc
	interval time.Duration

	mu   sync.Mutex
	at   time.Time
	last map[string]int
}

func (c *attemptsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- attemptsDesc }

func (c *attemptsCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil || time.Since(c.at) >= c.interval {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		counts, err := c.count(ctx)
		cancel()
		if err == nil {
			c.last, c.at = counts, time.Now()
		}
	}
	for _, state := range []string{"in_progress", "submitted", "overdue"} {
		ch <- prometheus.MustNewConstMetric(attemptsDesc, prometheus.GaugeValue, float64(c.last[state]), state)
	}
}

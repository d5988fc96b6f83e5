package metrics

import "github.com/prometheus/client_golang/prometheus"

// AdmissionSource is what admission control reports: per request class,
// requests being served and requests refused so far, and the current
// limit of concurrent logins.
type AdmissionSource interface {
	Inflight(class int) int64
	Shed(class int) int64
	LoginLimit() int64
}

// WatchAdmission exports admission control's state: the gauge
// examhall_admission_inflight{class} (rises at the exam start: the signal to
// scale pods on), the counter examhall_admission_shed_total{class} (requests
// answered 503 with Retry-After before doing any work) and the gauge
// examhall_admission_login_limit. classes names the classes in order.
// A second call on the same Metrics is ignored.
func (m *Metrics) WatchAdmission(classes []string, src AdmissionSource) {
	var cs []prometheus.Collector
	for i, name := range classes {
		i := i
		labels := prometheus.Labels{"class": name}
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Namespace: namespace, Subsystem: "admission", Name: "inflight", ConstLabels: labels,
				Help: "API requests being served, by class: login (candidates signing in), work (signed-in candidates), staff.",
			}, func() float64 { return float64(src.Inflight(i)) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Namespace: namespace, Subsystem: "admission", Name: "shed_total", ConstLabels: labels,
				Help: "API requests refused by admission control (503 with Retry-After, nothing done), by class.",
			}, func() float64 { return float64(src.Shed(i)) }),
		)
	}
	cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "admission", Name: "login_limit",
		Help: "Concurrent candidate logins admission control allows now (adaptive).",
	}, func() float64 { return float64(src.LoginLimit()) }))
	for _, c := range cs {
		if err := m.Registry.Register(c); err != nil {
			return
		}
	}
}

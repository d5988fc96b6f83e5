package loadtest

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a load test, printed as a table or written as
// JSON (--json).
type Report struct {
	URL        string  `json:"url"`
	Exam       string  `json:"exam"`
	Candidates int     `json:"candidates"`
	Procs      int     `json:"procs"`
	Conns      int     `json:"conns"` // cap on shared connections, 0 = none
	Ramp       float64 `json:"ramp_seconds"`
	Duration   float64 `json:"duration_seconds"`
	SaveEvery  float64 `json:"save_every_seconds"`
	Elapsed    float64 `json:"elapsed_seconds"` // from the ramp's start to the last candidate's end

	Requests   uint64 `json:"requests"` // every try
	FirstTries uint64 `json:"first_tries"`
	Retries    uint64 `json:"retries"`
	Shed       uint64 `json:"shed"`    // tries the server shed (503 with Retry-After)
	Errors     int    `json:"errors"`  // failed tries (non-2xx but shed, or no answer)
	GaveUp     uint64 `json:"gave_up"` // operations that never succeeded

	LostAnswers int                        `json:"lost_answers"`
	LatencyMS   map[string]Latency         `json:"latency_ms"`
	Endpoints   map[string]*EndpointReport `json:"endpoints"`

	// The load generator's own CPU (this process and its children).
	ClientCPUSeconds float64 `json:"client_cpu_seconds"`
	// The server's CPU and memory, from its /metrics when readable (one
	// process; 0 when unknown).
	ServerCPUSeconds float64 `json:"server_cpu_seconds,omitempty"`
	ServerRSSBytes   float64 `json:"server_rss_bytes,omitempty"`

	Verdict *Verdict `json:"verdict"`
	Hints   []string `json:"hints,omitempty"`
	// NetworkErrors are messages of the first failures below HTTP.
	NetworkErrors []string `json:"network_errors,omitempty"`
	Seed          uint64   `json:"seed"`
}

// Latency is a latency summary in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// EndpointReport is one endpoint's line of the report. Count, Rate and the
// latency are of operations (each from its first try to its end); the
// tries are FirstTries + Retries.
type EndpointReport struct {
	Count      uint64         `json:"count"`
	Rate       float64        `json:"rate"` // operations per second over the elapsed time
	FirstTries uint64         `json:"first_tries"`
	Retries    uint64         `json:"retries"`
	Shed       uint64         `json:"shed"`
	Errors     map[string]int `json:"errors,omitempty"`
	GaveUp     uint64         `json:"gave_up"`
	Latency
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// NewReport assembles a report from a plan, the merged statistics and the
// verdict.
func NewReport(plan *Plan, t *Totals, v *Verdict, elapsed time.Duration) *Report {
	r := &Report{URL: plan.URL, Exam: plan.Exam, Candidates: len(plan.Codes),
		Ramp: plan.Ramp.Seconds(), Duration: plan.Duration.Seconds(), SaveEvery: plan.SaveEvery.Seconds(),
		Elapsed: elapsed.Seconds(), LatencyMS: map[string]Latency{}, Endpoints: map[string]*EndpointReport{},
		Verdict: v, Hints: t.Hints, NetworkErrors: t.Samples, Seed: plan.Seed}
	for _, name := range endpoints {
		e := t.Endpoints[name]
		if e == nil {
			e = &EndpointStats{}
		}
		h := &e.Latency
		lat := Latency{P50: ms(h.Quantile(0.50)), P95: ms(h.Quantile(0.95)), P99: ms(h.Quantile(0.99)), Max: ms(h.Quantile(1))}
		r.LatencyMS[name] = lat
		er := &EndpointReport{Count: h.N, FirstTries: e.FirstTries, Retries: e.Retries, Shed: e.Shed, Errors: e.Errors, GaveUp: e.GaveUp, Latency: lat}
		if elapsed > 0 {
			er.Rate = float64(h.N) / elapsed.Seconds()
		}
		r.Endpoints[name] = er
		r.Requests += e.FirstTries + e.Retries
		r.FirstTries += e.FirstTries
		r.Retries += e.Retries
		r.Shed += e.Shed
		r.Errors += e.errorCount()
		r.GaveUp += e.GaveUp
	}
	if v != nil {
		r.LostAnswers = v.LostAnswers
	}
	return r
}

// OK reports whether the run passed: no failed request, no operation given
// up, and a clean verdict. Shed requests that a retry carried are not
// failures.
func (r *Report) OK() bool {
	return r.Errors == 0 && r.GaveUp == 0 && r.Verdict != nil && r.Verdict.OK()
}

// Print writes the report as tables.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "\nexamhall loadtest: %d candidates against %s (exam %s), %d process(es), ramp %gs, %gs each, a save every ~%gs\n\n",
		r.Candidates, r.URL, r.Exam, max(r.Procs, 1), r.Ramp, r.Duration, r.SaveEvery)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tcount\trate/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\tretries\tshed\terrors\t")
	var ops uint64
	for _, name := range endpoints {
		e := r.Endpoints[name]
		ops += e.Count
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%s\t\n", name, e.Count, e.Rate, e.P50, e.P95, e.P99, e.Max, e.Retries, e.Shed, errorList(e.Errors))
	}
	rate := 0.0
	if r.Elapsed > 0 {
		rate = float64(ops) / r.Elapsed
	}
	fmt.Fprintf(tw, "total\t%d\t%.1f\t\t\t\t\t%d\t%d\t%d\t\n", ops, rate, r.Retries, r.Shed, r.Errors)
	tw.Flush()
	fmt.Fprintf(w, "\nrequests %d (first tries %d, retries %d), shed %d, failed tries %d, given up %d, in %.1fs\n",
		r.Requests, r.FirstTries, r.Retries, r.Shed, r.Errors, r.GaveUp, r.Elapsed)
	fmt.Fprintln(w, "latency: of operations, from the first try to the last (waits for Retry-After included)")
	fmt.Fprintf(w, "client CPU %.1fs (%.2f cores on average)", r.ClientCPUSeconds, r.ClientCPUSeconds/max(r.Elapsed, 1))
	if r.ServerCPUSeconds > 0 {
		fmt.Fprintf(w, "; server CPU %.1fs (%.2f cores), RSS %.0f MiB", r.ServerCPUSeconds, r.ServerCPUSeconds/max(r.Elapsed, 1), r.ServerRSSBytes/(1<<20))
	}
	fmt.Fprintln(w)
	for _, h := range r.Hints {
		fmt.Fprintln(w, "hint:", h)
	}
	for _, e := range r.NetworkErrors {
		fmt.Fprintln(w, "network error, e.g.:", e)
	}
	v := r.Verdict
	switch {
	case v == nil || !v.Checked:
		note := ""
		if v != nil {
			note = v.Note
		}
		fmt.Fprintf(w, "\nintegrity: not checked (%s)\n", note)
	default:
		verdict := "PASS"
		if !r.OK() {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "\nintegrity: %d attempts, %d acknowledged answers checked; submitted %d, auto-submitted %d, ungraded %d, stale papers %d\n",
			v.Attempts, v.Answers, v.Submitted, v.AutoSubmitted, v.Ungraded, v.StalePapers)
		fmt.Fprintf(w, "lost_answers: %d\n", v.LostAnswers)
		for _, e := range v.Examples {
			fmt.Fprintln(w, "  ", e)
		}
		if v.Note != "" {
			fmt.Fprintln(w, "note:", v.Note)
		}
		fmt.Fprintln(w, "verdict:", verdict)
	}
}

func errorList(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	var parts []string
	for code, n := range m {
		parts = append(parts, fmt.Sprintf("%s:%d", code, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

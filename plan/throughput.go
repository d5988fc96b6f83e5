package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// DefaultPerCore is the throughput assumed without a measurement: API
// requests (the mix of a load test: a login spike, then mostly autosaves)
// per second of server CPU. It is what examhall loadtest measured for the
// embedded server in its clean 20,000-candidate run on a 2-core machine
// (BENCHMARKS.md: 2,218), rounded down.
const DefaultPerCore = 2000

// Throughput is the measured capacity a plan is computed from.
type Throughput struct {
	PerCore float64 // API requests per second per core
	Source  string  // where the figure comes from, for the assumptions
}

// Default is the throughput of DefaultPerCore.
func Default() Throughput {
	return Throughput{PerCore: DefaultPerCore, Source: fmt.Sprintf("default: %d requests/s per core (BENCHMARKS.md)", DefaultPerCore)}
}

// FromReport reads a loadtest --json report. The per-core figure is the
// requests served per second of server CPU when the report has the
// server's CPU time; otherwise the requests per second divided by cores
// (the measured machine's cores, which also ran the load generator: a
// pessimistic figure).
func FromReport(r io.Reader, name string, cores float64) (Throughput, error) {
	var rep struct {
		Candidates       int      `json:"candidates"`
		Requests         *float64 `json:"requests"`
		Elapsed          float64  `json:"elapsed_seconds"`
		ServerCPUSeconds float64  `json:"server_cpu_seconds"`
		Errors           int      `json:"errors"`
		LostAnswers      int      `json:"lost_answers"`
	}
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return Throughput{}, fmt.Errorf("%s: not a loadtest report: %w", name, err)
	}
	if rep.Requests == nil || *rep.Requests <= 0 || rep.Elapsed <= 0 {
		return Throughput{}, fmt.Errorf("%s: not a loadtest report (no requests or elapsed_seconds)", name)
	}
	if rep.Errors > 0 || rep.LostAnswers > 0 {
		return Throughput{}, fmt.Errorf("%s: the run had %d errors and %d lost answers: plan from a clean run", name, rep.Errors, rep.LostAnswers)
	}
	if rep.ServerCPUSeconds > 0 {
		return Throughput{PerCore: *rep.Requests / rep.ServerCPUSeconds,
			Source: fmt.Sprintf("%s: %.0f requests in %.1f s of server CPU (%d candidates)", name, *rep.Requests, rep.ServerCPUSeconds, rep.Candidates)}, nil
	}
	if cores <= 0 {
		return Throughput{}, errors.New("--cores must be positive")
	}
	return Throughput{PerCore: *rep.Requests / rep.Elapsed / cores,
		Source: fmt.Sprintf("%s: %.0f requests in %.0f s on %g cores shared with the load generator (%d candidates)", name, *rep.Requests, rep.Elapsed, cores, rep.Candidates)}, nil
}

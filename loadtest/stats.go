package loadtest

import (
	"sync"
	"time"
)

// The endpoints a candidate calls, in report order.
var endpoints = []string{"login", "paper", "save", "submit"}

// EndpointStats is what happened on one endpoint. An operation (a login, a
// save...) may take several tries: its latency runs from its first try to
// its end, waits for Retry-After included; tries are counted, first tries
// apart from retries; a try the server shed (503 with Retry-After: nothing
// done, come back later) is counted apart from failed tries, which are
// counted by error code.
type EndpointStats struct {
	Latency    Histogram      `json:"latency"` // of operations
	FirstTries uint64         `json:"first_tries"`
	Retries    uint64         `json:"retries"`
	Shed       uint64         `json:"shed"`             // tries answered 503 with Retry-After
	Errors     map[string]int `json:"errors,omitempty"` // by code, every failed try
	GaveUp     uint64         `json:"gave_up"`          // operations that never succeeded
}

func (s *EndpointStats) merge(o *EndpointStats) {
	s.Latency.Merge(&o.Latency)
	s.FirstTries += o.FirstTries
	s.Retries += o.Retries
	s.Shed += o.Shed
	s.GaveUp += o.GaveUp
	for code, n := range o.Errors {
		if s.Errors == nil {
			s.Errors = make(map[string]int)
		}
		s.Errors[code] += n
	}
}

func (s *EndpointStats) errorCount() int {
	n := 0
	for _, c := range s.Errors {
		n += c
	}
	return n
}

// Stats collects the endpoints' statistics of many candidates; it is safe
// for concurrent use.
type Stats struct {
	mu        sync.Mutex
	endpoints map[string]*EndpointStats
	hints     map[string]bool
	samples   []string
}

func newStats() *Stats {
	s := &Stats{endpoints: make(map[string]*EndpointStats), hints: make(map[string]bool)}
	for _, e := range endpoints {
		s.endpoints[e] = &EndpointStats{}
	}
	return s
}

// try records one request: whether it was a retry, whether the server
// shed it, and otherwise the error code it failed with ("" for success).
func (s *Stats) try(endpoint string, retry, shed bool, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.endpoints[endpoint]
	if retry {
		e.Retries++
	} else {
		e.FirstTries++
	}
	switch {
	case shed:
		e.Shed++
	case code != "":
		if e.Errors == nil {
			e.Errors = make(map[string]int)
		}
		e.Errors[code]++
	}
}

// op records the latency of one operation, from its first try to its end.
func (s *Stats) op(endpoint string, d time.Duration) {
	s.mu.Lock()
	s.endpoints[endpoint].Latency.Record(d)
	s.mu.Unlock()
}

func (s *Stats) gaveUp(endpoint string) {
	s.mu.Lock()
	s.endpoints[endpoint].GaveUp++
	s.mu.Unlock()
}

// sample keeps the first few messages of failures below HTTP, which the
// codes alone do not explain.
func (s *Stats) sample(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples) < 5 && !contains(s.samples, err.Error()) {
		s.samples = append(s.samples, err.Error())
	}
}

func (s *Stats) hint(h string) {
	s.mu.Lock()
	s.hints[h] = true
	s.mu.Unlock()
}

// Snapshot is a copy of the statistics so far.
func (s *Stats) Snapshot() *Totals {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &Totals{Endpoints: make(map[string]*EndpointStats)}
	for name, e := range s.endpoints {
		c := &EndpointStats{}
		c.merge(e)
		t.Endpoints[name] = c
	}
	for h := range s.hints {
		t.Hints = append(t.Hints, h)
	}
	t.Samples = append(t.Samples, s.samples...)
	return t
}

// Totals are mergeable statistics: one process's, or the sum of several.
type Totals struct {
	Endpoints map[string]*EndpointStats `json:"endpoints"`
	// Hints say what to change when the operating system refused sockets.
	Hints []string `json:"hints,omitempty"`
	// Samples are messages of the first network failures.
	Samples []string `json:"samples,omitempty"`
}

// Merge adds o into t.
func (t *Totals) Merge(o *Totals) {
	if t.Endpoints == nil {
		t.Endpoints = make(map[string]*EndpointStats)
	}
	for name, e := range o.Endpoints {
		if t.Endpoints[name] == nil {
			t.Endpoints[name] = &EndpointStats{}
		}
		t.Endpoints[name].merge(e)
	}
	for _, h := range o.Hints {
		if !contains(t.Hints, h) {
			t.Hints = append(t.Hints, h)
		}
	}
	for _, m := range o.Samples {
		if len(t.Samples) < 5 && !contains(t.Samples, m) {
			t.Samples = append(t.Samples, m)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

package loadtest

import (
	"examhall"
	"time"
)

// Plan is one load test's script, shared by every process that drives a
// share of it: where, which exam, which candidates, and when.
type Plan struct {
	URL string `json:"url"` // staff requests go here
	// URLs are the servers candidates are spread over (client-side round
	// robin, sticky per candidate), when there are several.
	URLs  []string              `json:"urls,omitempty"`
	Exam  string                `json:"exam"`
	Codes []examhall.IssuedCode `json:"codes"`
	// Start is when the ramp begins; every process counts from it.
	Start     time.Time     `json:"start"`
	Ramp      time.Duration `json:"ramp"`
	Duration  time.Duration `json:"duration"` // of each candidate's session
	SaveEvery time.Duration `json:"save_every"`
	// NoSubmitShare of the candidates never submit; ReloadShare reload
	// their paper once (log in again, fetch it again).
	NoSubmitShare float64 `json:"no_submit_share"`
	ReloadShare   float64 `json:"reload_share"`
	// Closes is when the exam's last attempt ends (deadline + grace):
	// after it every attempt must be submitted.
	Closes time.Time `json:"closes"`
	// Opens, when set, is the exam's opening: the candidates sign in
	// during the ramp and wait in the lobby until then, and everyone's
	// session ends together, Duration after it.
	Opens time.Time `json:"opens,omitzero"`
	Seed  uint64    `json:"seed"`
}

// servers returns the URLs the candidates use.
func (p *Plan) servers() []string {
	if len(p.URLs) > 0 {
		return p.URLs
	}
	return []string{p.URL}
}

// Share returns the part of the plan for process i of n: every n-th
// candidate from the i-th, so that each process ramps over the whole ramp.
func (p *Plan) Share(i, n int) *Plan {
	q := *p
	q.Codes = nil
	for j := i; j < len(p.Codes); j += n {
		q.Codes = append(q.Codes, p.Codes[j])
	}
	q.Seed = p.Seed + uint64(i)*0x9e3779b97f4a7c15
	return &q
}

package plan

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Settle is how long after the login ramp the peak replica count is kept:
// late logins, reloads and the first autosaves of everyone.
const Settle = 5 * time.Minute

// Schedule is when to hold how many API pods around an exam's start. A
// CPU autoscaler reacts in minutes; the login spike lasts seconds, so the
// pods of the spike must be running before it.
type Schedule struct {
	// OpensAt is the exam's opens_at; zero for a schedule relative to it.
	OpensAt time.Time
	// Lead is how long before opens_at the peak replicas must be ready.
	Lead time.Duration
	// From and Until bound the peak: from opens_at − Lead until opens_at +
	// the ramp + Settle.
	From, Until time.Time
	// PeakReplicas is the minimum from From until Until; SteadyReplicas
	// the minimum afterwards (the autoscaler may add more at any time).
	PeakReplicas, SteadyReplicas int
	ramp                         time.Duration
}

// Schedule returns the replica schedule for an exam that opens at opensAt
// (zero: relative to opens_at) with the peak ready lead before it.
func (pl *Plan) Schedule(opensAt time.Time, lead time.Duration) (*Schedule, error) {
	if lead < 0 {
		return nil, errors.New("--lead must not be negative")
	}
	s := &Schedule{OpensAt: opensAt.UTC(), Lead: lead, PeakReplicas: pl.PeakPods, SteadyReplicas: pl.SteadyPods, ramp: pl.Load.Ramp}
	if !opensAt.IsZero() {
		s.From = s.OpensAt.Add(-lead)
		s.Until = s.OpensAt.Add(pl.Load.Ramp + Settle)
	}
	return s, nil
}

// Cron returns the KEDA cron trigger's start and end (minute hour day
// month weekday, UTC) of an absolute schedule. The end is rounded up to
// the minute.
func (s *Schedule) Cron() (start, end string) {
	c := func(t time.Time) string {
		return fmt.Sprintf("%d %d %d %d *", t.Minute(), t.Hour(), t.Day(), int(t.Month()))
	}
	until := s.Until
	if until.Truncate(time.Minute) != until {
		until = until.Truncate(time.Minute).Add(time.Minute)
	}
	return c(s.From.Truncate(time.Minute)), c(until)
}

// Print writes the schedule and how to apply it.
func (s *Schedule) Print(w io.Writer) {
	fmt.Fprintf(w, "Replica schedule of the API pods\n\n")
	if s.OpensAt.IsZero() {
		fmt.Fprintf(w, "  from opens_at − %v        at least %d replicas (login spike)\n", s.Lead, s.PeakReplicas)
		fmt.Fprintf(w, "  from opens_at + %v   at least %d replicas (autosaves; the autoscaler adds more)\n", s.ramp+Settle, s.SteadyReplicas)
		fmt.Fprintf(w, "\nGive --opens-at to print the cron trigger for this exam.\n")
		return
	}
	fmt.Fprintf(w, "  from %s   at least %d replicas (login spike; %v before opens_at %s)\n", s.From.Format(time.RFC3339), s.PeakReplicas, s.Lead, s.OpensAt.Format(time.RFC3339))
	fmt.Fprintf(w, "  from %s   at least %d replicas (autosaves; the autoscaler adds more)\n", s.Until.Format(time.RFC3339), s.SteadyReplicas)
	start, end := s.Cron()
	fmt.Fprintf(w, "\nKEDA cron trigger (deploy/kubernetes/base/scaledobject.yaml, timezone UTC):\n")
	fmt.Fprintf(w, "  - type: cron\n    metadata:\n      timezone: UTC\n      start: %q\n      end: %q\n      desiredReplicas: \"%d\"\n", start, end, s.PeakReplicas)
	fmt.Fprintf(w, "\nWithout KEDA (deploy/kubernetes/base/prestart-cronjob.yaml): schedule %q with MIN_REPLICAS=%d, and %q with MIN_REPLICAS=%d.\n",
		start, s.PeakReplicas, end, s.SteadyReplicas)
}

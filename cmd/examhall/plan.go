package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"examhall/plan"
)

func (m *Main) runPlan(ctx context.Context, args []string) error {
	fs := m.newFlagSet("plan", "plan [flags]")
	var l plan.Load
	fs.IntVar(&l.Candidates, "candidates", 50000, "concurrent candidates")
	fs.DurationVar(&l.Window, "duration", 48*time.Hour, "how long the deployment runs (the exam days)")
	fs.DurationVar(&l.Session, "session", 2*time.Hour, "one candidate's exam")
	fs.DurationVar(&l.Ramp, "ramp", 30*time.Second, "every candidate logs in within this time (the login spike)")
	fs.DurationVar(&l.SaveEvery, "save-every", 15*time.Second, "autosave interval")
	from := fs.String("from", "", "a loadtest --json report to take the per-core throughput from")
	cores := fs.Float64("cores", 2, "with --from, when the report lacks the server's CPU time: the cores of the measured machine")
	perCore := fs.Float64("per-core", 0, "API requests per second per core (instead of --from or the default)")
	prices := fs.String("prices", "", "a JSON price table overriding the built-in one (see docs/plan.md)")
	schedule := fs.Bool("schedule", false, "print the replica schedule around an exam's start (the pods of the login spike, ready before it) instead of the plan")
	opensAt := fs.String("opens-at", "", "with --schedule: the exam's opens_at (RFC 3339), for a cron trigger with dates")
	lead := fs.Duration("lead", 10*time.Minute, "with --schedule: how long before opens_at the spike's pods must be ready")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("plan takes no arguments, got %q", fs.Arg(0))}
	}
	if err := l.Check(); err != nil {
		return usageError{err.Error()}
	}
	t := plan.Default()
	switch {
	case *from != "" && *perCore != 0:
		return usageError{"give --from or --per-core, not both"}
	case *perCore < 0:
		return usageError{"--per-core must be positive"}
	case *perCore > 0:
		t = plan.Throughput{PerCore: *perCore, Source: "--per-core"}
	case *from != "":
		f, err := os.Open(*from)
		if err != nil {
			return usageError{err.Error()}
		}
		t, err = plan.FromReport(f, *from, *cores)
		f.Close()
		if err != nil {
			return usageError{err.Error()}
		}
	}
	p := plan.DefaultPrices()
	if *prices != "" {
		f, err := os.Open(*prices)
		if err != nil {
			return usageError{err.Error()}
		}
		p, err = plan.ReadPrices(f)
		f.Close()
		if err != nil {
			return usageError{fmt.Sprintf("--prices %s: %v", *prices, err)}
		}
	}
	pl, err := plan.Compute(l, t, p)
	if err != nil {
		return usageError{err.Error()}
	}
	if !*schedule {
		if *opensAt != "" {
			return usageError{"--opens-at goes with --schedule"}
		}
		pl.Print(m.Stdout)
		return nil
	}
	var at time.Time
	if *opensAt != "" {
		if at, err = time.Parse(time.RFC3339, *opensAt); err != nil {
			return usageError{fmt.Sprintf("--opens-at %q: want a time like 2026-06-01T09:00:00Z", *opensAt)}
		}
	}
	sc, err := pl.Schedule(at, *lead)
	if err != nil {
		return usageError{err.Error()}
	}
	sc.Print(m.Stdout)
	return nil
}

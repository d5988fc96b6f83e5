package plan_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"examhall/plan"
)

func load(n int) plan.Load {
	return plan.Load{Candidates: n, Window: 48 * time.Hour, Session: 2 * time.Hour, Ramp: 30 * time.Second, SaveEvery: 15 * time.Second}
}

func resource(t *testing.T, pl *plan.Plan, name string) plan.Resource {
	t.Helper()
	for _, r := range pl.Resources {
		if r.Component == name {
			return r
		}
	}
	t.Fatalf("no resource %q", name)
	return plan.Resource{}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		load                 plan.Load
		perCore              float64
		spike, steady        float64
		peakPods, steadyPods int
		embedded             string
	}{
		// 50,000 in 30 s: 2 requests each (login, paper) = 3,333/s, plus
		// 3,333 saves/s. 6,667 / 1,000 per core / 0.7 / 0.85 per pod = 11.2.
		{"reference load", load(50000), 1000, 6666.7, 3333.3, 12, 6, "c7g.4xlarge"},
		{"fast server", load(50000), 4000, 6666.7, 3333.3, 3, 2, "c7g.xlarge"},
		{"small exam keeps two pods", load(100), 1000, 13.3, 6.7, 2, 2, "c7g.large"},
		{"slow ramp", plan.Load{Candidates: 50000, Window: 48 * time.Hour, Session: time.Hour, Ramp: 5 * time.Minute, SaveEvery: 30 * time.Second}, 1000, 2000, 1666.7, 4, 3, "c7g.xlarge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, err := plan.Compute(tt.load, plan.Throughput{PerCore: tt.perCore, Source: "test"}, plan.DefaultPrices())
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(pl.SpikeRPS-tt.spike) > 0.1 || math.Abs(pl.SteadyRPS-tt.steady) > 0.1 {
				t.Errorf("spike %.1f, steady %.1f; want %.1f, %.1f", pl.SpikeRPS, pl.SteadyRPS, tt.spike, tt.steady)
			}
			peak, steady := resource(t, pl, "API pods (peak)"), resource(t, pl, "API pods (steady)")
			if peak.Count != tt.peakPods || steady.Count != tt.steadyPods {
				t.Errorf("pods %d peak, %d steady; want %d, %d", peak.Count, steady.Count, tt.peakPods, tt.steadyPods)
			}
			for _, r := range pl.Resources {
				if r.PeakCPU > plan.CPUCeiling+1e-9 {
					t.Errorf("%s planned at %.0f%% CPU, above the ceiling", r.Component, r.PeakCPU*100)
				}
			}
			if pl.Embedded.Name != tt.embedded {
				t.Errorf("embedded machine %s, want %s", pl.Embedded.Name, tt.embedded)
			}
			sum := 0.0
			for _, c := range pl.Costs {
				if c.Amount < 0 {
					t.Errorf("%s costs %v", c.Component, c.Amount)
				}
				sum += c.Amount
			}
			if math.Abs(sum-pl.Total) > 1e-9 || pl.Total <= 0 {
				t.Errorf("total %v, sum of lines %v", pl.Total, sum)
			}
		})
	}
}

func TestAPIPodCost(t *testing.T) {
	t.Parallel()
	// 12 pods for the first hour, 6 for the other 47, at 1 vCPU × $0.0405
	// + 2 GiB × $0.0045 = $0.0495 an hour.
	pl, err := plan.Compute(load(50000), plan.Throughput{PerCore: 1000}, plan.DefaultPrices())
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0495 * (12*1 + 6*47)
	if got := pl.Costs[0].Amount; pl.Costs[0].Component != "API pods" || math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want API pods = %v", pl.Costs[0].Component, got, want)
	}
}

func TestPriceOverride(t *testing.T) {
	t.Parallel()
	base, _ := plan.Compute(load(50000), plan.Throughput{PerCore: 1000}, plan.DefaultPrices())
	p, err := plan.ReadPrices(strings.NewReader(`{"currency": "EUR", "vcpu_hour": 0.0810, "transfer_gib": 0}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Currency != "EUR" || p.VCPUHour != 0.081 || p.GiBHour != plan.DefaultPrices().GiBHour {
		t.Errorf("prices %+v: want the override over the built-in table", p)
	}
	pl, _ := plan.Compute(load(50000), plan.Throughput{PerCore: 1000}, p)
	pods := func(pl *plan.Plan) float64 { return pl.Costs[0].Amount }
	wantPods := pods(base) + 0.0405*(12*1+6*47) // the vCPU price doubled
	if math.Abs(pods(pl)-wantPods) > 1e-9 {
		t.Errorf("API pods %v, want %v", pods(pl), wantPods)
	}
	for _, c := range pl.Costs {
		if c.Component == "Data transfer" && c.Amount != 0 {
			t.Errorf("transfer %v at a zero price", c.Amount)
		}
	}
	var out bytes.Buffer
	pl.Print(&out)
	if !strings.Contains(out.String(), "EUR") {
		t.Errorf("printed plan lacks the currency:\n%s", out.String())
	}

	bad := []struct{ name, json, want string }{
		{"unknown field", `{"vcpu_hours": 1}`, "vcpu_hours"},
		{"negative price", `{"vcpu_hour": -1}`, "negative"},
		{"no sizes", `{"redis": []}`, "redis"},
		{"not json", `vcpu_hour = 1`, "price table"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := plan.ReadPrices(strings.NewReader(tt.json)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestFromReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json string
		perCore    float64
		err        string
	}{
		{"server CPU measured", `{"candidates": 100, "requests": 30000, "elapsed_seconds": 60, "server_cpu_seconds": 10}`, 3000, ""},
		{"machine cores instead", `{"candidates": 100, "requests": 30000, "elapsed_seconds": 60}`, 250, ""},
		{"a failed run", `{"requests": 100, "elapsed_seconds": 60, "lost_answers": 2}`, 0, "lost answers"},
		{"not a report", `{"hello": 1}`, 0, "not a loadtest report"},
		{"not json", `hello`, 0, "not a loadtest report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := plan.FromReport(strings.NewReader(tt.json), "r.json", 2)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || math.Abs(got.PerCore-tt.perCore) > 1e-9 {
				t.Errorf("per core %v, %v; want %v", got.PerCore, err, tt.perCore)
			}
		})
	}
}

func TestLoadCheck(t *testing.T) {
	t.Parallel()
	l := load(0)
	if _, err := plan.Compute(l, plan.Default(), plan.DefaultPrices()); err == nil {
		t.Error("no candidates accepted")
	}
	l = load(10)
	l.Session = 100 * time.Hour
	if _, err := plan.Compute(l, plan.Default(), plan.DefaultPrices()); err == nil {
		t.Error("a session longer than the deployment accepted")
	}
}

func TestSchedule(t *testing.T) {
	pl, err := plan.Compute(plan.Load{Candidates: 50000, Window: 48 * time.Hour, Session: 2 * time.Hour, Ramp: 30 * time.Second, SaveEvery: 15 * time.Second}, plan.Default(), plan.DefaultPrices())
	if err != nil {
		t.Fatal(err)
	}
	if pl.PeakPods <= pl.SteadyPods {
		t.Fatalf("peak pods %d, steady %d: the spike should need more", pl.PeakPods, pl.SteadyPods)
	}
	opens := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	s, err := pl.Schedule(opens, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !s.From.Equal(opens.Add(-10*time.Minute)) || !s.Until.Equal(opens.Add(30*time.Second+plan.Settle)) {
		t.Fatalf("peak from %v until %v", s.From, s.Until)
	}
	if start, end := s.Cron(); start != "50 8 1 6 *" || end != "6 9 1 6 *" {
		t.Fatalf("cron %q %q, want \"50 8 1 6 *\" \"6 9 1 6 *\"", start, end)
	}
	var b strings.Builder
	s.Print(&b)
	if !strings.Contains(b.String(), fmt.Sprintf("desiredReplicas: \"%d\"", pl.PeakPods)) {
		t.Fatalf("schedule without the trigger's replicas:\n%s", b.String())
	}
	if _, err := pl.Schedule(opens, -time.Minute); err == nil {
		t.Fatal("a negative lead was accepted")
	}
}

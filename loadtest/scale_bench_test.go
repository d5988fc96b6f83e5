package loadtest_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"examhall/examhalltest"
	"examhall/loadtest"
)

// BenchmarkLoadScale runs a whole load test against scale mode in one
// process: two API pods on one PostgreSQL schema, one Redis prefix and an
// in-process Kafka (kfake), a grader, and the candidates spread over the
// two pods by the client. The shape comes from the environment:
//
//	EXAMHALL_BENCH_CANDIDATES=20000 EXAMHALL_BENCH_RAMP=30s EXAMHALL_BENCH_DURATION=2m \
//	  go test -run '^$' -bench LoadScale -benchtime 1x -timeout 20m ./loadtest/
func BenchmarkLoadScale(b *testing.B) {
	n := envInt("EXAMHALL_BENCH_CANDIDATES", 2000)
	ramp := envDuration("EXAMHALL_BENCH_RAMP", 30*time.Second)
	duration := envDuration("EXAMHALL_BENCH_DURATION", time.Minute)
	deps := examhalltest.NewScaleDeps(b)
	deps.StartGrader(b)
	opt := examhalltest.Options{RealClock: true, Quiet: true}
	p1, p2 := deps.StartPod(b, opt), deps.StartPod(b, opt)
	for range b.N {
		c := &loadtest.Config{URL: p1.URL + "," + p2.URL, Candidates: n, Ramp: ramp, Duration: duration, SaveEvery: 15 * time.Second,
			NoSubmitShare: 0.05, ReloadShare: 0.1, AdminUser: examhalltest.AdminUser, AdminPassword: examhalltest.AdminPassword}
		// Server and load generator share this process's open files.
		r, err := loadtest.Run(context.Background(), c, loadtest.Options{Conns: min(n, 4000)})
		if err != nil {
			b.Fatal(err)
		}
		r.Print(os.Stdout) // whole: b.Log would truncate it
		if !r.OK() {
			b.Errorf("errors %d, lost answers %d", r.Errors, r.LostAnswers)
		}
		b.ReportMetric(r.LatencyMS["login"].P99, "login-p99-ms")
		b.ReportMetric(r.LatencyMS["save"].P99, "save-p99-ms")
		b.ReportMetric(float64(r.LostAnswers), "lost")
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

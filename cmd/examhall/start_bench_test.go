package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// BenchmarkCandidateStart measures what the exam start costs the server:
// its CPU time per candidate start (a first login and the first paper,
// over HTTP on loopback), with the server in a process of its own so that
// the load generator's CPU is not counted. 64 candidates start at a time.
// It reports cpu-µs/start (the server process's user+system time over the
// timed starts) and starts/s (which includes the generator's share of the
// same cores).
//
// EXAMHALL_BENCH_CPUPROFILE=FILE also writes the server's CPU profile of
// the timed starts to FILE.
//
// Each mode runs twice: on a plain exam, and on one in the format of
// entrance exams (sections: a timed forward-only one and an untimed one,
// +4/-1), where a start is followed by three saves in both, so that what
// sections add to the save path is counted too.
func BenchmarkCandidateStart(b *testing.B) {
	for _, exam := range []string{"plain", "sections"} {
		b.Run("mode=embedded/exam="+exam, func(b *testing.B) {
			p := startProcess(b, b.TempDir(), profileFlags()...)
			benchStart(b, p, "kill-test-password", exam)
		})
		b.Run("mode=scale/exam="+exam, func(b *testing.B) {
			d := examhalltest.NewScaleDeps(b)
			p := startScaleProcess(b, d, append([]string{"serve", "--addr", "127.0.0.1:0"}, profileFlags()...)...)
			benchStart(b, p, "scale-test-password", exam)
		})
	}
}

// benchExam is the exam of a start benchmark: all question types, and for
// "sections" the same questions in two sections.
func benchExam(kind string) map[string]any {
	doc := examhalltest.AllTypesExam(examhalltest.UniqueName("start"), 3600)
	if kind == "sections" {
		doc["marking"] = map[string]any{"correct": 4, "wrong": -1}
		doc["sections"] = []any{
			map[string]any{"id": "A", "questions": []string{"q1", "q2", "q3", "q4"}, "duration_seconds": 3000, "navigation": "forward_only"},
			map[string]any{"id": "B", "questions": []string{"q5", "q6"}, "answer_any": 1},
		}
	}
	return doc
}

const profileAddr = "127.0.0.1:16061"

func profileFlags() []string {
	if os.Getenv("EXAMHALL_BENCH_CPUPROFILE") == "" {
		return nil
	}
	return []string{"--debug-addr", profileAddr}
}

// profile collects the server's CPU profile until stop is closed.
func profile(b *testing.B, stop <-chan struct{}) func() {
	path := os.Getenv("EXAMHALL_BENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		resp, err := http.Get("http://" + profileAddr + "/debug/pprof/profile?seconds=30")
		if err != nil {
			b.Error(err)
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(path)
		if err != nil {
			b.Error(err)
			return
		}
		io.Copy(f, resp.Body)
		f.Close()
	}()
	return func() { <-done }
}

func benchStart(b *testing.B, p *serverProcess, password, kind string) {
	ctx := context.Background()
	_, exam, codes := processExam(b, p.url, password, benchExam(kind), b.N)
	answers := map[string]examhall.Answer{}
	for _, a := range examhalltest.CorrectAnswers(1) {
		answers[a.Question] = a
	}
	hc := &http.Client{Transport: &client.Transport{MaxConns: 64}}
	started := make([]startedAttempt, len(codes))
	cpu0 := processCPU(b, p.cmd.Process.Pid)
	waitProfile := profile(b, nil)
	b.ResetTimer()
	start := time.Now()
	inParallel(len(codes), func(i int) error {
		c := &client.Client{BaseURL: p.url, HTTP: hc}
		res, err := c.Login(ctx, exam, codes[i].Candidate, codes[i].Code)
		if err != nil {
			return err
		}
		c.Token = res.Token
		paper, err := c.Paper(ctx, res.Attempt)
		started[i] = startedAttempt{c, paper}
		return err
	}, b)
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := processCPU(b, p.cmd.Process.Pid) - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/start")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "starts/s")
	waitProfile()
	if b.Failed() {
		return
	}

	// Then three saves per candidate, one answer each (not timed by the
	// benchmark's clock: cpu-µs/save is the server's CPU per save).
	cpu0 = processCPU(b, p.cmd.Process.Pid)
	inParallel(len(started), func(i int) error {
		s := started[i]
		for k := range 3 {
			a := answers[s.paper.Questions[k%len(s.paper.Questions)].ID]
			a.Seq = int64(k + 1)
			if _, err := s.c.Save(ctx, s.paper.Attempt, []examhall.Answer{a}); err != nil {
				return err
			}
		}
		return nil
	}, b)
	cpu = processCPU(b, p.cmd.Process.Pid) - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/float64(3*b.N), "cpu-µs/save")
}

// inParallel calls fn for 0..n-1 from 64 goroutines, as 64 candidates at
// a time; a worker stops at its first error, which fails b.
func inParallel(n int, fn func(i int) error, b *testing.B) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if err := fn(i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// startedAttempt is a candidate of the start benchmark after the start.
type startedAttempt struct {
	c     *client.Client
	paper *examhall.AttemptView
}

// processCPU returns the user and system time a process has used so far,
// from /proc (in clock ticks of 10 ms).
func processCPU(tb testing.TB, pid int) time.Duration {
	tb.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatal(err)
	}
	// The command name may hold spaces: fields count from after its ')'.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

package loadtest

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Options are how a run is carried out, as opposed to what it does.
type Options struct {
	Conns    int // connections shared by the candidates (0: no cap)
	Progress func(Progress)
}

// Run carries out a whole load test in this process: setup, candidates,
// verdict, report.
func Run(ctx context.Context, c *Config, opt Options) (*Report, error) {
	plan, staff, err := Prepare(ctx, c)
	if err != nil {
		return nil, err
	}
	before := SampleServer(ctx, plan.servers())
	part := Drive(ctx, plan, DriveOptions{Conns: opt.Conns, Progress: opt.Progress})
	elapsed := time.Since(plan.Start)
	after := SampleServer(ctx, plan.servers())
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	v, err := Judge(ctx, staff, plan, part.Ledgers, c.VerifyWait)
	if err != nil {
		return nil, err
	}
	r := NewReport(plan, part.Totals, v, elapsed)
	r.Procs, r.Conns = 1, opt.Conns
	r.ClientCPUSeconds = CPUSeconds()
	after.Sub(before, r)
	return r, nil
}

// CPUSeconds is the user and system CPU time of this process and of its
// waited-for children.
func CPUSeconds() float64 {
	total := 0.0
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
		}
	}
	return total
}

// ServerSample is a reading of the server's /metrics.
type ServerSample struct {
	CPUSeconds, RSSBytes float64
	ok                   bool
}

// SampleServer reads the servers' CPU time and resident memory from their
// Prometheus metrics, if they expose them without a token, and sums them.
func SampleServer(ctx context.Context, urls []string) ServerSample {
	var sum ServerSample
	for _, u := range urls {
		s := sampleServer(ctx, u)
		if !s.ok {
			return ServerSample{}
		}
		sum.CPUSeconds += s.CPUSeconds
		sum.RSSBytes += s.RSSBytes
		sum.ok = true
	}
	return sum
}

func sampleServer(ctx context.Context, url string) ServerSample {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", url+"/metrics", nil)
	if err != nil {
		return ServerSample{}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ServerSample{}
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return ServerSample{}
	}
	var s ServerSample
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			continue
		}
		switch name {
		case "process_cpu_seconds_total":
			s.CPUSeconds, s.ok = f, true
		case "process_resident_memory_bytes":
			s.RSSBytes = f
		}
	}
	return s
}

// Sub records in r the server CPU used between before and s, and the
// server's memory at s.
func (s ServerSample) Sub(before ServerSample, r *Report) {
	if s.ok && before.ok {
		r.ServerCPUSeconds = s.CPUSeconds - before.CPUSeconds
		r.ServerRSSBytes = s.RSSBytes
	}
}

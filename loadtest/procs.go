package loadtest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os/exec"
	"sync"
	"time"
)

// Several processes: the parent prepares the plan, starts P children with
// a share of the candidates each (on their stdin, as JSON), and reads from
// each child's stdout a stream of JSON lines: progress once a second, then
// the child's statistics and ledgers. It merges them, judges and reports.
// One process can hold only as many sockets as its open-file limit allows;
// P processes hold P times as many, and on loopback each dials from its
// own source address so that each has its own ephemeral ports.

// ChildInput is what a child is given.
type ChildInput struct {
	Plan      *Plan  `json:"plan"`
	Conns     int    `json:"conns"`
	LocalAddr string `json:"local_addr,omitempty"`
}

// childLine is one line a child writes.
type childLine struct {
	Progress *Progress `json:"progress,omitempty"`
	Partial  *Partial  `json:"partial,omitempty"`
}

// ServeChild is the child's side: it reads its input from in, drives its
// candidates and streams progress and its results to out.
func ServeChild(ctx context.Context, in io.Reader, out io.Writer) error {
	var ci ChildInput
	if err := json.NewDecoder(in).Decode(&ci); err != nil {
		return fmt.Errorf("reading the child's input: %w", err)
	}
	var mu sync.Mutex
	enc := json.NewEncoder(out)
	write := func(l childLine) error {
		mu.Lock()
		defer mu.Unlock()
		return enc.Encode(l)
	}
	p := Drive(ctx, ci.Plan, DriveOptions{Conns: ci.Conns, LocalAddr: ci.LocalAddr,
		Progress: func(p Progress) { write(childLine{Progress: &p}) }})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return write(childLine{Partial: p})
}

// ProcOptions run a test over several processes.
type ProcOptions struct {
	Procs int
	Conns int // in total, split over the processes (0: no cap)
	// Command returns the command that runs ServeChild in a new process.
	Command  func() *exec.Cmd
	Progress func(Progress)
}

// RunProcs carries out a whole load test with the candidates split over
// child processes.
func RunProcs(ctx context.Context, c *Config, opt ProcOptions) (*Report, error) {
	plan, staff, err := Prepare(ctx, c)
	if err != nil {
		return nil, err
	}
	before := SampleServer(ctx, plan.servers())
	addrs := sourceAddrs(plan.URL, opt.Procs)
	progress := make([]Progress, opt.Procs)
	var mu sync.Mutex
	report := func(i int, p Progress) {
		if opt.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		progress[i] = p
		var sum Progress
		for _, q := range progress {
			sum.Add(q)
		}
		opt.Progress(sum)
	}
	parts := make([]*Partial, opt.Procs)
	errs := make([]error, opt.Procs)
	var wg sync.WaitGroup
	for i := range opt.Procs {
		in := ChildInput{Plan: plan.Share(i, opt.Procs), LocalAddr: addrs[i]}
		progress[i].Candidates = len(in.Plan.Codes)
		if opt.Conns > 0 {
			in.Conns = max(1, opt.Conns/opt.Procs)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			parts[i], errs[i] = runChild(ctx, opt.Command(), &in, func(p Progress) { report(i, p) })
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(plan.Start)
	after := SampleServer(ctx, plan.servers())
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	totals := &Totals{}
	var ledgers []Ledger
	for _, p := range parts {
		totals.Merge(p.Totals)
		ledgers = append(ledgers, p.Ledgers...)
	}
	v, err := Judge(ctx, staff, plan, ledgers, c.VerifyWait)
	if err != nil {
		return nil, err
	}
	r := NewReport(plan, totals, v, elapsed)
	r.Procs, r.Conns = opt.Procs, opt.Conns
	r.ClientCPUSeconds = CPUSeconds()
	after.Sub(before, r)
	return r, nil
}

// runChild starts one child, feeds it its input and reads its stream.
func runChild(ctx context.Context, cmd *exec.Cmd, in *ChildInput, progress func(Progress)) (*Partial, error) {
	input, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting a child process: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { cmd.Process.Kill() })
	defer stop()
	go func() {
		stdin.Write(input)
		stdin.Close()
	}()
	var part *Partial
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<30)
	for sc.Scan() {
		var l childLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			continue // not ours
		}
		if l.Progress != nil {
			progress(*l.Progress)
		}
		if l.Partial != nil {
			part = l.Partial
		}
	}
	scanErr := sc.Err()
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("child process: %w", err)
	}
	if part == nil {
		return nil, fmt.Errorf("child process ended without its results (%v)", scanErr)
	}
	return part, nil
}

// sourceAddrs gives each of n processes its own loopback source address
// when the target is on loopback (127.0.0.2, .3, ...), so that every
// process has its own ~28,000 ephemeral ports; elsewhere the system picks.
func sourceAddrs(target string, n int) []string {
	addrs := make([]string, n)
	u, err := url.Parse(target)
	if err != nil {
		return addrs
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if host == "localhost" {
		ip = net.IPv4(127, 0, 0, 1)
	}
	if ip == nil || ip.To4() == nil || !ip.IsLoopback() || n < 2 {
		return addrs
	}
	for i := range addrs {
		addrs[i] = net.IPv4(127, 0, byte(i/250), byte(2+i%250)).String()
	}
	return addrs
}

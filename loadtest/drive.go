package loadtest

import (
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"examhall/client"
)

// DriveOptions are the knobs of one driving process.
type DriveOptions struct {
	// Conns caps the connections this process's candidates share (0: one
	// per candidate at most).
	Conns int
	// LocalAddr, if set, is the source IP of every connection (several
	// processes on one machine each take their own 127.0.0.x so that each
	// has its own ephemeral ports).
	LocalAddr string
	// Progress, if set, is called about once a second while candidates run.
	Progress func(Progress)
}

// Partial is what one process observed: statistics and the ledger of each
// of its candidates.
type Partial struct {
	Totals  *Totals  `json:"totals"`
	Ledgers []Ledger `json:"ledgers"`
}

// Progress is a running count, summed over processes for display.
type Progress struct {
	Candidates int            `json:"candidates"`
	Active     int64          `json:"active"`
	Done       int64          `json:"done"`
	Requests   map[string]int `json:"requests"` // by endpoint
	Errors     int            `json:"errors"`
}

// Add sums o into p.
func (p *Progress) Add(o Progress) {
	p.Candidates += o.Candidates
	p.Active += o.Active
	p.Done += o.Done
	p.Errors += o.Errors
	if p.Requests == nil {
		p.Requests = make(map[string]int)
	}
	for k, v := range o.Requests {
		p.Requests[k] += v
	}
}

// Total is the number of requests of every endpoint.
func (p *Progress) Total() int {
	n := 0
	for _, v := range p.Requests {
		n += v
	}
	return n
}

type liveCounts struct{ active, done atomic.Int64 }

// Drive plays every candidate of the plan in this process and returns when
// all have finished (or ctx ends).
func Drive(ctx context.Context, plan *Plan, opt DriveOptions) *Partial {
	tr := &client.Transport{MaxConns: opt.Conns, Dial: dialer(opt.LocalAddr)}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	stats := newStats()
	var live liveCounts
	cands := make([]*candidate, len(plan.Codes))
	var wg sync.WaitGroup
	urls := plan.servers()
	for i, code := range plan.Codes {
		api := client.New(urls[i%len(urls)])
		api.HTTP = hc
		cands[i] = &candidate{code: code, plan: plan, api: api, stats: stats,
			rng: rand.New(rand.NewPCG(plan.Seed, uint64(i)))}
		wg.Add(1)
		go func(c *candidate) {
			defer wg.Done()
			c.run(ctx, &live)
		}(cands[i])
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	if opt.Progress != nil {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
	wait:
		for {
			select {
			case <-done:
				break wait
			case <-tick.C:
				opt.Progress(progress(stats, &live, len(cands)))
			}
		}
		opt.Progress(progress(stats, &live, len(cands)))
	}
	<-done
	p := &Partial{Totals: stats.Snapshot(), Ledgers: make([]Ledger, len(cands))}
	for i, c := range cands {
		p.Ledgers[i] = c.ledger
	}
	return p
}

func progress(s *Stats, live *liveCounts, n int) Progress {
	p := Progress{Candidates: n, Active: live.active.Load(), Done: live.done.Load(), Requests: map[string]int{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, e := range s.endpoints {
		p.Requests[name] = int(e.FirstTries + e.Retries)
		p.Errors += e.errorCount()
	}
	return p
}

// dialer dials from localAddr when it is set.
func dialer(localAddr string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if localAddr != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(localAddr)}
	}
	return d.DialContext
}

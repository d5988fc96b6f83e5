package examhalltest

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall/client"
)

// BenchSaves is the body of the save benchmarks: it creates an exam with
// clients candidates on pods[0], logs them in round-robin over pods, and
// times b.N saves over real HTTP, each one answer with a fresh seq, as the
// web UI sends them. It reports saves/s and the p50 and p99 latency, and
// checks afterwards, on the next pod (the same one when there is only one),
// that the server holds every candidate's last acknowledged seq. The load
// generator is lean (prepared request bodies, status-only checks) so that
// the cores go to the server.
func BenchSaves(b *testing.B, pods []*Server, clients int) {
	ctx := context.Background()
	staff := pods[0].Staff(b)
	exam := MustCreateExam(b, staff, AllTypesExam("bench", 3600))
	codes := MustIssue(b, staff, exam, clients)
	tr := &client.Transport{MaxConns: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	type cand struct {
		token, url, attempt string
		acked               int64
		lat                 []time.Duration
	}
	cands := make([]*cand, clients)
	for i, code := range codes {
		pod := pods[i%len(pods)]
		c := client.New(pod.URL)
		res, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			b.Fatal(err)
		}
		cands[i] = &cand{token: "Bearer " + res.Token, url: pod.URL + "/api/v1/attempts/" + res.Attempt + "/answers", attempt: res.Attempt}
	}
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range cands {
		wg.Add(1)
		go func(c *cand) {
			defer wg.Done()
			for seq := c.acked + 1; next.Add(1) <= int64(b.N); seq++ {
				lat, err := PutSave(hc, c.url, c.token, seq)
				if err != nil {
					b.Error(err)
					return
				}
				c.lat = append(c.lat, lat)
				c.acked = seq
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, c := range cands {
		all = append(all, c.lat...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "saves/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
	for i, c := range cands {
		cl := client.New(pods[(i+1)%len(pods)].URL)
		if _, err := cl.Login(ctx, exam, codes[i].Candidate, codes[i].Code); err != nil {
			b.Fatal(err)
		}
		v, err := cl.Paper(ctx, c.attempt)
		if err != nil {
			b.Fatal(err)
		}
		if c.acked > 0 && v.Answers["q5"].Seq != c.acked {
			b.Fatalf("candidate %d: server holds seq %d, last acknowledged %d", i, v.Answers["q5"].Seq, c.acked)
		}
	}
}

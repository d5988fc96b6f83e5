package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// BenchmarkSave measures acknowledged (durable) autosaves per second over
// real HTTP on loopback, with many concurrent candidates, each save one
// answer with a fresh seq, as the web UI sends them. It reports saves/s and
// the p50 and p99 latency.
func BenchmarkSave(b *testing.B) {
	for _, clients := range []int{64, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchSave(b, clients) })
	}
}

func benchSave(b *testing.B, clients int) {
	srv := examhalltest.NewEmbedded(b, examhalltest.Options{RealClock: true, Quiet: true})
	ctx := context.Background()
	staff := srv.Staff(b)
	exam := examhalltest.MustCreateExam(b, staff, examhalltest.AllTypesExam("bench", 3600))
	codes := examhalltest.MustIssue(b, staff, exam, clients)
	tr := &client.Transport{MaxConns: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	cands := make([]*client.Client, clients)
	attempts := make([]string, clients)
	for i, code := range codes {
		c := client.New(srv.URL)
		c.HTTP = hc
		res, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			b.Fatal(err)
		}
		cands[i], attempts[i] = c, res.Attempt
	}
	var next atomic.Int64
	lat := make([][]time.Duration, clients)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var seq int64
			for next.Add(1) <= int64(b.N) {
				seq++
				ans := []examhall.Answer{{Question: "q5", Response: json.RawMessage(fmt.Sprintf(`"answer %d"`, seq)), Seq: seq}}
				t0 := time.Now()
				if _, err := cands[i].Save(ctx, attempts[i], ans); err != nil {
					b.Error(err)
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "saves/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
}

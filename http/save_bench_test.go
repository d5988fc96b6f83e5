package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall/client"
	"examhall/examhalltest"
	ehttp "examhall/http"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// BenchmarkSave measures acknowledged (durable) autosaves per second over
// real HTTP on loopback, with many concurrent candidates, each save one
// answer with a fresh seq, as the web UI sends them. It reports saves/s and
// the p50 and p99 latency, and checks afterwards that the server holds every
// candidate's last acknowledged seq. The load generator is lean (prepared
// request bodies, status-only checks) so that the two cores go to the server.
func BenchmarkSave(b *testing.B) {
	for _, clients := range []int{64, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchSave(b, clients, ehttp.Config{}) })
	}
}

// BenchmarkSaveTraced is BenchmarkSave with every request traced and
// sampled (the worst case of OTEL_TRACES_SAMPLER), spans batched to an
// exporter that discards them: the cost of tracing on the server.
func BenchmarkSaveTraced(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	defer tp.Shutdown(context.Background())
	b.Run("clients=256", func(b *testing.B) { benchSave(b, 256, ehttp.Config{TracerProvider: tp}) })
}

func benchSave(b *testing.B, clients int, cfg ehttp.Config) {
	// As `examhall serve` does by default (cmd/examhall DefaultGCPercent).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	srv := examhalltest.NewEmbedded(b, examhalltest.Options{RealClock: true, Quiet: true, HTTP: cfg})
	ctx := context.Background()
	staff := srv.Staff(b)
	exam := examhalltest.MustCreateExam(b, staff, examhalltest.AllTypesExam("bench", 3600))
	codes := examhalltest.MustIssue(b, staff, exam, clients)
	tr := &client.Transport{MaxConns: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	type cand struct {
		token, url string
		acked      int64
		lat        []time.Duration
	}
	cands := make([]*cand, clients)
	for i, code := range codes {
		c := client.New(srv.URL)
		res, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			b.Fatal(err)
		}
		cands[i] = &cand{token: "Bearer " + res.Token, url: srv.URL + "/api/v1/attempts/" + res.Attempt + "/answers"}
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
				body := fmt.Sprintf(`{"answers":[{"question":"q5","response":"answer %d","seq":%d}]}`, seq, seq)
				req, _ := http.NewRequest("PUT", c.url, strings.NewReader(body))
				req.Header.Set("Authorization", c.token)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("save answered %d", resp.StatusCode)
					return
				}
				c.lat = append(c.lat, time.Since(t0))
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
		cl := client.New(srv.URL)
		if _, err := cl.Login(ctx, exam, codes[i].Candidate, codes[i].Code); err != nil {
			b.Fatal(err)
		}
		v, err := cl.Paper(ctx, strings.Split(c.url, "/")[6])
		if err != nil {
			b.Fatal(err)
		}
		if c.acked > 0 && v.Answers["q5"].Seq != c.acked {
			b.Fatalf("candidate %d: server holds seq %d, last acknowledged %d", i, v.Answers["q5"].Seq, c.acked)
		}
	}
}

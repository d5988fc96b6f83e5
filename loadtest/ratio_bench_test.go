package loadtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall/client"
	"examhall/examhalltest"
	"examhall/loadtest"
)

// BenchmarkSaveRatio measures, in one run on one machine, the acknowledged
// (durable) save rate of a server and the rate of a bare net/http server
// whose handler decodes the same JSON and answers a small JSON object, with
// the same client and the same number of concurrent closed-loop senders.
// The save path is reported as a share of the machine's bare HTTP rate.
//
//	go test -run '^$' -bench SaveRatio -benchtime 50000x ./loadtest/
func BenchmarkSaveRatio(b *testing.B) {
	for _, mode := range []string{"embedded", "scale"} {
		for _, senders := range []int{64, 256, 1024} {
			b.Run(fmt.Sprintf("%s/senders=%d", mode, senders), func(b *testing.B) { saveRatio(b, mode, senders) })
		}
	}
}

func saveRatio(b *testing.B, mode string, senders int) {
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as examhall serve
	var srv *examhalltest.Server
	opt := examhalltest.Options{RealClock: true, Quiet: true}
	if mode == "scale" {
		deps := examhalltest.NewScaleDeps(b)
		deps.StartGrader(b)
		srv = deps.StartPod(b, opt)
	} else {
		srv = examhalltest.NewEmbedded(b, opt)
	}
	bare := bareServer(b)
	ctx := context.Background()
	staff := srv.Staff(b)
	exam := examhalltest.MustCreateExam(b, staff, examhalltest.AllTypesExam("ratio", 3600))
	codes := examhalltest.MustIssue(b, staff, exam, senders)
	urls := make([]string, senders)
	tokens := make([]string, senders)
	for i, code := range codes {
		c := client.New(srv.URL)
		res, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			b.Fatal(err)
		}
		urls[i], tokens[i] = srv.URL+"/api/v1/attempts/"+res.Attempt+"/answers", "Bearer "+res.Token
	}
	b.ResetTimer()
	bareRate, _ := hammer(b, senders, func(i int, seq int64) (string, string) { return bare + "/echo", "" })
	saveRate, p99 := hammer(b, senders, func(i int, seq int64) (string, string) { return urls[i], tokens[i] })
	b.StopTimer()
	b.ReportMetric(bareRate, "bare-req/s")
	b.ReportMetric(saveRate, "saves/s")
	b.ReportMetric(100*saveRate/bareRate, "ratio-%")
	b.ReportMetric(float64(p99.Microseconds())/1000, "save-p99-ms")
}

// hammer sends b.N PUTs from senders concurrent closed loops and returns
// the rate and the 99th percentile latency.
func hammer(b *testing.B, senders int, target func(i int, seq int64) (url, auth string)) (float64, time.Duration) {
	tr := &client.Transport{MaxConns: senders}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	var next atomic.Int64
	var mu sync.Mutex
	var h loadtest.Histogram
	var wg sync.WaitGroup
	start := time.Now()
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local loadtest.Histogram
			for seq := int64(1); next.Add(1) <= int64(b.N); seq++ {
				url, auth := target(i, seq)
				lat, err := examhalltest.PutSave(hc, url, auth, seq)
				if err != nil {
					b.Error(err)
					return
				}
				local.Record(lat)
			}
			mu.Lock()
			h.Merge(&local)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return float64(h.N) / time.Since(start).Seconds(), h.Quantile(0.99)
}

// bareServer is the machine's baseline: net/http with a handler that
// decodes a save's JSON and answers a small JSON object, nothing more.
func bareServer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Answers []struct {
				Question string          `json:"question"`
				Response json.RawMessage `json:"response"`
				Seq      int64           `json:"seq"`
			} `json:"answers"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.Answers) == 0 {
			http.Error(w, "bad", 400)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"saved": []map[string]any{{"question": body.Answers[0].Question, "seq": body.Answers[0].Seq}}})
	})}
	go hs.Serve(ln)
	b.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

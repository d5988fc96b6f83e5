package grader_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/kafka"
)

// BenchmarkGrader measures how many answer rows per second the grader
// carries from the event log into PostgreSQL: the log is filled first
// (saves of 10 answers each, over 20,000 attempts, so a batch of 10,000
// saves upserts 100,000 distinct draft rows), then a grader consumes
// it from the start, in batches, until PostgreSQL has every save.
func BenchmarkGrader(b *testing.B) {
	d := examhalltest.NewScaleDeps(b)
	ctx := context.Background()
	log, err := kafka.Open(ctx, d.KafkaConfig)
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	const perSave = 10
	saves := b.N
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(saves); i = next.Add(1) {
				answers := make([]examhall.Answer, perSave)
				for q := range answers {
					answers[q] = examhall.Answer{Question: fmt.Sprintf("q%d", q), Seq: i, Response: json.RawMessage(fmt.Sprintf(`"answer %d"`, i))}
				}
				ev := &kafka.Event{Kind: kafka.KindSave, Attempt: fmt.Sprintf("a%d", i%20000), At: time.Now(), Answers: answers}
				if err := log.Append(ctx, ev); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ResetTimer()
	start := time.Now()
	d.StartGrader(b)
	for {
		var n int
		if err := d.PG.Pool().QueryRow(ctx, `SELECT count(*) FROM save_log`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n == saves {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(saves*perSave)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(saves)/elapsed.Seconds(), "saves/s")
}

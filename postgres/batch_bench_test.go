package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/postgres"
)

// BenchmarkWriteBatch measures the grader's database side alone: batches
// of 10,000 saves of 10 answers each (100,000 distinct draft rows) written
// with WriteBatch.
func BenchmarkWriteBatch(b *testing.B) {
	url, schema := examhalltest.PostgresSchema(b)
	db, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	const saves, perSave = 10000, 10
	off := int64(0)
	rows := 0
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		batch := &postgres.Batch{}
		for i := 0; i < saves; i++ {
			off++
			answers := make([]examhall.Answer, perSave)
			for q := range answers {
				answers[q] = examhall.Answer{Question: fmt.Sprintf("q%d", q), Seq: off, Response: json.RawMessage(`"an answer"`)}
			}
			batch.Saves = append(batch.Saves, postgres.LogSave{Part: 0, Offset: off, Attempt: fmt.Sprintf("a%d", off), At: time.Now(), Answers: answers})
		}
		b.StartTimer()
		nr, err := db.WriteBatch(ctx, batch)
		if err != nil {
			b.Fatal(err)
		}
		rows += nr
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

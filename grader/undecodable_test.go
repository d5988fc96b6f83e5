package grader_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/grader"
	"examhall/kafka"

	"github.com/twmb/franz-go/pkg/kgo"
)

// countingObserver counts what the grader reports.
type countingObserver struct {
	mu          sync.Mutex
	undecodable map[string]int
}

func (o *countingObserver) Produced(string, time.Duration, error) {}
func (o *countingObserver) Lag(string, int32, int64)              {}
func (o *countingObserver) Batch(int, time.Duration)              {}
func (o *countingObserver) Undecodable(topic string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.undecodable[topic]++
}

func (o *countingObserver) count(topic string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.undecodable[topic]
}

// TestUndecodableRecordsAreCounted: records on the event log that are not
// events are counted and skipped, and the grader goes on with the rest.
func TestUndecodableRecordsAreCounted(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	ctx := context.Background()
	log, err := kafka.Open(ctx, d.KafkaConfig) // creates the topics
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(d.Brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, v := range []string{"not json", `{"kind": 7}`, `{"kind":"teleport","attempt":"x"}`} {
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "examhall.events", Key: []byte("a-after"), Value: []byte(v)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	ev := &kafka.Event{Kind: kafka.KindSave, Exam: "e", Attempt: "a-after", At: time.Now(),
		Answers: []examhall.Answer{{Question: "q1", Response: json.RawMessage(`"a"`), Seq: 1}}}
	if err := log.Append(ctx, ev); err != nil {
		t.Fatal(err)
	}
	obs := &countingObserver{undecodable: map[string]int{}}
	g, err := grader.New(ctx, d.PG, d.KafkaConfig, grader.Config{Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	gctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); g.Run(gctx) }()
	defer func() { stop(); <-done; g.Close() }()
	examhalltest.Eventually(t, 20*time.Second, func() error {
		drafts, err := d.PG.Drafts(ctx, "a-after")
		if err != nil {
			return err
		}
		if n := obs.count("examhall.events"); n != 3 || string(drafts["q1"].Response) != `"a"` {
			return fmt.Errorf("%d undecodable records counted, drafts %v; want 3 and the save after them", n, drafts)
		}
		return nil
	})
}

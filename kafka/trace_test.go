package kafka_test

import (
	"context"
	"testing"
	"time"

	"examhall/kafka"

	"github.com/twmb/franz-go/pkg/kfake"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func TestAppendIsTraced(t *testing.T) {
	t.Parallel()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	ctx := context.Background()
	l, err := kafka.Open(ctx, kafka.Config{Brokers: cluster.ListenAddrs(), CreateTopics: true, Partitions: 2, DeliveryTimeout: 2 * time.Second, TracerProvider: tp})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, parent := tp.Tracer("test").Start(ctx, "request")
	if err := l.Append(ctx, &kafka.Event{Kind: kafka.KindSave, Exam: "e", Attempt: "a1", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	parent.End()
	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want the produce and the parent", len(spans))
	}
	sp := spans[0]
	if sp.Name != "kafka produce" || sp.SpanKind != trace.SpanKindProducer || sp.Parent.SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("span %q under %s, want kafka produce under the request", sp.Name, sp.Parent.SpanID())
	}
	topic := ""
	for _, a := range sp.Attributes {
		if a.Key == "messaging.destination.name" {
			topic = a.Value.AsString()
		}
	}
	if topic != "examhall.events" {
		t.Errorf("produce span topic %q, want examhall.events", topic)
	}
}

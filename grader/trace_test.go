package grader_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/grader"
	"examhall/kafka"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// TestBatchSpanLinksToRequests produces a save under a request's span and
// checks that the grader's batch span links back to its produce span.
func TestBatchSpanLinksToRequests(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	ctx := context.Background()
	kcfg := d.KafkaConfig
	kcfg.TracerProvider = tp
	log, err := kafka.Open(ctx, kcfg)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	rctx, request := tp.Tracer("test").Start(ctx, "request")
	ev := &kafka.Event{Kind: kafka.KindSave, Exam: "e", Attempt: "a-traced", At: time.Now(),
		Answers: []examhall.Answer{{Question: "q1", Response: json.RawMessage(`"a"`), Seq: 1}}}
	if err := log.Append(rctx, ev); err != nil {
		t.Fatal(err)
	}
	request.End()
	var produce trace.SpanContext
	for _, s := range exp.GetSpans() {
		if s.Name == "kafka produce" {
			produce = s.SpanContext
		}
	}
	if !produce.IsValid() {
		t.Fatal("no produce span")
	}

	g, err := grader.New(ctx, d.PG, d.KafkaConfig, grader.Config{TracerProvider: tp})
	if err != nil {
		t.Fatal(err)
	}
	gctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); g.Run(gctx) }()
	defer func() { stop(); <-done; g.Close() }()
	examhalltest.Eventually(t, 20*time.Second, func() error {
		for _, s := range exp.GetSpans() {
			if s.Name != "grader batch" {
				continue
			}
			for _, l := range s.Links {
				if l.SpanContext.SpanID() == produce.SpanID() && l.SpanContext.TraceID() == produce.TraceID() {
					if s.Status.Code != 0 {
						t.Errorf("batch span status %v", s.Status)
					}
					return nil
				}
			}
		}
		return fmt.Errorf("no grader batch span links to the produce span; spans: %v", names(exp.GetSpans()))
	})
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

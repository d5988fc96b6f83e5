package redis_test

import (
	"context"
	"strings"
	"testing"

	"examhall/examhalltest"
	"examhall/redis"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestCommandsAreTraced(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	ctx := context.Background()
	s, err := redis.Open(ctx, examhalltest.RedisURL(t), redis.Options{Prefix: examhalltest.UniqueName("t") + ":", TracerProvider: tp})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { examhalltest.DeleteRedisPrefix(t, s.Client(), s.Prefix()); s.Close() }()
	ctx, parent := tp.Tracer("test").Start(ctx, "request")
	if err := s.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	c := s.Client()
	c.Do(ctx, c.B().Get().Key(s.Prefix()+"missing").Build()) // a nil reply is no failure
	c.Do(ctx, c.B().Arbitrary("NOSUCHCOMMAND").Build())
	parent.End()
	spans := exp.GetSpans()
	if len(spans) != 4 {
		t.Fatalf("%d spans, want 3 commands and the parent", len(spans))
	}
	want := []struct {
		name string
		code codes.Code
	}{{"redis PING", codes.Unset}, {"redis GET", codes.Unset}, {"redis NOSUCHCOMMAND", codes.Error}}
	for i, w := range want {
		sp := spans[i]
		if sp.Name != w.name || sp.Status.Code != w.code || sp.Parent.SpanID() != parent.SpanContext().SpanID() {
			t.Errorf("span %d: %q status %v parent %s, want %q %v under the request", i, sp.Name, sp.Status.Code, sp.Parent.SpanID(), w.name, w.code)
		}
		for _, a := range sp.Attributes {
			if strings.Contains(a.Value.Emit(), "missing") {
				t.Errorf("span %q carries a key: %v", sp.Name, a)
			}
		}
	}
}

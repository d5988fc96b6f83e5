package kafka

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// The trace context of the request that produced an event travels in the
// record's headers (W3C traceparent), so that the grader's batch span can
// link to the requests it writes.
var propagator = propagation.TraceContext{}

// headers adapts a record's headers to the propagation carrier.
type headers struct{ r *kgo.Record }

func (h headers) Get(key string) string {
	for _, hd := range h.r.Headers {
		if hd.Key == key {
			return string(hd.Value)
		}
	}
	return ""
}

func (h headers) Set(key, value string) {
	h.r.Headers = append(h.r.Headers, kgo.RecordHeader{Key: key, Value: []byte(value)})
}

func (h headers) Keys() []string {
	keys := make([]string, len(h.r.Headers))
	for i, hd := range h.r.Headers {
		keys[i] = hd.Key
	}
	return keys
}

// inject writes ctx's span, if any, into the record's headers.
func inject(ctx context.Context, r *kgo.Record) {
	if trace.SpanContextFromContext(ctx).IsValid() {
		propagator.Inject(ctx, headers{r})
	}
}

// extract returns the span context a record carries, or an invalid one.
func extract(r *kgo.Record) trace.SpanContext {
	if len(r.Headers) == 0 {
		return trace.SpanContext{}
	}
	return trace.SpanContextFromContext(propagator.Extract(context.Background(), headers{r}))
}

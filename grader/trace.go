package grader

import (
	"context"

	"examhall/kafka"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// maxLinks caps the links of a batch span to the requests it writes.
const maxLinks = 128

// startBatch starts the span of one batch, linked to the traced requests
// that produced its records (a batch joins many traces, so they are links,
// not parents); the database calls of the batch are its children. Without
// a tracer provider it does nothing.
func (g *Grader) startBatch(ctx context.Context, recs []kafka.Record) (context.Context, func(error)) {
	if g.cfg.TracerProvider == nil {
		return ctx, func(error) {}
	}
	var links []trace.Link
	for _, r := range recs {
		if r.Trace.IsValid() && len(links) < maxLinks {
			links = append(links, trace.Link{SpanContext: r.Trace})
		}
	}
	ctx, span := g.cfg.TracerProvider.Tracer("examhall/grader").Start(ctx, "grader batch",
		trace.WithSpanKind(trace.SpanKindConsumer), trace.WithLinks(links...),
		trace.WithAttributes(attribute.Int("messaging.batch.message_count", len(recs))))
	return ctx, func(err error) {
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}

package postgres

import (
	"context"
	"strings"

	"examhall/telemetry"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/attribute"
)

// tracer makes a client span of every query, batch and COPY (pgx calls it
// with the caller's context, so the span joins the request's trace). The
// spans carry the SQL text with its placeholders, never the arguments.
type tracer struct{ t telemetry.Tracer }

type spanEndKey struct{}

var (
	_ pgx.QueryTracer    = tracer{}
	_ pgx.BatchTracer    = tracer{}
	_ pgx.CopyFromTracer = tracer{}
)

func (tr tracer) start(ctx context.Context, op string, attrs ...attribute.KeyValue) context.Context {
	ctx, end := tr.t.Start(ctx, "postgresql", op, attrs...)
	return context.WithValue(ctx, spanEndKey{}, end)
}

func end(ctx context.Context, err error) {
	if f, ok := ctx.Value(spanEndKey{}).(func(error)); ok {
		f(err)
	}
}

func (tr tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return tr.start(ctx, operation(d.SQL), attribute.String("db.query.text", d.SQL))
}

func (tr tracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	end(ctx, d.Err)
}

func (tr tracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	return tr.start(ctx, "BATCH", attribute.Int("db.operation.batch.size", d.Batch.Len()))
}

func (tr tracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (tr tracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchEndData) {
	end(ctx, d.Err)
}

func (tr tracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceCopyFromStartData) context.Context {
	return tr.start(ctx, "COPY "+d.TableName.Sanitize(), attribute.String("db.collection.name", strings.Join(d.TableName, ".")))
}

func (tr tracer) TraceCopyFromEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceCopyFromEndData) {
	end(ctx, d.Err)
}

// operation is the first keyword of a statement (SELECT, INSERT, WITH...).
func operation(sql string) string {
	f := strings.Fields(sql)
	if len(f) == 0 {
		return "QUERY"
	}
	return strings.ToUpper(f[0])
}

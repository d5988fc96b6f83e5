package postgres_test

import (
	"context"
	"testing"

	"examhall/examhalltest"
	"examhall/postgres"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestQueriesAreTraced(t *testing.T) {
	t.Parallel()
	url, schema := examhalltest.PostgresSchema(t)
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	ctx := context.Background()
	db, err := postgres.Open(ctx, url, postgres.Options{Schema: schema, TracerProvider: tp})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exp.Reset()
	ctx, parent := tp.Tracer("test").Start(ctx, "request")
	if _, err := db.Pool().Exec(ctx, "SELECT $1::int", 42); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "SELEC 1"); err == nil {
		t.Fatal("a bad statement succeeded")
	}
	parent.End()
	spans := exp.GetSpans()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 2 queries and the parent: %v", len(spans), spans)
	}
	ok, bad := spans[0], spans[1]
	if ok.Name != "postgresql SELECT" || ok.Parent.SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("query span %q with parent %s, want postgresql SELECT under the request", ok.Name, ok.Parent.SpanID())
	}
	for _, a := range ok.Attributes {
		if a.Key == "db.query.text" && a.Value.AsString() != "SELECT $1::int" {
			t.Errorf("db.query.text %q, want the statement without arguments", a.Value.AsString())
		}
	}
	if bad.Status.Code != codes.Error {
		t.Errorf("failed query span status %v, want Error", bad.Status)
	}
}

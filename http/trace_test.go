package http_test

import (
	"net/http"
	"strings"
	"testing"

	"examhall/examhalltest"
	ehttp "examhall/http"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// TestTracing checks that every request makes a server span named by its
// route, joined to the caller's trace when a traceparent header comes in.
func TestTracing(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true, HTTP: ehttp.Config{TracerProvider: tp}})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("trace", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	c, login := srv.MustLogin(t, exam, code)
	exp.Reset()

	const parentTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	req, _ := http.NewRequest("PUT", srv.URL+"/api/v1/attempts/"+login.Attempt+"/answers",
		stringsReader(`{"answers":[{"question":"q3","response":true,"seq":1}]}`))
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-"+parentTrace+"-00f067aa0ba902b7-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("save = %d", resp.StatusCode)
	}
	srv.Do(t, "GET", "/api/v1/attempts/nope/answers/x", "", nil)

	spans := exp.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want one per request: %v", len(spans), spans)
	}
	save := spans[0]
	const route = "PUT /api/v1/attempts/{attempt}/answers"
	if save.Name != route || save.SpanKind != trace.SpanKindServer {
		t.Errorf("save span %q (%v), want %q, server", save.Name, save.SpanKind, route)
	}
	if got := save.SpanContext.TraceID().String(); got != parentTrace {
		t.Errorf("save span in trace %s, want the caller's %s", got, parentTrace)
	}
	attrs := map[attribute.Key]attribute.Value{}
	for _, a := range save.Attributes {
		attrs[a.Key] = a.Value
	}
	if attrs["http.route"].AsString() != route || attrs["http.response.status_code"].AsInt64() != 200 {
		t.Errorf("save span attributes %v, want http.route and status 200", save.Attributes)
	}
	if id := attrs["examhall.request_id"].AsString(); id == "" || id != resp.Header.Get("X-Request-Id") {
		t.Errorf("save span request id %q, response header %q", id, resp.Header.Get("X-Request-Id"))
	}
	if spans[1].Name != "unmatched" {
		t.Errorf("unknown path span %q, want unmatched (no ids in span names)", spans[1].Name)
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

package telemetry_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"examhall/telemetry"
)

func TestTracingEnabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"nothing set", nil, false},
		{"endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true},
		{"traces endpoint", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true},
		{"exporter otlp", map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, true},
		{"exporter none wins", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, false},
		{"sdk disabled wins", map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "otlp"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := telemetry.TracingEnabled(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("TracingEnabled = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSetupTracingExportsOTLP points the OTLP endpoint at a fake collector
// and checks that a dependency span reaches it when the provider shuts
// down.
func TestSetupTracingExportsOTLP(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies [][]byte
	var paths []string
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies, paths = append(bodies, b), append(paths, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()
	env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": collector.URL, "OTEL_SERVICE_NAME": "examhall-test"}
	ctx := context.Background()
	tp, shutdown, err := telemetry.SetupTracing(ctx, func(k string) string { return env[k] }, "examhall", "v-test")
	if err != nil || tp == nil {
		t.Fatalf("SetupTracing = %v, %v", tp, err)
	}
	tr := telemetry.NewTracer(tp, "examhall/redis")
	_, end := tr.Start(ctx, "redis", "EVALSHA")
	end(errors.New("connection reset"))
	if err := shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) == 0 {
		t.Fatal("the collector received nothing")
	}
	if want := "POST /v1/traces application/x-protobuf"; paths[0] != want {
		t.Errorf("export request %q, want %q", paths[0], want)
	}
	all := bytes.Join(bodies, nil)
	for _, want := range []string{"redis EVALSHA", "examhall-test", "connection reset"} {
		if !bytes.Contains(all, []byte(want)) {
			t.Errorf("exported spans lack %q", want)
		}
	}
}

func TestSetupTracingOffAndErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tp, shutdown, err := telemetry.SetupTracing(ctx, func(string) string { return "" }, "examhall", "v")
	if tp != nil || err != nil || shutdown(ctx) != nil {
		t.Errorf("unconfigured: provider %v, error %v", tp, err)
	}
	env := map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
	if _, _, err := telemetry.SetupTracing(ctx, func(k string) string { return env[k] }, "examhall", "v"); err == nil || !strings.Contains(err.Error(), "http/protobuf") {
		t.Errorf("grpc protocol: error %v, want one naming http/protobuf", err)
	}
	// The zero Tracer and one on no provider trace nothing.
	for _, tr := range []telemetry.Tracer{{}, telemetry.NewTracer(nil, "x")} {
		c, end := tr.Start(ctx, "kafka", "produce")
		end(nil)
		if c != ctx {
			t.Error("a disabled tracer changed the context")
		}
	}
}

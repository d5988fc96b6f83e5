package http_test

import (
	"context"
	"fmt"
	"runtime/debug"
	"testing"

	"examhall/examhalltest"
	ehttp "examhall/http"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// BenchmarkSave measures acknowledged (durable) autosaves per second over
// real HTTP on loopback, with many concurrent candidates
// (examhalltest.BenchSaves: saves/s, p50 and p99 latency, and every last
// acknowledged seq checked on the server afterwards).
func BenchmarkSave(b *testing.B) {
	for _, clients := range []int{64, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchSave(b, clients, ehttp.Config{}) })
	}
}

// BenchmarkSaveTraced is BenchmarkSave with every request traced and
// sampled (the worst case of OTEL_TRACES_SAMPLER), spans batched to an
// exporter that discards them: the cost of tracing on the server.
func BenchmarkSaveTraced(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	defer tp.Shutdown(context.Background())
	b.Run("clients=256", func(b *testing.B) { benchSave(b, 256, ehttp.Config{TracerProvider: tp}) })
}

func benchSave(b *testing.B, clients int, cfg ehttp.Config) {
	// As `examhall serve` does by default (cmd/examhall DefaultGCPercent).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	srv := examhalltest.NewEmbedded(b, examhalltest.Options{RealClock: true, Quiet: true, HTTP: cfg})
	examhalltest.BenchSaves(b, []*examhalltest.Server{srv}, clients)
}

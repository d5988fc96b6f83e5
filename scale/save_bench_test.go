package scale_test

import (
	"fmt"
	"runtime/debug"
	"testing"
	"time"

	"examhall/examhalltest"
)

// BenchmarkScaleSave measures acknowledged autosaves per second in scale mode
// through two API pods (in process, each with its own producer) sharing
// PostgreSQL, Redis and an in-process kfake broker, with a grader running;
// over real HTTP on loopback, with many concurrent candidates
// (examhalltest.BenchSaves: saves/s, p50 and p99 latency, and every last
// acknowledged seq checked on the other pod afterwards).
func BenchmarkScaleSave(b *testing.B) {
	for _, clients := range []int{64, 256} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchScaleSave(b, clients) })
	}
}

func benchScaleSave(b *testing.B, clients int) {
	// As `examhall serve` does by default (cmd/examhall DefaultGCPercent).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	d := examhalltest.NewScaleDeps(b)
	d.KafkaConfig.DeliveryTimeout = 10 * time.Second // a benchmark measures, it does not refuse
	d.StartGrader(b)
	pods := []*examhalltest.Server{
		d.StartPod(b, examhalltest.Options{RealClock: true, Quiet: true}),
		d.StartPod(b, examhalltest.Options{RealClock: true, Quiet: true}),
	}
	examhalltest.BenchSaves(b, pods, clients)
}

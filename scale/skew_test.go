package scale_test

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"examhall/examhalltest"
)

// TestClockSkewIsMeasured: a pod whose clock runs ahead of the others
// (here: of Redis's) shows it in examhall_clock_skew_seconds.
func TestClockSkewIsMeasured(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	srv := d.StartPod(t, examhalltest.Options{Quiet: true})
	skew := regexp.MustCompile(`(?m)^examhall_clock_skew_seconds (\S+)$`)
	read := func() (float64, error) {
		m := skew.FindStringSubmatch(string(srv.Do(t, "GET", "/metrics", "", nil).Body))
		if m == nil {
			return 0, fmt.Errorf("no examhall_clock_skew_seconds on /metrics")
		}
		return strconv.ParseFloat(m[1], 64)
	}
	srv.Clock.Advance(7 * time.Second)
	examhalltest.Eventually(t, 10*time.Second, func() error {
		v, err := read()
		if err == nil && math.Abs(v-7) > 1 {
			err = fmt.Errorf("skew %.3f s, want about 7 (the pod's clock moved 7 s ahead)", v)
		}
		return err
	})
}

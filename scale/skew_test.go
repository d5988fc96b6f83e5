package scale_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"examhall"
	"examhall/client"
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

// TestPodsDecideByRedisClock: a pod whose own clock runs two hours ahead
// decides by Redis's clock all the same (examhall serve's --clock redis),
// so it refuses a login to an exam that opens in an hour; with --clock
// local the same pod lets the candidate in.
func TestPodsDecideByRedisClock(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	for _, redisClock := range []bool{true, false} {
		t.Run(fmt.Sprintf("redis=%v", redisClock), func(t *testing.T) {
			srv := d.StartPod(t, examhalltest.Options{Quiet: true, RedisClock: redisClock})
			now := time.Now().UTC()
			srv.Clock.Advance(2*time.Hour - srv.Clock.Now().Sub(now))
			// The pod measures its offset every 100 ms: wait for a
			// measurement taken after the jump.
			skew := regexp.MustCompile(`(?m)^examhall_clock_skew_seconds (\S+)$`)
			examhalltest.Eventually(t, 10*time.Second, func() error {
				m := skew.FindStringSubmatch(string(srv.Do(t, "GET", "/metrics", "", nil).Body))
				if m == nil {
					return fmt.Errorf("no examhall_clock_skew_seconds on /metrics")
				}
				if v, _ := strconv.ParseFloat(m[1], 64); v < 7000 {
					return fmt.Errorf("skew %s s, want about 7200", m[1])
				}
				return nil
			})
			staff := srv.Staff(t)
			doc := examhalltest.AllTypesExam(examhalltest.UniqueName("clock"), 600)
			doc["opens_at"] = now.Add(time.Hour).Format(time.RFC3339)
			doc["closes_at"] = now.Add(3 * time.Hour).Format(time.RFC3339)
			exam := examhalltest.MustCreateExam(t, staff, doc)
			codes := examhalltest.MustIssue(t, staff, exam, 1)
			_, err := srv.Client().Login(context.Background(), exam, codes[0].Candidate, codes[0].Code)
			if redisClock && client.Code(err) != examhall.EExamNotOpen {
				t.Errorf("login to an exam that opens in an hour, by Redis's clock: %v, want exam_not_open", err)
			}
			if !redisClock && err != nil {
				t.Errorf("login by the pod's own clock (two hours ahead, past opens_at): %v, want it admitted", err)
			}
		})
	}
}

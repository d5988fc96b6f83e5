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

// TestAnotherPodJustBehind: pods' clocks agree only to within a
// measurement (half a round trip to Redis, or NTP's accuracy). A
// candidate who signs in on a pod whose clock is a little ahead and whose
// next request reaches a pod a little behind is not told that the exam
// has not started: the attempt counts as started within
// examhall.ClockTolerance of its start. A lobby is still a lobby.
func TestAnotherPodJustBehind(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	ahead := d.StartPod(t, examhalltest.Options{Quiet: true})
	behind := d.StartPod(t, examhalltest.Options{Quiet: true})
	ahead.Clock.Advance(examhall.ClockTolerance / 2)
	ctx := context.Background()
	staff := ahead.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam(examhalltest.UniqueName("skew"), 600))
	codes := examhalltest.MustIssue(t, staff, exam, 1)
	login, err := ahead.Client().Login(ctx, exam, codes[0].Candidate, codes[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	c := behind.Client()
	c.Token = login.Token
	p, err := c.Paper(ctx, login.Attempt)
	if err != nil || p.Lobby || len(p.Questions) == 0 {
		t.Fatalf("the paper from the pod behind: lobby %v, %d questions (%v); want the questions", p != nil && p.Lobby, len(p.Questions), err)
	}
	if _, err := c.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
		t.Errorf("a save on the pod behind, right after the login: %v", err)
	}

	// An exam that opens in a minute: its lobby refuses saves on either pod.
	doc := examhalltest.AllTypesExam(examhalltest.UniqueName("lobby"), 600)
	doc["opens_at"] = ahead.Clock.Now().Add(time.Minute).UTC().Format(time.RFC3339)
	doc["lobby_seconds"] = 300
	lobby := examhalltest.MustCreateExam(t, staff, doc)
	codes = examhalltest.MustIssue(t, staff, lobby, 1)
	login, err = ahead.Client().Login(ctx, lobby, codes[0].Candidate, codes[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	c.Token = login.Token
	if _, err := c.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)); client.Code(err) != examhall.EExamNotOpen {
		t.Errorf("a save in the lobby: %v, want exam_not_open", err)
	}
}

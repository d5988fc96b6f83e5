package scale_test

import (
	"context"
	"examhall"
	"fmt"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"examhall/examhalltest"
)

// startTinyRedis starts a private redis-server with a tiny maxmemory and
// an LRU policy, the configuration docs/scale.md warns against.
func startTinyRedis(t *testing.T, maxmemory string) string {
	t.Helper()
	examhalltest.RedisURL(t) // skip where the test services are not set up
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--maxmemory", maxmemory, "--maxmemory-policy", "allkeys-lru", "--maxmemory-samples", "3")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	examhalltest.Eventually(t, 10*time.Second, func() error {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
		}
		return err
	})
	return fmt.Sprintf("redis://127.0.0.1:%d/0", port)
}

var evictedKeys = regexp.MustCompile(`evicted_keys:(\d+)`)

// TestRedisEvictingLosesNothing starts 800 candidates at once on a Redis
// too small for them that evicts keys (sessions, drafts, the deadline
// index) as it goes: candidates may have to log in again, but every
// acknowledged answer is on their paper and in the grading.
func TestRedisEvictingLosesNothing(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("800 candidates")
	}
	d := examhalltest.NewScaleDepsOn(t, startTinyRedis(t, "1500kb"))
	d.StartGrader(t)
	pod := d.StartPod(t, examhalltest.Options{Quiet: true})
	staff := pod.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("evict", 600))
	codes := examhalltest.MustIssue(t, staff, exam, 800)
	cs := make([]*candidate, len(codes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 100)
	for i, code := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			c := &candidate{code: code, pod: pod, acked: map[string]int64{}, relogin: true}
			c.login = mustLoginRetry(t, pod, exam, code)
			for seq := int64(1); seq <= 3; seq++ {
				// The page retries a save until it is acknowledged, signing
				// in again when Redis lost the session; the seq is kept
				// whether or not one gets through.
				retry(t, func() (ok bool) {
					r := c.save(t, "q5", seq, `"Paris"`)
					if r.Status == 401 {
						c.login = mustLoginRetry(t, pod, exam, code)
					}
					return r.Status == 200
				})
			}
			cs[i] = c
		}()
	}
	wg.Wait()
	ctx := context.Background()
	info, err := redisInfo(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	m := evictedKeys.FindStringSubmatch(info)
	if m == nil || m[1] == "0" {
		t.Fatalf("Redis evicted nothing (%v): the test proved nothing", m)
	}
	acked := 0
	for _, c := range cs {
		if c.acked["q5"] == 0 {
			continue
		}
		acked++
		if r := c.pod.Do(t, "GET", "/api/v1/attempts/"+c.login.Attempt, c.login.Token, nil); r.Status == 401 {
			c.login = mustLoginRetry(t, pod, exam, c.code)
		}
		c.waitAnswers(t)
		examhalltest.Eventually(t, 30*time.Second, func() error {
			r := c.pod.Do(t, "POST", "/api/v1/attempts/"+c.login.Attempt+"/submit", c.login.Token, nil)
			if r.Status == 401 {
				c.login = mustLoginRetry(t, pod, exam, c.code)
			}
			if r.Status != 200 {
				return fmt.Errorf("submit: %d %s", r.Status, r.Body)
			}
			return nil
		})
	}
	want := map[*candidate]float64{}
	for _, c := range cs {
		if c.acked["q5"] > 0 {
			want[c] = 1
		}
	}
	waitScores(t, want)
	if acked < len(cs)/2 {
		t.Fatalf("only %d of %d candidates had a save acknowledged", acked, len(cs))
	}
	t.Logf("%d candidates, %s keys evicted, every acknowledged answer on the papers and graded", acked, m[1])
}

func mustLoginRetry(t *testing.T, pod *examhalltest.Server, exam string, code examhall.IssuedCode) *examhall.LoginResult {
	t.Helper()
	var l examhall.LoginResult
	// As the page does: again while the server sheds sign-ins (503) or
	// Redis, evicting, loses the attempt under the login.
	examhalltest.Eventually(t, 60*time.Second, func() error {
		r := pod.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": code.Candidate, "code": code.Code})
		if r.Status != 200 {
			return fmt.Errorf("login of %s: %d %s", code.Candidate, r.Status, r.Body)
		}
		r.Decode(t, &l)
		return nil
	})
	return &l
}

// retry calls try until it succeeds, at most 50 times, as a client with a
// short backoff would: the outcome is the test's to check.
func retry(t *testing.T, try func() bool) {
	t.Helper()
	for i := 0; i < 50 && !try(); i++ {
		time.Sleep(time.Duration(10+10*i) * time.Millisecond)
	}
}

func redisInfo(ctx context.Context, d *examhalltest.ScaleDeps) (string, error) {
	c := d.Redis.Client()
	return c.Do(ctx, c.B().Info().Section("stats").Build()).ToString()
}

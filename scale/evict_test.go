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
	url := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return url
		}
		if time.Now().After(end) {
			t.Fatal("redis-server did not start")
		}
	}
}

var evictedKeys = regexp.MustCompile(`evicted_keys:(\d+)`)

// TestRedisEvictingLosesNothing starts 800 candidates at once on a Redis
// too small for them that evicts keys (sessions, drafts, the deadline
// index) as it goes: candidates may have to log in again, but every
// acknowledged answer is on their paper and in the grading.
func TestRedisEvictingLosesNothing(t *testing.T) {
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
				for try := 0; ; try++ {
					r := c.save(t, "q5", seq, `"Paris"`)
					if r.Status == 200 || try == 50 {
						break
					}
					if r.Status == 401 {
						c.login = mustLoginRetry(t, pod, exam, code)
					}
					time.Sleep(20 * time.Millisecond)
				}
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
		for try := 0; ; try++ {
			r := c.pod.Do(t, "POST", "/api/v1/attempts/"+c.login.Attempt+"/submit", c.login.Token, nil)
			if r.Status == 200 {
				break
			}
			if try == 50 {
				t.Fatalf("submit: %d %s", r.Status, r.Body)
			}
			if r.Status == 401 {
				c.login = mustLoginRetry(t, pod, exam, c.code)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	for _, c := range cs {
		if c.acked["q5"] > 0 {
			waitScore(t, d, c.login.Attempt, 1)
		}
	}
	if acked < len(cs)/2 {
		t.Fatalf("only %d of %d candidates had a save acknowledged", acked, len(cs))
	}
	t.Logf("%d candidates, %s keys evicted, every acknowledged answer on the papers and graded", acked, m[1])
}

func mustLoginRetry(t *testing.T, pod *examhalltest.Server, exam string, code examhall.IssuedCode) *examhall.LoginResult {
	t.Helper()
	var last *examhalltest.Response
	for try := 0; try < 50; try++ {
		last = pod.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": code.Candidate, "code": code.Code})
		if last.Status == 200 {
			var l examhall.LoginResult
			last.Decode(t, &l)
			return &l
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("login of %s: %d %s", code.Candidate, last.Status, last.Body)
	return nil
}

func redisInfo(ctx context.Context, d *examhalltest.ScaleDeps) (string, error) {
	c := d.Redis.Client()
	return c.Do(ctx, c.B().Info().Section("stats").Build()).ToString()
}

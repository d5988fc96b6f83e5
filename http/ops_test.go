package http_test

import (
	"strconv"
	"strings"
	"testing"

	"examhall/examhalltest"
	ehttp "examhall/http"
)

func TestHealthReadyMetrics(t *testing.T) {
	t.Parallel()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("ops", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	c, login := srv.MustLogin(t, exam, code)
	srv.Do(t, "PUT", "/api/v1/attempts/"+login.Attempt+"/answers", c.Token, `{"answers":[{"question":"q3","response":true,"seq":1}]}`)

	for _, path := range []string{"/healthz", "/readyz"} {
		if r := srv.Do(t, "GET", path, "", nil); r.Status != 200 {
			t.Errorf("GET %s = %d %s", path, r.Status, r.Body)
		}
	}
	r := srv.Do(t, "GET", "/metrics", "", nil)
	if r.Status != 200 {
		t.Fatalf("GET /metrics = %d", r.Status)
	}
	text := string(r.Body)
	for _, want := range []string{
		`examhall_http_request_duration_seconds_bucket{method="PUT",route="PUT /api/v1/attempts/{attempt}/answers"`,
		`examhall_http_request_duration_seconds_count{method="POST",route="POST /api/v1/login"}`,
		`examhall_http_requests_total{code="200",method="PUT",route="PUT /api/v1/attempts/{attempt}/answers"} 1`,
		`examhall_sqlite_commit_batch_size_bucket`,
		`examhall_logins_total{result="ok"} 1`,
		`examhall_saves_total 1`,
		`examhall_answers_saved_total 1`,
		`examhall_submissions_total{kind="auto"} 0`,
		`examhall_attempts{state="in_progress"} 1`,
		`examhall_attempts{state="overdue"} 0`,
		`go_goroutines`, `process_resident_memory_bytes`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if id := r.Header.Get("X-Request-Id"); id == "" {
		t.Error("no X-Request-Id on answers")
	}
}

func TestMetricsToken(t *testing.T) {
	t.Parallel()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true, HTTP: ehttp.Config{MetricsToken: "scrape-me"}})
	tests := []struct {
		name, token string
		status      int
		code        string
	}{
		{"no token", "", 401, "unauthorized"},
		{"wrong token", "scrape-you", 401, "unauthorized"},
		{"prefix of the token", "scrape", 401, "unauthorized"},
		{"the token", "scrape-me", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := srv.Do(t, "GET", "/metrics", tt.token, nil)
			if r.Status != tt.status || r.Code() != tt.code {
				t.Fatalf("GET /metrics with %q = %d %s, want %d %q", tt.token, r.Status, r.Body, tt.status, tt.code)
			}
			if tt.status == 200 && !strings.Contains(string(r.Body), "examhall_http_requests_total") {
				t.Errorf("metrics body lacks examhall_http_requests_total")
			}
		})
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := srv.Do(t, "GET", path, "", nil); r.Status != 200 {
			t.Errorf("GET %s without a token = %d: only /metrics is protected", path, r.Status)
		}
	}
}

// TestReadyzFollowsScaleDependencies stops the Kafka cluster of a
// scale-mode pod: /readyz must fail, so the load balancer stops sending
// candidates there, while /healthz still says the process is alive.
func TestReadyzFollowsScaleDependencies(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	srv := d.StartPod(t, examhalltest.Options{Quiet: true})
	if r := srv.Do(t, "GET", "/readyz", "", nil); r.Status != 200 {
		t.Fatalf("all dependencies up: /readyz = %d %s", r.Status, r.Body)
	}
	d.Kafka.Close()
	r := srv.Do(t, "GET", "/readyz", "", nil)
	if r.Status != 503 || r.Code() != "unavailable" {
		t.Errorf("Kafka down: /readyz = %d %s, want 503 unavailable", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/healthz", "", nil); r.Status != 200 {
		t.Errorf("Kafka down: /healthz = %d, want 200", r.Status)
	}
}

// TestMetricsLabelsAreBounded: made-up methods and paths create no series
// of their own.
func TestMetricsLabelsAreBounded(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{Quiet: true})
	for i := 0; i < 20; i++ {
		for _, p := range []string{"/api/v1/time", "/api/v1/nothing-" + strconv.Itoa(i)} {
			if r := srv.Do(t, "XMETHOD"+strconv.Itoa(i), p, "", nil); r.Status < 400 {
				t.Fatalf("XMETHOD%d %s: %d", i, p, r.Status)
			}
		}
	}
	body := string(srv.Do(t, "GET", "/metrics", "", nil).Body)
	if strings.Contains(body, "XMETHOD") || strings.Contains(body, "nothing-") {
		t.Errorf("/metrics has series named by clients:\n%s", grepLines(body, "XMETHOD", "nothing-"))
	}
	if !strings.Contains(body, `method="other"`) {
		t.Errorf(`/metrics has no method="other" series for the made-up methods`)
	}
}

func grepLines(s string, subs ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, sub := range subs {
			if strings.Contains(l, sub) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

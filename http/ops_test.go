package http_test

import (
	"strings"
	"testing"

	"examhall/examhalltest"
)

func TestHealthReadyMetrics(t *testing.T) {
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

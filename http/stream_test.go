package http_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"examhall/examhalltest"
)

// monitorEvents opens the live monitor and returns its events' data.
func monitorEvents(t *testing.T, ctx context.Context, srv *examhalltest.Server, exam, token string) <-chan map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/admin/exams/"+exam+"/monitor/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("monitor stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan map[string]any, 100)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "monitor":
				var m map[string]any
				if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &m) == nil {
					out <- m
				}
			case line == "":
				event = ""
			}
		}
	}()
	return out
}

func TestMonitorStream(t *testing.T) {
	t.Parallel()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("live", 600))
	code := examhalltest.MustIssue(t, staff, exam, 2)[0]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	events := monitorEvents(t, ctx, srv, exam, staff.Token)
	first := <-events
	if first["candidates"] != 2.0 || first["in_progress"] != 0.0 || first["exam"] != exam {
		t.Fatalf("first event %v, want 2 candidates, none in progress", first)
	}
	// A login shows up without asking again.
	srv.MustLogin(t, exam, code)
	for m := range events {
		if m["in_progress"] == 1.0 && m["logins"] == 1.0 {
			break
		}
	}
	if ctx.Err() != nil {
		t.Fatal("no event showed the login")
	}
	cancel()

	// Long-lived streams stay out of the latency histogram. The request is
	// counted when its handler returns, shortly after the client leaves.
	var metrics string
	examhalltest.Eventually(t, 10*time.Second, func() error {
		metrics = string(srv.Do(t, "GET", "/metrics", "", nil).Body)
		if !strings.Contains(metrics, `route="GET /api/v1/admin/exams/{exam}/monitor/stream"`) {
			return errors.New("the monitor stream is not counted in requests_total")
		}
		return nil
	})
	if strings.Contains(metrics, `request_duration_seconds_count{method="GET",route="GET /api/v1/admin/exams/{exam}/monitor/stream"}`) {
		t.Error("the monitor stream is in the request duration histogram")
	}
}

func TestMonitorStreamErrors(t *testing.T) {
	t.Parallel()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("live", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	cand, _ := srv.MustLogin(t, exam, code)
	for _, tc := range []struct {
		name, exam, token, code string
		status                  int
	}{
		{"no token", exam, "", "unauthorized", 401},
		{"candidate token", exam, cand.Token, "forbidden", 403},
		{"unknown exam", "nope", staff.Token, "not_found", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := srv.Do(t, "GET", "/api/v1/admin/exams/"+tc.exam+"/monitor/stream", tc.token, nil)
			if r.Status != tc.status || r.Code() != tc.code {
				t.Errorf("got %d %s, want %d %s", r.Status, r.Body, tc.status, tc.code)
			}
		})
	}
}

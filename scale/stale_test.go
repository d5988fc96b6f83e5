package scale_test

import (
	"fmt"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// TestResultsAreNeverSilentlyPartial: with the grader stopped, staff
// results and statistics are refused with 503 and Retry-After instead of
// leaving out acknowledged answers; once the grader runs they hold them.
func TestResultsAreNeverSilentlyPartial(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	srv := d.StartPod(t, examhalltest.Options{Quiet: true, SyncWait: 300 * time.Millisecond})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("stale", 600))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	_, login := srv.MustLogin(t, exam, code)
	if r := srv.Do(t, "PUT", "/api/v1/attempts/"+login.Attempt+"/answers", login.Token, `{"answers":[{"question":"q1","response":"b","seq":1}]}`); r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{"/results", "/results?format=csv", "/stats"} {
		r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+p, staff.Token, nil)
		if r.Status != 503 || r.Code() != examhall.EUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s with the grader stopped: %d %.200s (Retry-After %q), want 503 unavailable with Retry-After", p, r.Status, r.Body, r.Header.Get("Retry-After"))
		}
	}
	d.StartGrader(t)
	examhalltest.Eventually(t, 30*time.Second, func() error {
		var res examhall.ExamResults
		r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/results", staff.Token, nil)
		if r.Status != 200 {
			return fmt.Errorf("results: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &res)
		for _, q := range res.Results[0].Questions {
			if q.Question == "q1" && string(q.Response) == `"b"` {
				return nil
			}
		}
		return fmt.Errorf("results without the acknowledged save of q1: %s", r.Body)
	})
}

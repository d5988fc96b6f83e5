package http_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// agsLaunch launches a learner with a line item and signs them in.
func agsLaunch(t *testing.T, srv *examhalltest.Server, p *testPlatform, exam, sub string) (*client.Client, *examhall.LoginResult) {
	t.Helper()
	c := browser(t)
	auth := ltiLogin(t, c, srv, p)
	claims := p.claims(srv.Clock.Now(), auth.Get("nonce"), sub, exam, learner)
	claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = map[string]any{
		"scope":    []string{"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", "https://purl.imsglobal.org/spec/lti-ags/scope/score"},
		"lineitem": p.srv.URL + "/lineitems/1",
	}
	status, loc, body := ltiLaunch(t, c, srv, p.sign(claims), auth.Get("state"))
	if status != http.StatusSeeOther {
		t.Fatalf("launch: %d %s", status, body)
	}
	r := srv.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": strings.TrimPrefix(loc, srv.URL+"/#lti=")})
	var login examhall.LoginResult
	r.Decode(t, &login)
	cand := client.New(srv.URL)
	cand.Token = login.Token
	return cand, &login
}

// waitScore waits for the platform's n-th score and returns it.
func waitScore(t *testing.T, p *testPlatform, n int) map[string]any {
	t.Helper()
	var s map[string]any
	examhalltest.Eventually(t, 20*time.Second, func() error {
		var got int
		s, got = p.lastScore()
		if got < n {
			return fmt.Errorf("the platform has %d scores, want %d (problems: %v)", got, n, p.seen())
		}
		return nil
	})
	return s
}

func gradesOf(t *testing.T, srv *examhalltest.Server, exam string) []*examhall.LTIGrade {
	t.Helper()
	r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/lti/grades", adminToken(t, srv), nil)
	var out examhall.LTIGradeList
	r.Decode(t, &out)
	if r.Status != 200 {
		t.Fatalf("grades: %d %s", r.Status, r.Body)
	}
	return out.Grades
}

// TestLTIGradePassback: a submitted attempt's score reaches the platform's
// line item through the client-credentials grant, pending while an essay
// waits, fully graded and sent again once it is marked, and retried after
// the platform fails.
func TestLTIGradePassback(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	p.trust(srv.URL)
	cand, login := agsLaunch(t, srv, p, exam, "sub-ags")
	ctx := context.Background()
	if _, err := cand.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
		t.Fatal(err)
	}
	if _, n := p.lastScore(); n != 0 {
		t.Fatalf("a score was sent before submission")
	}
	if _, err := cand.Submit(ctx, login.Attempt, nil); err != nil {
		t.Fatal(err)
	}
	s := waitScore(t, p, 1)
	if s["userId"] != "sub-ags" || s["scoreGiven"] != 6.0 || s["scoreMaximum"] != 11.0 ||
		s["activityProgress"] != "Completed" || s["gradingProgress"] != "PendingManual" {
		t.Errorf("score after submission = %v, want 6 of 11, Completed, PendingManual", s)
	}
	if ts, _ := s["timestamp"].(string); !strings.HasSuffix(ts, "Z") {
		t.Errorf("timestamp %q, want UTC ISO 8601", s["timestamp"])
	}
	examhalltest.Eventually(t, 10*time.Second, func() error {
		gs := gradesOf(t, srv, exam)
		if len(gs) != 1 || gs[0].SentAt.IsZero() || gs[0].Due != nil || gs[0].GradingProgress != "PendingManual" {
			return fmt.Errorf("grades = %+v, want one sent, nothing due", gs)
		}
		return nil
	})

	// A mark changes the score: sent again, fully graded.
	staff := srv.Staff(t)
	mark := func(points float64) {
		t.Helper()
		if err := staff.Do(ctx, "PUT", "/api/v1/admin/exams/"+exam+"/attempts/"+login.Attempt+"/marks",
			map[string]any{"question": "q6", "points": points}, nil); err != nil {
			t.Fatal(err)
		}
	}
	mark(4)
	s = waitScore(t, p, 2)
	if s["scoreGiven"] != 10.0 || s["gradingProgress"] != "FullyGraded" {
		t.Errorf("score after the mark = %v, want 10, FullyGraded", s)
	}

	// The platform fails once: the console shows why, and the score goes
	// again after the backoff.
	p.mu.Lock()
	p.failScores = 1
	p.mu.Unlock()
	mark(5)
	examhalltest.Eventually(t, 10*time.Second, func() error {
		gs := gradesOf(t, srv, exam)
		if len(gs) != 1 || gs[0].Tries != 1 || !strings.Contains(gs[0].LastError, "500") || gs[0].Due == nil {
			return fmt.Errorf("grades = %+v, want one failed try, due again", gs)
		}
		return nil
	})
	if _, n := p.lastScore(); n != 2 {
		t.Fatalf("the platform has %d scores, want still 2", n)
	}
	srv.Clock.Advance(11 * time.Second)
	s = waitScore(t, p, 3)
	if s["scoreGiven"] != 11.0 {
		t.Errorf("score after the retry = %v, want 11", s)
	}
	if pr := p.seen(); len(pr) != 0 {
		t.Errorf("the platform saw problems: %v", pr)
	}
}

// TestLTIGradeOutboxSurvivesRestart: a score due when the server stops is
// sent by the next server on the same data.
func TestLTIGradeOutboxSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Dir: dir})
	exam := examhalltest.MustCreateExam(t, srv.Staff(t), examhalltest.AllTypesExam("lti-restart", 3600))
	p := newTestPlatform(t)
	p.register(srv)
	p.trust(srv.URL)
	p.mu.Lock()
	p.failScores = 1000
	p.mu.Unlock()
	cand, login := agsLaunch(t, srv, p, exam, "sub-restart")
	if _, err := cand.Submit(context.Background(), login.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
		t.Fatal(err)
	}
	examhalltest.Eventually(t, 10*time.Second, func() error {
		if gs := gradesOf(t, srv, exam); len(gs) != 1 || gs[0].Tries == 0 {
			return fmt.Errorf("grades = %+v, want a failed try", gs)
		}
		return nil
	})
	srv.Stop()

	p.mu.Lock()
	p.failScores = 0
	p.mu.Unlock()
	again := examhalltest.NewEmbedded(t, examhalltest.Options{Dir: dir})
	p.trust(again.URL)
	again.Clock.Advance(time.Hour)
	s := waitScore(t, p, 1)
	if s["userId"] != "sub-restart" || s["gradingProgress"] != "PendingManual" {
		t.Errorf("score after the restart = %v", s)
	}
}

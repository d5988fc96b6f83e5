package http_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// sweep runs the server's sweeper once, as its next tick would after the
// clock moved. (The sweep it runs at start may have done the work.)
func sweep(t *testing.T, srv *examhalltest.Server) {
	t.Helper()
	if _, err := srv.Hall.Sweep(context.Background()); err != nil {
		t.Fatalf("sweeping: %v", err)
	}
}

// paperOf reads a candidate's paper.
func paperOf(t *testing.T, srv *examhalltest.Server, token, attempt string) *examhall.AttemptView {
	t.Helper()
	var v examhall.AttemptView
	r := srv.Do(t, "GET", "/api/v1/attempts/"+attempt, token, nil)
	if r.Status != 200 {
		t.Fatalf("paper: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &v)
	return &v
}

func TestDeadlineGraceAndAutoSubmit(t *testing.T) {
	t.Parallel()
	// The test sweeps itself, once the clock has moved.
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("clock", 60)) // grace 5 s
	codes := examhalltest.MustIssue(t, staff, exam, 2)
	c, login := srv.MustLogin(t, exam, codes[0])
	late, lateLogin := srv.MustLogin(t, exam, codes[1])

	srv.Clock.Advance(30 * time.Second)
	if _, err := c.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
		t.Fatalf("save in time: %v", err)
	}
	srv.Clock.Advance(33 * time.Second) // 63 s: past the deadline, inside the grace
	if _, err := c.Save(ctx, login.Attempt, []examhall.Answer{{Question: "q3", Response: json.RawMessage(`false`), Seq: 2}}); err != nil {
		t.Fatalf("save inside the grace: %v", err)
	}
	srv.Clock.Advance(3 * time.Second) // 66 s: past deadline + grace
	_, err := c.Save(ctx, login.Attempt, []examhall.Answer{{Question: "q3", Response: json.RawMessage(`true`), Seq: 3}})
	if codeOf(err) != examhall.EAttemptClosed {
		t.Fatalf("save after deadline + grace: %v, want attempt_closed", err)
	}
	if _, err := late.Submit(ctx, lateLogin.Attempt, examhalltest.CorrectAnswers(1)); codeOf(err) != examhall.EAttemptClosed {
		t.Errorf("late submit with answers: %v, want attempt_closed", err)
	}

	// The late candidate's attempt was submitted when they tried; the
	// sweeper submits the other.
	sweep(t, srv)
	v := paperOf(t, srv, login.Token, login.Attempt)
	if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(login.Deadline) {
		t.Errorf("auto-submission: %s auto %v at %v, want submitted automatically at the deadline %v", v.Status, v.Auto, v.SubmittedAt, login.Deadline)
	}
	if got := string(v.Answers["q3"].Response); got != "false" || v.Answers["q3"].Seq != 2 {
		t.Errorf("q3 = %s seq %d, want the answer saved inside the grace (false, seq 2)", got, v.Answers["q3"].Seq)
	}
	if len(v.Answers) != 6 {
		t.Errorf("%d answers kept, want 6", len(v.Answers))
	}
	// A retried submit after the deadline gets the auto-submission's receipt.
	r, err := c.Submit(ctx, login.Attempt, nil)
	if err != nil || r.Receipt != v.Receipt || !r.Auto {
		t.Errorf("submit after auto-submit = %+v, %v; want receipt %s", r, err, v.Receipt)
	}
	lv := paperOf(t, srv, lateLogin.Token, lateLogin.Attempt)
	if lv.Status != examhall.Submitted || len(lv.Answers) != 0 || !lv.SubmittedAt.Equal(lateLogin.Deadline) {
		t.Errorf("late candidate's attempt: %d answers, submitted at %v; want none, at the deadline", len(lv.Answers), lv.SubmittedAt)
	}
}

// TestAutoSubmitAfterRestart stops the server before the deadline and starts
// it again after: the overdue attempt is submitted at its deadline.
func TestAutoSubmitAfterRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Dir: dir})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("restart", 60))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	c, login := srv.MustLogin(t, exam, code)
	if _, err := c.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
		t.Fatal(err)
	}
	srv.Stop()

	srv2 := examhalltest.NewEmbedded(t, examhalltest.Options{Dir: dir, SweepInterval: time.Hour})
	srv2.Clock.Advance(10 * time.Minute)
	c2, login2 := srv2.MustLogin(t, exam, code)
	if login2.Attempt != login.Attempt {
		t.Fatalf("after restart the login found attempt %s, want %s", login2.Attempt, login.Attempt)
	}
	sweep(t, srv2)
	v := paperOf(t, srv2, c2.Token, login.Attempt)
	if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(login.Deadline) || len(v.Answers) != 6 {
		t.Errorf("after restart: auto %v at %v with %d answers; want auto at %v with 6", v.Auto, v.SubmittedAt, len(v.Answers), login.Deadline)
	}
}

func TestExamWindow(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	ctx := context.Background()
	staff := srv.Staff(t)
	now := srv.Clock.Now().UTC()
	doc := examhalltest.AllTypesExam("window", 3600)
	doc["opens_at"] = now.Add(time.Minute).Format(time.RFC3339)
	doc["closes_at"] = now.Add(31 * time.Minute).Format(time.RFC3339)
	exam := examhalltest.MustCreateExam(t, staff, doc)
	codes := examhalltest.MustIssue(t, staff, exam, 2)

	if _, err := srv.Client().Login(ctx, exam, codes[0].Candidate, codes[0].Code); codeOf(err) != examhall.EExamNotOpen {
		t.Fatalf("login before opens_at: %v, want exam_not_open", err)
	}
	srv.Clock.Advance(2 * time.Minute)
	c, login := srv.MustLogin(t, exam, codes[0])
	closes, _ := time.Parse(time.RFC3339, doc["closes_at"].(string))
	if !login.Deadline.Equal(closes) {
		t.Errorf("deadline %v, want closes_at %v (the hour-long duration is capped)", login.Deadline, closes)
	}
	srv.Clock.Advance(30 * time.Minute)
	if _, err := srv.Client().Login(ctx, exam, codes[1].Candidate, codes[1].Code); codeOf(err) != examhall.EExamNotOpen {
		t.Errorf("first login after closes_at: %v, want exam_not_open", err)
	}
	if _, err := c.Login(ctx, exam, codes[0].Candidate, codes[0].Code); err != nil {
		t.Errorf("a candidate with an attempt can still sign in after closing: %v", err)
	}
}

func TestExtraTimeAndPools(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	ctx := context.Background()
	staff := srv.Staff(t)
	doc := examhalltest.AllTypesExam("pools", 600)
	doc["pools"] = []any{map[string]any{"id": "p", "draw": 2, "questions": []string{"q1", "q2", "q3", "q4"}}}
	exam := examhalltest.MustCreateExam(t, staff, doc)
	r := srv.Do(t, "POST", "/api/v1/admin/exams/"+exam+"/candidates", staff.Token,
		`{"candidates": ["plain", {"id": "slow", "extra_time_seconds": 300}]}`)
	var issued struct{ Candidates []examhall.IssuedCode }
	r.Decode(t, &issued)
	if len(issued.Candidates) != 2 || issued.Candidates[1].ExtraSeconds != 300 {
		t.Fatalf("issued %s", r.Body)
	}
	plainClient, plain := srv.MustLogin(t, exam, issued.Candidates[0])
	slowClient, slow := srv.MustLogin(t, exam, issued.Candidates[1])
	if d := slow.Deadline.Sub(plain.Deadline); d < 299*time.Second || d > 301*time.Second {
		t.Errorf("extra time moved the deadline by %v, want 5m", d)
	}
	// Staff grant more time during the attempt.
	r = srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/candidates/slow", staff.Token, `{"extra_time_seconds": 900}`)
	if r.Status != 200 {
		t.Fatalf("setting extra time: %d %s", r.Status, r.Body)
	}
	v, err := slowClient.Paper(ctx, slow.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if d := v.Deadline.Sub(v.StartedAt); d != 25*time.Minute {
		t.Errorf("after more extra time the attempt lasts %v, want 25m", d)
	}
	// The clock, which a page asks while it saves nothing, says the same;
	// it is the candidate's own: nobody else's token reads it.
	clk, err := slowClient.Clock(ctx, slow.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if !clk.Deadline.Equal(v.Deadline) || clk.Status != examhall.InProgress || clk.ServerTime.IsZero() {
		t.Errorf("clock %+v, want in_progress until %v", clk, v.Deadline)
	}
	if r := srv.Do(t, "GET", "/api/v1/attempts/"+slow.Attempt+"/clock", plainClient.Token, ""); r.Status != 403 {
		t.Errorf("another candidate's clock: %d %s, want 403", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/attempts/"+slow.Attempt+"/clock", "", ""); r.Status != 401 {
		t.Errorf("the clock without a token: %d %s, want 401", r.Status, r.Body)
	}
	// The paper draws 2 of the 4 pooled questions; the others cannot be answered.
	onPaper := map[string]bool{}
	for _, q := range v.Questions {
		onPaper[q.ID] = true
	}
	if len(v.Questions) != 4 {
		t.Fatalf("paper has %d questions, want 4 (2 drawn + 2 unpooled)", len(v.Questions))
	}
	for _, a := range examhalltest.CorrectAnswers(1)[:4] {
		_, err := slowClient.Save(ctx, slow.Attempt, []examhall.Answer{a})
		if onPaper[a.Question] && err != nil {
			t.Errorf("saving drawn question %s: %v", a.Question, err)
		}
		if !onPaper[a.Question] && codeOf(err) != examhall.EBadRequest {
			t.Errorf("saving undrawn question %s: %v, want bad_request", a.Question, err)
		}
	}
}

// TestOverdueIsSubmittedOnRead: with the sweeper far away, reading an
// overdue attempt or the results submits it there and then.
func TestOverdueIsSubmittedOnRead(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("read", 60))
	codes := examhalltest.MustIssue(t, staff, exam, 2)
	c, login := srv.MustLogin(t, exam, codes[0])
	_, other := srv.MustLogin(t, exam, codes[1])
	srv.Clock.Advance(2 * time.Minute)
	v, err := c.Paper(ctx, login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(login.Deadline) {
		t.Errorf("overdue paper: %s auto %v at %v; want submitted automatically at %v", v.Status, v.Auto, v.SubmittedAt, login.Deadline)
	}
	res, err := staff.Results(ctx, exam)
	if err != nil {
		t.Fatal(err)
	}
	if r := findResult(t, res, codes[1].Candidate); r.Status != examhall.Submitted || !r.SubmittedAt.Equal(other.Deadline) {
		t.Errorf("overdue attempt in results: %s at %v; want submitted at %v", r.Status, r.SubmittedAt, other.Deadline)
	}
}

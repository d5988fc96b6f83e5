package http_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// TestCandidateAndStaffFlow walks one exam from creation to released
// results through the HTTP API.
func TestCandidateAndStaffFlow(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("flow", 3600))
	codes := examhalltest.MustIssue(t, staff, exam, 3)

	cand, login := srv.MustLogin(t, exam, codes[0])
	if login.Attempt == "" || login.Deadline.Sub(login.ServerTime).Round(1e9).Seconds() != 3600 {
		t.Fatalf("login = %+v, want an attempt with an hour to go", login)
	}
	paper, err := cand.Paper(ctx, login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if paper.Status != examhall.InProgress || len(paper.Questions) != 6 || len(paper.Answers) != 0 {
		t.Fatalf("paper: status %s, %d questions, %d answers; want in_progress, 6, 0", paper.Status, len(paper.Questions), len(paper.Answers))
	}

	// Save everything, then resume on "another device": same attempt, same answers.
	saved, err := cand.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Saved) != 6 || saved.Saved[0].Seq != 1 {
		t.Errorf("saved = %+v, want six questions at seq 1", saved.Saved)
	}
	other, login2 := srv.MustLogin(t, exam, codes[0])
	if login2.Attempt != login.Attempt {
		t.Fatalf("second login started attempt %s, want the same %s", login2.Attempt, login.Attempt)
	}
	resumed, err := other.Paper(ctx, login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(paper.Questions, resumed.Questions); diff != "" {
		t.Errorf("the paper changed on resume:\n%s", diff)
	}
	for _, a := range examhalltest.CorrectAnswers(1) {
		got := resumed.Answers[a.Question]
		want, _ := examhall.CheckAnswer(mustQuestion(t, a.Question), a)
		if got.Seq != 1 || string(got.Response) != string(want.Response) {
			t.Errorf("resumed answer %s = %s seq %d, want %s seq 1", a.Question, got.Response, got.Seq, want.Response)
		}
	}

	// The first device was signed out by the second login.
	if _, err := cand.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(2)); codeOf(err) != examhall.EUnauthorized {
		t.Errorf("save with a retired token: %v, want unauthorized", err)
	}

	// Submit with a final batch, twice: the same receipt.
	final := []examhall.Answer{{Question: "q3", Response: json.RawMessage(`false`), Seq: 2}}
	r1, err := other.Submit(ctx, login.Attempt, final)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := other.Submit(ctx, login.Attempt, final)
	if err != nil {
		t.Fatalf("second submit: %v", err)
	}
	if r1.Receipt == "" || r1.Receipt != r2.Receipt || !r1.SubmittedAt.Equal(r2.SubmittedAt) {
		t.Errorf("submits answered %+v and %+v, want the same receipt", r1, r2)
	}
	if _, err := other.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(3)); codeOf(err) != examhall.EAttemptClosed {
		t.Errorf("save after submit: %v, want attempt_closed", err)
	}
	if _, err := other.Submit(ctx, login.Attempt, examhalltest.CorrectAnswers(9)); codeOf(err) != examhall.EAttemptClosed {
		t.Errorf("submit with new answers after submit: %v, want attempt_closed", err)
	}

	// Results: before release, candidates are refused; staff see the score.
	if _, err := other.Result(ctx, login.Attempt); codeOf(err) != examhall.EForbidden {
		t.Errorf("result before release: %v, want forbidden", err)
	}
	res, err := staff.Results(ctx, exam)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 3 {
		t.Fatalf("%d results, want 3 (one per candidate)", len(res.Results))
	}
	mine := findResult(t, res, codes[0].Candidate)
	// q3 was changed to false (wrong); the essay waits for a person.
	if mine.Score != 5 || mine.MaxScore != 11 || mine.Pending != 1 || mine.Status != examhall.Submitted {
		t.Errorf("result = %v/%v pending %d %s; want 5/11 pending 1 submitted", mine.Score, mine.MaxScore, mine.Pending, mine.Status)
	}
	if r := findResult(t, res, codes[1].Candidate); r.Status != examhall.NotStarted {
		t.Errorf("a candidate who never logged in has status %s, want not_started", r.Status)
	}

	// Mark the essay, release, and the candidate sees the final score.
	mark := srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/attempts/"+login.Attempt+"/marks", staff.Token,
		map[string]any{"question": "q6", "points": 4, "comment": "good"})
	if mark.Status != 200 {
		t.Fatalf("marking: %d %s", mark.Status, mark.Body)
	}
	if over := srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/attempts/"+login.Attempt+"/marks", staff.Token,
		map[string]any{"question": "q6", "points": 6}); over.Code() != examhall.EBadRequest {
		t.Errorf("marking above the question's points: %d %s, want bad_request", over.Status, over.Body)
	}
	if err := staff.Release(ctx, exam); err != nil {
		t.Fatal(err)
	}
	result, err := other.Result(ctx, login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if result.Score != 9 || result.MaxScore != 11 || result.Pending != 0 {
		t.Errorf("released result = %v/%v pending %d, want 9/11 pending 0", result.Score, result.MaxScore, result.Pending)
	}

	// CSV: one row per candidate, one column per question.
	resp := srv.DoAccept(t, "GET", "/api/v1/admin/exams/"+exam+"/results", staff.Token, "text/csv")
	rows, err := csv.NewReader(strings.NewReader(string(resp.Body))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("CSV results: %v, %d rows:\n%s", err, len(rows), resp.Body)
	}
	if got := strings.Join(rows[0][len(rows[0])-6:], ","); got != "q1,q2,q3,q4,q5,q6" {
		t.Errorf("CSV question columns = %s", got)
	}
}

func mustQuestion(t *testing.T, id string) *examhall.Question {
	t.Helper()
	doc, _ := json.Marshal(examhalltest.AllTypesExam("x", 60))
	e, err := examhall.ParseExam(doc)
	if err != nil {
		t.Fatal(err)
	}
	q, ok := e.Question(id)
	if !ok {
		t.Fatalf("no question %s", id)
	}
	return q
}

func findResult(t *testing.T, res *examhall.ExamResults, candidate string) *examhall.Result {
	t.Helper()
	for _, r := range res.Results {
		if r.Candidate == candidate {
			return r
		}
	}
	t.Fatalf("no result for %s", candidate)
	return nil
}

// codeOf returns the API error code of a client error.
func codeOf(err error) string { return client.Code(err) }

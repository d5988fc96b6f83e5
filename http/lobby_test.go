package http_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// TestLobby signs candidates in before the exam opens: refused before the
// lobby, admitted during it with no question shown and nothing accepted,
// and every clock started at opens_at, whenever its candidate came.
func TestLobby(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	ctx := context.Background()
	staff := srv.Staff(t)
	opens := srv.Clock.Now().Add(10 * time.Minute).UTC().Truncate(time.Second)
	doc := examhalltest.AllTypesExam("lobby", 600)
	doc["opens_at"] = opens
	doc["closes_at"] = opens.Add(time.Hour)
	doc["lobby_seconds"] = 300
	exam := examhalltest.MustCreateExam(t, staff, doc)
	codes := examhalltest.MustIssue(t, staff, exam, 3)

	// Before the lobby: refused, saying when sign-in starts.
	_, err := srv.Client().Login(ctx, exam, codes[0].Candidate, codes[0].Code)
	if codeOf(err) != examhall.EExamNotOpen || !strings.Contains(err.Error(), opens.Add(-5*time.Minute).Format(time.RFC3339)) {
		t.Fatalf("login before the lobby: %v, want exam_not_open naming the start of sign-in", err)
	}

	srv.Clock.Advance(6 * time.Minute) // 4 minutes before opens_at
	early, login := srv.MustLogin(t, exam, codes[0])
	if !login.StartedAt.Equal(opens) || !login.Deadline.Equal(opens.Add(600*time.Second)) {
		t.Fatalf("lobby login: started %v, deadline %v; want the clock to start at opens_at %v", login.StartedAt, login.Deadline, opens)
	}
	paper, err := early.Paper(ctx, login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if !paper.Lobby || len(paper.Questions) != 0 || paper.Exam.Instructions == "" || !paper.StartedAt.Equal(opens) {
		t.Fatalf("paper in the lobby: lobby %v, %d questions, instructions %q, started %v; want the lobby, no question, the instructions",
			paper.Lobby, len(paper.Questions), paper.Exam.Instructions, paper.StartedAt)
	}
	if _, err := early.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)); codeOf(err) != examhall.EExamNotOpen {
		t.Errorf("save in the lobby: %v, want exam_not_open", err)
	}
	if _, err := early.Submit(ctx, login.Attempt, nil); codeOf(err) != examhall.EExamNotOpen {
		t.Errorf("submit in the lobby: %v, want exam_not_open", err)
	}

	srv.Clock.Advance(3 * time.Minute) // a later arrival in the lobby gets the same clock
	_, login2 := srv.MustLogin(t, exam, codes[1])
	if !login2.Deadline.Equal(login.Deadline) {
		t.Errorf("second lobby login: deadline %v, want the same %v", login2.Deadline, login.Deadline)
	}

	srv.Clock.Advance(90 * time.Second) // 30 s after opens_at
	paper, err = early.Paper(ctx, login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if paper.Lobby || len(paper.Questions) != 6 {
		t.Fatalf("paper after opening: lobby %v, %d questions; want the paper", paper.Lobby, len(paper.Questions))
	}
	if _, err := early.Save(ctx, login.Attempt, examhalltest.CorrectAnswers(1)); err != nil {
		t.Errorf("save after opening: %v", err)
	}
	_, late := srv.MustLogin(t, exam, codes[2])
	if want := srv.Clock.Now().Add(600 * time.Second); late.Deadline.Sub(want).Abs() > 2*time.Second {
		t.Errorf("login after opening: deadline %v, want its own start plus the duration (%v)", late.Deadline, want)
	}
}

// TestLobbyDocument checks the lobby_seconds field of the exam document.
func TestLobbyDocument(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	opens := time.Now().Add(time.Hour).UTC()
	tests := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"without opens_at", func(d map[string]any) { d["lobby_seconds"] = 60 }, "lobby_seconds"},
		{"negative", func(d map[string]any) { d["opens_at"] = opens; d["lobby_seconds"] = -1 }, "lobby_seconds"},
		{"more than a day", func(d map[string]any) { d["opens_at"] = opens; d["lobby_seconds"] = 86401 }, "lobby_seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := examhalltest.AllTypesExam("", 600)
			delete(doc, "id")
			tt.edit(doc)
			r := srv.Do(t, "POST", "/api/v1/admin/exams", staff.Token, doc)
			if r.Status != 400 || r.Code() != "bad_request" || !strings.Contains(string(r.Body), tt.field) {
				t.Errorf("exam with lobby %s: %d %s, want 400 bad_request naming %s", tt.name, r.Status, r.Body, tt.field)
			}
		})
	}
}

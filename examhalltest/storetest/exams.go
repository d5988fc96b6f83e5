package storetest

import (
	"slices"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// ExamStore: CreateExam stores a validated exam, EConflict for a taken id;
// Exam returns it validated, ENotFound for none.
func testCreateExam(t *testing.T, s *suite) {
	e := s.mustExam(t)
	got, err := s.Exams.Exam(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != e.Title || len(got.Questions) != 3 || !got.CreatedAt.Equal(e.CreatedAt) {
		t.Errorf("Exam = %q, %d questions, created %v; want %q, 3, %v", got.Title, len(got.Questions), got.CreatedAt, e.Title, e.CreatedAt)
	}
	if q, ok := got.Question("q1"); !ok || q.Points != 1 {
		t.Errorf("the stored exam's question q1 = %v, %v", q, ok)
	}
	if p, _ := examhall.Grade(mustQuestion(t, got, "q3"), []byte(`" paris "`)); p != 1 {
		t.Errorf("the stored exam grades a right answer %v, want 1: its keys were not prepared", p)
	}
	wantCode(t, "CreateExam of a taken id", s.Exams.CreateExam(ctx, e), examhall.EConflict)
	_, err = s.Exams.Exam(ctx, examhalltest.UniqueName("none"))
	wantCode(t, "Exam of no exam", err, examhall.ENotFound)
}

func mustQuestion(t *testing.T, e *examhall.Exam, id string) *examhall.Question {
	t.Helper()
	q, ok := e.Question(id)
	if !ok {
		t.Fatalf("no question %s", id)
	}
	return q
}

// ReplaceExam replaces the document; ENotFound for none, EConflict once
// an attempt has started. ReviseExam replaces it after that too.
func testReplaceExam(t *testing.T, s *suite) {
	e := s.mustExam(t)
	e2 := newExam(t)
	e2.ID, e2.Title = e.ID, "Replaced"
	if err := s.Exams.ReplaceExam(ctx, e2); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Exams.Exam(ctx, e.ID); err != nil || got.Title != "Replaced" {
		t.Errorf("after ReplaceExam: %v, %v; want the title Replaced", got, err)
	}
	none := newExam(t)
	wantCode(t, "ReplaceExam of no exam", s.Exams.ReplaceExam(ctx, none), examhall.ENotFound)
	s.mustAttempt(t, e, time.Now())
	wantCode(t, "ReplaceExam after an attempt started", s.Exams.ReplaceExam(ctx, e2), examhall.EConflict)
	// ReviseExam (a key correction) replaces it all the same.
	e2.Title = "Revised"
	if err := s.Exams.ReviseExam(ctx, e2); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Exams.Exam(ctx, e.ID); err != nil || got.Title != "Revised" {
		t.Errorf("after ReviseExam: %v, %v; want the title Revised", got, err)
	}
	wantCode(t, "ReviseExam of no exam", s.Exams.ReviseExam(ctx, none), examhall.ENotFound)
}

// Exams lists every exam, newest first.
func testExams(t *testing.T, s *suite) {
	older, newer := newExam(t), newExam(t)
	newer.CreatedAt = older.CreatedAt.Add(time.Second)
	for _, e := range []*examhall.Exam{older, newer} {
		if err := s.Exams.CreateExam(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	es, err := s.Exams.Exams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(es, func(e *examhall.Exam) bool { return e.ID == older.ID })
	j := slices.IndexFunc(es, func(e *examhall.Exam) bool { return e.ID == newer.ID })
	if i < 0 || j < 0 || j > i {
		t.Errorf("Exams lists the newer exam at %d and the older at %d; want both, newer first", j, i)
	}
}

// SetReleased and SetWindow change the exam's server state; SetWindow is
// ENotFound for no exam.
func testReleaseAndWindow(t *testing.T, s *suite) {
	e := s.mustExam(t)
	for _, released := range []bool{true, false} {
		if err := s.Exams.SetReleased(ctx, e.ID, released); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Exams.Exam(ctx, e.ID); err != nil || got.Released != released {
			t.Errorf("after SetReleased(%v): %v, %v", released, got.Released, err)
		}
	}
	opens := time.Now().UTC().Truncate(time.Millisecond)
	closes := opens.Add(time.Hour)
	if err := s.Exams.SetWindow(ctx, e.ID, &opens, &closes); err != nil {
		t.Fatal(err)
	}
	got, err := s.Exams.Exam(ctx, e.ID)
	if err != nil || got.OpensAt == nil || !got.OpensAt.Equal(opens) || got.ClosesAt == nil || !got.ClosesAt.Equal(closes) {
		t.Errorf("after SetWindow: opens %v closes %v (%v), want %v and %v", got.OpensAt, got.ClosesAt, err, opens, closes)
	}
	wantCode(t, "SetWindow of no exam", s.Exams.SetWindow(ctx, examhalltest.UniqueName("none"), nil, &closes), examhall.ENotFound)
}

// CandidateStore: PutCandidates creates or replaces (ENotFound for no
// exam); Candidate is ENotFound for none; Candidates are ordered by id.
func testCandidates(t *testing.T, s *suite) {
	e := s.mustExam(t)
	now := time.Now().UTC().Truncate(time.Millisecond)
	put := func(id string, hash string, extra int) *examhall.Candidate {
		return &examhall.Candidate{Exam: e.ID, ID: id, CodeHash: []byte(hash), ExtraSeconds: extra, CreatedAt: now}
	}
	if err := s.Candidates.PutCandidates(ctx, e.ID, []*examhall.Candidate{put("c2", "h2", 0), put("c1", "h1", 0)}); err != nil {
		t.Fatal(err)
	}
	opens, closes := now.Add(time.Hour), now.Add(2*time.Hour)
	c1 := put("c1", "new", 90)
	c1.Name, c1.Email, c1.OpensAt, c1.ClosesAt = "Ada Lovelace", "ada@example.org", &opens, &closes
	if err := s.Candidates.PutCandidates(ctx, e.ID, []*examhall.Candidate{c1}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Candidates.Candidate(ctx, e.ID, "c1")
	if err != nil || string(c.CodeHash) != "new" || c.ExtraSeconds != 90 || c.Name != c1.Name || c.Email != c1.Email ||
		c.OpensAt == nil || !c.OpensAt.Equal(opens) || c.ClosesAt == nil || !c.ClosesAt.Equal(closes) {
		t.Errorf("replaced candidate: %+v, %v; want the new hash, 90 s, name, email and own window", c, err)
	}
	cs, err := s.Candidates.Candidates(ctx, e.ID)
	if err != nil || len(cs) != 2 || cs[0].ID != "c1" || cs[1].ID != "c2" || cs[0].Name != c1.Name || cs[1].OpensAt != nil {
		t.Errorf("Candidates = %v, %v; want c1, c2", cs, err)
	}
	_, err = s.Candidates.Candidate(ctx, e.ID, "c3")
	wantCode(t, "Candidate of no candidate", err, examhall.ENotFound)
	err = s.Candidates.PutCandidates(ctx, examhalltest.UniqueName("none"), []*examhall.Candidate{put("c1", "h", 0)})
	wantCode(t, "PutCandidates of no exam", err, examhall.ENotFound)
}

// StaffStore: PutStaff creates or replaces; Staff is ENotFound for none.
func testStaff(t *testing.T, s *suite) {
	name := examhalltest.UniqueName("u")
	for _, role := range []string{examhall.RoleAdmin, "marker"} {
		if err := s.Staff.PutStaff(ctx, &examhall.Staff{Username: name, PasswordHash: "h-" + role, Role: role, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Staff.Staff(ctx, name)
	if err != nil || got.Role != "marker" || got.PasswordHash != "h-marker" {
		t.Errorf("Staff = %+v, %v; want the replaced account", got, err)
	}
	_, err = s.Staff.Staff(ctx, examhalltest.UniqueName("nobody"))
	wantCode(t, "Staff of nobody", err, examhall.ENotFound)
	// StaffList has every account (the store may be shared: look for ours);
	// DeleteStaff removes one, ENotFound the second time.
	list, err := s.Staff.StaffList(ctx)
	found := false
	for _, st := range list {
		found = found || (st.Username == name && st.Role == "marker")
	}
	if err != nil || !found {
		t.Errorf("StaffList: %v without %s", err, name)
	}
	if err := s.Staff.DeleteStaff(ctx, name); err != nil {
		t.Fatal(err)
	}
	_, err = s.Staff.Staff(ctx, name)
	wantCode(t, "Staff after DeleteStaff", err, examhall.ENotFound)
	wantCode(t, "DeleteStaff twice", s.Staff.DeleteStaff(ctx, name), examhall.ENotFound)
}

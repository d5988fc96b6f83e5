package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"examhall"
)

// openAt opens the database in dir with opt, failing the test on an error.
func openAt(t *testing.T, dir string, opt Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// foldExam creates an exam of three questions and begins attempts ids.
func foldExam(t *testing.T, db *DB, ids ...string) {
	t.Helper()
	ctx := context.Background()
	e := &examhall.Exam{ID: "x", Title: "X", DurationSeconds: 3600}
	for _, q := range []string{"q1", "q2", "q3"} {
		e.Questions = append(e.Questions, examhall.Question{ID: q, Type: examhall.TrueFalse, Points: 1, Answer: json.RawMessage(`true`)})
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateExam(ctx, e); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, id := range ids {
		a := &examhall.Attempt{ID: id, Exam: "x", Candidate: id, Status: examhall.InProgress, StartedAt: now, Deadline: now.Add(time.Hour), Due: now.Add(time.Hour)}
		if _, err := db.Begin(ctx, a, "s"); err != nil {
			t.Fatal(err)
		}
	}
}

// table reads the answers table itself: attempt/question -> response@seq.
func table(t *testing.T, db *DB) map[string]string {
	t.Helper()
	rows, err := db.rd.Query(`SELECT attempt, question, response, seq FROM answers`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var a, q, r string
		var seq int64
		if err := rows.Scan(&a, &q, &r, &seq); err != nil {
			t.Fatal(err)
		}
		out[a+"/"+q] = fmt.Sprintf("%s@%d", r, seq)
	}
	return out
}

func save(t *testing.T, db *DB, id, q, resp string, seq int64) {
	t.Helper()
	if _, err := db.Save(context.Background(), id, []examhall.Answer{{Question: q, Response: json.RawMessage(resp), Seq: seq}}); err != nil {
		t.Fatal(err)
	}
}

func answersOf(t *testing.T, db *DB, id string) map[string]string {
	t.Helper()
	as, err := db.Answers(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for q, a := range as {
		out[q] = fmt.Sprintf("%s@%d", a.Response, a.Seq)
	}
	return out
}

func examAnswers(t *testing.T, db *DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.ExamAnswers(context.Background(), "x", func(id string, as map[string]examhall.Answer) error {
		for q, a := range as {
			out[id+"/"+q] = fmt.Sprintf("%s@%d", a.Response, a.Seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// never keeps the folder from folding during a test.
var never = Options{FoldRows: 1 << 40, FoldIdle: 1000 * time.Hour}

// TestFoldReplaysTheLogAtOpen: saves that were never folded (the process
// stopped first, as after kill -9) are in the answers table once the
// database opens again, newest seq first and older ones ignored, and the
// answers read back are the ones acknowledged.
func TestFoldReplaysTheLogAtOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := openAt(t, dir, never)
	foldExam(t, db, "a", "b")
	save(t, db, "a", "q1", `true`, 1)
	save(t, db, "a", "q1", `false`, 2)
	save(t, db, "a", "q2", `true`, 1)
	save(t, db, "b", "q3", `false`, 5)
	save(t, db, "b", "q3", `true`, 6)
	if got := table(t, db); len(got) != 0 {
		t.Errorf("the table holds %v before any fold; saves should only be logged", got)
	}
	want := map[string]string{"a/q1": "false@2", "a/q2": "true@1", "b/q3": "true@6"}
	if diff := cmp.Diff(want, examAnswers(t, db)); diff != "" {
		t.Errorf("exam answers before the fold (-want +got):\n%s", diff)
	}
	// Close folds nothing: the log is the only copy of these saves.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, dir, never)
	defer db.Close()
	if diff := cmp.Diff(want, table(t, db)); diff != "" {
		t.Errorf("the table after the replay at open (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"q1": "false@2", "q2": "true@1"}, answersOf(t, db, "a")); diff != "" {
		t.Errorf("answers of a (-want +got):\n%s", diff)
	}
	// The replay is idempotent: the mark moved, and a second fold finds
	// nothing to do.
	if n, _, err := db.fold(ctx); err != nil || n != 0 {
		t.Errorf("a second fold folded %d rows (%v), want 0", n, err)
	}
	// A save after the replay, then an older seq (refused by the seq rule).
	save(t, db, "a", "q1", `true`, 3)
	save(t, db, "a", "q1", `false`, 1)
	if n, _, err := db.fold(ctx); err != nil || n != 1 {
		t.Errorf("the fold folded %d rows (%v), want the one accepted save", n, err)
	}
	if got := table(t, db)["a/q1"]; got != "true@3" {
		t.Errorf("a/q1 in the table is %s, want true@3", got)
	}
}

// TestFoldSubmitAndReopenWithoutFold: a submission writes every answer of
// the attempt to the table, so a submitted attempt, and a reopened one,
// reads its answers whole though its saves were never folded.
func TestFoldSubmitAndReopenWithoutFold(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := openAt(t, dir, never)
	foldExam(t, db, "a", "b")
	save(t, db, "a", "q1", `true`, 1)
	save(t, db, "a", "q2", `false`, 2)
	save(t, db, "b", "q1", `false`, 1)
	seal := func(s *examhall.Submission) { s.Receipt = "r" }
	final := []examhall.Answer{{Question: "q3", Response: json.RawMessage(`true`), Seq: 3}}
	if _, _, err := db.Submit(ctx, "a", final, time.Now(), false, seal); err != nil {
		t.Fatal(err)
	}
	wantA := map[string]string{"q1": "true@1", "q2": "false@2", "q3": "true@3"}
	if diff := cmp.Diff(wantA, answersOf(t, db, "a")); diff != "" {
		t.Errorf("answers of the submitted attempt (-want +got):\n%s", diff)
	}
	now := time.Now()
	if _, err := db.Reopen(ctx, "a", now.Add(time.Hour), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantA, answersOf(t, db, "a")); diff != "" {
		t.Errorf("answers of the reopened attempt (-want +got):\n%s", diff)
	}
	save(t, db, "a", "q1", `false`, 4)
	want := map[string]string{"a/q1": "false@4", "a/q2": "false@2", "a/q3": "true@3", "b/q1": "false@1"}
	if diff := cmp.Diff(want, examAnswers(t, db)); diff != "" {
		t.Errorf("exam answers (-want +got):\n%s", diff)
	}
	db.Close()
	db = openAt(t, dir, never)
	defer db.Close()
	if diff := cmp.Diff(want, examAnswers(t, db)); diff != "" {
		t.Errorf("exam answers after a restart (-want +got):\n%s", diff)
	}
}

// TestFoldInTheBackground: the folder folds once enough rows are logged,
// or once the log has been still, and saves meanwhile are kept.
func TestFoldInTheBackground(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opt  Options
	}{
		{"by rows", Options{FoldRows: 3, FoldIdle: 1000 * time.Hour}},
		{"when still", Options{FoldRows: 1 << 40, FoldIdle: time.Millisecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := openAt(t, t.TempDir(), tt.opt)
			defer db.Close()
			foldExam(t, db, "a")
			for seq := int64(1); seq <= 4; seq++ {
				save(t, db, "a", fmt.Sprint("q", 1+seq%3), fmt.Sprint(seq%2 == 0), seq)
			}
			want := map[string]string{"a/q1": "false@3", "a/q2": "true@4", "a/q3": "true@2"}
			deadline := time.Now().Add(30 * time.Second)
			for {
				got := table(t, db)
				if cmp.Equal(want, got) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the table after 30 s: %v, want %v", got, want)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if diff := cmp.Diff(map[string]string{"q1": "false@3", "q2": "true@4", "q3": "true@2"}, answersOf(t, db, "a")); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFoldInterrupted: a process that dies in the middle of a fold leaves
// part of the window in the table and the mark where it was; the replay
// at the next open folds the window again over it and loses nothing.
func TestFoldInterrupted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := openAt(t, dir, never)
	foldExam(t, db, "a", "b")
	save(t, db, "a", "q1", `true`, 1)
	save(t, db, "a", "q1", `false`, 2)
	save(t, db, "b", "q2", `true`, 1)
	// The first operation of a fold, and no more: a/q1 at its newest.
	err := db.w.do(ctx, func(t *wtx) error {
		return t.insertRows(answerInsert, answerUpsert, 5, []any{"a", "q1", `false`, int64(2), int64(0)})
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openAt(t, dir, never)
	defer db.Close()
	want := map[string]string{"a/q1": "false@2", "b/q2": "true@1"}
	if diff := cmp.Diff(want, table(t, db)); diff != "" {
		t.Errorf("the table after an interrupted fold and the replay (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, examAnswers(t, db)); diff != "" {
		t.Errorf("exam answers (-want +got):\n%s", diff)
	}
}

// TestFoldEmptyWindow: a window whose rows hold no answer still moves the
// mark, so it is not folded again at every tick and every open.
func TestFoldEmptyWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openAt(t, t.TempDir(), never)
	defer db.Close()
	err := db.w.do(ctx, func(t *wtx) error {
		t.addSave(1, "a", "[]")
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, keys, err := db.fold(ctx); err != nil || n != 1 || keys != 0 {
		t.Fatalf("fold of an empty window: %d rows, %d answers, %v; want 1, 0", n, keys, err)
	}
	if n, _, err := db.fold(ctx); err != nil || n != 0 {
		t.Errorf("the same window folded again: %d rows (%v)", n, err)
	}
}

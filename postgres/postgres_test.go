package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/postgres"
)

func open(t *testing.T) *postgres.DB {
	t.Helper()
	url, schema := examhalltest.PostgresSchema(t)
	db, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	n, err := db.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil || v != postgres.Latest() {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, postgres.Latest())
	}
}

func mustExam(t *testing.T, db *postgres.DB, id string) *examhall.Exam {
	t.Helper()
	doc, _ := json.Marshal(examhalltest.AllTypesExam(id, 600))
	e, err := examhall.ParseExam(doc)
	if err != nil {
		t.Fatal(err)
	}
	e.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	if err := db.CreateExam(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestExamsAndCandidates(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	e := mustExam(t, db, "math")
	if err := db.CreateExam(ctx, e); examhall.ErrorCode(err) != examhall.EConflict {
		t.Fatalf("second CreateExam: %v, want conflict", err)
	}
	got, err := db.Exam(ctx, "math")
	if err != nil || got.Title != e.Title || len(got.Questions) != 6 {
		t.Fatalf("Exam = %+v, %v", got, err)
	}
	if _, err := db.Exam(ctx, "nope"); examhall.ErrorCode(err) != examhall.ENotFound {
		t.Fatalf("Exam(nope): %v", err)
	}
	cs := []*examhall.Candidate{{ID: "c1", CodeHash: []byte{1}}, {ID: "c2", CodeHash: []byte{2}, ExtraSeconds: 60}}
	if err := db.PutCandidates(ctx, "math", cs); err != nil {
		t.Fatal(err)
	}
	cs[0].CodeHash = []byte{9}
	if err := db.PutCandidates(ctx, "math", cs[:1]); err != nil {
		t.Fatal(err)
	}
	c, err := db.Candidate(ctx, "math", "c1")
	if err != nil || c.CodeHash[0] != 9 {
		t.Fatalf("Candidate = %+v, %v; want the replaced code", c, err)
	}
	if err := db.PutCandidates(ctx, "nope", cs); examhall.ErrorCode(err) != examhall.ENotFound {
		t.Fatalf("PutCandidates(nope): %v", err)
	}
	a := examhall.NewAttempt("a1", e, c, time.Now())
	if _, created, err := db.CreateAttempt(ctx, a); err != nil || !created {
		t.Fatalf("CreateAttempt: %v %v", created, err)
	}
	if err := db.ReplaceExam(ctx, e); examhall.ErrorCode(err) != examhall.EConflict {
		t.Fatalf("ReplaceExam after an attempt: %v, want conflict", err)
	}
}

func ans(q, resp string, seq int64) examhall.Answer {
	return examhall.Answer{Question: q, Response: json.RawMessage(resp), Seq: seq}
}

func TestWriteBatchIsIdempotentAndKeepsNewest(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	e := mustExam(t, db, "math")
	c := &examhall.Candidate{Exam: "math", ID: "c1"}
	a := examhall.NewAttempt("a1", e, c, time.Now())
	if _, _, err := db.CreateAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	b := &postgres.Batch{
		Saves: []postgres.LogSave{
			{Part: 0, Offset: 1, Attempt: "a1", At: now, Answers: []examhall.Answer{ans("q1", `"a"`, 2), ans("q3", `true`, 1)}},
			{Part: 0, Offset: 2, Attempt: "a1", At: now, Answers: []examhall.Answer{ans("q1", `"c"`, 1)}},
		},
		Events: []postgres.LogEvent{{Part: 1, Offset: 7, Event: examhall.Event{At: now, Kind: "login", Exam: "math", Attempt: "a1", Candidate: "c1"}}},
	}
	for i := 0; i < 2; i++ {
		if _, err := db.WriteBatch(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	d, err := db.Drafts(ctx, "a1")
	if err != nil || string(d["q1"].Response) != `"a"` || d["q1"].Seq != 2 || len(d) != 2 {
		t.Fatalf("Drafts = %v, %v; want q1 \"a\" at seq 2 and q3", d, err)
	}
	evs, err := db.Events(ctx, "", "a1", 100)
	if err != nil || len(evs) != 3 {
		t.Fatalf("Events = %d, %v; want 1 login and 2 saves, each once", len(evs), err)
	}
	sub := postgres.LogSubmission{Exam: "math", Submission: examhall.Submission{Attempt: "a1", SubmittedAt: now, Receipt: "r1.x",
		Answers: map[string]examhall.Answer{"q1": ans("q1", `"b"`, 3)}}}
	second := sub
	second.Receipt, second.Answers = "r1.y", map[string]examhall.Answer{"q1": ans("q1", `"d"`, 4)}
	for _, s := range []postgres.LogSubmission{sub, sub, second} {
		if _, err := db.WriteBatch(ctx, &postgres.Batch{Submissions: []postgres.LogSubmission{s}}); err != nil {
			t.Fatal(err)
		}
	}
	// The first submission in the log is the one recorded, once.
	if s, err := db.Submission(ctx, "a1"); err != nil || s.Receipt != "r1.x" || s.Answers["q1"].Seq != 3 {
		t.Fatalf("Submission = %+v, %v; want the first, receipt r1.x with q1 at seq 3", s, err)
	}
	if d, _ := db.Drafts(ctx, "a1"); string(d["q1"].Response) != `"b"` || d["q1"].Seq != 3 {
		t.Fatalf("after the submissions q1 = %+v, want the first submission's \"b\" at seq 3", d["q1"])
	}
	got, err := db.Attempt(ctx, "a1")
	if err != nil || got.Status != examhall.Submitted || got.Receipt != "r1.x" {
		t.Fatalf("Attempt = %+v, %v", got, err)
	}
	// Saves after the submission do not change the final answers.
	late := &postgres.Batch{Saves: []postgres.LogSave{{Part: 0, Offset: 9, Attempt: "a1", At: now, Answers: []examhall.Answer{ans("q1", `"c"`, 9)}}}}
	if _, err := db.WriteBatch(ctx, late); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.Drafts(ctx, "a1"); d["q1"].Seq != 3 {
		t.Fatalf("after a late save q1 = %+v, want the submitted seq 3", d["q1"])
	}
}

func TestAnswerSetsKeepResponsesExactly(t *testing.T) {
	t.Parallel()
	db := open(t)
	ctx := context.Background()
	odd := []examhall.Answer{
		ans("q1", `"a \"quoted\" line\nwith ünïcode"`, 1), ans("q2", `["a","c"]`, 2), ans("q3", `null`, 3),
		ans("q4", `3.14`, 4), ans("q.5:x-y", `true`, 5),
	}
	b := &postgres.Batch{Saves: []postgres.LogSave{{Part: 0, Offset: 1, Attempt: "a1", At: time.Now(), Answers: odd}}}
	if _, err := db.WriteBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := db.Drafts(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range odd {
		var want, have any
		json.Unmarshal(a.Response, &want)
		json.Unmarshal(got[a.Question].Response, &have)
		if got[a.Question].Seq != a.Seq || fmt.Sprint(want) != fmt.Sprint(have) {
			t.Errorf("%s: got %s at %d, want %s at %d", a.Question, got[a.Question].Response, got[a.Question].Seq, a.Response, a.Seq)
		}
	}
}

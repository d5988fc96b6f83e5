// Package storetest is examhall's store contract suite: every promise that
// the interfaces of the root package's store.go make (the error codes of
// each method, the seq rule, a submission sealed by the first submit only,
// the leases of ClaimDue, ...) checked against an examhall.Backend. Both
// modes run it (package sqlite's and package scale's tests), so that the
// use cases of package hall can rely on the interfaces alone.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// Options say what kind of backend is under test.
type Options struct {
	// Lease is how long ClaimDue hides a claimed attempt from further
	// claims in a backend that several processes share; zero for one that
	// a single process owns.
	Lease time.Duration
}

// Run runs the suite on b. Every test works on exams of its own, so they
// run side by side on the one backend.
func Run(t *testing.T, b examhall.Backend, opt Options) {
	tests := []struct {
		name string
		fn   func(*testing.T, *suite)
	}{
		{"CreateExam", testCreateExam},
		{"ReplaceExam", testReplaceExam},
		{"ExamsNewestFirst", testExams},
		{"ReleaseAndWindow", testReleaseAndWindow},
		{"Candidates", testCandidates},
		{"Staff", testStaff},
		{"Begin", testBegin},
		{"ClaimDue", testClaimDue},
		{"Extend", testExtend},
		{"Reopen", testReopen},
		{"SaveSeqRule", testSaveSeqRule},
		{"SaveErrors", testSaveErrors},
		{"SubmitSealsOnce", testSubmit},
		{"ExamAnswers", testExamAnswers},
		{"StateKeys", testStateKeys},
		{"Marks", testMarks},
		{"Limiter", testLimiter},
		{"Audit", testAudit},
		{"Assets", testAssets},
		{"Uploads", testUploads},
		{"Ready", testReady},
		{"Once", testOnce},
		{"LTIPlatforms", testLTIPlatforms},
		{"LTIGrades", testLTIGrades},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, &suite{Backend: b, opt: opt})
		})
	}
}

// suite is the backend under test.
type suite struct {
	examhall.Backend
	opt Options
}

var ctx = context.Background()

// examDoc is a small exam of three questions, q1 to q3.
const examDoc = `{"id": %q, "title": "Store suite", "duration_seconds": 600, "questions": [
	{"id": "q1", "type": "single", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "a"},
	{"id": "q2", "type": "true_false", "answer": true},
	{"id": "q3", "type": "short_text", "answer": "Paris"}]}`

// newExam returns a validated exam of a fresh id, not stored.
func newExam(t *testing.T) *examhall.Exam {
	t.Helper()
	e, err := examhall.ParseExam(fmt.Appendf(nil, examDoc, examhalltest.UniqueName("e")))
	if err != nil {
		t.Fatal(err)
	}
	e.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	return e
}

// mustExam stores a fresh exam.
func (s *suite) mustExam(t *testing.T) *examhall.Exam {
	t.Helper()
	e := newExam(t)
	if err := s.Exams.CreateExam(ctx, e); err != nil {
		t.Fatalf("CreateExam: %v", err)
	}
	return e
}

// mustAttempt starts an attempt of a fresh candidate of e, started at
// start, with session "s1".
func (s *suite) mustAttempt(t *testing.T, e *examhall.Exam, start time.Time) *examhall.Attempt {
	t.Helper()
	c := &examhall.Candidate{Exam: e.ID, ID: examhalltest.UniqueName("c"), CodeHash: []byte("hash"), CreatedAt: start}
	if err := s.Candidates.PutCandidates(ctx, e.ID, []*examhall.Candidate{c}); err != nil {
		t.Fatalf("PutCandidates: %v", err)
	}
	a, err := s.Attempts.Begin(ctx, examhall.NewAttempt(examhalltest.UniqueName("a"), e, c, start), "s1")
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return a
}

// wantCode fails the test unless err carries code ("" for no error).
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := examhall.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func ans(q, resp string, seq int64) examhall.Answer {
	return examhall.Answer{Question: q, Response: json.RawMessage(resp), Seq: seq}
}

// kept renders answers as "seq response" by question, for comparison.
func kept(answers map[string]examhall.Answer) map[string]string {
	out := make(map[string]string, len(answers))
	for q, a := range answers {
		out[q] = fmt.Sprintf("%d %s", a.Seq, a.Response)
	}
	return out
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

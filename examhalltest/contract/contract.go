// Package contract is examhall's behaviour suite: the promises of the API
// (login, papers, the seq rule, submission, deadlines, resume, results,
// rate limits) checked through HTTP against a server of any mode. Embedded
// and scale mode both run it, so the modes cannot drift.
package contract

import (
	"context"
	"encoding/json"
	"examhall/hall"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// NewServer starts a fresh server of the mode under test.
type NewServer func(t *testing.T) *examhalltest.Server

// Run runs the suite; each test gets its own server.
func Run(t *testing.T, newServer NewServer) {
	tests := []struct {
		name string
		fn   func(*testing.T, *examhalltest.Server)
	}{
		{"Login", testLogin},
		{"PaperIsDeterministicAndKeyless", testPaper},
		{"SaveSeqRule", testSaveSeq},
		{"SubmitIsIdempotent", testSubmit},
		{"DeadlineAutoSubmitOnce", testDeadline},
		{"Resume", testResume},
		{"ResultsAfterRelease", testResults},
		{"LoginRateLimit", testRateLimit},
		{"CloseNowEndsAttempts", testCloseNow},
		{"WindowLaterKeepsTime", testWindowLater},
		{"CandidateTimeAndSitting", testCandidateUpdate},
		{"AttemptList", testAttemptList},
		{"ReopenSubmitted", testReopen},
		{"CandidatesFromCSV", testCandidatesCSV},
		{"ImportIsADraft", testImportDraft},
		{"RegradeAfterKeyCorrection", testRegrade},
		{"ReviewAfterRelease", testReview},
		{"PaperCarriesLanguage", testLanguage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newServer(t))
		})
	}
}

// setup creates an exam of every type with n candidates.
func setup(t *testing.T, s *examhalltest.Server, duration, n int) (string, []examhall.IssuedCode) {
	t.Helper()
	staff := s.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam(examhalltest.UniqueName("e"), duration))
	return exam, examhalltest.MustIssue(t, staff, exam, n)
}

func login(t *testing.T, s *examhalltest.Server, exam string, c examhall.IssuedCode) *examhall.LoginResult {
	t.Helper()
	_, res := s.MustLogin(t, exam, c)
	return res
}

func save(t *testing.T, s *examhalltest.Server, l *examhall.LoginResult, answers ...examhall.Answer) *examhalltest.Response {
	t.Helper()
	return s.Do(t, "PUT", "/api/v1/attempts/"+l.Attempt+"/answers", l.Token, map[string]any{"answers": answers})
}

func paper(t *testing.T, s *examhalltest.Server, l *examhall.LoginResult) *examhall.AttemptView {
	t.Helper()
	r := s.Do(t, "GET", "/api/v1/attempts/"+l.Attempt, l.Token, nil)
	if r.Status != 200 {
		t.Fatalf("paper: %d %s", r.Status, r.Body)
	}
	var v examhall.AttemptView
	r.Decode(t, &v)
	return &v
}

func ans(q, resp string, seq int64) examhall.Answer {
	return examhall.Answer{Question: q, Response: json.RawMessage(resp), Seq: seq}
}

func wantCode(t *testing.T, r *examhalltest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.Code() != code {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, status, code)
	}
}

func testLogin(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 2)
	r := s.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": codes[0].Candidate, "code": codes[1].Code})
	wantCode(t, r, 401, examhall.EInvalidCredentials)
	first := login(t, s, exam, codes[0])
	second := login(t, s, exam, codes[0])
	if first.Attempt != second.Attempt || !first.Deadline.Equal(second.Deadline) {
		t.Fatalf("second login: attempt %s deadline %v, want %s %v", second.Attempt, second.Deadline, first.Attempt, first.Deadline)
	}
	wantCode(t, s.Do(t, "GET", "/api/v1/attempts/"+first.Attempt, first.Token, nil), 401, examhall.EUnauthorized)
	paper(t, s, second)
	other := login(t, s, exam, codes[1])
	wantCode(t, s.Do(t, "GET", "/api/v1/attempts/"+first.Attempt, other.Token, nil), 403, examhall.EForbidden)
}

func testPaper(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 1)
	l := login(t, s, exam, codes[0])
	a, b := paper(t, s, l), paper(t, s, l)
	if len(a.Questions) != 6 {
		t.Fatalf("paper has %d questions, want 6", len(a.Questions))
	}
	for i := range a.Questions {
		if a.Questions[i].ID != b.Questions[i].ID {
			t.Fatalf("question order changed between loads: %v vs %v", a.Questions[i].ID, b.Questions[i].ID)
		}
	}
	r := s.Do(t, "GET", "/api/v1/attempts/"+l.Attempt, l.Token, nil)
	if strings.Contains(string(r.Body), `"answer"`) || strings.Contains(string(r.Body), "tolerance") {
		t.Fatalf("the paper leaks a key: %s", r.Body)
	}
}

func testSaveSeq(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 1)
	l := login(t, s, exam, codes[0])
	var res examhall.SaveResult
	r := save(t, s, l, ans("q1", `"a"`, 2), ans("q3", `true`, 1))
	if r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	r = save(t, s, l, ans("q1", `"c"`, 1), ans("q1", `"c"`, 2))
	r.Decode(t, &res)
	if r.Status != 200 || len(res.Saved) != 1 || res.Saved[0].Seq != 2 {
		t.Fatalf("stale save: %d %s, want q1 at seq 2", r.Status, r.Body)
	}
	wantCode(t, save(t, s, l, ans("q1", `"zz"`, 3)), 400, examhall.EBadRequest)
	if got := paper(t, s, l).Answers["q1"]; string(got.Response) != `"a"` || got.Seq != 2 {
		t.Fatalf("q1 = %s at %d, want \"a\" at 2", got.Response, got.Seq)
	}
	save(t, s, l, ans("q1", `"b"`, 3))
	if got := paper(t, s, l).Answers["q1"]; string(got.Response) != `"b"` || got.Seq != 3 {
		t.Fatalf("q1 = %s at %d, want \"b\" at 3", got.Response, got.Seq)
	}
}

func testSubmit(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 1)
	l := login(t, s, exam, codes[0])
	save(t, s, l, ans("q1", `"b"`, 1))
	var a, b examhall.SubmitResult
	r := s.Do(t, "POST", "/api/v1/attempts/"+l.Attempt+"/submit", l.Token, map[string]any{"answers": []examhall.Answer{ans("q3", `true`, 1)}})
	if r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &a)
	r = s.Do(t, "POST", "/api/v1/attempts/"+l.Attempt+"/submit", l.Token, map[string]any{"answers": []examhall.Answer{ans("q3", `true`, 1)}})
	r.Decode(t, &b)
	if r.Status != 200 || a.Receipt != b.Receipt || !a.SubmittedAt.Equal(b.SubmittedAt) || !strings.HasPrefix(a.Receipt, "r1.") {
		t.Fatalf("second submit: %d %+v, want the receipt %+v", r.Status, b, a)
	}
	wantCode(t, save(t, s, l, ans("q2", `["a"]`, 1)), 409, examhall.EAttemptClosed)
	v := paper(t, s, l)
	if v.Status != examhall.Submitted || v.Receipt != a.Receipt || len(v.Answers) != 2 {
		t.Fatalf("paper after submit: %s %s %v", v.Status, v.Receipt, v.Answers)
	}
}

func testDeadline(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 60, 1) // grace 5 s
	l := login(t, s, exam, codes[0])
	save(t, s, l, ans("q1", `"b"`, 1))
	s.Clock.Advance(63 * time.Second) // in grace
	if r := save(t, s, l, ans("q3", `true`, 1)); r.Status != 200 {
		t.Fatalf("save in grace: %d %s", r.Status, r.Body)
	}
	s.Clock.Advance(10 * time.Second)
	// What the sweeper's next tick does, now (the server's own sweeper may
	// be at it too: the attempt is submitted once all the same).
	if _, err := s.Hall.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	v := paper(t, s, l)
	if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(l.Deadline) || len(v.Answers) != 2 {
		t.Fatalf("after the deadline: status %s auto %v at %v (deadline %v), answers %v", v.Status, v.Auto, v.SubmittedAt, l.Deadline, v.Answers)
	}
	wantCode(t, save(t, s, l, ans("q4", `3`, 1)), 409, examhall.EAttemptClosed)
	// Exactly one automatic submission is audited (the embedded store also
	// logs the submission's answers, as an event with a detail).
	staff := s.Staff(t)
	var evs struct {
		Events []examhall.Event `json:"events"`
	}
	if err := staff.Do(context.Background(), "GET", "/api/v1/admin/exams/"+exam+"/events", nil, &evs); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs.Events {
		if e.Kind == "auto_submit" && e.Detail == "" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d auto_submit events, want 1: %+v", n, evs.Events)
	}
}

func testResume(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 1)
	l := login(t, s, exam, codes[0])
	save(t, s, l, examhalltest.CorrectAnswers(4)...)
	again := login(t, s, exam, codes[0])
	v := paper(t, s, again)
	if len(v.Answers) != 6 || v.Answers["q2"].Seq != 4 || string(v.Answers["q2"].Response) != `["c","a"]` {
		t.Fatalf("resumed answers: %v", v.Answers)
	}
}

func testResults(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 2)
	l := login(t, s, exam, codes[0])
	save(t, s, l, examhalltest.CorrectAnswers(1)...)
	if r := s.Do(t, "POST", "/api/v1/attempts/"+l.Attempt+"/submit", l.Token, nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	wantCode(t, s.Do(t, "GET", "/api/v1/attempts/"+l.Attempt+"/result", l.Token, nil), 403, examhall.EForbidden)
	staff := s.Staff(t)
	ctx := context.Background()
	if err := staff.Release(ctx, exam); err != nil {
		t.Fatal(err)
	}
	var res examhall.Result
	r := s.Do(t, "GET", "/api/v1/attempts/"+l.Attempt+"/result", l.Token, nil)
	r.Decode(t, &res)
	if r.Status != 200 || res.Score != 6 || res.MaxScore != 11 || res.Pending != 1 {
		t.Fatalf("result: %d %s; want 6 of 11 with the essay pending", r.Status, r.Body)
	}
	all, err := staff.Results(ctx, exam)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]examhall.AttemptStatus{}
	for _, r := range all.Results {
		got[r.Candidate] = r.Status
		if r.Candidate == codes[0].Candidate && r.Score != 6 {
			t.Fatalf("staff results score %v, want 6", r.Score)
		}
	}
	if got[codes[0].Candidate] != examhall.Submitted || got[codes[1].Candidate] != examhall.NotStarted {
		t.Fatalf("staff results: %v", got)
	}
}

func testRateLimit(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 1)
	body := map[string]string{"exam": exam, "candidate": codes[0].Candidate, "code": "WRONG"}
	// Failures are counted per client address: this test's is the loopback.
	for i := 0; i < hall.DefaultAddrFailures; i++ {
		wantCode(t, s.Do(t, "POST", "/api/v1/login", "", body), 401, examhall.EInvalidCredentials)
	}
	r := s.Do(t, "POST", "/api/v1/login", "", body)
	wantCode(t, r, 429, examhall.ERateLimited)
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// The address is checked before the code: from there even the right
	// code is refused until the wait ends (guessing learns nothing).
	if r := s.DoWith(t, nil, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": codes[0].Candidate, "code": codes[0].Code}); r.Status != 429 {
		t.Fatalf("the right code from the limited address: %d %s, want 429 (checked before the code)", r.Status, r.Body)
	}
}

// testLanguage: the exam document's language reaches the candidate's
// paper, and a value that is not a language tag is refused.
func testLanguage(t *testing.T, s *examhalltest.Server) {
	staff := s.Staff(t)
	doc := examhalltest.AllTypesExam(examhalltest.UniqueName("lang"), 600)
	doc["language"] = "bn-BD"
	exam := examhalltest.MustCreateExam(t, staff, doc)
	l := login(t, s, exam, examhalltest.MustIssue(t, staff, exam, 1)[0])
	if got := paper(t, s, l).Exam.Language; got != "bn-BD" {
		t.Errorf("paper's exam.language = %q, want bn-BD", got)
	}
	doc = examhalltest.AllTypesExam(examhalltest.UniqueName("lang"), 600)
	doc["language"] = "Bangla"
	raw, _ := json.Marshal(doc)
	_, err := staff.CreateExam(context.Background(), raw)
	if err == nil || !strings.Contains(err.Error(), "bad_request") || !strings.Contains(err.Error(), "language") {
		t.Errorf("an exam in \"Bangla\": %v, want bad_request naming language", err)
	}
}

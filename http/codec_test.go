package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"examhall"
	ehttp "examhall/http"
	"examhall/metrics"
)

// fakeService answers as told and records what it was asked: the codec's
// tests need no store. Methods it does not override panic (the embedded
// interfaces are nil), so a route that calls the wrong one fails loudly.
type fakeService struct {
	examhall.CandidateService
	examhall.StaffService
	examhall.LTIService
	examhall.SEBService

	err   error                         // returned by every overridden method
	calls []string                      // method, attempt or exam
	who   []*examhall.Identity          // the identity of each call
	saved [][]examhall.Answer           // what Save was given
	issue []*examhall.IssueRequest      // what IssueCodes was given
	ids   map[string]*examhall.Identity // token -> identity
}

var (
	candidateID = &examhall.Identity{Exam: "e1", Candidate: "c1", Attempt: "a1", Session: "s1"}
	staffID     = &examhall.Identity{Staff: "ada", Role: examhall.RoleAdmin}
)

func newFake() *fakeService {
	return &fakeService{ids: map[string]*examhall.Identity{"cand": candidateID, "staff": staffID}}
}

func (f *fakeService) Authenticate(_ context.Context, tok string) (*examhall.Identity, error) {
	if id, ok := f.ids[tok]; ok {
		return id, nil
	}
	return nil, examhall.Errorf(examhall.EUnauthorized, "The bearer token is not valid; sign in again.")
}

func (f *fakeService) record(ctx context.Context, call string) {
	f.calls = append(f.calls, call)
	f.who = append(f.who, examhall.IdentityFrom(ctx))
}

func (f *fakeService) Now() time.Time { return time.Date(2030, 6, 1, 9, 0, 0, 0, time.UTC) }

func (f *fakeService) Save(ctx context.Context, attempt string, answers []examhall.Answer) (*examhall.SaveResult, error) {
	f.record(ctx, "Save "+attempt)
	f.saved = append(f.saved, answers)
	if f.err != nil {
		return nil, f.err
	}
	return &examhall.SaveResult{Saved: []examhall.Saved{{Question: "q1", Seq: 4}}, Deadline: f.Now(), ServerTime: f.Now()}, nil
}

func (f *fakeService) Exams(ctx context.Context) (*examhall.ExamList, error) {
	f.record(ctx, "Exams")
	if f.err != nil {
		return nil, f.err
	}
	return &examhall.ExamList{Exams: []examhall.ExamSummary{{ID: "e1", Title: "One"}}}, nil
}

func (f *fakeService) IssueCodes(ctx context.Context, exam string, req *examhall.IssueRequest) (*examhall.IssuedCodes, error) {
	f.record(ctx, "IssueCodes "+exam)
	f.issue = append(f.issue, req)
	return &examhall.IssuedCodes{Candidates: []examhall.IssuedCode{}}, f.err
}

func (f *fakeService) Asset(ctx context.Context, exam, name string) (*examhall.Asset, error) {
	f.record(ctx, "Asset "+exam+"/"+name)
	return &examhall.Asset{Name: name, Type: "image/png", Data: []byte("png")}, f.err
}

type fakeReply struct {
	status int
	header http.Header
	body   string
}

func (r *fakeReply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

func (r *fakeReply) code(t *testing.T) string {
	t.Helper()
	var b examhall.ErrorBody
	r.decode(t, &b)
	return b.Error.Code
}

func serveFake(t *testing.T, f *fakeService, cfg ehttp.Config, method, path, token, body string) *fakeReply {
	t.Helper()
	srv := ehttp.NewServer(f, metrics.New(), slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	return &fakeReply{status: w.Code, header: w.Header(), body: w.Body.String()}
}

// TestCodecDecodesAndCarriesTheIdentity: a request reaches the service
// decoded, with the token's identity in its context, and the service's
// answer is encoded as it is.
func TestCodecDecodesAndCarriesTheIdentity(t *testing.T) {
	t.Parallel()
	f := newFake()
	r := serveFake(t, f, ehttp.Config{}, "PUT", "/api/v1/attempts/a1/answers", "cand",
		`{"answers": [{"question": "q1", "response": ["a", "b"], "seq": 4}]}`)
	if r.status != 200 {
		t.Fatalf("save = %d %s", r.status, r.body)
	}
	want := []examhall.Answer{{Question: "q1", Response: json.RawMessage(`["a", "b"]`), Seq: 4}}
	if diff := cmp.Diff([][]examhall.Answer{want}, f.saved); diff != "" {
		t.Errorf("the service was given (-want +got):\n%s", diff)
	}
	if len(f.who) != 1 || f.who[0] != candidateID {
		t.Errorf("the service saw identities %v, want the token's candidate", f.who)
	}
	var got examhall.SaveResult
	r.decode(t, &got)
	if len(got.Saved) != 1 || got.Saved[0] != (examhall.Saved{Question: "q1", Seq: 4}) || !got.ServerTime.Equal(f.Now()) {
		t.Errorf("answer = %+v, want the service's", got)
	}

	r = serveFake(t, f, ehttp.Config{}, "POST", "/api/v1/admin/exams/e1/candidates", "staff",
		`{"candidates": ["x", {"id": "y", "extra_time_seconds": 60}], "extra_time_seconds": 30}`)
	if r.status != 200 {
		t.Fatalf("issue = %d %s", r.status, r.body)
	}
	wantIssue := &examhall.IssueRequest{Candidates: []examhall.CandidateSpec{{ID: "x"}, {ID: "y", ExtraSeconds: 60}}, ExtraSeconds: 30}
	if diff := cmp.Diff([]*examhall.IssueRequest{wantIssue}, f.issue); diff != "" {
		t.Errorf("IssueCodes was given (-want +got):\n%s", diff)
	}

	r = serveFake(t, f, ehttp.Config{}, "GET", "/api/v1/time", "", "")
	var tr examhall.TimeResult
	r.decode(t, &tr)
	if r.status != 200 || !tr.ServerTime.Equal(f.Now()) {
		t.Errorf("time = %d %s", r.status, r.body)
	}
}

// TestCodecAuthentication: a route refuses a missing, bad or wrong-kind
// token before its body is read or the service is asked; assets take an
// optional token.
func TestCodecAuthentication(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"no token", "PUT", "/api/v1/attempts/a1/answers", "", `{"answers":[]}`, 401, examhall.EUnauthorized},
		{"bad token", "PUT", "/api/v1/attempts/a1/answers", "forged", `{"answers":[]}`, 401, examhall.EUnauthorized},
		{"staff token on a candidate route, bad body", "PUT", "/api/v1/attempts/a1/answers", "staff", `{"answers": [`, 403, examhall.EForbidden},
		{"candidate token on a staff route, bad body", "POST", "/api/v1/admin/exams", "cand", `{}`, 403, examhall.EForbidden},
		{"candidate token on an import", "POST", "/api/v1/admin/import", "cand", `not a file`, 403, examhall.EForbidden},
		{"staff route without a token", "GET", "/api/v1/admin/exams", "", "", 401, examhall.EUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			r := serveFake(t, f, ehttp.Config{}, tt.method, tt.path, tt.token, tt.body)
			if r.status != tt.status || r.code(t) != tt.code {
				t.Errorf("%s %s = %d %s, want %d %s", tt.method, tt.path, r.status, r.body, tt.status, tt.code)
			}
			if len(f.calls) != 0 {
				t.Errorf("the service was asked %v", f.calls)
			}
		})
	}
	t.Run("asset with a bad token", func(t *testing.T) {
		f := newFake()
		r := serveFake(t, f, ehttp.Config{}, "GET", "/api/v1/exams/e1/assets/a.png", "forged", "")
		if r.status != 200 || r.body != "png" || len(f.who) != 1 || f.who[0] != nil {
			t.Errorf("asset = %d %q, identities %v; want the asset, asked with no identity", r.status, r.body, f.who)
		}
	})
	t.Run("asset with a staff token", func(t *testing.T) {
		f := newFake()
		serveFake(t, f, ehttp.Config{}, "GET", "/api/v1/exams/e1/assets/a.png", "staff", "")
		if len(f.who) != 1 || f.who[0] != staffID {
			t.Errorf("identities %v, want the staff token's", f.who)
		}
	})
}

// TestCodecErrors: every error code of the service has its status and
// API.md's error body; Retry-After where a retry is invited; nothing of
// an internal error reaches the client.
func TestCodecErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err        error
		status     int
		code       string
		retryAfter string
	}{
		{examhall.Errorf(examhall.EBadRequest, "bad"), 400, examhall.EBadRequest, ""},
		{examhall.Errorf(examhall.EUnauthorized, "who?"), 401, examhall.EUnauthorized, ""},
		{examhall.Errorf(examhall.EForbidden, "no"), 403, examhall.EForbidden, ""},
		{examhall.Errorf(examhall.ENotFound, "none"), 404, examhall.ENotFound, ""},
		{examhall.Errorf(examhall.EExamNotOpen, "later"), 403, examhall.EExamNotOpen, ""},
		{examhall.Errorf(examhall.EAttemptClosed, "closed"), 409, examhall.EAttemptClosed, ""},
		{examhall.Errorf(examhall.EConflict, "taken"), 409, examhall.EConflict, ""},
		{examhall.Errorf(examhall.ETooLarge, "big"), 413, examhall.ETooLarge, ""},
		{&examhall.RetryError{Err: examhall.Errorf(examhall.ERateLimited, "slow down"), After: 41 * time.Second}, 429, examhall.ERateLimited, "41"},
		{examhall.Unavailable(errors.New("broker down")), 503, examhall.EUnavailable, "1"},
		{errors.New("disk on fire at /var/lib/secret"), 500, examhall.EInternal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			f := newFake()
			f.err = tt.err
			r := serveFake(t, f, ehttp.Config{}, "GET", "/api/v1/admin/exams", "staff", "")
			if r.status != tt.status || r.code(t) != tt.code {
				t.Errorf("status %d %s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if got := r.header.Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
			}
			if strings.Contains(r.body, "secret") || strings.Contains(r.body, "broker") {
				t.Errorf("the body leaks the cause: %s", r.body)
			}
		})
	}
}

// TestCodecReadiness: /readyz follows the configured check and hides its
// error; /healthz does not.
func TestCodecReadiness(t *testing.T) {
	t.Parallel()
	down := ehttp.Config{Ready: func(context.Context) error { return errors.New("dial tcp 10.0.0.1:5432: refused") }}
	r := serveFake(t, newFake(), down, "GET", "/readyz", "", "")
	if r.status != 503 || r.code(t) != examhall.EUnavailable || r.header.Get("Retry-After") == "" || strings.Contains(r.body, "10.0.0.1") {
		t.Errorf("/readyz with a dependency down = %d %s (Retry-After %q)", r.status, r.body, r.header.Get("Retry-After"))
	}
	if r := serveFake(t, newFake(), down, "GET", "/healthz", "", ""); r.status != 200 {
		t.Errorf("/healthz with a dependency down = %d, want 200: the process is alive", r.status)
	}
	if r := serveFake(t, newFake(), ehttp.Config{}, "GET", "/readyz", "", ""); r.status != 200 {
		t.Errorf("/readyz = %d %s, want 200", r.status, r.body)
	}
}

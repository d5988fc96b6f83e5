package http_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"examhall/examhalltest"
)

// TestBadInput sends each kind of bad request and checks the error shape and
// code, and that the attempt did not change.
func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("bad", 3600))
	codes := examhalltest.MustIssue(t, staff, exam, 2)
	var me, other struct{ Token, Attempt string }
	srv.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": codes[0].Candidate, "code": codes[0].Code}).Decode(t, &me)
	srv.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": codes[1].Candidate, "code": codes[1].Code}).Decode(t, &other)
	path := "/api/v1/attempts/" + me.Attempt
	if r := srv.Do(t, "PUT", path+"/answers", me.Token, `{"answers":[{"question":"q1","response":"a","seq":5}]}`); r.Status != 200 {
		t.Fatalf("setup save: %d %s", r.Status, r.Body)
	}
	before := srv.Do(t, "GET", path, me.Token, nil)

	forged := me.Token[:len(me.Token)-4] + "AAAA"
	huge := `{"answers":[{"question":"q6","response":"` + strings.Repeat("x", 2<<20) + `","seq":9}]}`
	tests := []struct {
		name, method, path, token string
		body                      any
		status                    int
		code                      string
	}{
		{"login malformed JSON", "POST", "/api/v1/login", "", `{"exam": `, 400, "bad_request"},
		{"login empty body", "POST", "/api/v1/login", "", ``, 400, "bad_request"},
		{"login missing code", "POST", "/api/v1/login", "", `{"exam": "bad", "candidate": "c00001"}`, 400, "bad_request"},
		{"login unknown field", "POST", "/api/v1/login", "", `{"exam": "bad", "candidate": "c00001", "code": "x", "pin": 1}`, 400, "bad_request"},
		{"login wrong code", "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": codes[0].Candidate, "code": "WRONG-CODE-0000"}, 401, "invalid_credentials"},
		{"login unknown candidate", "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": "nobody", "code": codes[0].Code}, 401, "invalid_credentials"},
		{"login unknown exam", "POST", "/api/v1/login", "", map[string]string{"exam": "nope", "candidate": codes[0].Candidate, "code": codes[0].Code}, 401, "invalid_credentials"},
		{"login oversized", "POST", "/api/v1/login", "", `{"exam":"` + strings.Repeat("x", 20000) + `"}`, 413, "too_large"},
		{"save malformed JSON", "PUT", path + "/answers", me.Token, `{"answers": [`, 400, "bad_request"},
		{"save not an object", "PUT", path + "/answers", me.Token, `[1]`, 400, "bad_request"},
		{"save misspelt field", "PUT", path + "/answers", me.Token, `{"answer": [{"question":"q1","response":"b","seq":9}]}`, 400, "bad_request"},
		{"save without answers", "PUT", path + "/answers", me.Token, `{}`, 400, "bad_request"},
		{"save wrong shape", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q2","response":"a","seq":9}]}`, 400, "bad_request"},
		{"save unknown option", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q1","response":"z","seq":9}]}`, 400, "bad_request"},
		{"save unknown question", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q99","response":"a","seq":9}]}`, 400, "bad_request"},
		{"save without seq", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q1","response":"b"}]}`, 400, "bad_request"},
		{"save negative seq", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q1","response":"b","seq":-1}]}`, 400, "bad_request"},
		{"save fractional seq", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q1","response":"b","seq":1.5}]}`, 400, "bad_request"},
		{"save without response", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q1","seq":9}]}`, 400, "bad_request"},
		{"save one bad answer among good", "PUT", path + "/answers", me.Token, `{"answers":[{"question":"q1","response":"b","seq":9},{"question":"q3","response":"yes","seq":9}]}`, 400, "bad_request"},
		{"save invalid UTF-8", "PUT", path + "/answers", me.Token, "{\"answers\":[{\"question\":\"q6\",\"response\":\"caf\xe9\",\"seq\":9}]}", 400, "bad_request"},
		{"submit invalid UTF-8", "POST", path + "/submit", me.Token, "{\"answers\":[{\"question\":\"q6\",\"response\":\"\xff\xfe\",\"seq\":9}]}", 400, "bad_request"},
		{"login invalid UTF-8", "POST", "/api/v1/login", "", "{\"exam\":\"\xc3\",\"candidate\":\"x\",\"code\":\"y\"}", 400, "bad_request"},
		{"save oversized", "PUT", path + "/answers", me.Token, huge, 413, "too_large"},
		{"save without token", "PUT", path + "/answers", "", `{"answers":[]}`, 401, "unauthorized"},
		{"save with forged token", "PUT", path + "/answers", forged, `{"answers":[]}`, 401, "unauthorized"},
		{"save with garbage token", "PUT", path + "/answers", "not-a-token", `{"answers":[]}`, 401, "unauthorized"},
		{"save to another candidate's attempt", "PUT", "/api/v1/attempts/" + other.Attempt + "/answers", me.Token, `{"answers":[{"question":"q1","response":"b","seq":9}]}`, 403, "forbidden"},
		{"paper of another candidate", "GET", "/api/v1/attempts/" + other.Attempt, me.Token, nil, 403, "forbidden"},
		{"submit another candidate's attempt", "POST", "/api/v1/attempts/" + other.Attempt + "/submit", me.Token, `{}`, 403, "forbidden"},
		{"result of another candidate", "GET", "/api/v1/attempts/" + other.Attempt + "/result", me.Token, nil, 403, "forbidden"},
		{"submit malformed JSON", "POST", path + "/submit", me.Token, `{"answers": 1}`, 400, "bad_request"},
		{"submit wrong shape", "POST", path + "/submit", me.Token, `{"answers":[{"question":"q4","response":"pi","seq":9}]}`, 400, "bad_request"},
		{"staff endpoint with a candidate token", "GET", "/api/v1/admin/exams", me.Token, nil, 403, "forbidden"},
		{"staff results with a candidate token", "GET", "/api/v1/admin/exams/" + exam + "/results", me.Token, nil, 403, "forbidden"},
		{"create exam with a candidate token", "POST", "/api/v1/admin/exams", me.Token, `{}`, 403, "forbidden"},
		{"candidate endpoint with a staff token", "PUT", path + "/answers", staff.Token, `{"answers":[{"question":"q1","response":"b","seq":9}]}`, 403, "forbidden"},
		{"staff endpoint without a token", "GET", "/api/v1/admin/exams", "", nil, 401, "unauthorized"},
		{"staff login wrong password", "POST", "/api/v1/admin/login", "", map[string]string{"username": "admin", "password": "nope"}, 401, "invalid_credentials"},
		{"create exam unknown field", "POST", "/api/v1/admin/exams", staff.Token, `{"title":"x","duration_seconds":60,"questions":[],"colour":"red"}`, 400, "bad_request"},
		{"create exam duplicate id", "POST", "/api/v1/admin/exams", staff.Token, examhalltest.AllTypesExam("bad", 60), 409, "conflict"},
		{"issue codes to a missing exam", "POST", "/api/v1/admin/exams/nope/candidates", staff.Token, `{"count": 2}`, 404, "not_found"},
		{"issue codes with both forms", "POST", "/api/v1/admin/exams/" + exam + "/candidates", staff.Token, `{"count": 2, "candidates": ["x"]}`, 400, "bad_request"},
		{"issue codes to a bad id", "POST", "/api/v1/admin/exams/" + exam + "/candidates", staff.Token, `{"candidates": ["a b"]}`, 400, "bad_request"},
		{"unknown path", "GET", "/api/v1/nothing", "", nil, 404, "not_found"},
		{"wrong method", "DELETE", path, me.Token, nil, 405, "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := srv.Do(t, tt.method, tt.path, tt.token, tt.body)
			if r.Status != tt.status || r.Code() != tt.code {
				t.Fatalf("%s %s = %d %s, want %d %s", tt.method, tt.path, r.Status, r.Body, tt.status, tt.code)
			}
			checkErrorShape(t, r)
		})
	}
	after := srv.Do(t, "GET", path, me.Token, nil)
	var b, a struct{ Answers, Status any }
	before.Decode(t, &b)
	after.Decode(t, &a)
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("bad requests changed the attempt (-before +after):\n%s", diff)
	}
}

// checkErrorShape checks the body is exactly API.md's error object.
func checkErrorShape(t *testing.T, r *examhalltest.Response) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := dec.Decode(&e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("error body %s is not {\"error\": {\"code\", \"message\"}}: %v", r.Body, err)
	}
	if strings.Contains(string(r.Body), "goroutine") || strings.Contains(string(r.Body), "<html") {
		t.Errorf("error body leaks internals: %s", r.Body)
	}
}

// TestExpiredToken checks that a token past its expiry is refused.
func TestExpiredToken(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("exp", 60))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	var l struct{ Token, Attempt string }
	srv.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": code.Candidate, "code": code.Code}).Decode(t, &l)
	srv.Clock.Advance(13 * time.Hour)
	r := srv.Do(t, "GET", "/api/v1/attempts/"+l.Attempt, l.Token, nil)
	if r.Status != 401 || r.Code() != "unauthorized" || !strings.Contains(string(r.Body), "expired") {
		t.Errorf("expired token: %d %s, want 401 unauthorized saying it expired", r.Status, r.Body)
	}
}

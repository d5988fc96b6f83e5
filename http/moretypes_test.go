package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"examhall"
	"examhall/examhalltest"
)

// candidateLogin logs a candidate in over the API and returns the token
// and attempt.
func candidateLogin(t *testing.T, srv *examhalltest.Server, exam string, n int) (string, string) {
	t.Helper()
	code := examhalltest.MustIssue(t, srv.Staff(t), exam, n)[n-1]
	var out struct{ Token, Attempt string }
	r := srv.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": code.Candidate, "code": code.Code})
	if r.Status != 200 {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &out)
	return out.Token, out.Attempt
}

// uploadFile posts a file to an upload question.
func uploadFile(t *testing.T, srv *examhalltest.Server, token, attempt, question, name, ctype string, data []byte) *examhalltest.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/attempts/"+attempt+"/uploads/"+question+"?name="+name, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &examhalltest.Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// TestMoreTypes saves, submits and grades every question type beyond the
// core through the API, uploads a file and shows it to staff, and refuses
// responses of the wrong shape with bad_request. It runs in both modes.
func TestMoreTypes(t *testing.T) {
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.MoreTypesExam("more", 3600))
	token, attempt := candidateLogin(t, srv, exam, 1)

	// The paper has every type, and no key.
	p := srv.Do(t, "GET", "/api/v1/attempts/"+attempt, token, nil)
	if p.Status != 200 || strings.Contains(string(p.Body), `"answer"`) || strings.Contains(string(p.Body), "Paris") {
		t.Fatalf("paper: %d %s", p.Status, p.Body)
	}

	// Wrong shapes are refused whole.
	for q, bad := range map[string]string{"cz": `["Paris"]`, "gm": `{"g1": "pear"}`, "ht": `["h1","h2","h3"]`,
		"hs": `"a"`, "sp": `[{"x": -1, "y": 0}]`, "up": `{"ref": "u1.forged", "name": "x.pdf", "type": "application/pdf", "size": 1, "sha256": "` + strings.Repeat("0", 64) + `"}`,
		"mp": `{"b": "boiling"}`} {
		r := srv.Do(t, "PUT", "/api/v1/attempts/"+attempt+"/answers", token, `{"answers": [{"question": "`+q+`", "response": `+bad+`, "seq": 1}]}`)
		if r.Status != 400 || r.Code() != "bad_request" {
			t.Errorf("%s = %s: %d %s, want 400 bad_request", q, bad, r.Status, r.Body)
		}
	}

	// Uploads: limits, then a file whose reference the answer carries.
	if r := uploadFile(t, srv, token, attempt, "up", "big.txt", "text/plain", bytes.Repeat([]byte("x"), 3000)); r.Status != 413 || r.Code() != "too_large" {
		t.Errorf("a file over max_bytes: %d %s, want 413", r.Status, r.Body)
	}
	if r := uploadFile(t, srv, token, attempt, "up", "run.exe", "application/octet-stream", []byte("MZ")); r.Status != 400 {
		t.Errorf("a file of another type: %d %s, want 400", r.Status, r.Body)
	}
	if r := uploadFile(t, srv, token, attempt, "cz", "a.txt", "text/plain", []byte("x")); r.Status != 400 {
		t.Errorf("a file for a cloze question: %d %s, want 400", r.Status, r.Body)
	}
	essay := []byte("My essay, in plain text.")
	up := uploadFile(t, srv, token, attempt, "up", "essay.txt", "text/plain; charset=utf-8", essay)
	if up.Status != 201 {
		t.Fatalf("upload: %d %s", up.Status, up.Body)
	}
	var ref examhall.UploadRef
	up.Decode(t, &ref)
	if ref.Name != "essay.txt" || ref.Type != "text/plain" || ref.Size != int64(len(essay)) || !strings.HasPrefix(ref.Ref, "u1.") {
		t.Errorf("upload reference %s", up.Body)
	}
	photo := uploadMultipart(t, srv, token, attempt, "mp.c", "ice.png", "image/png", []byte("\x89PNG fake"))
	var answers []map[string]any
	for q, a := range examhalltest.MoreTypesAnswers {
		answers = append(answers, map[string]any{"question": q, "response": json.RawMessage(a.Response), "seq": 1})
	}
	answers = append(answers, map[string]any{"question": "up", "response": json.RawMessage(up.Body), "seq": 1})
	r := srv.Do(t, "PUT", "/api/v1/attempts/"+attempt+"/answers", token, map[string]any{"answers": answers})
	if r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	// A reference signed for another question is refused.
	r = srv.Do(t, "PUT", "/api/v1/attempts/"+attempt+"/answers", token, `{"answers": [{"question": "mp", "response": {"a": "x", "b": 100, "c": `+string(up.Body)+`}, "seq": 2}]}`)
	if r.Status != 400 {
		t.Errorf("a reference of another question: %d %s", r.Status, r.Body)
	}
	final := `{"answers": [{"question": "mp", "response": {"a": "x", "b": 100, "c": ` + string(photo) + `}, "seq": 3}]}`
	if r := srv.Do(t, "POST", "/api/v1/attempts/"+attempt+"/submit", token, final); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}

	// Staff see the grades (uploads await marking) and the files.
	d := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/attempts/"+attempt, staff.Token, nil)
	var detail struct {
		Result examhall.Result
	}
	d.Decode(t, &detail)
	got := map[string]examhall.QuestionResult{}
	for _, q := range detail.Result.Questions {
		got[q.Question] = q
	}
	for q, a := range examhalltest.MoreTypesAnswers {
		if got[q].Points != a.Points {
			t.Errorf("%s scored %v, want %v (response %s)", q, got[q].Points, a.Points, got[q].Response)
		}
	}
	if !got["up"].Pending || !got["mp"].Pending || detail.Result.Pending != 2 {
		t.Errorf("uploads should await marking: up %+v, mp %+v, pending %d", got["up"], got["mp"], detail.Result.Pending)
	}
	f := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/attempts/"+attempt+"/uploads/"+ref.SHA256, staff.Token, nil)
	if f.Status != 200 || !bytes.Equal(f.Body, essay) || !strings.HasPrefix(f.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("staff download: %d %q %v", f.Status, f.Body, f.Header)
	}
	if f := srv.Do(t, "GET", "/api/v1/attempts/"+attempt+"/uploads/"+ref.SHA256, token, nil); f.Status != 200 || !bytes.Equal(f.Body, essay) {
		t.Errorf("candidate download: %d %q", f.Status, f.Body)
	}
	other, _ := candidateLogin(t, srv, exam, 2)
	if f := srv.Do(t, "GET", "/api/v1/attempts/"+attempt+"/uploads/"+ref.SHA256, other, nil); f.Status != 403 {
		t.Errorf("another candidate's download: %d, want 403", f.Status)
	}
	// Uploads after submission are refused.
	if r := uploadFile(t, srv, token, attempt, "up", "late.txt", "text/plain", []byte("late")); r.Status != 409 {
		t.Errorf("upload after submission: %d %s, want 409", r.Status, r.Body)
	}
}

// uploadMultipart posts a file as a form, as a browser's form would.
func uploadMultipart(t *testing.T, srv *examhalltest.Server, token, attempt, question, name, ctype string, data []byte) []byte {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + name + `"`}
	h["Content-Type"] = []string{ctype}
	w, _ := mw.CreatePart(h)
	w.Write(data)
	mw.Close()
	r := uploadFile(t, srv, token, attempt, question, "", mw.FormDataContentType(), body.Bytes())
	if r.Status != 201 {
		t.Fatalf("multipart upload: %d %s", r.Status, r.Body)
	}
	return r.Body
}

package http_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"examhall"
	"examhall/examhalltest"
)

const (
	sebConfigKey = "a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
	sebExamKey   = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
)

// tamper changes the first digit of a hash.
func tamper(h string) string {
	if h[0] == 'f' {
		return "0" + h[1:]
	}
	return "f" + h[1:]
}

func sebHash(url, key string) string {
	sum := sha256.Sum256([]byte(url + key))
	return hex.EncodeToString(sum[:])
}

// doSEB sends a request with one Safe Exam Browser header (none when
// header is empty).
func doSEB(t *testing.T, srv *examhalltest.Server, method, path, token string, body any, header, value string) *examhalltest.Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if header != "" {
		req.Header.Set(header, value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &examhalltest.Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

func sebExam(id string) map[string]any {
	doc := examhalltest.AllTypesExam(id, 3600)
	doc["safe_exam_browser"] = map[string]any{"config_keys": []string{strings.ToUpper(sebConfigKey)}, "browser_exam_keys": []string{sebExamKey}}
	return doc
}

// TestSafeExamBrowser: an exam that requires SEB refuses every candidate
// request without the right hash of its own URL, login included.
func TestSafeExamBrowser(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, sebExam("seb-exam"))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	login := map[string]string{"exam": exam, "candidate": code.Candidate, "code": code.Code}
	const ck, rh = "X-SafeExamBrowser-ConfigKeyHash", "X-SafeExamBrowser-RequestHash"

	loginURL := srv.URL + "/api/v1/login"
	for _, tc := range []struct{ name, header, value string }{
		{"no header", "", ""},
		{"hash of another key", ck, sebHash(loginURL, strings.Repeat("0", 64))},
		{"hash of another URL", ck, sebHash(srv.URL+"/api/v1/other", sebConfigKey)},
		{"config key sent in the request hash", rh, sebHash(loginURL, sebConfigKey)},
		{"tampered hash", ck, tamper(sebHash(loginURL, sebConfigKey))},
		{"the key itself", ck, sebConfigKey},
		{"not hex", ck, "not-a-hash"},
	} {
		r := doSEB(t, srv, "POST", "/api/v1/login", "", login, tc.header, tc.value)
		if r.Status != http.StatusForbidden || r.Code() != examhall.ESEBRequired || !strings.Contains(string(r.Body), "Safe Exam Browser") {
			t.Errorf("login, %s: %d %s, want 403 seb_required", tc.name, r.Status, r.Body)
		}
	}
	r := doSEB(t, srv, "POST", "/api/v1/login", "", login, ck, strings.ToUpper(sebHash(loginURL, sebConfigKey)))
	if r.Status != 200 {
		t.Fatalf("login with the config key's hash: %d %s", r.Status, r.Body)
	}
	var res examhall.LoginResult
	r.Decode(t, &res)
	paper := "/api/v1/attempts/" + res.Attempt
	if r := doSEB(t, srv, "GET", paper, res.Token, nil, "", ""); r.Code() != examhall.ESEBRequired {
		t.Errorf("paper without a hash: %d %s", r.Status, r.Body)
	}
	if r := doSEB(t, srv, "GET", paper, res.Token, nil, ck, sebHash(loginURL, sebConfigKey)); r.Code() != examhall.ESEBRequired {
		t.Errorf("paper with the login's hash: %d %s", r.Status, r.Body)
	}
	if r := doSEB(t, srv, "GET", paper, res.Token, nil, ck, sebHash(srv.URL+paper, sebConfigKey)); r.Status != 200 {
		t.Errorf("paper with its hash: %d %s", r.Status, r.Body)
	}
	if r := doSEB(t, srv, "GET", paper+"?x=1", res.Token, nil, ck, sebHash(srv.URL+paper+"?x=1", sebConfigKey)); r.Status != 200 {
		t.Errorf("paper with a query and its hash: %d %s", r.Status, r.Body)
	}
	if r := doSEB(t, srv, "GET", paper, res.Token, nil, rh, sebHash(srv.URL+paper, sebExamKey)); r.Status != 200 {
		t.Errorf("paper with the browser exam key's hash: %d %s", r.Status, r.Body)
	}
	save := map[string]any{"answers": []map[string]any{{"question": "q3", "response": true, "seq": 1}}}
	if r := doSEB(t, srv, "PUT", paper+"/answers", res.Token, save, "", ""); r.Code() != examhall.ESEBRequired {
		t.Errorf("save without a hash: %d %s", r.Status, r.Body)
	}
	if r := doSEB(t, srv, "PUT", paper+"/answers", res.Token, save, ck, sebHash(srv.URL+paper+"/answers", sebConfigKey)); r.Status != 200 {
		t.Errorf("save with its hash: %d %s", r.Status, r.Body)
	}
	if r := doSEB(t, srv, "POST", paper+"/submit", res.Token, nil, "", ""); r.Code() != examhall.ESEBRequired {
		t.Errorf("submit without a hash: %d %s", r.Status, r.Body)
	}

	// Bad keys in the document are refused with their path.
	doc := sebExam("seb-bad")
	doc["safe_exam_browser"] = map[string]any{"config_keys": []string{"abc"}}
	if r := srv.Do(t, "POST", "/api/v1/admin/exams", adminToken(t, srv), doc); r.Code() != examhall.EBadRequest || !strings.Contains(string(r.Body), "safe_exam_browser.config_keys[0]") {
		t.Errorf("a short key: %d %s", r.Status, r.Body)
	}
	doc["safe_exam_browser"] = map[string]any{}
	if r := srv.Do(t, "POST", "/api/v1/admin/exams", adminToken(t, srv), doc); r.Code() != examhall.EBadRequest {
		t.Errorf("no keys: %d %s", r.Status, r.Body)
	}
}

// TestSafeExamBrowserConfig: the .seb file staff hand out starts SEB at
// the server and its Config Key, once in the exam, admits the candidate.
func TestSafeExamBrowserConfig(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{HTTP: httpConfigPublic("https://exams.example.edu/")})
	admin := adminToken(t, srv)
	exam := examhalltest.MustCreateExam(t, srv.Staff(t), examhalltest.AllTypesExam("seb-plain", 3600))
	r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/seb", admin, nil)
	key := r.Header.Get("X-SafeExamBrowser-ConfigKey")
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/seb" || len(key) != 64 {
		t.Fatalf("seb file: %d %v %s", r.Status, r.Header, r.Body)
	}
	for _, want := range []string{"<plist", "<key>startURL</key>", "<string>https://exams.example.edu/</string>",
		"<key>sendBrowserExamKey</key>", "<string>exams.example.edu/*</string>", "<key>URLFilterEnable</key>"} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("the .seb file lacks %q:\n%s", want, r.Body)
		}
	}
	// The Config Key is SHA-256 of the settings as SEB-JSON: keys sorted
	// without regard to case, no whitespace, no escaping, without
	// originatorVersion.
	sebJSON := `{"allowQuit":true,"browserWindowAllowReload":true,"quitURL":"https://exams.example.edu/seb-quit","quitURLConfirm":false,` +
		`"sendBrowserExamKey":true,"startURL":"https://exams.example.edu/","URLFilterEnable":true,"URLFilterEnableContentFilter":false,` +
		`"URLFilterRules":[{"action":1,"active":true,"expression":"exams.example.edu/*","regex":false}]}`
	if sum := sha256.Sum256([]byte(sebJSON)); hex.EncodeToString(sum[:]) != key {
		t.Errorf("config key %s, want the SEB-JSON's hash %x", key, sum)
	}
	r = srv.DoAccept(t, "GET", "/api/v1/admin/exams/"+exam+"/seb", admin, "application/json")
	var out struct {
		ConfigKey string `json:"config_key"`
		Seb       string `json:"seb"`
	}
	r.Decode(t, &out)
	if out.ConfigKey != key || !strings.Contains(out.Seb, "<plist") {
		t.Errorf("seb as JSON: %s", r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/exams/nope/seb", admin, nil); r.Code() != examhall.ENotFound {
		t.Errorf("seb of an unknown exam: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/seb", "", nil); r.Code() != examhall.EUnauthorized {
		t.Errorf("seb without a token: %d %s", r.Status, r.Body)
	}

	// An exam with that key admits a request hashed with it against the
	// public URL.
	doc := examhalltest.AllTypesExam("seb-keyed", 3600)
	doc["safe_exam_browser"] = map[string]any{"config_keys": []string{key}}
	keyed := examhalltest.MustCreateExam(t, srv.Staff(t), doc)
	code := examhalltest.MustIssue(t, srv.Staff(t), keyed, 1)[0]
	login := map[string]string{"exam": keyed, "candidate": code.Candidate, "code": code.Code}
	if r := doSEB(t, srv, "POST", "/api/v1/login", "", login, "X-SafeExamBrowser-ConfigKeyHash", sebHash(srv.URL+"/api/v1/login", key)); r.Code() != examhall.ESEBRequired {
		t.Errorf("a hash of the local URL behind a public URL: %d %s", r.Status, r.Body)
	}
	if r := doSEB(t, srv, "POST", "/api/v1/login", "", login, "X-SafeExamBrowser-ConfigKeyHash", sebHash("https://exams.example.edu/api/v1/login", key)); r.Status != 200 {
		t.Errorf("a hash of the public URL: %d %s", r.Status, r.Body)
	}
}

// TestSafeExamBrowserLTI: a launch's code is exchanged only in SEB when
// the exam requires it.
func TestSafeExamBrowserLTI(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	exam := examhalltest.MustCreateExam(t, srv.Staff(t), sebExam("seb-lti"))
	p := newTestPlatform(t)
	p.register(srv)
	c := browser(t)
	auth := ltiLogin(t, c, srv, p)
	status, loc, body := ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-1", exam, learner)), auth.Get("state"))
	if status != http.StatusSeeOther {
		t.Fatalf("launch: %d %s", status, body)
	}
	code := map[string]string{"code": strings.TrimPrefix(loc, srv.URL+"/#lti=")}
	if r := doSEB(t, srv, "POST", "/api/v1/login/lti", "", code, "", ""); r.Code() != examhall.ESEBRequired {
		t.Errorf("code exchange outside SEB: %d %s", r.Status, r.Body)
	}
}

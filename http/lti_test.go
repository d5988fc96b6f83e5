package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
	ehttp "examhall/http"
)

const learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
const instructor = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"

// ltiSetup starts a server with an exam and a registered test platform.
func ltiSetup(t *testing.T, opt examhalltest.Options) (*examhalltest.Server, *testPlatform, string) {
	t.Helper()
	srv := examhalltest.New(t, opt)
	exam := examhalltest.MustCreateExam(t, srv.Staff(t), examhalltest.AllTypesExam("lti-exam", 3600))
	p := newTestPlatform(t)
	p.register(srv)
	return srv, p, exam
}

// TestLTILaunch walks a learner's launch from the platform's login to the
// paper, and the same learner's second launch back to the same attempt.
func TestLTILaunch(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	c := browser(t)

	auth := ltiLogin(t, c, srv, p)
	for k, want := range map[string]string{
		"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
		"client_id": p.ClientID, "redirect_uri": srv.URL + "/lti/launch", "login_hint": "user-1", "lti_message_hint": "hint-1",
	} {
		if got := auth.Get(k); got != want {
			t.Errorf("authentication request %s = %q, want %q", k, got, want)
		}
	}
	if auth.Get("state") == "" || auth.Get("nonce") == "" || auth.Get("state") == auth.Get("nonce") {
		t.Fatalf("authentication request state %q nonce %q: want two different random values", auth.Get("state"), auth.Get("nonce"))
	}
	tok := p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-42", exam, learner))
	status, loc, body := ltiLaunch(t, c, srv, tok, auth.Get("state"))
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, srv.URL+"/#lti=") {
		t.Fatalf("launch: %d to %q (%s), want 303 to /#lti=CODE", status, loc, body)
	}
	code := strings.TrimPrefix(loc, srv.URL+"/#lti=")

	r := srv.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": code})
	if r.Status != http.StatusOK {
		t.Fatalf("code login: %d %s", r.Status, r.Body)
	}
	var login examhall.LoginResult
	r.Decode(t, &login)
	if login.Exam != exam || !strings.HasPrefix(login.Candidate, "lti-") || login.Attempt == "" || login.Status != examhall.InProgress {
		t.Fatalf("code login = %+v, want an attempt of %s for an lti- candidate", login, exam)
	}
	cand := client.New(srv.URL)
	cand.Token = login.Token
	if _, err := cand.Paper(context.Background(), login.Attempt); err != nil {
		t.Fatalf("paper with the launch's token: %v", err)
	}

	// The code is single use.
	if r := srv.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": code}); r.Code() != examhall.EInvalidCredentials {
		t.Errorf("second use of the code: %d %s, want invalid_credentials", r.Status, r.Body)
	}
	// It expires after a minute.
	auth = ltiLogin(t, c, srv, p)
	_, loc, _ = ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-42", exam, learner)), auth.Get("state"))
	code = strings.TrimPrefix(loc, srv.URL+"/#lti=")
	srv.Clock.Advance(61 * time.Second)
	if r := srv.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": code}); r.Code() != examhall.EInvalidCredentials {
		t.Errorf("code after 61 s: %d %s, want invalid_credentials", r.Status, r.Body)
	}

	// A second launch resumes the same attempt.
	auth = ltiLogin(t, c, srv, p)
	_, loc, _ = ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-42", exam, learner)), auth.Get("state"))
	r = srv.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": strings.TrimPrefix(loc, srv.URL+"/#lti=")})
	var again examhall.LoginResult
	r.Decode(t, &again)
	if again.Attempt != login.Attempt || again.Candidate != login.Candidate {
		t.Errorf("second launch: attempt %s of %s, want the same %s of %s", again.Attempt, again.Candidate, login.Attempt, login.Candidate)
	}

	// The candidate has no access code that works.
	if _, err := srv.Client().Login(context.Background(), exam, login.Candidate, "AAAA-BBBB-CCCC"); client.Code(err) != examhall.EInvalidCredentials {
		t.Errorf("login with a guessed code: %v, want invalid_credentials", err)
	}
}

// TestLTILaunchRefused tries every attack on a launch: each is refused
// with a page and a 4xx, and no candidate is created.
func TestLTILaunchRefused(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	other := mustRSAKey(t)
	for _, tc := range []struct {
		name   string
		token  func(now time.Time, nonce string) string
		status int
		want   string
	}{
		{"wrong key", func(now time.Time, nonce string) string {
			return signWith(t, other, "k1", p.claims(now, nonce, "sub-x", exam, learner))
		}, 401, "signature"},
		{"unknown key id", func(now time.Time, nonce string) string {
			return signWith(t, other, "k-unknown", p.claims(now, nonce, "sub-x", exam, learner))
		}, 401, "cannot be checked"},
		{"alg none", func(now time.Time, nonce string) string {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodNone, p.claims(now, nonce, "sub-x", exam, learner)).SignedString(jwt.UnsafeAllowNoneSignatureType)
			return s
		}, 401, "not valid"},
		{"HS256 with the public key", func(now time.Time, nonce string) string {
			pub, _ := json.Marshal(p.key.PublicKey)
			s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, p.claims(now, nonce, "sub-x", exam, learner)).SignedString(pub)
			return s
		}, 401, "not valid"},
		{"tampered payload", func(now time.Time, nonce string) string {
			good := strings.Split(p.sign(p.claims(now, nonce, "sub-x", exam, learner)), ".")
			evil := strings.Split(p.sign(p.claims(now, nonce, "sub-admin", exam, learner)), ".")
			return good[0] + "." + evil[1] + "." + good[2]
		}, 401, "signature"},
		{"wrong audience", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["aud"] = "another-tool"
			return p.sign(c)
		}, 401, "another client"},
		{"several audiences without azp", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["aud"] = []string{p.ClientID, "another-tool"}
			return p.sign(c)
		}, 401, "azp"},
		{"wrong issuer", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["iss"] = "https://evil.example"
			return p.sign(c)
		}, 401, "another issuer"},
		{"expired", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["iat"], c["exp"] = now.Add(-time.Hour).Unix(), now.Add(-2*time.Minute).Unix()
			return p.sign(c)
		}, 401, "expired"},
		{"issued in the future", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["iat"], c["exp"] = now.Add(time.Hour).Unix(), now.Add(2*time.Hour).Unix()
			return p.sign(c)
		}, 401, "future"},
		{"no expiry", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			delete(c, "exp")
			return p.sign(c)
		}, 401, "missing"},
		{"another nonce", func(now time.Time, nonce string) string {
			return p.sign(p.claims(now, "made-up", "sub-x", exam, learner))
		}, 401, "nonce"},
		{"unknown deployment", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "deploy-9"
			return p.sign(c)
		}, 403, "deploy-9"},
		{"LTI 1.1 version", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.1"
			return p.sign(c)
		}, 400, "1.3.0"},
		{"unknown message type", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			c["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiSubmissionReviewRequest"
			return p.sign(c)
		}, 400, "LtiSubmissionReviewRequest"},
		{"no exam", func(now time.Time, nonce string) string {
			c := p.claims(now, nonce, "sub-x", exam, learner)
			delete(c, "https://purl.imsglobal.org/spec/lti/claim/custom")
			return p.sign(c)
		}, 400, "custom parameter exam"},
		{"unknown exam", func(now time.Time, nonce string) string {
			return p.sign(p.claims(now, nonce, "sub-x", "no-such-exam", learner))
		}, 404, "no-such-exam"},
		{"a mentor", func(now time.Time, nonce string) string {
			return p.sign(p.claims(now, nonce, "sub-x", exam, "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"))
		}, 403, "role"},
		{"garbage", func(time.Time, string) string { return "not.a.token" }, 401, "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := browser(t)
			auth := ltiLogin(t, c, srv, p)
			status, loc, body := ltiLaunch(t, c, srv, tc.token(srv.Clock.Now(), auth.Get("nonce")), auth.Get("state"))
			if status != tc.status || loc != "" || !strings.Contains(body, tc.want) || !strings.Contains(body, "<html") {
				t.Errorf("launch: %d, Location %q, body %s; want %d and a page saying %q", status, loc, body, tc.status, tc.want)
			}
		})
	}
	if cs := candidates(t, srv, exam); len(cs) != 0 {
		t.Errorf("refused launches created candidates %v", cs)
	}
}

// TestLTIReplay replays a launch: the same form again, and the same
// id_token with the state of a new login. Both are refused.
func TestLTIReplay(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	c := browser(t)
	auth := ltiLogin(t, c, srv, p)
	tok := p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-1", exam, learner))
	if status, _, body := ltiLaunch(t, c, srv, tok, auth.Get("state")); status != http.StatusSeeOther {
		t.Fatalf("first launch: %d %s", status, body)
	}
	if status, _, body := ltiLaunch(t, c, srv, tok, auth.Get("state")); status != http.StatusUnauthorized || !strings.Contains(body, "used already") {
		t.Errorf("the same launch again: %d %s, want 401", status, body)
	}
	fresh := ltiLogin(t, c, srv, p)
	if status, _, body := ltiLaunch(t, c, srv, tok, fresh.Get("state")); status != http.StatusUnauthorized || !strings.Contains(body, "nonce") {
		t.Errorf("the id_token with a new login's state: %d %s, want 401 for the nonce", status, body)
	}
	if status, _, body := ltiLaunch(t, c, srv, tok, "made-up-state"); status != http.StatusUnauthorized {
		t.Errorf("a made-up state: %d %s, want 401", status, body)
	}
	// A state lives ten minutes.
	late := ltiLogin(t, c, srv, p)
	srv.Clock.Advance(11 * time.Minute)
	tok = p.sign(p.claims(srv.Clock.Now(), late.Get("nonce"), "sub-1", exam, learner))
	if status, _, body := ltiLaunch(t, c, srv, tok, late.Get("state")); status != http.StatusUnauthorized {
		t.Errorf("a launch 11 minutes after its login: %d %s, want 401", status, body)
	}
}

// TestLTIKeyRotation: a token signed by a key the platform published after
// examhall fetched its key set is verified once the set is fetched again.
func TestLTIKeyRotation(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	c := browser(t)
	auth := ltiLogin(t, c, srv, p)
	if status, _, body := ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-1", exam, learner)), auth.Get("state")); status != http.StatusSeeOther {
		t.Fatalf("launch: %d %s", status, body)
	}
	p.rotate("k2")
	srv.Clock.Advance(11 * time.Second)
	auth = ltiLogin(t, c, srv, p)
	if status, _, body := ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-1", exam, learner)), auth.Get("state")); status != http.StatusSeeOther {
		t.Fatalf("launch with the new key: %d %s", status, body)
	}
}

// TestLTIInstructor: an instructor's launch opens the staff console with a
// staff token of the instructor role.
func TestLTIInstructor(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	c := browser(t)
	auth := ltiLogin(t, c, srv, p)
	status, loc, body := ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "teacher-1", exam, instructor)), auth.Get("state"))
	prefix := srv.URL + "/staff#lti="
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("instructor launch: %d to %q (%s)", status, loc, body)
	}
	frag, _ := url.ParseQuery(strings.TrimPrefix(loc, srv.URL+"/staff#"))
	if frag.Get("exam") != exam {
		t.Errorf("staff console fragment %q, want exam=%s", loc, exam)
	}
	// A candidate's exchange does not take a staff code.
	if r := srv.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": frag.Get("lti")}); r.Code() != examhall.EInvalidCredentials {
		t.Errorf("staff code at the candidates' exchange: %d %s", r.Status, r.Body)
	}
	auth = ltiLogin(t, c, srv, p)
	_, loc, _ = ltiLaunch(t, c, srv, p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "teacher-1", exam, instructor)), auth.Get("state"))
	frag, _ = url.ParseQuery(strings.TrimPrefix(loc, srv.URL+"/staff#"))
	r := srv.Do(t, "POST", "/api/v1/admin/login/lti", "", map[string]string{"code": frag.Get("lti")})
	var out examhall.StaffLoginResult
	r.Decode(t, &out)
	if r.Status != 200 || out.Role != examhall.RoleInstructor || out.Token == "" {
		t.Fatalf("staff code login: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam, out.Token, nil); r.Status != 200 {
		t.Errorf("the instructor reading the exam: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/lti/platforms", out.Token, nil); r.Code() != examhall.EForbidden {
		t.Errorf("the instructor listing platforms: %d %s, want forbidden", r.Status, r.Body)
	}
}

// TestLTIStateCookie: over https, the login binds its state to the browser,
// and a launch from another browser is refused.
func TestLTIStateCookie(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{HTTP: httpConfigPublic("https://exams.example.edu")})
	c := browser(t)
	q := url.Values{"iss": {p.Issuer}, "login_hint": {"u"}, "client_id": {p.ClientID}}
	resp, err := c.PostForm(srv.URL+"/lti/login", q)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	auth := loc.Query()
	if auth.Get("redirect_uri") != "https://exams.example.edu/lti/launch" {
		t.Errorf("redirect_uri = %q, want the public URL's", auth.Get("redirect_uri"))
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if strings.HasPrefix(ck.Name, "examhall_lti_") {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteNoneMode || cookie.Name != "examhall_lti_"+auth.Get("state") {
		t.Fatalf("state cookie = %+v, want Secure, HttpOnly, SameSite=None, named after the state", cookie)
	}
	tok := p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-1", exam, learner))
	// Another browser (no cookie) is refused, and burns the state.
	if status, _, body := ltiLaunch(t, browser(t), srv, tok, auth.Get("state")); status != http.StatusUnauthorized || !strings.Contains(body, "browser") {
		t.Errorf("launch without the cookie: %d %s, want 401", status, body)
	}
	// The right browser, with the cookie, gets through on a new login.
	resp, err = c.PostForm(srv.URL+"/lti/login", q)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ = url.Parse(resp.Header.Get("Location"))
	auth = loc.Query()
	form := url.Values{"id_token": {p.sign(p.claims(srv.Clock.Now(), auth.Get("nonce"), "sub-1", exam, learner))}, "state": {auth.Get("state")}}
	req, _ := http.NewRequest("POST", srv.URL+"/lti/launch", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "examhall_lti_" + auth.Get("state"), Value: "1"})
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "https://exams.example.edu/#lti=") {
		t.Errorf("launch with the cookie: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestLTIPlatforms: registering, listing and deleting platforms, admins
// only, with clear errors.
func TestLTIPlatforms(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	admin := adminToken(t, srv)
	p := newTestPlatform(t)
	r := srv.Do(t, "POST", "/api/v1/admin/lti/platforms", admin, p.registration())
	var view examhall.LTIPlatformView
	r.Decode(t, &view)
	if r.Status != 201 || view.ID == "" || view.Tool.LoginURL != srv.URL+"/lti/login" || view.Tool.JWKSURL != srv.URL+"/lti/jwks" {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "POST", "/api/v1/admin/lti/platforms", admin, p.registration()); r.Code() != examhall.EConflict {
		t.Errorf("the same platform again: %d %s, want conflict", r.Status, r.Body)
	}
	for name, change := range map[string]func(m map[string]any){
		"no issuer":        func(m map[string]any) { delete(m, "issuer") },
		"no deployments":   func(m map[string]any) { m["deployment_ids"] = []string{} },
		"http jwks":        func(m map[string]any) { m["jwks_url"] = "http://platform.example/jwks" },
		"relative login":   func(m map[string]any) { m["auth_login_url"] = "/auth" },
		"unknown field":    func(m map[string]any) { m["secret"] = "x" },
		"server-given id":  func(m map[string]any) { m["id"] = "mine" },
		"empty deployment": func(m map[string]any) { m["deployment_ids"] = []string{""} },
	} {
		m := p.registration()
		m["client_id"] = "other-" + name
		change(m)
		if r := srv.Do(t, "POST", "/api/v1/admin/lti/platforms", admin, m); r.Code() != examhall.EBadRequest {
			t.Errorf("%s: %d %s, want bad_request", name, r.Status, r.Body)
		}
	}
	r = srv.Do(t, "GET", "/api/v1/admin/lti/platforms", admin, nil)
	var list examhall.LTIPlatformList
	r.Decode(t, &list)
	if len(list.Platforms) != 1 || list.Platforms[0].ID != view.ID || list.Tool.LaunchURL != srv.URL+"/lti/launch" {
		t.Fatalf("list: %s", r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/lti/platforms", "", nil); r.Code() != examhall.EUnauthorized {
		t.Errorf("list without a token: %d %s", r.Status, r.Body)
	}
	// The tool's keys are published with a key id.
	r = srv.Do(t, "GET", "/lti/jwks", "", nil)
	var set struct {
		Keys []struct{ Kty, Kid, Alg, N, E string }
	}
	r.Decode(t, &set)
	if len(set.Keys) != 1 || set.Keys[0].Kty != "RSA" || set.Keys[0].Kid == "" || set.Keys[0].Alg != "RS256" || set.Keys[0].N == "" {
		t.Errorf("jwks: %s", r.Body)
	}
	// A login from a platform that is not registered is refused.
	resp, err := browser(t).Get(srv.URL + "/lti/login?iss=https://unknown.example&login_hint=u")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("login of an unknown platform: %d, want 404", resp.StatusCode)
	}
	if r := srv.Do(t, "DELETE", "/api/v1/admin/lti/platforms/"+view.ID, admin, nil); r.Status != 204 {
		t.Errorf("delete: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "DELETE", "/api/v1/admin/lti/platforms/"+view.ID, admin, nil); r.Code() != examhall.ENotFound {
		t.Errorf("delete again: %d %s", r.Status, r.Body)
	}
	resp, err = browser(t).Get(srv.URL + "/lti/login?iss=" + url.QueryEscape(p.Issuer) + "&login_hint=u")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("login of a deleted platform: %d, want 404", resp.StatusCode)
	}
}

func candidates(t *testing.T, srv *examhalltest.Server, exam string) []string {
	t.Helper()
	r := srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/candidates", adminToken(t, srv), nil)
	var out examhall.CandidateList
	r.Decode(t, &out)
	var ids []string
	for _, c := range out.Candidates {
		ids = append(ids, c.ID)
	}
	return ids
}

func httpConfigPublic(u string) ehttp.Config { return ehttp.Config{PublicURL: u} }

// TestLTIAcrossPods: in scale mode the login, the launch and the code's
// exchange may each reach another pod; the state and the code are still
// taken once.
func TestLTIAcrossPods(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	d.StartGrader(t)
	a, b := d.StartPod(t, examhalltest.Options{}), d.StartPod(t, examhalltest.Options{})
	exam := examhalltest.MustCreateExam(t, a.Staff(t), examhalltest.AllTypesExam("lti-pods", 3600))
	p := newTestPlatform(t)
	p.register(a)
	c := browser(t)
	auth := ltiLogin(t, c, a, p)
	tok := p.sign(p.claims(b.Clock.Now(), auth.Get("nonce"), "sub-1", exam, learner))
	status, loc, body := ltiLaunch(t, c, b, tok, auth.Get("state"))
	if status != http.StatusSeeOther {
		t.Fatalf("launch on the other pod: %d %s", status, body)
	}
	if status, _, _ := ltiLaunch(t, c, a, tok, auth.Get("state")); status != http.StatusUnauthorized {
		t.Errorf("the same launch on the first pod: %d, want 401", status)
	}
	code := strings.TrimPrefix(loc, b.URL+"/#lti=")
	if r := a.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": code}); r.Status != 200 {
		t.Fatalf("code on the first pod: %d %s", r.Status, r.Body)
	}
	if r := b.Do(t, "POST", "/api/v1/login/lti", "", map[string]string{"code": code}); r.Code() != examhall.EInvalidCredentials {
		t.Errorf("the code again on the other pod: %d %s", r.Status, r.Body)
	}
	// Both pods publish the same tool key.
	ka, kb := a.Do(t, "GET", "/lti/jwks", "", nil), b.Do(t, "GET", "/lti/jwks", "", nil)
	if string(ka.Body) != string(kb.Body) {
		t.Errorf("the pods publish different keys:\n%s\n%s", ka.Body, kb.Body)
	}
}

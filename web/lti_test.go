package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"examhall/examhalltest"
)

// ltiLaunchURL plays a learning platform: it registers itself, starts a
// login at examhall, signs the launch and returns where examhall sends
// the browser (a page with a one-time code in its fragment).
func ltiLaunchURL(t *testing.T, srv *examhalltest.Server, exam, sub, role string) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	plat := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k", Algorithm: "RS256", Use: "sig"}}})
	}))
	t.Cleanup(plat.Close)
	reg := map[string]any{"issuer": plat.URL, "client_id": "c-" + sub, "deployment_ids": []string{"d"},
		"auth_login_url": plat.URL + "/auth", "auth_token_url": plat.URL + "/token", "jwks_url": plat.URL + "/jwks"}
	if r := srv.Do(t, "POST", "/api/v1/admin/lti/platforms", staffToken(t, srv), reg); r.Status != http.StatusCreated {
		t.Fatalf("registering the platform: %d %s", r.Status, r.Body)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(srv.URL + "/lti/login?" + url.Values{"iss": {plat.URL}, "login_hint": {sub}, "client_id": {"c-" + sub}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	now := srv.Clock.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": plat.URL, "aud": "c-" + sub, "sub": sub, "nonce": loc.Query().Get("nonce"),
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
		"https://purl.imsglobal.org/spec/lti/claim/message_type":  "LtiResourceLinkRequest",
		"https://purl.imsglobal.org/spec/lti/claim/version":       "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "d",
		"https://purl.imsglobal.org/spec/lti/claim/roles":         []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#" + role},
		"https://purl.imsglobal.org/spec/lti/claim/custom":        map[string]any{"exam": exam},
	})
	tok.Header["kid"] = "k"
	signed, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = c.PostForm(srv.URL+"/lti/launch", url.Values{"id_token": {signed}, "state": {loc.Query().Get("state")}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("launch: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// TestLTILaunchPages: the candidate's page and the staff console exchange
// a launch's code by themselves and take it out of the address.
func TestLTILaunchPages(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true})
	exam := examhalltest.MustCreateExam(t, srv.Staff(t), examhalltest.AllTypesExam("web-lti", 3600))
	b := newBrowser(t, srv)

	b.do("arrive from the course", chromedp.Navigate(ltiLaunchURL(t, srv, exam, "learner-1", "Learner")), chromedp.WaitVisible(chromedp.ID("exam-view")))
	if h := eval[string](b, `location.hash`); strings.Contains(h, "lti") {
		t.Errorf("the address still holds the code: %q", h)
	}
	if got := eval[string](b, `JSON.parse(localStorage.getItem("examhall.session")).candidate`); !strings.HasPrefix(got, "lti-") {
		t.Errorf("signed in as %q, want an lti- candidate", got)
	}

	b.do("arrive again with a used code", chromedp.Navigate(srv.URL+"/?again=1#lti=used-code"), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.waitText("#login-error", "expired or was used already")

	b.do("an instructor arrives", chromedp.Navigate(ltiLaunchURL(t, srv, exam, "teacher-1", "Instructor")))
	b.waitJS("the exam's page in the console", `location.hash === "#/exams/`+exam+`"`)
	b.waitText("#exam-title", "All types web-lti")
	b.waitJS("the gradebook card", `!document.getElementById("no-lti-grades").hidden`)
	b.do("get the SEB configuration", chromedp.Click(chromedp.ID("seb-download")))
	b.waitJS("the config key", `/^[0-9a-f]{64}$/.test(document.getElementById("seb-key").textContent)`)
	if !eval[bool](b, `document.getElementById("lti-card").hidden`) {
		t.Errorf("an instructor sees the platforms, which only admins may list")
	}

	// An admin sees the registered platforms and the URLs to give them.
	b.do("sign out and in as the admin",
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("login-user"), examhalltest.AdminUser),
		chromedp.SendKeys(chromedp.ID("login-password"), examhalltest.AdminPassword),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("exams-view")))
	b.waitJS("the platforms", `!document.getElementById("lti-card").hidden && document.querySelectorAll("#lti-rows tr").length === 2`)
	b.waitText("#lti-tool", srv.URL+"/lti/jwks")
}

package http_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"examhall/examhalltest"
)

// deepLinkClaims is a deep linking request from the platform.
func (p *testPlatform) deepLinkClaims(srv *examhalltest.Server, nonce, sub string, roles ...string) jwt.MapClaims {
	c := p.claims(srv.Clock.Now(), nonce, sub, "", roles...)
	delete(c, "https://purl.imsglobal.org/spec/lti/claim/custom")
	delete(c, "https://purl.imsglobal.org/spec/lti/claim/resource_link")
	c["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiDeepLinkingRequest"
	c["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = map[string]any{
		"deep_link_return_url": p.srv.URL + "/deeplink/return", "accept_types": []string{"link", "ltiResourceLink"},
		"accept_presentation_document_targets": []string{"iframe", "window"}, "data": "opaque-42",
	}
	return c
}

var (
	ticketRE = regexp.MustCompile(`name="ticket" value="([^"]+)"`)
	actionRE = regexp.MustCompile(`action="([^"]+)"`)
	jwtRE    = regexp.MustCompile(`name="JWT" value="([^"]+)"`)
)

// TestLTIDeepLinking: an instructor's deep linking request shows the exams;
// the choice goes back to the platform as an LtiDeepLinkingResponse signed
// by the tool's key, whose link then launches that exam.
func TestLTIDeepLinking(t *testing.T) {
	t.Parallel()
	srv, p, exam := ltiSetup(t, examhalltest.Options{})
	c := browser(t)
	auth := ltiLogin(t, c, srv, p)
	status, _, page := ltiLaunch(t, c, srv, p.sign(p.deepLinkClaims(srv, auth.Get("nonce"), "teacher-1", instructor)), auth.Get("state"))
	m := ticketRE.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil || !strings.Contains(page, "All types lti-exam") {
		t.Fatalf("deep linking request: %d %s", status, page)
	}
	ticket := html.UnescapeString(m[1])

	choose := func(exam string) (int, string) {
		resp, err := c.PostForm(srv.URL+"/lti/deeplink", url.Values{"ticket": {ticket}, "exam": {exam}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := choose("no-such-exam"); status != http.StatusNotFound {
		t.Errorf("choosing an unknown exam: %d %s", status, body)
	}
	status, body := choose(exam)
	action, tok := actionRE.FindStringSubmatch(body), jwtRE.FindStringSubmatch(body)
	if status != http.StatusOK || action == nil || tok == nil || html.UnescapeString(action[1]) != p.srv.URL+"/deeplink/return" {
		t.Fatalf("the choice: %d %s", status, body)
	}
	if status, _ := choose(exam); status != http.StatusUnauthorized {
		t.Errorf("the same ticket again: %d, want 401", status)
	}

	// The platform checks the response with the tool's public keys.
	var set jose.JSONWebKeySet
	srv.Do(t, "GET", "/lti/jwks", "", nil).Decode(t, &set)
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(html.UnescapeString(tok[1]), claims, func(t *jwt.Token) (any, error) {
		return set.Key(t.Header["kid"].(string))[0].Key, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(p.ClientID), jwt.WithAudience(p.Issuer), jwt.WithExpirationRequired())
	if err != nil {
		t.Fatalf("the deep linking response does not verify: %v", err)
	}
	want := map[string]any{
		"https://purl.imsglobal.org/spec/lti/claim/message_type":  "LtiDeepLinkingResponse",
		"https://purl.imsglobal.org/spec/lti/claim/version":       "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id": p.Deploy,
		"https://purl.imsglobal.org/spec/lti-dl/claim/data":       "opaque-42",
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("%s = %v, want %v", k, claims[k], v)
		}
	}
	items, _ := json.Marshal(claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"])
	var got []struct {
		Type, Title, URL string
		Custom           map[string]string
		LineItem         struct{ ScoreMaximum float64 }
	}
	json.Unmarshal(items, &got)
	if len(got) != 1 || got[0].Type != "ltiResourceLink" || got[0].URL != srv.URL+"/lti/launch" ||
		got[0].Custom["exam"] != exam || got[0].LineItem.ScoreMaximum != 11 {
		t.Errorf("content items = %s", items)
	}

	// A learner cannot add exams.
	auth = ltiLogin(t, c, srv, p)
	if status, _, body := ltiLaunch(t, c, srv, p.sign(p.deepLinkClaims(srv, auth.Get("nonce"), "student-1", learner)), auth.Get("state")); status != http.StatusForbidden {
		t.Errorf("a learner's deep linking request: %d %s", status, body)
	}
	// A platform that takes no resource links is told so.
	auth = ltiLogin(t, c, srv, p)
	cl := p.deepLinkClaims(srv, auth.Get("nonce"), "teacher-1", instructor)
	cl["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = map[string]any{"deep_link_return_url": p.srv.URL + "/r", "accept_types": []string{"file"}}
	if status, _, body := ltiLaunch(t, c, srv, p.sign(cl), auth.Get("state")); status != http.StatusBadRequest || !strings.Contains(body, "ltiResourceLink") {
		t.Errorf("a deep linking request for files: %d %s", status, body)
	}
}

package http_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"examhall/examhalltest"
)

// testPlatform is a learning platform simulated in the test: its own RSA
// key, published as a JWKS on a loopback server, and the claims it signs.
type testPlatform struct {
	t        *testing.T
	srv      *httptest.Server
	Issuer   string
	ClientID string
	Deploy   string

	mu   sync.Mutex
	key  *rsa.PrivateKey
	kid  string
	keys []jose.JSONWebKey // what the JWKS serves

	// Assignment and Grade Services: the tool whose client assertions the
	// token endpoint checks (its JWKS URL), the tokens it gave, the scores
	// it took, and how many score posts to refuse next.
	toolJWKS   string
	tokens     map[string]bool
	scores     []map[string]any
	failScores int
	problems   []string
}

func newTestPlatform(t *testing.T) *testPlatform {
	t.Helper()
	p := &testPlatform{t: t, ClientID: "examhall-client", Deploy: "deploy-1"}
	p.tokens = map[string]bool{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/jwks":
			p.mu.Lock()
			defer p.mu.Unlock()
			json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: p.keys})
		case "/token":
			p.token(w, r)
		case "/lineitems/1/scores":
			p.score(w, r)
		case "/memberships":
			p.members(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(p.srv.Close)
	p.Issuer = p.srv.URL
	p.rotate("k1")
	return p
}

// rotate gives the platform a new key, published beside the old ones.
func (p *testPlatform) rotate(kid string) {
	p.t.Helper()
	k := mustRSAKey(p.t)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.key, p.kid = k, kid
	p.keys = append(p.keys, jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"})
}

func mustRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// registration is the body that registers the platform with examhall.
func (p *testPlatform) registration() map[string]any {
	return map[string]any{
		"issuer": p.Issuer, "client_id": p.ClientID, "deployment_ids": []string{p.Deploy},
		"auth_login_url": p.srv.URL + "/auth", "auth_token_url": p.srv.URL + "/token", "jwks_url": p.srv.URL + "/jwks",
	}
}

// register registers the platform as the test server's admin.
func (p *testPlatform) register(srv *examhalltest.Server) {
	p.t.Helper()
	r := srv.Do(p.t, "POST", "/api/v1/admin/lti/platforms", adminToken(p.t, srv), p.registration())
	if r.Status != http.StatusCreated {
		p.t.Fatalf("registering the platform: %d %s", r.Status, r.Body)
	}
}

// claims returns the claims of a resource link launch of user sub with
// roles, for the exam, answering the login's nonce.
func (p *testPlatform) claims(now time.Time, nonce, sub, exam string, roles ...string) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": p.Issuer, "aud": p.ClientID, "sub": sub, "nonce": nonce, "name": "Ada Lovelace",
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"https://purl.imsglobal.org/spec/lti/claim/message_type":  "LtiResourceLinkRequest",
		"https://purl.imsglobal.org/spec/lti/claim/version":       "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id": p.Deploy,
		"https://purl.imsglobal.org/spec/lti/claim/roles":         roles,
		"https://purl.imsglobal.org/spec/lti/claim/resource_link": map[string]any{"id": "link-1"},
		"https://purl.imsglobal.org/spec/lti/claim/custom":        map[string]any{"exam": exam},
	}
}

// sign signs claims with the platform's current key.
func (p *testPlatform) sign(c jwt.MapClaims) string {
	p.t.Helper()
	p.mu.Lock()
	k, kid := p.key, p.kid
	p.mu.Unlock()
	return signWith(p.t, k, kid, c)
}

func signWith(t *testing.T, k *rsa.PrivateKey, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// browser is a client that does not follow redirects, keeping cookies.
func browser(t *testing.T) *http.Client {
	t.Helper()
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// ltiLogin starts a login at examhall as the platform's browser would and
// returns the authentication request examhall redirected to.
func ltiLogin(t *testing.T, c *http.Client, srv *examhalltest.Server, p *testPlatform) url.Values {
	t.Helper()
	q := url.Values{"iss": {p.Issuer}, "login_hint": {"user-1"}, "target_link_uri": {srv.URL + "/lti/launch"},
		"lti_message_hint": {"hint-1"}, "client_id": {p.ClientID}, "lti_deployment_id": {p.Deploy}}
	resp, err := c.Get(srv.URL + "/lti/login?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("login: status %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc.String(), p.srv.URL+"/auth?") {
		t.Fatalf("login redirected to %s, want the platform's auth_login_url", loc)
	}
	return loc.Query()
}

// ltiLaunch posts an id_token and state to the launch URL and returns the
// status, the Location and the body.
func ltiLaunch(t *testing.T, c *http.Client, srv *examhalltest.Server, idToken, state string) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(srv.URL+"/lti/launch", url.Values{"id_token": {idToken}, "state": {state}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, resp.Header.Get("Location"), b.String()
}

func adminToken(t *testing.T, srv *examhalltest.Server) string {
	t.Helper()
	r := srv.Do(t, "POST", "/api/v1/admin/login", "", map[string]string{"username": examhalltest.AdminUser, "password": examhalltest.AdminPassword})
	var out struct{ Token string }
	r.Decode(t, &out)
	if out.Token == "" {
		t.Fatalf("admin login: %d %s", r.Status, r.Body)
	}
	return out.Token
}

// token is the platform's OAuth 2 token endpoint: the client-credentials
// grant with a JWT client assertion, checked against the tool's JWKS.
func (p *testPlatform) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	refuse := func(why string) {
		p.mu.Lock()
		p.problems = append(p.problems, "token: "+why)
		p.mu.Unlock()
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": why})
	}
	if r.PostForm.Get("grant_type") != "client_credentials" ||
		r.PostForm.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ||
		(r.PostForm.Get("scope") != "https://purl.imsglobal.org/spec/lti-ags/scope/score" &&
			r.PostForm.Get("scope") != "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly") {
		refuse("grant " + r.PostForm.Encode())
		return
	}
	p.mu.Lock()
	jwksURL := p.toolJWKS
	p.mu.Unlock()
	resp, err := http.Get(jwksURL)
	if err != nil {
		refuse(err.Error())
		return
	}
	var set jose.JSONWebKeySet
	json.NewDecoder(resp.Body).Decode(&set)
	resp.Body.Close()
	var c jwt.RegisteredClaims
	_, err = jwt.ParseWithClaims(r.PostForm.Get("client_assertion"), &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		ks := set.Key(kid)
		if len(ks) == 0 {
			return nil, fmt.Errorf("no tool key %q", kid)
		}
		return ks[0].Key, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(p.ClientID), jwt.WithSubject(p.ClientID),
		jwt.WithAudience(p.srv.URL+"/token"), jwt.WithExpirationRequired())
	if err != nil || c.ID == "" {
		refuse(fmt.Sprintf("assertion: %v (jti %q)", err, c.ID))
		return
	}
	p.mu.Lock()
	tok := fmt.Sprintf("token-%d", len(p.tokens)+1)
	p.tokens[tok] = true
	p.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600, "scope": r.PostForm.Get("scope")})
}

// score is the line item's score endpoint.
func (p *testPlatform) score(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
		p.problems = append(p.problems, "score: bad token "+r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Method != "POST" || r.Header.Get("Content-Type") != "application/vnd.ims.lis.v1.score+json" {
		p.problems = append(p.problems, "score: "+r.Method+" "+r.Header.Get("Content-Type"))
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	if p.failScores > 0 {
		p.failScores--
		http.Error(w, "the gradebook is down", http.StatusInternalServerError)
		return
	}
	var s map[string]any
	if err := json.NewDecoder(r.Body).Decode(&s); err != nil {
		p.problems = append(p.problems, "score: "+err.Error())
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	p.scores = append(p.scores, s)
	w.WriteHeader(http.StatusOK)
}

// lastScore returns the latest score taken and how many there were.
func (p *testPlatform) lastScore() (map[string]any, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.scores) == 0 {
		return nil, 0
	}
	return p.scores[len(p.scores)-1], len(p.scores)
}

// trust makes the platform check client assertions against the tool at url.
func (p *testPlatform) trust(url string) {
	p.mu.Lock()
	p.toolJWKS = url + "/lti/jwks"
	p.mu.Unlock()
}

// seen returns the problems the platform found in the tool's requests.
func (p *testPlatform) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// members is the course's membership service: two pages, linked by a
// Link header, of learners, an instructor and an inactive learner.
func (p *testPlatform) members(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	ok := p.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	p.mu.Unlock()
	if !ok || r.Header.Get("Accept") != "application/vnd.ims.lti-nrps.v2.membershipcontainer+json" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	const learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
	member := func(id, status string, roles ...string) map[string]any {
		return map[string]any{"user_id": id, "status": status, "name": "User " + id, "roles": roles}
	}
	var members []map[string]any
	if r.URL.Query().Get("page") == "" {
		members = []map[string]any{member("sub-a", "Active", learner), member("teacher-1", "Active", "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor")}
		w.Header().Set("Link", `</memberships?page=2>; rel="next"`)
	} else {
		members = []map[string]any{member("sub-b", "Active", learner), member("sub-gone", "Inactive", learner)}
	}
	w.Header().Set("Content-Type", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
	json.NewEncoder(w).Encode(map[string]any{"id": r.URL.String(), "context": map[string]any{"id": "course-1"}, "members": members})
}

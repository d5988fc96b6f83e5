package hall

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"examhall"

	"github.com/golang-jwt/jwt/v5"
)

// The lifetimes of an LTI login's state and of a launch's one-time code.
const (
	ltiStateTTL = 10 * time.Minute
	ltiCodeTTL  = 60 * time.Second
	ltiLeeway   = time.Minute
)

// Message types.
const (
	msgResourceLink = "LtiResourceLinkRequest"
	msgDeepLinking  = "LtiDeepLinkingRequest"
)

// ltiState is what a login leaves for its launch, under its state.
type ltiState struct {
	Platform string `json:"p"`
	Nonce    string `json:"n"`
	Bound    bool   `json:"b,omitempty"`
}

// ltiClaims is an id_token's payload.
type ltiClaims struct {
	jwt.RegisteredClaims
	AuthorizedParty string           `json:"azp,omitempty"`
	Nonce           string           `json:"nonce"`
	Name            string           `json:"name,omitempty"`
	MessageType     string           `json:"https://purl.imsglobal.org/spec/lti/claim/message_type"`
	Version         string           `json:"https://purl.imsglobal.org/spec/lti/claim/version"`
	DeploymentID    string           `json:"https://purl.imsglobal.org/spec/lti/claim/deployment_id"`
	Roles           []string         `json:"https://purl.imsglobal.org/spec/lti/claim/roles"`
	Custom          map[string]any   `json:"https://purl.imsglobal.org/spec/lti/claim/custom,omitempty"`
	ResourceLink    *ltiResourceLink `json:"https://purl.imsglobal.org/spec/lti/claim/resource_link,omitempty"`
	DeepLinking     *ltiDeepLinking  `json:"https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings,omitempty"`
	AGS             *ltiAGSEndpoint  `json:"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint,omitempty"`
	NRPS            *ltiNRPS         `json:"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice,omitempty"`
	Context         map[string]any   `json:"https://purl.imsglobal.org/spec/lti/claim/context,omitempty"`
}

type ltiResourceLink struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
}

type ltiDeepLinking struct {
	ReturnURL          string   `json:"deep_link_return_url"`
	AcceptTypes        []string `json:"accept_types"`
	AcceptMultiple     bool     `json:"accept_multiple,omitempty"`
	Data               string   `json:"data,omitempty"`
	AcceptPresentation []string `json:"accept_presentation_document_targets,omitempty"`
}

type ltiAGSEndpoint struct {
	Scope     []string `json:"scope,omitempty"`
	LineItem  string   `json:"lineitem,omitempty"`
	LineItems string   `json:"lineitems,omitempty"`
}

// ltiCode is what a launch leaves for the page it sends the browser to,
// under a one-time code.
type ltiCode struct {
	Kind      string `json:"k"` // kindCandidate or kindStaff
	Exam      string `json:"e,omitempty"`
	Candidate string `json:"c,omitempty"`
	Staff     string `json:"s,omitempty"`
	Role      string `json:"r,omitempty"`
}

// LTILogin implements examhall.LTIService: the OpenID Connect third-party
// initiated login. The state and nonce it makes are kept in the OnceStore
// (Redis in scale mode), so the launch may reach any server, once.
func (h *Hall) LTILogin(ctx context.Context, req *examhall.LTILoginRequest) (*examhall.LTILoginRedirect, error) {
	_, once, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	if req.Issuer == "" || req.LoginHint == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "An LTI login needs iss and login_hint.")
	}
	p, err := h.platform(ctx, req.Issuer, req.ClientID)
	if err != nil {
		return nil, err
	}
	if req.DeploymentID != "" && !p.HasDeployment(req.DeploymentID) {
		return nil, examhall.Errorf(examhall.EForbidden, "The deployment %q of this platform is not registered here.", req.DeploymentID)
	}
	st := ltiState{Platform: p.ID, Nonce: randomToken(24), Bound: req.Secure}
	state := randomToken(24)
	if err := h.putOnce(ctx, once, "lti-state:"+state, st, ltiStateTTL); err != nil {
		return nil, err
	}
	q := url.Values{
		"scope":         {"openid"},
		"response_type": {"id_token"},
		"response_mode": {"form_post"},
		"prompt":        {"none"},
		"client_id":     {p.ClientID},
		"redirect_uri":  {req.Base + "/lti/launch"},
		"login_hint":    {req.LoginHint},
		"state":         {state},
		"nonce":         {st.Nonce},
	}
	if req.LTIMessageHint != "" {
		q.Set("lti_message_hint", req.LTIMessageHint)
	}
	return &examhall.LTILoginRedirect{URL: joinURL(p.AuthLoginURL, q.Encode()), State: state, BindState: st.Bound}, nil
}

// LTILaunch implements examhall.LTIService. The state is taken first, so a
// launch is tried once whatever its outcome; the id_token must then pass
// every check before anything is created.
func (h *Hall) LTILaunch(ctx context.Context, req *examhall.LTILaunchRequest) (*examhall.LTILaunchResult, error) {
	_, once, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	if req.IDToken == "" || req.State == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "An LTI launch needs id_token and state.")
	}
	var st ltiState
	err = h.takeOnce(ctx, once, "lti-state:"+req.State, &st)
	if isCode(err, examhall.ENotFound) {
		return nil, examhall.Errorf(examhall.EUnauthorized, "This launch has expired or was used already; open the activity again from your course.")
	} else if err != nil {
		return nil, err
	}
	if st.Bound && !req.StateCookie {
		return nil, examhall.Errorf(examhall.EUnauthorized, "This launch did not come from the browser that started it; open the activity again from your course (in a new window if your browser blocks cookies in frames).")
	}
	p, err := h.platformByID(ctx, st.Platform)
	if err != nil {
		return nil, examhall.Errorf(examhall.EUnauthorized, "%s", examhall.ErrorMessage(err))
	}
	c, err := h.verifyIDToken(ctx, p, req.IDToken, st.Nonce)
	if err != nil {
		return nil, err
	}
	switch c.MessageType {
	case msgResourceLink:
		return h.resourceLaunch(ctx, req.Base, p, c)
	case msgDeepLinking:
		return h.deepLinkLaunch(ctx, p, c)
	}
	return nil, examhall.Errorf(examhall.EBadRequest, "examhall does not take LTI messages of type %q.", c.MessageType)
}

// verifyIDToken checks an id_token: RS256 by one of the platform's keys,
// issuer, audience and authorized party, times with a minute's leeway, the
// nonce of the login, a registered deployment, LTI 1.3.0.
func (h *Hall) verifyIDToken(ctx context.Context, p *examhall.LTIPlatform, token, nonce string) (*ltiClaims, error) {
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(p.Issuer),
		jwt.WithAudience(p.ClientID),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(ltiLeeway),
		jwt.WithTimeFunc(h.cfg.Now),
	)
	var c ltiClaims
	_, err := parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return h.jwks.key(ctx, p.JWKSURL, kid)
	})
	if err != nil {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The launch's id_token is not valid: %s.", tokenProblem(err))
	}
	if c.IssuedAt == nil {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The launch's id_token has no iat.")
	}
	if (len(c.Audience) > 1 || c.AuthorizedParty != "") && c.AuthorizedParty != p.ClientID {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The launch's id_token names another authorized party (azp).")
	}
	if c.Nonce == "" || c.Nonce != nonce {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The launch's id_token does not carry the nonce of this login (a replayed launch?).")
	}
	if c.Subject == "" {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The launch's id_token names no user (sub).")
	}
	if !p.HasDeployment(c.DeploymentID) {
		return nil, examhall.Errorf(examhall.EForbidden, "The deployment %q of this platform is not registered here.", c.DeploymentID)
	}
	if c.Version != "1.3.0" {
		return nil, examhall.Errorf(examhall.EBadRequest, "examhall takes LTI 1.3.0 launches, not version %q.", c.Version)
	}
	return &c, nil
}

// tokenProblem says in a few words why jwt refused a token.
func tokenProblem(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "it has expired"
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return "it is dated in the future"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "it comes from another issuer"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "it is meant for another client (aud)"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "its signature does not match the platform's key"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "its signature cannot be checked (" + strings.TrimPrefix(err.Error(), "token is unverifiable: ") + ")"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "a required claim is missing"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "it is malformed"
	}
	return "it failed verification"
}

// resourceLaunch sends a learner to their attempt and an instructor to the
// staff console, each with a one-time code.
func (h *Hall) resourceLaunch(ctx context.Context, base string, p *examhall.LTIPlatform, c *ltiClaims) (*examhall.LTILaunchResult, error) {
	exam, _ := c.Custom["exam"].(string)
	if exam == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "This link names no exam: give the activity the custom parameter exam=<exam id>.")
	}
	e, err := h.exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	if role := examhall.LTIStaffRole(c.Roles); role != "" {
		if err := h.rememberRoster(ctx, p, e, c); err != nil {
			return nil, err
		}
		code, err := h.ltiCode(ctx, &ltiCode{Kind: kindStaff, Staff: ltiUser("lti-staff-", p.Issuer, c.Subject), Role: role})
		if err != nil {
			return nil, err
		}
		h.audit(ctx, &examhall.Event{Kind: "lti_staff_launch", Exam: e.ID, Actor: ltiUser("lti-staff-", p.Issuer, c.Subject), Detail: c.Name})
		return &examhall.LTILaunchResult{Redirect: base + "/staff#lti=" + code + "&exam=" + url.QueryEscape(e.ID)}, nil
	}
	if !examhall.LTILearner(c.Roles) {
		return nil, examhall.Errorf(examhall.EForbidden, "Your role in this course does not take exams here.")
	}
	cand := ltiUser(ltiCandidatePrefix, p.Issuer, c.Subject)
	if _, err := h.b.Candidates.Candidate(ctx, e.ID, cand); isCode(err, examhall.ENotFound) {
		// No access code works for a candidate from a platform: the hash
		// stored is of nothing anyone holds.
		hash := h.keys.CodeHash(e.ID, cand, randomToken(32))
		if err := h.b.Candidates.PutCandidates(ctx, e.ID, []*examhall.Candidate{{Exam: e.ID, ID: cand, CodeHash: hash, CreatedAt: h.Now()}}); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if err := h.linkGrade(ctx, p, e, cand, c); err != nil {
		return nil, err
	}
	code, err := h.ltiCode(ctx, &ltiCode{Kind: kindCandidate, Exam: e.ID, Candidate: cand})
	if err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "lti_launch", Exam: e.ID, Candidate: cand, Detail: strings.TrimSpace(c.Name + " (" + p.Issuer + " " + c.Subject + ")")})
	return &examhall.LTILaunchResult{Redirect: base + "/#lti=" + code}, nil
}

// ltiCandidatePrefix starts the id of every candidate from a platform.
const ltiCandidatePrefix = "lti-"

// ltiUser derives the examhall id of a platform's user: stable, valid as
// an id, and the same on every launch from that platform.
func ltiUser(prefix, issuer, sub string) string {
	sum := sha256.Sum256([]byte(issuer + "\x00" + sub))
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:15]))
}

func (h *Hall) ltiCode(ctx context.Context, v *ltiCode) (string, error) {
	_, once, err := h.ltiStores()
	if err != nil {
		return "", err
	}
	code := randomToken(24)
	if err := h.putOnce(ctx, once, "lti-code:"+code, v, ltiCodeTTL); err != nil {
		return "", err
	}
	return code, nil
}

// takeCode returns what a one-time code stands for, once.
func (h *Hall) takeCode(ctx context.Context, code, kind string) (*ltiCode, error) {
	_, once, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	if code == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "code is required.")
	}
	bad := examhall.Errorf(examhall.EInvalidCredentials, "This sign-in link has expired or was used already; open the activity again from your course.")
	if len(code) > 64 {
		return nil, bad
	}
	var c ltiCode
	err = h.takeOnce(ctx, once, "lti-code:"+code, &c)
	if isCode(err, examhall.ENotFound) {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	if c.Kind != kind {
		return nil, bad
	}
	return &c, nil
}

// LTICodeLogin implements examhall.LTIService.
func (h *Hall) LTICodeLogin(ctx context.Context, code string) (*examhall.LoginResult, error) {
	c, err := h.takeCode(ctx, code, kindCandidate)
	if err != nil {
		return nil, err
	}
	cand, err := h.b.Candidates.Candidate(ctx, c.Exam, c.Candidate)
	if err != nil {
		return nil, err
	}
	e, err := h.exam(ctx, c.Exam)
	if err != nil {
		return nil, err
	}
	return h.begin(ctx, e, cand)
}

// LTIStaffLogin implements examhall.LTIService.
func (h *Hall) LTIStaffLogin(ctx context.Context, code string) (*examhall.StaffLoginResult, error) {
	c, err := h.takeCode(ctx, code, kindStaff)
	if err != nil {
		return nil, err
	}
	now := h.Now()
	tc := &claims{Kind: kindStaff, Role: c.Role, LTI: true}
	tc.Subject = c.Staff
	tok, err := h.sign(tc, now, staffTokenTTL)
	if err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "staff_login", Actor: c.Staff, Detail: "lti"})
	return &examhall.StaffLoginResult{Token: tok, Username: c.Staff, Role: c.Role, Expires: now.Add(staffTokenTTL)}, nil
}

// onceValue is what hall keeps in the OnceStore: a value and when it
// expires on the server's clock. The store's own expiry (in Redis's time)
// comes a minute later and only frees the space.
type onceValue struct {
	Expires int64           `json:"x"` // Unix milliseconds
	Value   json.RawMessage `json:"v"`
}

func (h *Hall) putOnce(ctx context.Context, once examhall.OnceStore, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	env, err := json.Marshal(onceValue{Expires: h.Now().Add(ttl).UnixMilli(), Value: b})
	if err != nil {
		return err
	}
	return once.Put(ctx, key, env, ttl+time.Minute)
}

// takeOnce takes the value under key into v. ENotFound when there is
// none or it has expired.
func (h *Hall) takeOnce(ctx context.Context, once examhall.OnceStore, key string, v any) error {
	raw, err := once.Take(ctx, key)
	if err != nil {
		return err
	}
	var env onceValue
	if err := json.Unmarshal(raw, &env); err != nil {
		return err
	}
	if h.Now().UnixMilli() >= env.Expires {
		return examhall.Errorf(examhall.ENotFound, "The value under %q has expired.", key)
	}
	return json.Unmarshal(env.Value, v)
}

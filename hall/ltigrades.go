package hall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"examhall"

	"github.com/golang-jwt/jwt/v5"
)

// Grade passback (LTI Assignment and Grade Services 2.0): a launch with a
// line item links the attempt to it; submitting the attempt, and every mark
// after, makes its score due in the store's outbox (durable, so a restart
// loses none); every server sends due scores, one claim each, retrying
// with backoff.

const (
	scopeScore      = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
	gradeLease      = 2 * time.Minute
	gradeBatch      = 50
	gradeMaxBackoff = time.Hour
)

// linkGrade records where a learner's launch sends the attempt's score.
func (h *Hall) linkGrade(ctx context.Context, p *examhall.LTIPlatform, e *examhall.Exam, cand string, c *ltiClaims) error {
	if c.AGS == nil || c.AGS.LineItem == "" || !slices.Contains(c.AGS.Scope, scopeScore) {
		return nil
	}
	return h.b.LTI.LinkGrade(ctx, &examhall.LTIGrade{
		Attempt: h.keys.AttemptID(e.ID, cand), Exam: e.ID, Candidate: cand,
		Platform: p.ID, Subject: c.Subject, LineItem: c.AGS.LineItem,
	})
}

// gradeDue makes an attempt's score due, if it came from a platform. A
// failure is logged: the submission or mark it follows stands.
func (h *Hall) gradeDue(ctx context.Context, a *examhall.Attempt) {
	if h.b.LTI == nil || !strings.HasPrefix(a.Candidate, ltiCandidatePrefix) {
		return
	}
	if _, err := h.b.LTI.GradeDue(ctx, a.ID, h.Now()); err != nil {
		h.log.Error("LTI grade passback: marking a score due failed", "attempt", a.ID, "err", err)
	}
}

// runGrades sends due scores every SweepInterval until ctx is done.
func (h *Hall) runGrades(ctx context.Context) {
	if h.b.LTI == nil {
		return
	}
	t := time.NewTicker(h.cfg.SweepInterval)
	defer t.Stop()
	for {
		if _, err := h.SendGrades(ctx); err != nil && ctx.Err() == nil {
			h.log.Error("LTI grade passback failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendGrades sends the scores due now and returns how many the platforms
// took. A score a platform refuses is tried again later, with backoff.
func (h *Hall) SendGrades(ctx context.Context) (int, error) {
	if h.b.LTI == nil {
		return 0, nil
	}
	sent := 0
	for {
		gs, err := h.b.LTI.ClaimGrades(ctx, h.Now(), gradeLease, gradeBatch)
		if err != nil {
			return sent, err
		}
		for _, g := range gs {
			if err := h.sendGrade(ctx, g); err != nil {
				next := h.Now().Add(min(gradeMaxBackoff, (10*time.Second)<<min(g.Tries, 12)))
				msg := err.Error()
				if len(msg) > 500 {
					msg = msg[:500]
				}
				h.log.Warn("LTI grade passback: a score was not taken", "attempt", g.Attempt, "tries", g.Tries+1, "err", msg)
				if err := h.b.LTI.GradeFailed(ctx, g.Attempt, g.Version, msg, next); err != nil {
					return sent, err
				}
				continue
			}
			sent++
		}
		if len(gs) < gradeBatch {
			return sent, nil
		}
	}
}

// ltiScore is the body of a score post (application/vnd.ims.lis.v1.score+json).
type ltiScore struct {
	UserID           string  `json:"userId"`
	ScoreGiven       float64 `json:"scoreGiven"`
	ScoreMaximum     float64 `json:"scoreMaximum"`
	ActivityProgress string  `json:"activityProgress"`
	GradingProgress  string  `json:"gradingProgress"`
	Timestamp        string  `json:"timestamp"`
}

// sendGrade grades the attempt as it stands and posts the score.
func (h *Hall) sendGrade(ctx context.Context, g *examhall.LTIGrade) error {
	p, err := h.platformByID(ctx, g.Platform)
	if err != nil {
		return fmt.Errorf("the platform %s is no longer registered", g.Platform)
	}
	a, err := h.b.Attempts.Attempt(ctx, g.Attempt)
	if err != nil {
		return err
	}
	if a.Status != examhall.Submitted {
		return fmt.Errorf("the attempt is not submitted yet")
	}
	e, err := h.b.Exams.Exam(ctx, a.Exam)
	if err != nil {
		return err
	}
	r, err := h.score(ctx, e, a)
	if err != nil {
		return err
	}
	now := h.Now()
	s := ltiScore{
		UserID: g.Subject, ScoreGiven: r.Score, ScoreMaximum: r.MaxScore,
		ActivityProgress: "Completed", GradingProgress: "FullyGraded",
		Timestamp: now.Format("2006-01-02T15:04:05.000Z07:00"),
	}
	if r.Pending > 0 {
		s.GradingProgress = "PendingManual"
	}
	if err := h.postScore(ctx, p, g.LineItem, &s); err != nil {
		return err
	}
	return h.b.LTI.GradeSent(ctx, g.Attempt, g.Version, &examhall.LTIGrade{
		SentAt: now, ScoreGiven: s.ScoreGiven, ScoreMaximum: s.ScoreMaximum, GradingProgress: s.GradingProgress,
	})
}

func (h *Hall) postScore(ctx context.Context, p *examhall.LTIPlatform, lineItem string, s *ltiScore) error {
	u, err := url.Parse(lineItem)
	if err != nil || u.Host == "" {
		return fmt.Errorf("the line item %q is not a URL", lineItem)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/scores"
	body, _ := json.Marshal(s)
	tok, err := h.accessToken(ctx, p, scopeScore)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/vnd.ims.lis.v1.score+json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := h.jwks.client.Do(req)
	if err != nil {
		return fmt.Errorf("posting the score: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		if resp.StatusCode == http.StatusUnauthorized {
			h.agsTokens.forget(p.ID + " " + scopeScore)
		}
		return fmt.Errorf("posting the score: %s: %s", resp.Status, snippet(resp.Body))
	}
	return nil
}

func snippet(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 200))
	return strings.TrimSpace(string(b))
}

// agsTokens caches the platforms' access tokens until shortly before
// they expire.
type agsTokens struct {
	mu sync.Mutex
	m  map[string]agsToken
}

type agsToken struct {
	token   string
	expires time.Time
}

func (c *agsTokens) get(id string, now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.m[id]
	return t.token, ok && now.Before(t.expires)
}

func (c *agsTokens) put(id string, t agsToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]agsToken)
	}
	c.m[id] = t
}

func (c *agsTokens) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

// accessToken returns an access token of the platform for a service's
// scope (posting scores, reading rosters): the OAuth 2 client-credentials
// grant with a JWT client assertion signed by the tool's key (1EdTech
// Security Framework).
func (h *Hall) accessToken(ctx context.Context, p *examhall.LTIPlatform, scope string) (string, error) {
	now := h.Now()
	key := p.ID + " " + scope
	if t, ok := h.agsTokens.get(key, now); ok {
		return t, nil
	}
	k, err := h.ltiKey(ctx)
	if err != nil {
		return "", err
	}
	a := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
		Issuer: p.ClientID, Subject: p.ClientID, Audience: jwt.ClaimStrings{p.AuthTokenURL},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)), ID: randomToken(16),
	})
	a.Header["kid"] = k.kid
	assertion, err := a.SignedString(k.key)
	if err != nil {
		return "", err
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
		"scope":                 {scope},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.AuthTokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := h.jwks.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("getting an access token: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("getting an access token: %s: %s", resp.Status, snippet(resp.Body))
	}
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&out); err != nil || out.AccessToken == "" {
		return "", fmt.Errorf("getting an access token: the platform's answer has no access_token")
	}
	if out.ExpiresIn <= 0 {
		out.ExpiresIn = 3600
	}
	h.agsTokens.put(key, agsToken{token: out.AccessToken, expires: now.Add(time.Duration(out.ExpiresIn)*time.Second - 30*time.Second)})
	return out.AccessToken, nil
}

// LTIGrades implements examhall.LTIService.
func (h *Hall) LTIGrades(ctx context.Context, exam string) (*examhall.LTIGradeList, error) {
	if _, err := examhall.StaffFrom(ctx); err != nil {
		return nil, err
	}
	st, _, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	if _, err := h.exam(ctx, exam); err != nil {
		return nil, err
	}
	gs, err := st.Grades(ctx, exam)
	if err != nil {
		return nil, err
	}
	return &examhall.LTIGradeList{Exam: exam, Grades: gs}, nil
}

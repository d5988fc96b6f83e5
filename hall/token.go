package hall

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"

	"examhall"

	"github.com/golang-jwt/jwt/v5"
)

// Token kinds.
const (
	kindCandidate = "candidate"
	kindStaff     = "staff"
)

// claims is what a bearer token says about its holder.
type claims struct {
	Kind    string `json:"knd"`
	Attempt string `json:"att,omitempty"`
	Exam    string `json:"exm,omitempty"`
	Session string `json:"sid,omitempty"`
	Role    string `json:"rol,omitempty"`
	// PasswordVersion names the staff password the token was issued
	// under (see accounts.go).
	PasswordVersion string `json:"pwv,omitempty"`
	// LTI marks a staff token from an LTI launch: it has no account
	// here (the platform vouched for the person and their role), so it
	// lives for its own lifetime.
	LTI bool `json:"lti,omitempty"`
	jwt.RegisteredClaims
}

// identity returns the identity the claims prove.
func (c *claims) identity() *examhall.Identity {
	if c.Kind == kindStaff {
		return &examhall.Identity{Staff: c.Subject, Role: c.Role}
	}
	return &examhall.Identity{Exam: c.Exam, Candidate: c.Subject, Attempt: c.Attempt, Session: c.Session}
}

func (h *Hall) sign(c *claims, now time.Time, ttl time.Duration) (string, error) {
	c.IssuedAt = jwt.NewNumericDate(now)
	c.ExpiresAt = jwt.NewNumericDate(now.Add(ttl))
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(h.keys.token)
}

var _ examhall.Authenticator = (*Hall)(nil)

// Authenticate implements examhall.Authenticator: it verifies a bearer
// token. Any failure is EUnauthorized.
func (h *Hall) Authenticate(ctx context.Context, token string) (*examhall.Identity, error) {
	if token == "" {
		return nil, examhall.Errorf(examhall.EUnauthorized, "Sign in first: this request needs a bearer token.")
	}
	if v, ok := h.tokens.Load(token); ok {
		t := v.(*verified)
		if h.cfg.Now().Before(t.expires) {
			if t.staff != nil {
				return h.liveStaff(ctx, t.staff)
			}
			return t.id, nil
		}
		h.tokens.Delete(token)
	}
	var c claims
	_, err := h.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return h.keys.token, nil })
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return nil, examhall.Errorf(examhall.EUnauthorized, "Your sign-in has expired; sign in again.")
		}
		return nil, examhall.Errorf(examhall.EUnauthorized, "The bearer token is not valid; sign in again.")
	}
	if c.Kind != kindCandidate && c.Kind != kindStaff {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The bearer token is not valid; sign in again.")
	}
	t := &verified{id: c.identity(), expires: c.ExpiresAt.Time}
	if c.Kind == kindStaff && !c.LTI {
		t.staff = &c
	}
	h.remember(token, t)
	if t.staff != nil {
		// A staff token is only as good as its account, now.
		return h.liveStaff(ctx, t.staff)
	}
	return t.id, nil
}

// verified is a token that passed verification: who it proves, until when.
type verified struct {
	id      *examhall.Identity
	expires time.Time
	staff   *claims // a staff token's claims, checked on every use
}

// maxCachedTokens bounds the cache of verified tokens; past it the cache
// starts over.
const maxCachedTokens = 200000

// remember caches a verified token: decoding a token costs more than the
// rest of an autosave, and a candidate sends the same one all exam long.
// The key is the whole token, signature included, so only a genuine token
// can hit.
func (h *Hall) remember(token string, t *verified) {
	if h.tokenCount.Add(1) > maxCachedTokens {
		h.tokens.Clear()
		h.tokenCount.Store(1)
	}
	h.tokens.Store(token, t)
}

func newParser(now func() time.Time) *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(now),
	)
}

// newSessionID returns a random session id.
func newSessionID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

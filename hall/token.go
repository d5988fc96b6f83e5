package hall

import (
	"crypto/rand"
	"encoding/base64"
	"time"

	"examhall"

	"github.com/golang-jwt/jwt/v5"
)

// Token kinds.
const (
	KindCandidate = "candidate"
	KindStaff     = "staff"
)

// Claims is what a bearer token says about its holder.
type Claims struct {
	Kind    string `json:"knd"`
	Attempt string `json:"att,omitempty"`
	Exam    string `json:"exm,omitempty"`
	Session string `json:"sid,omitempty"`
	Role    string `json:"rol,omitempty"`
	jwt.RegisteredClaims
}

// Subject is the candidate id or staff username.
func (c *Claims) Subject() string { return c.RegisteredClaims.Subject }

func (h *Hall) sign(c *Claims, now time.Time, ttl time.Duration) (string, error) {
	c.IssuedAt = jwt.NewNumericDate(now)
	c.ExpiresAt = jwt.NewNumericDate(now.Add(ttl))
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(h.keys.token)
}

// ParseToken verifies a bearer token and returns its claims. Any failure is
// EUnauthorized.
func (h *Hall) ParseToken(token string) (*Claims, error) {
	if token == "" {
		return nil, examhall.Errorf(examhall.EUnauthorized, "Sign in first: this request needs a bearer token.")
	}
	if v, ok := h.tokens.Load(token); ok {
		c := v.(*Claims)
		if h.cfg.Now().Before(c.ExpiresAt.Time) {
			return c, nil
		}
		h.tokens.Delete(token)
	}
	var c Claims
	_, err := h.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return h.keys.token, nil })
	if err != nil {
		if errorsIs(err, jwt.ErrTokenExpired) {
			return nil, examhall.Errorf(examhall.EUnauthorized, "Your sign-in has expired; sign in again.")
		}
		return nil, examhall.Errorf(examhall.EUnauthorized, "The bearer token is not valid; sign in again.")
	}
	if c.Kind != KindCandidate && c.Kind != KindStaff {
		return nil, examhall.Errorf(examhall.EUnauthorized, "The bearer token is not valid; sign in again.")
	}
	h.remember(token, &c)
	return &c, nil
}

// maxCachedTokens bounds the cache of verified tokens; past it the cache
// starts over.
const maxCachedTokens = 200000

// remember caches the claims of a verified token: decoding a token costs
// more than the rest of an autosave, and a candidate sends the same one all
// exam long. The key is the whole token, signature included, so only a
// genuine token can hit.
func (h *Hall) remember(token string, c *Claims) {
	if h.tokenCount.Add(1) > maxCachedTokens {
		h.tokens.Clear()
		h.tokenCount.Store(1)
	}
	h.tokens.Store(token, c)
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

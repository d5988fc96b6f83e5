package hall

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"examhall"

	"github.com/go-jose/go-jose/v4"
)

var _ examhall.LTIService = (*Hall)(nil)

// ltiStores returns the mode's LTI stores, or an error saying it has none.
func (h *Hall) ltiStores() (examhall.LTIStore, examhall.OnceStore, error) {
	if h.b.LTI == nil || h.b.Once == nil {
		return nil, nil, examhall.Errorf(examhall.ENotFound, "This server does not take LTI launches.")
	}
	return h.b.LTI, h.b.Once, nil
}

// AddPlatform implements examhall.LTIService.
func (h *Hall) AddPlatform(ctx context.Context, base string, p *examhall.LTIPlatform) (*examhall.LTIPlatformView, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAdmin)
	if err != nil {
		return nil, err
	}
	st, _, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	q := *p
	q.ID = "ltip-" + newSessionID()[:12]
	q.CreatedAt = h.Now()
	if err := st.PutPlatform(ctx, &q); err != nil {
		return nil, err
	}
	h.ltiPlatforms.forget()
	h.audit(ctx, &examhall.Event{Kind: "lti_platform_added", Actor: who.Staff, Detail: q.Issuer + " " + q.ClientID})
	return &examhall.LTIPlatformView{LTIPlatform: q, Tool: toolURLs(base)}, nil
}

// Platforms implements examhall.LTIService.
func (h *Hall) Platforms(ctx context.Context, base string) (*examhall.LTIPlatformList, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleAdmin); err != nil {
		return nil, err
	}
	st, _, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	ps, err := st.Platforms(ctx)
	if err != nil {
		return nil, err
	}
	out := &examhall.LTIPlatformList{Platforms: []examhall.LTIPlatformView{}, Tool: toolURLs(base)}
	for _, p := range ps {
		out.Platforms = append(out.Platforms, examhall.LTIPlatformView{LTIPlatform: *p, Tool: out.Tool})
	}
	return out, nil
}

// DeletePlatform implements examhall.LTIService.
func (h *Hall) DeletePlatform(ctx context.Context, id string) error {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAdmin)
	if err != nil {
		return err
	}
	st, _, err := h.ltiStores()
	if err != nil {
		return err
	}
	if err := st.DeletePlatform(ctx, id); err != nil {
		return err
	}
	h.ltiPlatforms.forget()
	h.audit(ctx, &examhall.Event{Kind: "lti_platform_deleted", Actor: who.Staff, Detail: id})
	return nil
}

func toolURLs(base string) examhall.LTIToolURLs {
	return examhall.LTIToolURLs{
		LoginURL:       base + "/lti/login",
		LaunchURL:      base + "/lti/launch",
		RedirectURIs:   []string{base + "/lti/launch"},
		JWKSURL:        base + "/lti/jwks",
		DeepLinkingURL: base + "/lti/launch",
	}
}

// platform returns the registered platform of an issuer and client id;
// an empty client id matches when the issuer has one registration.
func (h *Hall) platform(ctx context.Context, issuer, clientID string) (*examhall.LTIPlatform, error) {
	ps, err := h.ltiPlatforms.get(ctx, h.b.LTI)
	if err != nil {
		return nil, err
	}
	var found *examhall.LTIPlatform
	for _, p := range ps {
		if p.Issuer != issuer || (clientID != "" && p.ClientID != clientID) {
			continue
		}
		if found != nil {
			return nil, examhall.Errorf(examhall.EBadRequest, "The platform %q has several registrations here; it must send client_id.", issuer)
		}
		found = p
	}
	if found == nil {
		return nil, examhall.Errorf(examhall.ENotFound, "No LTI platform %q with client id %q is registered here.", issuer, clientID)
	}
	return found, nil
}

// platformByID returns a registered platform by its id.
func (h *Hall) platformByID(ctx context.Context, id string) (*examhall.LTIPlatform, error) {
	ps, err := h.ltiPlatforms.get(ctx, h.b.LTI)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, examhall.Errorf(examhall.ENotFound, "The LTI platform of this launch is no longer registered.")
}

// platformCache keeps the registered platforms for the length of the exam
// cache: a launch looks them up twice, and there are few of them.
type platformCache struct {
	mu  sync.Mutex
	ps  []*examhall.LTIPlatform
	gen int
	at  int64 // wall-clock nanoseconds of the read; 0 when stale
	ttl int64
}

func (c *platformCache) get(ctx context.Context, st examhall.LTIStore) ([]*examhall.LTIPlatform, error) {
	now := wallNanos()
	c.mu.Lock()
	if c.at != 0 && now-c.at < c.ttl {
		ps := c.ps
		c.mu.Unlock()
		return ps, nil
	}
	gen := c.gen
	c.mu.Unlock()
	ps, err := st.Platforms(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if gen == c.gen {
		c.ps, c.at = ps, now
	}
	c.mu.Unlock()
	return ps, nil
}

func (c *platformCache) forget() {
	c.mu.Lock()
	c.gen++
	c.at = 0
	c.mu.Unlock()
}

// toolKey is the tool's RSA key, which signs its messages to platforms
// (deep linking responses, client assertions) and whose public half
// GET /lti/jwks publishes.
type toolKey struct {
	key *rsa.PrivateKey
	kid string
	set []byte // the JWKS document
}

// ltiKey returns the tool's key, loading (or creating) it once.
func (h *Hall) ltiKey(ctx context.Context) (*toolKey, error) {
	h.ltiKeyMu.Lock()
	defer h.ltiKeyMu.Unlock()
	if h.ltiToolKey != nil {
		return h.ltiToolKey, nil
	}
	st, _, err := h.ltiStores()
	if err != nil {
		return nil, err
	}
	der, err := st.ToolKey(ctx, func() ([]byte, error) {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		return x509.MarshalPKCS8PrivateKey(k)
	})
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("the stored LTI tool key: %w", err)
	}
	k, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the stored LTI tool key is not an RSA key")
	}
	pub := jose.JSONWebKey{Key: &k.PublicKey, Algorithm: "RS256", Use: "sig"}
	tp, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, err
	}
	pub.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	set, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pub}})
	if err != nil {
		return nil, err
	}
	h.ltiToolKey = &toolKey{key: k, kid: pub.KeyID, set: set}
	return h.ltiToolKey, nil
}

// LTIKeys implements examhall.LTIService.
func (h *Hall) LTIKeys(ctx context.Context) (json.RawMessage, error) {
	k, err := h.ltiKey(ctx)
	if err != nil {
		return nil, err
	}
	return k.set, nil
}

// randomToken returns n random bytes, URL-safe base64.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// joinURL adds query parameters to a URL that may have some already.
func joinURL(u, query string) string {
	if strings.Contains(u, "?") {
		return u + "&" + query
	}
	return u + "?" + query
}

package hall

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// jwksCache fetches and keeps the platforms' public keys. A key id it has
// not seen makes it fetch the set again (the platform rotated its keys),
// at most once every jwksRefetch per URL, so that tokens naming made-up
// keys cannot make it hammer a platform.
type jwksCache struct {
	now    func() time.Time // the server's clock, so that tests can age the cache
	client *http.Client
	mu     sync.Mutex
	sets   map[string]*jwksEntry
}

type jwksEntry struct {
	mu      sync.Mutex
	set     jose.JSONWebKeySet
	fetched time.Time
}

const (
	jwksTTL     = 10 * time.Minute
	jwksRefetch = 10 * time.Second
	jwksMaxBody = 1 << 20
)

func newJWKSCache(now func() time.Time) *jwksCache {
	return &jwksCache{now: now, client: &http.Client{Timeout: 10 * time.Second}, sets: make(map[string]*jwksEntry)}
}

// key returns the RSA public key with id kid from the set at url; an
// empty kid names the set's only key.
func (c *jwksCache) key(ctx context.Context, url, kid string) (*rsa.PublicKey, error) {
	c.mu.Lock()
	e, ok := c.sets[url]
	if !ok {
		e = &jwksEntry{}
		c.sets[url] = e
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	now := c.now()
	k, found := pick(e.set, kid)
	stale := now.Sub(e.fetched) > jwksTTL
	if (!found || stale) && now.Sub(e.fetched) > jwksRefetch {
		set, err := c.fetch(ctx, url)
		if err != nil {
			if found {
				return usable(k) // a platform briefly down: the key we hold still counts
			}
			return nil, err
		}
		e.set, e.fetched = set, now
		k, found = pick(set, kid)
	}
	if !found {
		return nil, fmt.Errorf("the platform's key set has no key %q", kid)
	}
	return usable(k)
}

func pick(set jose.JSONWebKeySet, kid string) (jose.JSONWebKey, bool) {
	if kid == "" {
		if len(set.Keys) == 1 {
			return set.Keys[0], true
		}
		return jose.JSONWebKey{}, false
	}
	ks := set.Key(kid)
	if len(ks) == 0 {
		return jose.JSONWebKey{}, false
	}
	return ks[0], true
}

// usable returns the key if it is an RSA public key of at least 2048 bits
// meant for RS256 signatures.
func usable(k jose.JSONWebKey) (*rsa.PublicKey, error) {
	pub, ok := k.Key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("the platform's key %q is not an RSA public key", k.KeyID)
	}
	if k.Algorithm != "" && k.Algorithm != "RS256" {
		return nil, fmt.Errorf("the platform's key %q is for %s, not RS256", k.KeyID, k.Algorithm)
	}
	if k.Use != "" && k.Use != "sig" {
		return nil, fmt.Errorf("the platform's key %q is not for signatures", k.KeyID)
	}
	if pub.N.BitLen() < 2048 {
		return nil, fmt.Errorf("the platform's key %q has %d bits, fewer than 2048", k.KeyID, pub.N.BitLen())
	}
	return pub, nil
}

func (c *jwksCache) fetch(ctx context.Context, url string) (jose.JSONWebKeySet, error) {
	var set jose.JSONWebKeySet
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return set, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return set, fmt.Errorf("fetching the platform's keys: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return set, fmt.Errorf("fetching the platform's keys: %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBody))
	if err != nil {
		return set, fmt.Errorf("reading the platform's keys: %w", err)
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return set, fmt.Errorf("the platform's key set is not a JSON Web Key Set: %w", err)
	}
	return set, nil
}

package examhall

import (
	"context"
	"net/netip"
)

// Peer is where a request comes from, as package http tells it: the
// client's address (from X-Forwarded-For only when the connection comes
// from a trusted proxy) and its user agent. Logins are limited per address
// and network, and the audit log records both.
type Peer struct {
	Addr      netip.Addr
	UserAgent string
}

type peerKey struct{}

// WithPeer returns a context carrying p.
func WithPeer(ctx context.Context, p *Peer) context.Context {
	return context.WithValue(ctx, peerKey{}, p)
}

// PeerFrom returns the peer ctx carries, or nil (a command run on the
// data directory has none).
func PeerFrom(ctx context.Context) *Peer {
	p, _ := ctx.Value(peerKey{}).(*Peer)
	return p
}

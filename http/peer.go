package http

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"examhall"
)

// Client addresses. A request's client is the connection's peer, unless
// that peer is one of Config.TrustedProxies: then it is the address a
// proxy put in X-Forwarded-For, read from the right, skipping the trusted
// proxies themselves (the left of the header is whatever the client sent,
// so it is never believed). Logins are limited per client address and the
// audit log records it (see hall's Guard).

// ParseCIDRs parses a comma-separated list of networks (a bare address is
// one host), as --trusted-proxies and --login-exempt take them.
func ParseCIDRs(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is neither an address nor a network (CIDR)", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a network in CIDR form (such as 10.0.0.0/8)", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// clientAddr returns the client address of r.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	addr := ap.Addr().Unmap()
	if !s.trusted(addr) {
		return addr
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return addr // a hop we cannot read: stop at the last one we trust
			}
			addr = a.Unmap()
			if !s.trusted(addr) {
				return addr
			}
		}
	}
	return addr
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// withPeer puts the request's client address and user agent in its
// context.
func (s *Server) withPeer(r *http.Request) *http.Request {
	ua := r.UserAgent()
	if len(ua) > 256 {
		ua = ua[:256]
	}
	return r.WithContext(examhall.WithPeer(r.Context(), &examhall.Peer{Addr: s.clientAddr(r), UserAgent: ua}))
}

package http

import (
	"context"
	"net/http"
	"strings"

	"examhall"
)

// Authentication: a route of the candidate or staff API needs a bearer
// token, which the service turns into the examhall.Identity that the
// request's context carries from then on. The same two rules that the
// services apply first (examhall.CandidateFrom and StaffFrom) are applied
// here too, before the body is read: a staff token on a candidate's route,
// or the reverse, is refused without decoding anything.

// candidate serves h to candidates.
func (s *Server) candidate(h http.HandlerFunc) http.HandlerFunc {
	seb := func(w http.ResponseWriter, r *http.Request) { h(w, s.withSEB(r)) }
	return s.authenticated(seb, func(ctx context.Context) error {
		_, err := examhall.CandidateFrom(ctx)
		return err
	})
}

// staff serves h to staff.
func (s *Server) staff(h http.HandlerFunc) http.HandlerFunc {
	return s.authenticated(h, func(ctx context.Context) error {
		_, err := examhall.StaffFrom(ctx)
		return err
	})
}

func (s *Server) authenticated(h http.HandlerFunc, allowed func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := s.svc.Authenticate(r.Context(), bearer(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		ctx := examhall.WithIdentity(r.Context(), id)
		if err := allowed(ctx); err != nil {
			writeError(w, r, err)
			return
		}
		h(w, r.WithContext(ctx))
	}
}

// anyone serves h to everybody, with the identity of a valid bearer token
// when there is one.
func (s *Server) anyone(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if tok := bearer(r); tok != "" {
			if id, err := s.svc.Authenticate(r.Context(), tok); err == nil {
				r = r.WithContext(examhall.WithIdentity(r.Context(), id))
			}
		}
		h(w, r)
	}
}

// bearer returns the bearer token of a request, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

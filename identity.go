package examhall

import "context"

// Identity is who makes a request, as their bearer token proves it: a
// candidate in their one attempt of an exam, or a member of staff with a
// role. Package http authenticates the token and puts the identity in the
// request's context; package hall authorizes every use case from it, so no
// method takes a trusted name or a raw token. An Identity is shared by the
// requests of one token: never modify one.
type Identity struct {
	// Exam, Candidate, Attempt and Session identify a candidate: the
	// attempt their token is bound to and the login it came from (a newer
	// login retires it).
	Exam, Candidate, Attempt, Session string
	// Staff and Role identify a member of staff.
	Staff, Role string
}

// IsStaff reports whether id is a member of staff's.
func (id *Identity) IsStaff() bool { return id != nil && id.Staff != "" }

// IsCandidate reports whether id is a candidate's.
func (id *Identity) IsCandidate() bool { return id != nil && id.Staff == "" && id.Attempt != "" }

type identityKey struct{}

// WithIdentity returns a context carrying id.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the identity ctx carries, or nil.
func IdentityFrom(ctx context.Context) *Identity {
	id, _ := ctx.Value(identityKey{}).(*Identity)
	return id
}

// The two rules of who may use which half of the API (docs/api.md's
// "forbidden": a staff endpoint with a candidate token or the reverse).
// Package hall applies them first in every use case; package http applies
// them before it reads a request body, so that a request nobody may make
// costs no decoding.

// StaffFrom returns the member of staff ctx carries, who must hold one of
// roles or be an admin; naming none allows every role. EUnauthorized when
// ctx carries no identity; EForbidden for a candidate or another role.
func StaffFrom(ctx context.Context, roles ...string) (*Identity, error) {
	id := IdentityFrom(ctx)
	switch {
	case id == nil:
		return nil, errSignIn()
	case !id.IsStaff():
		return nil, Errorf(EForbidden, "Only staff may use this endpoint.")
	case len(roles) == 0 || id.Role == RoleAdmin:
		return id, nil
	}
	for _, r := range roles {
		if id.Role == r || (id.Role == RoleInstructor && r != RoleAdmin) {
			return id, nil
		}
	}
	return nil, Errorf(EForbidden, "Your role (%s) may not do this.", id.Role)
}

// CandidateFrom returns the candidate ctx carries. EUnauthorized when ctx
// carries no identity; EForbidden for staff.
func CandidateFrom(ctx context.Context) (*Identity, error) {
	id := IdentityFrom(ctx)
	switch {
	case id == nil:
		return nil, errSignIn()
	case !id.IsCandidate():
		return nil, Errorf(EForbidden, "This is a candidate's endpoint; staff tokens cannot use it.")
	}
	return id, nil
}

func errSignIn() error {
	return Errorf(EUnauthorized, "Sign in first: this request needs a bearer token.")
}

// Authenticator tells who holds a bearer token.
type Authenticator interface {
	// Authenticate verifies a bearer token and returns the identity it
	// proves. EUnauthorized for a missing, expired or forged token. A
	// candidate's token retired by a newer login still authenticates;
	// the use case refuses it (it needs the attempt to tell).
	Authenticate(ctx context.Context, token string) (*Identity, error)
}

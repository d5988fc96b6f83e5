package examhall

import (
	"context"
	"encoding/json"
)

// LTIService is examhall as an LTI 1.3 tool: the registration of platforms
// by staff, the OpenID Connect login a platform starts, the launch that
// follows it, and the exchange of a launch's one-time code for a sign-in.
// Base, in the requests, is the tool's absolute URL without a trailing
// slash (--public-url, or the request's own): the tool's endpoints are
// under it.
type LTIService interface {
	// AddPlatform registers a platform (admins only). EBadRequest for a
	// missing field or a bad URL; EConflict for an issuer and client id
	// registered already.
	AddPlatform(ctx context.Context, base string, p *LTIPlatform) (*LTIPlatformView, error)
	// Platforms lists the registered platforms with the tool's URLs to
	// give each of them (admins only).
	Platforms(ctx context.Context, base string) (*LTIPlatformList, error)
	// DeletePlatform removes a platform (admins only). ENotFound.
	DeletePlatform(ctx context.Context, id string) error
	// LTILogin answers a platform's third-party initiated login with the
	// authentication request to send the browser to. EBadRequest for a
	// missing parameter; ENotFound for an issuer and client id that are
	// not registered.
	LTILogin(ctx context.Context, req *LTILoginRequest) (*LTILoginRedirect, error)
	// LTILaunch verifies the id_token a platform posts and says where the
	// browser goes next. EUnauthorized for a token that fails any check
	// (signature, issuer, audience, time, nonce, state, deployment);
	// EBadRequest for a message examhall does not take; ENotFound for an
	// exam that does not exist; nothing is created on failure.
	LTILaunch(ctx context.Context, req *LTILaunchRequest) (*LTILaunchResult, error)
	// LTIKeys returns the tool's public keys, a JSON Web Key Set.
	LTIKeys(ctx context.Context) (json.RawMessage, error)
	// LTICodeLogin exchanges a learner launch's one-time code for the
	// answer of Login. EInvalidCredentials for an unknown, used or expired
	// code.
	LTICodeLogin(ctx context.Context, code string) (*LoginResult, error)
	// LTIStaffLogin exchanges an instructor launch's one-time code for a
	// staff sign-in. EInvalidCredentials as LTICodeLogin.
	LTIStaffLogin(ctx context.Context, code string) (*StaffLoginResult, error)
	// LTIGrades lists the grade passback of an exam's attempts from
	// platforms: where each score goes, what was sent, what is due and
	// why the last try failed (staff). ENotFound for an unknown exam.
	LTIGrades(ctx context.Context, exam string) (*LTIGradeList, error)
	// LTIDeepLink answers a deep linking request with the exam the
	// instructor chose: an LtiDeepLinkingResponse signed by the tool's
	// key, with one ltiResourceLink content item (custom exam). EBadRequest
	// without ticket or exam; EUnauthorized for an unknown, used or
	// expired ticket; ENotFound for an unknown exam.
	LTIDeepLink(ctx context.Context, base, ticket, exam string) (*LTIDeepLinkResponse, error)
	// LTIRoster makes the learners of the courses the exam was launched
	// from (by an instructor, whose launch names the course's membership
	// service) its candidates, reading every page of each roster (staff).
	// EConflict when no roster is known; EBadRequest when a platform
	// refuses or answers nonsense; ENotFound for an unknown exam.
	LTIRoster(ctx context.Context, exam string) (*LTIRosterResult, error)
}

// LTIRosterResult is what POST /api/v1/admin/exams/{exam}/lti/roster
// returns: how many members the rosters listed, how many were active
// learners, and the candidates added.
type LTIRosterResult struct {
	Exam     string   `json:"exam"`
	Members  int      `json:"members"`
	Learners int      `json:"learners"`
	Added    []string `json:"added"`
}

// LTIGradeList is what GET /api/v1/admin/exams/{exam}/lti/grades returns.
type LTIGradeList struct {
	Exam   string      `json:"exam"`
	Grades []*LTIGrade `json:"grades"`
}

// LTIPlatformView is a registered platform and what to paste into it.
type LTIPlatformView struct {
	LTIPlatform
	Tool LTIToolURLs `json:"tool"`
}

// LTIToolURLs are examhall's endpoints as a platform's registration asks
// for them.
type LTIToolURLs struct {
	LoginURL       string   `json:"login_url"`
	LaunchURL      string   `json:"launch_url"`
	RedirectURIs   []string `json:"redirect_uris"`
	JWKSURL        string   `json:"jwks_url"`
	DeepLinkingURL string   `json:"deep_linking_url"`
}

// LTIPlatformList is what GET /api/v1/admin/lti/platforms returns.
type LTIPlatformList struct {
	Platforms []LTIPlatformView `json:"platforms"`
	Tool      LTIToolURLs       `json:"tool"`
}

// LTILoginRequest is a platform's third-party initiated login (its form or
// query parameters). Secure says whether it came over https.
type LTILoginRequest struct {
	Base           string
	Issuer         string
	LoginHint      string
	TargetLinkURI  string
	LTIMessageHint string
	ClientID       string
	DeploymentID   string
	Secure         bool
}

// LTILoginRedirect is where the browser goes to authenticate, and the
// state to bind to the browser (a cookie) when BindState is set.
type LTILoginRedirect struct {
	URL       string
	State     string
	BindState bool
}

// LTILaunchRequest is what a platform posts to the launch URL: the
// id_token and the state, and whether the browser sent back the cookie
// bound to that state at login.
type LTILaunchRequest struct {
	Base        string
	IDToken     string
	State       string
	StateCookie bool
}

// LTILaunchResult says where a verified launch goes: Redirect is a URL to
// send the browser to (303), or, for a deep linking request, DeepLink is
// the choice of exams to show the instructor.
type LTILaunchResult struct {
	Redirect string
	DeepLink *LTIDeepLinkChoice
}

// LTIDeepLinkChoice is what an instructor chooses from when a platform
// asks for a link to an exam: the exams, and the ticket that the choice
// is posted back with (good once, for 30 minutes).
type LTIDeepLinkChoice struct {
	Ticket string
	Exams  []ExamSummary
}

// LTIDeepLinkResponse is the signed answer to post back to the platform:
// the form field JWT to ReturnURL.
type LTIDeepLinkResponse struct {
	ReturnURL string
	JWT       string
}

// LTICodeRequest is the body of POST /api/v1/login/lti and
// /api/v1/admin/login/lti.
type LTICodeRequest struct {
	Code string `json:"code"`
}

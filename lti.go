package examhall

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// LTIPlatform is a learning platform (Moodle, Canvas, ...) registered to
// launch examhall through LTI 1.3: who it is (Issuer, ClientID), which of
// its deployments may launch, and where its OpenID Connect endpoints and
// public keys are.
type LTIPlatform struct {
	ID            string    `json:"id"`
	Issuer        string    `json:"issuer"`
	ClientID      string    `json:"client_id"`
	DeploymentIDs []string  `json:"deployment_ids"`
	AuthLoginURL  string    `json:"auth_login_url"`
	AuthTokenURL  string    `json:"auth_token_url"`
	JWKSURL       string    `json:"jwks_url"`
	CreatedAt     time.Time `json:"created_at"`
}

// Check validates a platform's registration: every field is required, the
// URLs are absolute (https, or http on a loopback host for development),
// and there is at least one deployment id.
func (p *LTIPlatform) Check() error {
	if p.Issuer == "" || p.ClientID == "" {
		return Errorf(EBadRequest, "issuer and client_id are both required.")
	}
	if len(p.Issuer) > 1000 || len(p.ClientID) > 1000 {
		return Errorf(EBadRequest, "issuer and client_id are at most 1000 characters.")
	}
	if len(p.DeploymentIDs) == 0 {
		return Errorf(EBadRequest, "deployment_ids needs at least one deployment id.")
	}
	for i, d := range p.DeploymentIDs {
		if d == "" || len(d) > 255 {
			return Errorf(EBadRequest, "deployment_ids[%d]: a deployment id is 1 to 255 characters.", i)
		}
	}
	for _, f := range []struct{ name, v string }{
		{"auth_login_url", p.AuthLoginURL}, {"auth_token_url", p.AuthTokenURL}, {"jwks_url", p.JWKSURL},
	} {
		if err := checkPlatformURL(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

func checkPlatformURL(name, v string) error {
	u, err := url.Parse(v)
	if v == "" || err != nil || u.Host == "" {
		return Errorf(EBadRequest, "%s must be an absolute URL.", name)
	}
	host := u.Hostname()
	loopback := host == "localhost" || host == "127.0.0.1" || host == "::1"
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback) {
		return Errorf(EBadRequest, "%s must be an https URL (http only on localhost).", name)
	}
	return nil
}

// HasDeployment reports whether the platform registered deployment id d.
func (p *LTIPlatform) HasDeployment(d string) bool {
	for _, x := range p.DeploymentIDs {
		if x == d {
			return true
		}
	}
	return false
}

// LTIRoster is a course's membership service (LTI NRPS 2.0) that an exam
// was launched from: where its members are listed.
type LTIRoster struct {
	Exam     string `json:"exam"`
	Platform string `json:"platform"`
	URL      string `json:"context_memberships_url"`
}

// LTIStore keeps the registered platforms, the tool's own signing key,
// the outbox of grade passback and the rosters exams were launched from.
type LTIStore interface {
	LTIGradeStore
	// PutRoster records a roster of an exam (once per exam and URL).
	PutRoster(ctx context.Context, r *LTIRoster) error
	// Rosters returns the rosters of an exam.
	Rosters(ctx context.Context, exam string) ([]*LTIRoster, error)
	// PutPlatform stores a new platform. EConflict when a platform with the
	// same issuer and client id is registered.
	PutPlatform(ctx context.Context, p *LTIPlatform) error
	// Platforms returns every registered platform, oldest first.
	Platforms(ctx context.Context) ([]*LTIPlatform, error)
	// DeletePlatform removes a platform. ENotFound if there is none.
	DeletePlatform(ctx context.Context, id string) error
	// ToolKey returns the tool's private key (PKCS #8 DER), storing the
	// one gen makes when there is none yet; every server of a deployment
	// gets the same key.
	ToolKey(ctx context.Context, gen func() ([]byte, error)) ([]byte, error)
}

// OnceStore keeps short-lived values that may be taken once: the state and
// nonce of an LTI login, the one-time codes of launches. Scale mode keeps
// them in Redis, so that a launch may reach another pod than its login.
type OnceStore interface {
	// Put stores value under key for ttl. EConflict when key is held.
	Put(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Take returns the value under key and removes it, atomically: of
	// several callers, one gets it. ENotFound when there is none (never
	// put, taken already, or expired).
	Take(ctx context.Context, key string) ([]byte, error)
}

// LTI roles (1EdTech vocabulary), mapped to examhall's in one place.
const (
	ltiContextRole     = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
	ltiInstitutionRole = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
	ltiSystemRole      = "http://purl.imsglobal.org/vocab/lis/v2/system/person#"
)

// RoleInstructor is the staff role of a course's instructor launched from
// a platform: what an author, a proctor, a marker and a viewer may do,
// together, and nothing only an admin may. It has no account here (it is
// not one of Roles): the platform vouches for it at each launch.
const RoleInstructor = "instructor"

// LTIStaffRole maps the roles of an LTI launch to examhall's staff role:
// RoleAdmin for a system or institution administrator, RoleInstructor for
// an instructor, teaching assistant or content developer of the context,
// and "" for everyone else (learners, mentors, guests), who are
// candidates. The short forms ("Instructor") LTI 1.1 used are accepted.
func LTIStaffRole(roles []string) string {
	role := ""
	for _, r := range roles {
		switch r {
		case ltiSystemRole + "Administrator", ltiSystemRole + "SysAdmin", ltiInstitutionRole + "Administrator":
			return RoleAdmin
		case ltiContextRole + "Instructor", ltiContextRole + "ContentDeveloper",
			ltiContextRole + "Instructor#TeachingAssistant", "Instructor", "ContentDeveloper", "TeachingAssistant":
			role = RoleInstructor
		}
	}
	return role
}

// LTILearner reports whether the roles of an LTI launch include a
// learner of the context.
func LTILearner(roles []string) bool {
	for _, r := range roles {
		if r == ltiContextRole+"Learner" || r == "Learner" || strings.HasPrefix(r, ltiContextRole+"Learner#") {
			return true
		}
	}
	return false
}

// LTIGrade is the grade passback of one attempt launched from a platform
// with Assignment and Grade Services: where its score goes, and the
// durable outbox state of sending it. A score is due after the attempt is
// submitted and again whenever a mark changes; the server sends it, with
// backoff on failure, until the platform has taken the latest one.
type LTIGrade struct {
	Attempt   string `json:"attempt"`
	Exam      string `json:"exam"`
	Candidate string `json:"candidate"`
	Platform  string `json:"platform"`
	// Subject is the user's id on the platform (the score's userId);
	// LineItem the URL of the launch's line item.
	Subject  string `json:"user_id"`
	LineItem string `json:"lineitem"`
	// Version counts the times the score fell due; a send clears Due only
	// if no newer change came while it ran.
	Version int64      `json:"version"`
	Due     *time.Time `json:"due,omitempty"`
	Tries   int        `json:"tries"`
	// LastError says why the last send failed, empty after a success.
	LastError string `json:"last_error,omitempty"`
	// What the platform last took, and when.
	SentAt          time.Time `json:"sent_at,omitzero"`
	ScoreGiven      float64   `json:"score_given"`
	ScoreMaximum    float64   `json:"score_maximum"`
	GradingProgress string    `json:"grading_progress,omitempty"`
}

// LTIGradeStore is the durable outbox of grade passback.
type LTIGradeStore interface {
	// LinkGrade records where an attempt's score goes (on every launch,
	// replacing the line item and subject), keeping its outbox state.
	LinkGrade(ctx context.Context, g *LTIGrade) error
	// GradeDue makes the score of an attempt due at at, if the attempt
	// has a link; it reports whether it had one.
	GradeDue(ctx context.Context, attempt string, at time.Time) (bool, error)
	// ClaimGrades returns up to limit grades due at or before now and
	// moves their due time to now+lease, so that one server sends each.
	ClaimGrades(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*LTIGrade, error)
	// GradeSent records a score the platform took. It clears Due only if
	// the grade's version is still version.
	GradeSent(ctx context.Context, attempt string, version int64, sent *LTIGrade) error
	// GradeFailed records a failed send and when to try again (unless a
	// newer change made it due earlier).
	GradeFailed(ctx context.Context, attempt string, version int64, msg string, next time.Time) error
	// Grades returns the grades of an exam's attempts, by candidate.
	Grades(ctx context.Context, exam string) ([]*LTIGrade, error)
}

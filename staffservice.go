package examhall

import (
	"context"
	"encoding/json"
	"time"
)

// StaffService is what staff do: the "Staff" half of docs/api.md, whose
// requests and answers are the types of this file, result.go (results,
// marks) and monitor.go. Every method but StaffLogin and Asset acts for the
// member of staff ctx carries (see StaffFrom): EUnauthorized when ctx
// carries nobody, EForbidden for a candidate. A method that names an exam
// returns ENotFound when there is none.
type StaffService interface {
	// StaffLogin checks a staff password and returns a staff token.
	// EBadRequest for a missing field; EInvalidCredentials for a wrong
	// username or password; ERateLimited, as a *RetryError, after too many.
	StaffLogin(ctx context.Context, req *StaffLoginRequest) (*StaffLoginResult, error)
	// Exams lists every exam, newest first.
	Exams(ctx context.Context) (*ExamList, error)
	// Exam returns an exam with its keys.
	Exam(ctx context.Context, id string) (*Exam, error)
	// CreateExam stores a new exam from a parsed document, giving it an id
	// if it has none, and returns the id. EConflict if the id is taken.
	CreateExam(ctx context.Context, e *Exam) (string, error)
	// ImportExam is CreateExam for an imported exam, whose questions may
	// show assets (images), which are stored first. An exam whose source
	// sets no window is created closed (a draft). EBadRequest for a bad
	// asset, or when the mode keeps none.
	ImportExam(ctx context.Context, e *Exam, assets []Asset) (string, error)
	// ReplaceExam replaces an exam's document. EConflict once an attempt
	// has started.
	ReplaceExam(ctx context.Context, e *Exam) error
	// SetWindow changes when an exam opens and closes for logins.
	// EBadRequest for a window that closes before it opens, or an exam
	// without duration left without a closing time.
	SetWindow(ctx context.Context, exam string, w *Window) error
	// IssueCodes issues access codes: the only time they are shown. A code
	// issued to an existing candidate replaces the old one. EBadRequest for
	// a bad or repeated id, or both or neither of candidates and count.
	IssueCodes(ctx context.Context, exam string, req *IssueRequest) (*IssuedCodes, error)
	// Candidates lists an exam's candidates (never their codes).
	Candidates(ctx context.Context, exam string) (*CandidateList, error)
	// SetExtraTime changes a candidate's extra time and moves the deadline
	// of their attempt in progress. ENotFound for an unknown candidate.
	SetExtraTime(ctx context.Context, exam, candidate string, seconds int) (*Candidate, error)
	// UpdateCandidate changes what the request names of one candidate
	// (extra time, their own window, name, email) and moves the deadline
	// of their attempt in progress to what the deadline rule gives.
	// EBadRequest for an empty request or a window that closes before it
	// opens; ENotFound for an unknown candidate.
	UpdateCandidate(ctx context.Context, exam, candidate string, req *CandidateUpdate) (*Candidate, error)
	// Regrade corrects the key of one question, even after attempts
	// started; every attempt is graded on the new key from then on.
	// EBadRequest for an unknown question, one whose key is not in
	// answer (cloze), or a key the question's type refuses.
	Regrade(ctx context.Context, exam string, req *RegradeRequest) (*Regraded, error)
	// AttemptList lists an exam's attempts with their activity, for the
	// live monitor; status, when not empty, keeps only attempts in that
	// state (not_started lists candidates who have none).
	AttemptList(ctx context.Context, exam, status string) (*AttemptList, error)
	// ReopenAttempt makes a submitted attempt of the exam in progress
	// again for req's extra seconds from now, keeping its answers; the
	// submission it had stays in the audit log (attempt_reopened).
	// EBadRequest for extra seconds out of range; ENotFound for no such
	// attempt; EAttemptNotSubmitted if it is not submitted;
	// EResultsReleased once the exam's results are released.
	ReopenAttempt(ctx context.Context, exam, attempt string, req *ReopenRequest) (*Reopened, error)
	// Results grades every attempt of an exam; candidates who never
	// started are listed as not_started. Overdue attempts are submitted
	// first.
	Results(ctx context.Context, exam string) (*ExamResults, error)
	// Stats returns the item analysis of an exam.
	Stats(ctx context.Context, exam string) (*Stats, error)
	// Release makes results visible to candidates, or hides them again.
	Release(ctx context.Context, exam string, released bool) error
	// Monitor counts an exam's attempts by state.
	Monitor(ctx context.Context, exam string) (*Monitor, error)
	// Events returns the exam's audit log, oldest first, at most limit.
	Events(ctx context.Context, exam string, limit int) (*EventList, error)
	// Attempt returns an attempt's graded record, receipt and log.
	// ENotFound when the exam has no such attempt.
	Attempt(ctx context.Context, exam, attempt string) (*AttemptDetail, error)
	// Mark awards points to one response of a submitted attempt and
	// returns the re-graded result. EConflict while it is in progress;
	// EBadRequest for a question not on its paper or points out of range.
	Mark(ctx context.Context, exam, attempt string, req *MarkRequest) (*Result, error)
	// AttemptUpload returns a file uploaded to an attempt of the exam, by
	// its SHA-256, for a marker. ENotFound if there is none.
	AttemptUpload(ctx context.Context, exam, attempt, sha256 string) (*UploadFile, error)
	// ExamAssets returns every asset of an exam, for export.
	ExamAssets(ctx context.Context, exam string) ([]Asset, error)
	// StaffAccounts lists the staff accounts (admin only).
	StaffAccounts(ctx context.Context) (*StaffList, error)
	// CreateStaff creates a staff account (admin only). EBadRequest for a
	// bad username, a password shorter than 8 or longer than 1024 bytes, or
	// an unknown role; EConflict if the username is taken.
	CreateStaff(ctx context.Context, req *StaffRequest) (*Staff, error)
	// UpdateStaff changes an account's password, role or both (admin
	// only); a new password ends the account's sessions. ENotFound for no
	// such account; EConflict for an admin taking away their own role.
	UpdateStaff(ctx context.Context, username string, req *StaffRequest) (*Staff, error)
	// DeleteStaff deletes an account, ending its sessions (admin only).
	// ENotFound for no such account; EConflict for an admin's own.
	DeleteStaff(ctx context.Context, username string) error
	// Asset returns an asset of an exam. Before the exam opens only staff
	// may see it (EForbidden for anyone else); from then on anyone may, as
	// browsers fetch images without a token. ENotFound if there is none.
	Asset(ctx context.Context, exam, name string) (*Asset, error)
}

// StaffLoginRequest is the body of POST /api/v1/admin/login.
type StaffLoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// StaffLoginResult is what a staff login returns.
type StaffLoginResult struct {
	Token    string    `json:"token"`
	Username string    `json:"username"`
	Role     string    `json:"role"`
	Expires  time.Time `json:"expires"`
}

// StaffRequest is the body of POST /api/v1/admin/staff (every field) and
// PUT /api/v1/admin/staff/{username} (password, role or both; the
// username, if given, must be the path's).
type StaffRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

// StaffList is what GET /api/v1/admin/staff returns.
type StaffList struct {
	Staff []*Staff `json:"staff"`
}

// ExamList is what GET /api/v1/admin/exams returns.
type ExamList struct {
	Exams []ExamSummary `json:"exams"`
}

// ExamSummary describes an exam in the staff list.
type ExamSummary struct {
	ID              string     `json:"id"`
	Title           string     `json:"title"`
	Questions       int        `json:"questions"`
	DurationSeconds int        `json:"duration_seconds"`
	OpensAt         *time.Time `json:"opens_at,omitempty"`
	ClosesAt        *time.Time `json:"closes_at,omitempty"`
	Open            bool       `json:"open"`
	Released        bool       `json:"released"`
	CreatedAt       time.Time  `json:"created_at"`
}

// ExamDetail is an exam document with the server's state, as GET
// /api/v1/admin/exams/{exam} returns it.
type ExamDetail struct {
	*Exam
	Released  bool      `json:"released"`
	CreatedAt time.Time `json:"created_at"`
}

// Created is what creating or replacing an exam returns.
type Created struct {
	ID string `json:"id"`
}

// Window is the body of PUT /api/v1/admin/exams/{exam}/window; nil is no
// bound.
type Window struct {
	OpensAt  *time.Time `json:"opens_at"`
	ClosesAt *time.Time `json:"closes_at"`
}

// MaxIssue is how many candidates one request may issue codes for.
const MaxIssue = 100000

// IssueRequest is the body of POST /api/v1/admin/exams/{exam}/candidates:
// either Candidates (on the wire, each an id or an object with its extra
// time) or Count new candidates numbered after the existing ones.
// ExtraSeconds is the extra time of listed candidates that name none.
type IssueRequest struct {
	Candidates   []CandidateSpec `json:"candidates,omitempty"`
	Count        int             `json:"count,omitempty"`
	ExtraSeconds int             `json:"extra_time_seconds,omitempty"`
}

// CandidateSpec names a candidate to issue a code for, with optional extra
// time, name, email and own window.
type CandidateSpec struct {
	ID           string     `json:"id"`
	ExtraSeconds int        `json:"extra_time_seconds,omitempty"`
	Name         string     `json:"name,omitempty"`
	Email        string     `json:"email,omitempty"`
	OpensAt      *time.Time `json:"opens_at,omitempty"`
	ClosesAt     *time.Time `json:"closes_at,omitempty"`
	// Row is the row of an uploaded file the candidate came from, for
	// errors to name; 0 for a list.
	Row int `json:"-"`
}

// IssuedCodes is what issuing codes returns.
type IssuedCodes struct {
	Candidates []IssuedCode `json:"candidates"`
}

// IssuedCode is a freshly issued access code: the only time it is shown.
type IssuedCode struct {
	Candidate    string `json:"candidate"`
	Code         string `json:"code"`
	ExtraSeconds int    `json:"extra_time_seconds,omitempty"`
	Name         string `json:"name,omitempty"`
}

// CandidateList is what GET /api/v1/admin/exams/{exam}/candidates returns.
type CandidateList struct {
	Candidates []*Candidate `json:"candidates"`
}

// CandidateUpdate is the body of PUT
// /api/v1/admin/exams/{exam}/candidates/{candidate}: every field is
// optional, and at least one must be given. OpensAt and ClosesAt may be
// null, which gives the candidate the exam's window back.
type CandidateUpdate struct {
	ExtraSeconds *int         `json:"extra_time_seconds"`
	Name         *string      `json:"name"`
	Email        *string      `json:"email"`
	OpensAt      OptionalTime `json:"opens_at"`
	ClosesAt     OptionalTime `json:"closes_at"`
}

// OptionalTime is a time that a request may give, give as null, or leave
// out.
type OptionalTime struct {
	Set  bool
	Time *time.Time
}

// UnmarshalJSON implements json.Unmarshaler: it is called only for a
// field that is present, null included.
func (o *OptionalTime) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Time = nil
		return nil
	}
	var t time.Time
	if err := t.UnmarshalJSON(b); err != nil {
		return Errorf(EBadRequest, "must be an RFC 3339 time or null.")
	}
	o.Time = &t
	return nil
}

// MarshalJSON implements json.Marshaler.
func (o OptionalTime) MarshalJSON() ([]byte, error) {
	if o.Time == nil {
		return []byte("null"), nil
	}
	return o.Time.MarshalJSON()
}

// AttemptList is what GET /api/v1/admin/exams/{exam}/attempts returns.
type AttemptList struct {
	ServerTime time.Time     `json:"server_time"`
	Attempts   []AttemptInfo `json:"attempts"`
}

// AttemptInfo is one candidate's line in the live monitor. A candidate
// who has not signed in has status not_started and no attempt.
type AttemptInfo struct {
	Candidate    string        `json:"candidate"`
	Name         string        `json:"name,omitempty"`
	ExtraSeconds int           `json:"extra_time_seconds,omitempty"`
	Attempt      string        `json:"attempt,omitempty"`
	Status       AttemptStatus `json:"status"`
	StartedAt    time.Time     `json:"started_at,omitzero"`
	Deadline     time.Time     `json:"deadline,omitzero"`
	LastSaveAt   time.Time     `json:"last_save_at,omitzero"`
	Answered     int           `json:"answered"`
	Questions    int           `json:"questions"`
	Saves        int           `json:"saves"`
	Logins       int           `json:"logins"`
	SubmittedAt  time.Time     `json:"submitted_at,omitzero"`
	Auto         bool          `json:"auto"`
	Overdue      bool          `json:"overdue,omitempty"`
	Reopens      int           `json:"reopens,omitempty"`
}

// MarshalJSON writes every field of the line, so that each line has the
// same keys: a name or attempt not known is "", a time not known is null,
// and the counts of a candidate who has not signed in are 0.
func (a AttemptInfo) MarshalJSON() ([]byte, error) {
	type plain AttemptInfo
	orNull := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	return json.Marshal(struct {
		plain
		Name         string     `json:"name"`
		ExtraSeconds int        `json:"extra_time_seconds"`
		Attempt      string     `json:"attempt"`
		StartedAt    *time.Time `json:"started_at"`
		Deadline     *time.Time `json:"deadline"`
		LastSaveAt   *time.Time `json:"last_save_at"`
		SubmittedAt  *time.Time `json:"submitted_at"`
		Overdue      bool       `json:"overdue"`
		Reopens      int        `json:"reopens"`
	}{plain(a), a.Name, a.ExtraSeconds, a.Attempt, orNull(a.StartedAt), orNull(a.Deadline), orNull(a.LastSaveAt), orNull(a.SubmittedAt), a.Overdue, a.Reopens})
}

// MaxReopenSeconds bounds the time a reopened attempt gets: a day.
const MaxReopenSeconds = 24 * 60 * 60

// ReopenRequest is the body of POST
// /api/v1/admin/exams/{exam}/attempts/{attempt}/reopen.
type ReopenRequest struct {
	// ExtraSeconds is the time the candidate gets from now: 1 to
	// MaxReopenSeconds.
	ExtraSeconds *int `json:"extra_seconds"`
}

// Reopened is what reopening an attempt returns: the attempt in progress
// again, and the submission it had.
type Reopened struct {
	Attempt  string        `json:"attempt"`
	Status   AttemptStatus `json:"status"`
	Deadline time.Time     `json:"deadline"`
	Due      time.Time     `json:"due"`
	Reopens  int           `json:"reopens"`
	Previous Previous      `json:"previous"`
}

// Previous is a submission that a reopen set aside.
type Previous struct {
	SubmittedAt time.Time `json:"submitted_at"`
	Auto        bool      `json:"auto_submitted"`
	Receipt     string    `json:"receipt"`
}

// ReleaseRequest is the optional body of POST .../release; absent
// Released means true.
type ReleaseRequest struct {
	Released *bool `json:"released"`
}

// ReleaseResult is what releasing (or withdrawing) results returns.
type ReleaseResult struct {
	Exam     string `json:"exam"`
	Released bool   `json:"released"`
}

// EventList is what GET /api/v1/admin/exams/{exam}/events returns.
type EventList struct {
	Events []*Event `json:"events"`
}

// RegradeRequest is the body of POST /api/v1/admin/exams/{exam}/regrade:
// the corrected key of one question, in the exam document's shape.
type RegradeRequest struct {
	Question  string          `json:"question"`
	Answer    json.RawMessage `json:"answer"`
	Tolerance *float64        `json:"tolerance"`
}

// Regraded is what a key correction returns: the question's new key and
// the results of the exam's attempts graded on it.
type Regraded struct {
	Exam     string          `json:"exam"`
	Question string          `json:"question"`
	Answer   json.RawMessage `json:"answer"`
	Results  *ExamResults    `json:"results"`
}

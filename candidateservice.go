package examhall

import (
	"context"
	"encoding/json"
	"time"
)

// CandidateService is what a candidate does: the "Candidate" half of
// docs/api.md, whose requests and answers are the types of this file.
// Every method that names an attempt acts for the candidate ctx carries
// (see CandidateFrom), on their own attempt only: EUnauthorized when ctx
// carries no candidate or a newer login retired theirs, EForbidden for
// staff or another candidate's attempt. EUnavailable, from any method,
// means nothing changed and retrying is safe.
type CandidateService interface {
	// Login checks a candidate's access code and returns a token bound to
	// their one attempt, starting it on the first login; every later login
	// returns the same attempt and retires the tokens of earlier ones.
	// EBadRequest for a missing field; EInvalidCredentials for a wrong
	// exam, candidate or code (one error for all three); EExamNotOpen for
	// a first login outside the exam's window; ERateLimited, as a
	// *RetryError, after too many logins.
	Login(ctx context.Context, req *LoginRequest) (*LoginResult, error)
	// Paper returns the attempt's paper and the answers saved so far. An
	// attempt past its deadline and grace is submitted first.
	Paper(ctx context.Context, attempt string) (*AttemptView, error)
	// Save stores answers with the seq rule (see Merge) once every one is
	// checked against the paper, and returns when they are durable.
	// EBadRequest refuses the whole batch (a wrong shape, a question not on
	// the paper, too many answers); EAttemptClosed after deadline + grace
	// or after submission.
	Save(ctx context.Context, attempt string, answers []Answer) (*SaveResult, error)
	// Submit seals the attempt with an optional final batch and returns
	// its receipt. Idempotent: a repeat that brings no newer answer gets
	// the same receipt; one that does is EAttemptClosed, as is a first
	// submission after deadline + grace (the attempt is then submitted
	// automatically with what was saved in time).
	Submit(ctx context.Context, attempt string, final []Answer) (*SubmitResult, error)
	// Result returns the candidate's graded attempt. EForbidden before the
	// exam's results are released or while the attempt is in progress.
	Result(ctx context.Context, attempt string) (*Result, error)
	// UploadRules returns the rules of an upload question ("q7", or "q7.b"
	// for a part of a multipart question) of the attempt in progress, so
	// that a server reads no more of a file than the question takes.
	// ENotFound for a question not on the paper, EBadRequest for one that
	// takes no files, EAttemptClosed as Save.
	UploadRules(ctx context.Context, attempt, question string) (*UploadRules, error)
	// Upload stores a file for an upload question of the attempt in
	// progress and returns the signed reference that the answer's
	// response then carries; the file is durable when it returns. The
	// errors of UploadRules, and ETooLarge over the question's size,
	// EBadRequest for an empty file or a type the question does not take.
	Upload(ctx context.Context, attempt, question string, in *UploadIn) (*UploadRef, error)
	// UploadFile returns one of the attempt's uploaded files, by its
	// SHA-256. ENotFound if there is none.
	UploadFile(ctx context.Context, attempt, sha256 string) (*UploadFile, error)
	// Logout ends the session of the candidate ctx carries: its token
	// stops working at once (EUnauthorized), on this server and every
	// other. What was saved stays. EUnauthorized if the session had ended.
	Logout(ctx context.Context) error
	// Flag marks questions of the attempt in progress for review, or
	// unmarks them, with the seq rule per question (a flag's seq counts
	// apart from the answer's). The errors of Save, and ESectionClosed
	// for a question of a section that is closed.
	Flag(ctx context.Context, attempt string, flags []Flag) (*SaveResult, error)
	// FlagSet is Flag's simple form: the questions marked for review
	// become exactly flagged, each change with the next seq of its flag.
	FlagSet(ctx context.Context, attempt string, flagged []string) (*SaveResult, error)
	// Visit records that the candidate has seen questions of the attempt
	// in progress; seeing is never undone, so repeats change nothing.
	// EBadRequest for a question not on the paper; EAttemptClosed as Save.
	Visit(ctx context.Context, attempt string, questions []string) (*SaveResult, error)
	// FinishSection closes a section of the attempt in progress before
	// its time is up: its answers can no longer change, and on a timed
	// exam the next section opens at once (the attempt's deadline moves
	// earlier by the time left). Finishing a finished section changes
	// nothing. ENotFound for no such section; ESectionClosed for a timed
	// section that is not the one open; EAttemptClosed as Save.
	FinishSection(ctx context.Context, attempt, section string) (*SectionsResult, error)
	// Clock returns the attempt's status and deadline with the server's
	// time: what a page asks now and then to follow deadlines that staff
	// move (extra time, close now) while the candidate saves nothing.
	// It changes nothing and submits nothing.
	Clock(ctx context.Context, attempt string) (*ClockResult, error)
	// Now returns the server's time, in UTC to the millisecond: the clock
	// every deadline is measured on.
	Now() time.Time
}

// LoginRequest is the body of POST /api/v1/login.
type LoginRequest struct {
	Exam      string `json:"exam"`
	Candidate string `json:"candidate"`
	Code      string `json:"code"`
}

// LoginResult is what a candidate's login returns.
type LoginResult struct {
	Token      string        `json:"token"`
	Attempt    string        `json:"attempt"`
	StartedAt  time.Time     `json:"started_at"`
	Deadline   time.Time     `json:"deadline"`
	ServerTime time.Time     `json:"server_time"`
	Status     AttemptStatus `json:"status"`
	Exam       string        `json:"exam"`
	Candidate  string        `json:"candidate"`
}

// AttemptView is a candidate's paper with its state, as GET
// /api/v1/attempts/{attempt} returns it. It never holds a key.
type AttemptView struct {
	Attempt      string        `json:"attempt"`
	Status       AttemptStatus `json:"status"`
	Candidate    string        `json:"candidate"`
	Exam         ExamInfo      `json:"exam"`
	StartedAt    time.Time     `json:"started_at"`
	Deadline     time.Time     `json:"deadline"`
	ServerTime   time.Time     `json:"server_time"`
	GraceSeconds int           `json:"grace_seconds"`
	SubmittedAt  time.Time     `json:"submitted_at,omitzero"`
	Auto         bool          `json:"auto_submitted,omitempty"`
	Receipt      string        `json:"receipt,omitempty"`
	Released     bool          `json:"results_released"`
	// Lobby is true while the candidate waits for the exam to open
	// (started_at is then in the future): the paper has no questions yet.
	Lobby     bool                     `json:"lobby,omitempty"`
	Questions []PaperQuestion          `json:"questions"`
	Answers   map[string]SavedResponse `json:"answers"`
	// Sections, when the exam has them, in order, with their state; on a
	// timed exam CurrentSection is the one open now ("" once all closed).
	Sections       []SectionView `json:"sections,omitempty"`
	CurrentSection string        `json:"current_section,omitempty"`
	// Review holds every review flag set or cleared, by question, with
	// its seq; Visited lists the questions the candidate has seen.
	Review  map[string]SavedFlag `json:"review"`
	Visited []string             `json:"visited"`
	// Flagged lists the questions marked for review now, sorted.
	Flagged []string `json:"flagged"`
}

// SectionView is a section as a candidate sees it.
type SectionView struct {
	ID              string   `json:"id"`
	Title           string   `json:"title,omitempty"`
	Instructions    string   `json:"instructions,omitempty"`
	Questions       []string `json:"questions"` // on this paper, in order
	DurationSeconds int      `json:"duration_seconds,omitempty"`
	AnswerAny       int      `json:"answer_any,omitempty"`
	AnswerAnyRule   string   `json:"answer_any_rule,omitempty"`
	Navigation      string   `json:"navigation"`
	Marking         *Marking `json:"marking,omitempty"`
	// State is "open", "closed" (its time is up or it was finished) or
	// "upcoming" (a timed section not yet open).
	State string `json:"state"`
	// OpensAt and ClosesAt are the section's window on a timed exam.
	OpensAt    time.Time `json:"opens_at,omitzero"`
	ClosesAt   time.Time `json:"closes_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Deadline is ClosesAt under the name the attempt's own deadline has.
	Deadline time.Time `json:"deadline,omitzero"`
}

// Section states.
const (
	SectionOpen     = "open"
	SectionClosed   = "closed"
	SectionUpcoming = "upcoming"
)

// SavedFlag is a stored review flag.
type SavedFlag struct {
	Review bool  `json:"review"`
	Seq    int64 `json:"seq"`
}

// Flag marks (Review true) or unmarks a question for review; Seq is the
// client's counter for the question's flag, as an answer's seq.
type Flag struct {
	Question string `json:"question"`
	Review   bool   `json:"review"`
	Seq      int64  `json:"seq"`
}

// FlagsRequest is the body of PUT /api/v1/attempts/{attempt}/flags: either
// Flags (each flag with its seq) or Flagged (the questions marked for
// review, all of them).
type FlagsRequest struct {
	Flags   []Flag   `json:"flags"`
	Flagged []string `json:"flagged"`
}

// VisitRequest is the body of PUT /api/v1/attempts/{attempt}/visited:
// the questions seen, as "questions" (or "visited"), or one "question".
type VisitRequest struct {
	Questions []string `json:"questions"`
	Visited   []string `json:"visited,omitempty"`
	Question  string   `json:"question,omitempty"`
}

// SectionsResult is what finishing a section returns: every section's
// state afterwards.
type SectionsResult struct {
	Sections       []SectionView `json:"sections"`
	CurrentSection string        `json:"current_section,omitempty"`
	Deadline       time.Time     `json:"deadline"`
	ServerTime     time.Time     `json:"server_time"`
}

// ExamInfo is what a candidate learns about the exam itself.
type ExamInfo struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Instructions string `json:"instructions"`
	Language     string `json:"language,omitempty"`
	// Marking is the exam's marking scheme, if it has one;
	// GradeMarkedForReview whether an answered question left marked for
	// review is graded.
	Marking              *Marking `json:"marking,omitempty"`
	GradeMarkedForReview bool     `json:"grade_marked_for_review"`
}

// SavedResponse is a stored answer as the candidate sees it.
type SavedResponse struct {
	Response json.RawMessage `json:"response"`
	Seq      int64           `json:"seq"`
}

// AnswersRequest is the body of PUT /api/v1/attempts/{attempt}/answers
// and, optionally, of POST .../submit (the final batch). Every answer
// needs all three of its fields.
type AnswersRequest struct {
	Answers []Answer `json:"answers"`
}

// SaveResult is what an autosave returns.
type SaveResult struct {
	Saved      []Saved   `json:"saved"`
	Deadline   time.Time `json:"deadline"`
	ServerTime time.Time `json:"server_time"`
}

// ClockResult is the answer of GET /api/v1/attempts/{attempt}/clock.
type ClockResult struct {
	Status     AttemptStatus `json:"status"`
	Deadline   time.Time     `json:"deadline"`
	ServerTime time.Time     `json:"server_time"`
}

// SubmitResult is what a submission returns; the receipt is a digest of
// the final answers and the submission time, signed by the server.
type SubmitResult struct {
	Status      AttemptStatus `json:"status"`
	SubmittedAt time.Time     `json:"submitted_at"`
	Receipt     string        `json:"receipt"`
	Auto        bool          `json:"auto_submitted"`
}

// UploadIn is the body of POST /api/v1/attempts/{attempt}/uploads/{question}:
// a file, with its name and media type as the client gives them.
type UploadIn struct {
	Name string
	Type string
	Data []byte
}

// TimeResult is what GET /api/v1/time returns.
type TimeResult struct {
	ServerTime time.Time `json:"server_time"`
}

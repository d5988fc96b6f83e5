package examhall

import (
	"encoding/json"
	"time"
)

// Exam is one exam: its questions with their keys, its timing and its
// shuffling rules. The JSON form is the exam document of API.md, the format
// that POST /api/v1/admin/exams and `examhall import` accept.
type Exam struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Instructions string `json:"instructions,omitempty"`
	// Language is the BCP 47 tag of the exam's language ("bn", "hi-IN"):
	// the candidate's page starts in it (the candidate may switch).
	Language string `json:"language,omitempty"`

	// DurationSeconds is the time each attempt has from its start. Zero
	// means the attempt runs until ClosesAt.
	DurationSeconds int `json:"duration_seconds"`
	// OpensAt and ClosesAt bound the login window. An attempt never runs
	// past ClosesAt. Nil means "open from creation" and "no closing time".
	OpensAt  *time.Time `json:"opens_at,omitempty"`
	ClosesAt *time.Time `json:"closes_at,omitempty"`
	// GraceSeconds is how long after its deadline an attempt still accepts
	// saves, to absorb network latency.
	GraceSeconds int `json:"grace_seconds"`
	// LobbySeconds lets candidates sign in this long before OpensAt
	// (extension): they wait in a lobby with the instructions and a
	// countdown, and every attempt's clock starts at OpensAt, however early
	// its candidate signed in. It spreads the login spike over the lobby.
	LobbySeconds int `json:"lobby_seconds,omitempty"`

	ShuffleQuestions bool `json:"shuffle_questions"`
	ShuffleOptions   bool `json:"shuffle_options"`

	Questions []Question `json:"questions"`
	// Pools draw a random subset of questions for each candidate
	// (extension). Questions in no pool appear on every paper.
	Pools []Pool `json:"pools,omitempty"`
	// Review says what candidates see of their paper once results are
	// released (extension); nil shows the score and points only.
	Review *Review `json:"review,omitempty"`
	// Sections divide the questions, each with its own instructions,
	// marking, clock and answer-any rule (extension).
	Sections []Section `json:"sections,omitempty"`
	// Marking is the exam's marking scheme (extension): points for a
	// right, a wrong and an unanswered response.
	Marking *Marking `json:"marking,omitempty"`
	// AllowNegativeTotal lets a total score go below zero under negative
	// marking; by default totals stop at zero.
	AllowNegativeTotal bool `json:"allow_negative_total,omitempty"`
	// GradeMarkedForReview, when false, grades an answered question that
	// the candidate left marked for review as unanswered. Default true.
	GradeMarkedForReview *bool `json:"grade_marked_for_review,omitempty"`
	// SafeExamBrowser, when set, admits only candidates' requests made in
	// Safe Exam Browser configured with one of its keys (extension).
	SafeExamBrowser *SafeExamBrowser `json:"safe_exam_browser,omitempty"`

	// Released reports whether candidates may see their results. It is
	// server state, not part of the document.
	Released bool `json:"-"`
	// CreatedAt is when the server stored the exam.
	CreatedAt time.Time `json:"-"`

	index     map[string]int // question id -> position in Questions
	sectionOf map[string]int // question id -> position in Sections
	markings  []*Marking     // the scheme governing each question, by position
}

// Pool draws Draw of the listed questions for each candidate.
type Pool struct {
	ID        string   `json:"id"`
	Draw      int      `json:"draw"`
	Questions []string `json:"questions"`
}

// Review is what a released result shows a candidate beyond their score
// and points per question.
type Review struct {
	// Responses shows the candidate's own responses.
	Responses bool `json:"responses"`
	// CorrectAnswers shows each question's key.
	CorrectAnswers bool `json:"correct_answers"`
	// Feedback shows the question's feedback, and that for a correct,
	// partly correct or incorrect response as the response scored.
	Feedback bool `json:"feedback"`
}

// DefaultGraceSeconds is the grace an exam document gets when it names none.
const DefaultGraceSeconds = 10

// Question returns the question with the given id. The index is built by
// Validate; an exam that was not validated is searched instead, so that
// concurrent readers never write to a shared exam.
func (e *Exam) Question(id string) (*Question, bool) {
	if e.index == nil {
		for i := range e.Questions {
			if e.Questions[i].ID == id {
				return &e.Questions[i], true
			}
		}
		return nil, false
	}
	i, ok := e.index[id]
	if !ok {
		return nil, false
	}
	return &e.Questions[i], true
}

func (e *Exam) buildIndex() {
	e.index = make(map[string]int, len(e.Questions))
	for i := range e.Questions {
		e.index[e.Questions[i].ID] = i
		e.Questions[i].reviewKey = ReviewKey(e.Questions[i].ID)
	}
}

// Grace returns the grace period as a duration.
func (e *Exam) Grace() time.Duration { return time.Duration(e.GraceSeconds) * time.Second }

// Duration returns the per-attempt time limit, zero when there is none.
func (e *Exam) Duration() time.Duration { return time.Duration(e.DurationSeconds) * time.Second }

// IsOpen reports whether new attempts may start at now: a first login is
// accepted from the lobby's start (see SignInFrom) until ClosesAt.
func (e *Exam) IsOpen(now time.Time) bool {
	if from := e.SignInFrom(); from != nil && now.Before(*from) {
		return false
	}
	if e.ClosesAt != nil && !now.Before(*e.ClosesAt) {
		return false
	}
	return true
}

// SignInFrom returns when the first logins are accepted: OpensAt, less the
// lobby. Nil when the exam has no OpensAt.
func (e *Exam) SignInFrom() *time.Time {
	if e.OpensAt == nil {
		return nil
	}
	t := e.OpensAt.Add(-time.Duration(e.LobbySeconds) * time.Second)
	return &t
}

// StartAt returns when the clock of an attempt whose first login is at now
// starts: now, or OpensAt for a login in the lobby.
func (e *Exam) StartAt(now time.Time) time.Time {
	if e.OpensAt != nil && now.Before(*e.OpensAt) {
		return e.OpensAt.UTC().Truncate(time.Millisecond)
	}
	return now
}

// Deadline returns when an attempt started at start must end: start plus the
// duration plus the candidate's extra time, but never after ClosesAt.
func (e *Exam) Deadline(start time.Time, extra time.Duration) time.Time {
	var d time.Time
	if e.DurationSeconds > 0 {
		d = start.Add(e.Duration() + extra)
	}
	if e.ClosesAt != nil && (d.IsZero() || e.ClosesAt.Before(d)) {
		d = *e.ClosesAt
	}
	return d.UTC().Truncate(time.Millisecond)
}

// For returns the exam as candidate c sits it: with the candidate's own
// opening and closing times, where they have any, in place of the exam's.
// The rules of IsOpen, StartAt and Deadline then apply to their sitting.
func (e *Exam) For(c *Candidate) *Exam {
	if c == nil || (c.OpensAt == nil && c.ClosesAt == nil) {
		return e
	}
	own := *e
	if c.OpensAt != nil {
		own.OpensAt = c.OpensAt
	}
	if c.ClosesAt != nil {
		own.ClosesAt = c.ClosesAt
	}
	return &own
}

// DeadlineFor returns the deadline rule's answer for candidate c's attempt
// started at start.
func (e *Exam) DeadlineFor(start time.Time, c *Candidate) time.Time {
	return e.For(c).Deadline(start, c.ExtraTime())
}

// MarshalExam returns the exam document of e, the inverse of ParseExam.
func MarshalExam(e *Exam) ([]byte, error) {
	return json.MarshalIndent(e, "", "  ")
}

package examhall

import "time"

// AttemptStatus is where an attempt is in its life.
type AttemptStatus string

// Attempt statuses. Results add NotStarted for candidates without an attempt.
const (
	InProgress AttemptStatus = "in_progress"
	Submitted  AttemptStatus = "submitted"
	NotStarted AttemptStatus = "not_started"
)

// Attempt is one candidate's sitting of one exam. There is at most one per
// exam and candidate, and its id is derived from the two, so a login
// anywhere finds the same attempt.
type Attempt struct {
	ID        string        `json:"attempt"`
	Exam      string        `json:"exam"`
	Candidate string        `json:"candidate"`
	Status    AttemptStatus `json:"status"`
	StartedAt time.Time     `json:"started_at"`
	// Deadline is when the candidate's time is up; Due is Deadline plus the
	// exam's grace, the last moment a save is accepted and the moment the
	// attempt is submitted automatically.
	Deadline    time.Time `json:"deadline"`
	Due         time.Time `json:"due"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	Auto        bool      `json:"auto_submitted,omitempty"`
	Receipt     string    `json:"receipt,omitempty"`
	// Session is the id of the one live login; tokens of older logins are
	// refused.
	Session string `json:"-"`
}

// Open reports whether the attempt still accepts saves at now.
func (a *Attempt) Open(now time.Time) bool {
	return a.Status == InProgress && !now.After(a.Due)
}

// CheckOpen returns EAttemptClosed unless the attempt accepts saves at now.
func (a *Attempt) CheckOpen(now time.Time) error {
	switch {
	case a.Status == Submitted:
		return Errorf(EAttemptClosed, "This attempt was submitted at %s; it cannot change.", a.SubmittedAt.Format(time.RFC3339))
	case now.After(a.Due):
		return Errorf(EAttemptClosed, "Time is up: the deadline was %s.", a.Deadline.Format(time.RFC3339))
	}
	return nil
}

// NewAttempt returns the attempt that a candidate with extra time starts at
// now, with the deadline rule applied.
func NewAttempt(id string, e *Exam, c *Candidate, now time.Time) *Attempt {
	now = now.UTC().Truncate(time.Millisecond)
	deadline := e.Deadline(now, c.ExtraTime())
	return &Attempt{
		ID:        id,
		Exam:      e.ID,
		Candidate: c.ID,
		Status:    InProgress,
		StartedAt: now,
		Deadline:  deadline,
		Due:       deadline.Add(e.Grace()),
	}
}

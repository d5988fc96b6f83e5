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
	// Reopens counts how many times staff reopened the attempt after a
	// submission. It numbers the attempt's submissions: the log of scale
	// mode tags each with it, so that the record keeps the latest one.
	Reopens int `json:"reopens,omitempty"`
	// Session is the id of the one live login; tokens of older logins are
	// refused.
	Session string `json:"-"`
}

// ClockTolerance is how far apart two servers' clocks may be. Pods'
// clocks agree only to within a measurement (half a round trip to Redis,
// or NTP's accuracy), and a candidate's next request after signing in may
// reach a pod a little behind the one that started the attempt: an
// attempt counts as started this long before its start, so that request
// is not refused as early. A lobby ends at most this much early.
const ClockTolerance = time.Second

// InLobby reports whether the attempt's clock has not started at now: its
// candidate signed in early and waits for the exam to open.
func (a *Attempt) InLobby(now time.Time) bool { return now.Add(ClockTolerance).Before(a.StartedAt) }

// CheckOpen returns EAttemptClosed unless the attempt accepts saves at now,
// or EExamNotOpen while it waits in the lobby.
func (a *Attempt) CheckOpen(now time.Time) error {
	switch {
	case a.Status == InProgress && a.InLobby(now):
		return Errorf(EExamNotOpen, "The exam has not started yet: it starts at %s.", a.StartedAt.Format(time.RFC3339))
	case a.Status == Submitted:
		return Errorf(EAttemptClosed, "This attempt was submitted at %s; it cannot change.", a.SubmittedAt.Format(time.RFC3339))
	case now.After(a.Due):
		return Errorf(EAttemptClosed, "Time is up: the deadline was %s.", a.Deadline.Format(time.RFC3339))
	}
	return nil
}

// NewAttempt returns the attempt that a candidate with extra time starts by
// signing in at now, with the deadline rule applied: its clock starts at
// now, or at the exam's opening for a sign-in in the lobby.
func NewAttempt(id string, e *Exam, c *Candidate, now time.Time) *Attempt {
	e = e.For(c)
	start := e.StartAt(now.UTC().Truncate(time.Millisecond))
	deadline := e.Deadline(start, c.ExtraTime())
	return &Attempt{
		ID:        id,
		Exam:      e.ID,
		Candidate: c.ID,
		Status:    InProgress,
		StartedAt: start,
		Deadline:  deadline,
		Due:       deadline.Add(e.Grace()),
	}
}

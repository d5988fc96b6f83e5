package examhall

import (
	"context"
	"time"
)

// The interfaces below are what a mode provides. Embedded mode implements
// them all on one SQLite file with in-process caches (package sqlite); scale
// mode on PostgreSQL, Redis and Kafka. Every method takes a context first and
// returns *Error values with the codes documented on it; other errors are
// failures of the adapter.

// ExamStore keeps exam definitions and their server-side state.
type ExamStore interface {
	// CreateExam stores a new, validated exam. EConflict if its id is taken.
	CreateExam(ctx context.Context, e *Exam) error
	// ReplaceExam replaces the document of an existing exam. ENotFound if
	// there is none; EConflict if an attempt of it has started.
	ReplaceExam(ctx context.Context, e *Exam) error
	// ReviseExam replaces the document of an existing exam even after
	// attempts started: a key correction, after which every attempt is
	// graded on the new key. ENotFound if there is none.
	ReviseExam(ctx context.Context, e *Exam) error
	// Exam returns a validated exam. ENotFound if there is none.
	Exam(ctx context.Context, id string) (*Exam, error)
	// Exams returns every exam, newest first.
	Exams(ctx context.Context) ([]*Exam, error)
	// SetReleased releases results to candidates, or withdraws them.
	SetReleased(ctx context.Context, id string, released bool) error
	// SetWindow changes the login window. ENotFound if there is no exam.
	SetWindow(ctx context.Context, id string, opensAt, closesAt *time.Time) error
}

// CandidateStore keeps the candidates of each exam.
type CandidateStore interface {
	// PutCandidates creates candidates, or replaces the code hash and extra
	// time of existing ones. ENotFound if the exam does not exist.
	PutCandidates(ctx context.Context, exam string, cs []*Candidate) error
	// Candidate returns one candidate. ENotFound if there is none.
	Candidate(ctx context.Context, exam, id string) (*Candidate, error)
	// Candidates returns every candidate of an exam, ordered by id.
	Candidates(ctx context.Context, exam string) ([]*Candidate, error)
}

// StaffStore keeps staff accounts.
type StaffStore interface {
	// PutStaff creates a staff account or replaces it.
	PutStaff(ctx context.Context, s *Staff) error
	// Staff returns an account. ENotFound if there is none.
	Staff(ctx context.Context, username string) (*Staff, error)
	// StaffList returns every account, by username.
	StaffList(ctx context.Context) ([]*Staff, error)
	// DeleteStaff deletes an account. ENotFound if there is none.
	DeleteStaff(ctx context.Context, username string) error
}

// AttemptStore keeps attempts and their live sessions.
type AttemptStore interface {
	// Begin returns the attempt of a's exam and candidate, creating it from a
	// when there is none, and makes sid its one live session. Both are
	// durable when it returns.
	Begin(ctx context.Context, a *Attempt, sid string) (*Attempt, error)
	// Attempt returns an attempt. ENotFound if there is none.
	Attempt(ctx context.Context, id string) (*Attempt, error)
	// Attempts returns every attempt of an exam.
	Attempts(ctx context.Context, exam string) ([]*Attempt, error)
	// ClaimDue returns up to limit ids of attempts still in progress whose
	// Due time is at or before now, for automatic submission; a submitted
	// attempt is never offered. A store that several processes share
	// hides a claimed attempt from further claims for a while (a lease),
	// so that one process submits it; one that is not submitted is offered
	// again, at the latest when its lease ends.
	ClaimDue(ctx context.Context, now time.Time, limit int) ([]string, error)
	// Extend moves the deadline and due time of an attempt in progress.
	// ENotFound, or EAttemptClosed if it was submitted.
	Extend(ctx context.Context, id string, deadline, due time.Time) error
	// Reopen makes a submitted attempt in progress again until the new
	// deadline and due time: its final answers become its drafts, its
	// Reopens count grows by one, and the next submission is a new one
	// (new time, new receipt). It returns the attempt as it was, with the
	// submission it reopened. ENotFound; EAttemptNotSubmitted if it is
	// not submitted.
	Reopen(ctx context.Context, id string, deadline, due time.Time) (*Attempt, error)
}

// AnswerStore makes answers durable: a method that returns without error
// has made its change survive the crash of any one process.
type AnswerStore interface {
	// Save applies answers to an attempt in progress with the seq rule (see
	// Apply) and returns, for each question in the order first named, the
	// seq stored afterwards. ENotFound if the store does not hold the
	// attempt (a cache that lost it: reading the attempt rebuilds it);
	// EAttemptClosed if the attempt was submitted; EUnavailable if the
	// answers could not be made durable, in which case nothing was
	// acknowledged.
	Save(ctx context.Context, attempt string, answers []Answer) ([]Saved, error)
	// Submit seals an attempt: it merges final into the saved answers, lets
	// seal fill in the receipt of the resulting submission, and stores the
	// submission; created is true. If the attempt was already submitted, it
	// returns the stored submission unchanged, created false, and calls
	// nothing. ENotFound and EUnavailable as Save.
	Submit(ctx context.Context, attempt string, final []Answer, at time.Time, auto bool, seal func(*Submission)) (sub *Submission, created bool, err error)
	// Answers returns an attempt's current answers by question: its drafts,
	// or its final answers once submitted.
	Answers(ctx context.Context, attempt string) (map[string]Answer, error)
	// ExamAnswers calls fn with the current answers of every attempt of an
	// exam that has any. fn must not keep the map after it returns: a store
	// may reuse it for the next attempt.
	ExamAnswers(ctx context.Context, exam string, fn func(attempt string, answers map[string]Answer) error) error
}

// AnswerPicker is an AnswerStore that can read some entries of an
// attempt's answers without the others: the section rules need only the
// navigation state (StateKeys) on every save, not every answer.
type AnswerPicker interface {
	// Pick returns the current entries of an attempt under keys that it
	// holds, as Answers would.
	Pick(ctx context.Context, attempt string, keys []string) (map[string]Answer, error)
}

// PickAnswers returns the entries of answers under keys, for AnswerPicker
// implementations that hold all of them.
func PickAnswers(answers map[string]Answer, keys []string) map[string]Answer {
	out := make(map[string]Answer, len(keys))
	for _, k := range keys {
		if a, ok := answers[k]; ok {
			out[k] = a
		}
	}
	return out
}

// MarkStore keeps the marks people award.
type MarkStore interface {
	// PutMark stores a mark, replacing any earlier one for the same response.
	PutMark(ctx context.Context, m *Mark) error
	// Marks returns every mark of an exam's attempts, by attempt and question.
	Marks(ctx context.Context, exam string) (map[string]map[string]Mark, error)
	// AttemptMarks returns the marks of one attempt, by question.
	AttemptMarks(ctx context.Context, attempt string) (map[string]Mark, error)
}

// Limiter counts events per key in a fixed window, to slow down guessing.
type Limiter interface {
	// Allow counts one event for key and reports whether it is within
	// limit events per window; when it is not, it says how long to wait.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (ok bool, retryAfter time.Duration, err error)
	// Blocked reports, without counting anything, whether key has had
	// limit events or more in its window, and if so how long to wait.
	Blocked(ctx context.Context, key string, limit int) (blocked bool, retryAfter time.Duration, err error)
}

// AuditLog records who did what and when (logins, staff actions). Answers
// and submissions are recorded by the AnswerStore itself.
type AuditLog interface {
	// Record appends an event; it may return before the event is durable.
	Record(ctx context.Context, ev *Event) error
	// Events returns the events of an attempt (or of an exam when attempt is
	// empty), oldest first, at most limit of them.
	Events(ctx context.Context, exam, attempt string, limit int) ([]*Event, error)
}

// Event is one entry of the audit log.
type Event struct {
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"` // login, save, submit, auto_submit, staff action names
	Exam      string    `json:"exam,omitempty"`
	Attempt   string    `json:"attempt,omitempty"`
	Candidate string    `json:"candidate,omitempty"`
	Actor     string    `json:"actor,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// Backend is everything a mode provides.
type Backend struct {
	Exams      ExamStore
	Candidates CandidateStore
	Staff      StaffStore
	Attempts   AttemptStore
	Answers    AnswerStore
	Marks      MarkStore
	Limiter    Limiter
	Audit      AuditLog
	// Assets keeps images of imported exams; nil when the mode has none.
	Assets AssetStore
	// Uploads keeps the files candidates attach; nil when the mode has none.
	Uploads UploadStore
	// LTI keeps the registered LTI platforms and the tool's key; Once the
	// single-use values of LTI logins and launches. Nil when the mode has
	// none.
	LTI  LTIStore
	Once OnceStore
	// Ready reports whether every dependency is reachable.
	Ready func(ctx context.Context) error
}

// AttemptCounter is implemented by stores that can count attempts cheaply,
// for metrics.
type AttemptCounter interface {
	// CountAttempts returns the number of attempts in_progress and
	// submitted, and of overdue ones (in progress with Due before now).
	CountAttempts(ctx context.Context, now time.Time) (map[string]int, error)
}

// ActivityStore is implemented by stores that can say how busy each
// attempt of an exam has been, for the live monitor.
type ActivityStore interface {
	// Activity returns, by attempt id, the logins and saves of the exam's
	// attempts that have any.
	Activity(ctx context.Context, exam string) (map[string]Activity, error)
}

// Activity is what an attempt's candidate has done so far.
type Activity struct {
	Logins     int
	Saves      int
	LastSaveAt time.Time
}

package examhall

import "time"

// Monitor is the live state of an exam, as GET
// /api/v1/admin/exams/{exam}/monitor returns it. Logins and save rates are
// those the answering server handled since it started.
type Monitor struct {
	Exam           string    `json:"exam"`
	ServerTime     time.Time `json:"server_time"`
	Open           bool      `json:"open"`
	Candidates     int       `json:"candidates"`
	NotStarted     int       `json:"not_started"`
	InProgress     int       `json:"in_progress"`
	Submitted      int       `json:"submitted"`
	AutoSubmitted  int       `json:"auto_submitted"`
	Overdue        int       `json:"overdue"`
	Logins         int64     `json:"logins"`
	Saves          int64     `json:"saves"`
	SavesPerMinute int64     `json:"saves_per_minute"`
	LoginsFailed   int64     `json:"logins_failed"`
	NextDeadline   time.Time `json:"next_deadline,omitzero"`
}

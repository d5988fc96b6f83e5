package examhall

import (
	"crypto/rand"
	"strings"
	"time"
)

// Candidate is a person allowed to sit an exam. The access code itself is
// never stored: only a keyed hash of it, so checking a code costs
// microseconds and a stolen database reveals no codes.
type Candidate struct {
	Exam     string `json:"exam"`
	ID       string `json:"candidate"`
	CodeHash []byte `json:"-"`
	// ExtraSeconds is extra time granted to this candidate (extension).
	ExtraSeconds int `json:"extra_time_seconds,omitempty"`
	// Name and Email say who the candidate is, for staff and login slips.
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// OpensAt and ClosesAt, when set, replace the exam's window for this
	// candidate (a make-up sitting): login and deadline follow them.
	OpensAt   *time.Time `json:"opens_at,omitempty"`
	ClosesAt  *time.Time `json:"closes_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// ExtraTime returns the candidate's extra time.
func (c *Candidate) ExtraTime() time.Duration { return time.Duration(c.ExtraSeconds) * time.Second }

// ClosesAtIn returns when exam e closes for the candidate: their own
// closing time, or the exam's.
func (c *Candidate) ClosesAtIn(e *Exam) *time.Time {
	if c.ClosesAt != nil {
		return c.ClosesAt
	}
	return e.ClosesAt
}

// codeAlphabet leaves out characters that people confuse: 0 O 1 I L U.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLength characters of codeAlphabet carry 58.9 bits of entropy.
const codeLength = 12

// NewAccessCode returns a fresh access code such as "7KQM-2XHD-RW9F".
func NewAccessCode() string {
	b := make([]byte, 0, codeLength+2)
	for i := 0; i < codeLength; i++ {
		if i > 0 && i%4 == 0 {
			b = append(b, '-')
		}
		b = append(b, codeAlphabet[randIndex(len(codeAlphabet))])
	}
	return string(b)
}

// NormalizeCode returns the form of a typed access code that is hashed:
// upper case, without spaces or dashes.
func NormalizeCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r == '-' || r == ' ' || r == '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// randIndex returns a uniform random number in [0, n) from crypto/rand.
func randIndex(n int) int {
	var b [1]byte
	limit := 256 - 256%n
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

package examhall

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Marking is a marking scheme (extension): the points of a right, a wrong
// and an unanswered response, as entrance exams state them ("+4 / −1").
// It may be set on the exam, on a section and on a question; the nearest
// one governs a question.
type Marking struct {
	// Correct, when set, is the points of a fully right response: it sets
	// the points of every question the scheme governs (multipart
	// questions keep the sum of their parts).
	Correct *float64 `json:"correct,omitempty"`
	// Wrong is the points of a wrong response, zero or negative.
	Wrong *float64 `json:"wrong,omitempty"`
	// WrongFraction is the points of a wrong response as a share of the
	// question's points, from -1 to 0 (-0.25 takes a quarter away). At
	// most one of Wrong and WrongFraction is set.
	WrongFraction *float64 `json:"wrong_fraction,omitempty"`
	// Unanswered is the points of no response (or a cleared one), zero or
	// negative; zero unless set.
	Unanswered *float64 `json:"unanswered,omitempty"`
}

// over returns m with the fields it leaves unset taken from outer: a
// section's or question's scheme says only what differs from the exam's.
func (m *Marking) over(outer *Marking) *Marking {
	if m == nil {
		return outer
	}
	if outer == nil {
		return m
	}
	out := *m
	if out.Correct == nil {
		out.Correct = outer.Correct
	}
	if out.Wrong == nil && out.WrongFraction == nil {
		out.Wrong, out.WrongFraction = outer.Wrong, outer.WrongFraction
	}
	if out.Unanswered == nil {
		out.Unanswered = outer.Unanswered
	}
	return &out
}

// validate checks the scheme's numbers.
func (m *Marking) validate(path string) error {
	if m == nil {
		return nil
	}
	bad := func(f *float64) bool { return f != nil && (math.IsNaN(*f) || math.IsInf(*f, 0)) }
	switch {
	case bad(m.Correct) || bad(m.Wrong) || bad(m.WrongFraction) || bad(m.Unanswered):
		return Errorf(EBadRequest, "%s: numbers must be finite.", path)
	case m.Correct != nil && *m.Correct < 0:
		return Errorf(EBadRequest, "%s.correct: must not be negative.", path)
	case m.Wrong != nil && *m.Wrong > 0:
		return Errorf(EBadRequest, "%s.wrong: must be zero or negative (the points a wrong response costs, such as -1).", path)
	case m.WrongFraction != nil && (*m.WrongFraction > 0 || *m.WrongFraction < -1):
		return Errorf(EBadRequest, "%s.wrong_fraction: must be from -1 to 0 (a share of the question's points, such as -0.25).", path)
	case m.Wrong != nil && m.WrongFraction != nil:
		return Errorf(EBadRequest, "%s: give wrong or wrong_fraction, not both.", path)
	case m.Unanswered != nil && *m.Unanswered > 0:
		return Errorf(EBadRequest, "%s.unanswered: must be zero or negative.", path)
	}
	return nil
}

// WrongPoints returns the points of a wrong response to a question worth
// points: zero without a scheme.
func (m *Marking) WrongPoints(points float64) float64 {
	switch {
	case m == nil:
		return 0
	case m.Wrong != nil:
		return *m.Wrong
	case m.WrongFraction != nil:
		return round6(*m.WrongFraction * points)
	}
	return 0
}

// Outcome names how a response fared, for results and item analysis.
type Outcome string

// Outcomes of a graded response.
const (
	Right      Outcome = "right"      // full points
	Partial    Outcome = "partial"    // some of the points (partial credit)
	Wrong      Outcome = "wrong"      // answered, no credit: the scheme's wrong points
	Omitted    Outcome = "omitted"    // no response, or a cleared one
	Awaiting   Outcome = "pending"    // waits for a person
	NotGraded  Outcome = "not_graded" // answered but marked for review, in an exam that grades no such answer
	NotCounted Outcome = "not_counted"
)

// GradeMarked scores a response to q under marking scheme m (nil: the
// core rule, no penalty). A blank response (null, "", [], {}: what "Clear
// response" saves) is unanswered and scores m's unanswered points; a
// fully right one scores q's points; one that earns part of them under
// partial credit keeps that share; any other (no credit at all) is wrong
// and scores m's wrong points, never less. Essays and uploads wait for a
// person.
func GradeMarked(q *Question, m *Marking, response json.RawMessage) (float64, Outcome) {
	if Blank(response) {
		if q.Type.HumanGraded() {
			return 0, Omitted
		}
		return unansweredPoints(m), Omitted
	}
	points, pending := Grade(q, response)
	switch {
	case pending:
		return points, Awaiting
	case q.Type.HumanGraded():
		return points, Right
	case points >= q.Points:
		return points, Right
	case points > 0:
		return points, Partial
	}
	return m.WrongPoints(q.Points), Wrong
}

func unansweredPoints(m *Marking) float64 {
	if m == nil || m.Unanswered == nil {
		return 0
	}
	return *m.Unanswered
}

// Blank reports whether a response says nothing: null, an empty or
// blank string, an empty list, or an object whose every value is blank.
// "Clear response" saves one, and it counts as unanswered.
func Blank(r json.RawMessage) bool {
	r = bytes.TrimSpace(r)
	if isNull(r) {
		return true
	}
	switch r[0] {
	case '"':
		s, ok := jsonString(r)
		return ok && normalizeText(s) == ""
	case '[':
		// Empty only if the next thing after '[' is ']': no decoding.
		rest := bytes.TrimSpace(r[1:])
		return len(rest) > 0 && rest[0] == ']'
	case '{':
		// An object can be blank only if it holds a blank value: most
		// responses hold none, and need no decoding.
		if !bytes.Contains(r, []byte(`""`)) && !bytes.Contains(r, []byte("null")) && !bytes.Contains(r, []byte("[]")) &&
			!bytes.Contains(r, []byte("{}")) && !bytes.Contains(r, []byte(`" `)) && !bytes.Contains(r, []byte(`\`)) && bytes.Count(r, []byte("{")) == 1 {
			return false
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(r, &m) != nil {
			return false
		}
		for _, v := range m {
			if !Blank(v) {
				return false
			}
		}
		return true
	}
	return false
}

// ParseMarking reads a marking scheme written as "correct,wrong[,unanswered]"
// in points ("4,-1,0"), as `examhall import --marking` takes it. A wrong
// value ending in "%" is a share of each question's points ("4,-25%").
func ParseMarking(s string) (*Marking, error) {
	parts := strings.Split(s, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, Errorf(EBadRequest, "marking: %q is not a scheme; write correct,wrong[,unanswered] in points, such as 4,-1,0.", s)
	}
	num := func(p string) (*float64, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, Errorf(EBadRequest, "marking: %q is not a number.", strings.TrimSpace(p))
		}
		return &f, nil
	}
	m := &Marking{}
	var err error
	if m.Correct, err = num(parts[0]); err != nil {
		return nil, err
	}
	if w := strings.TrimSpace(parts[1]); strings.HasSuffix(w, "%") {
		f, err := num(strings.TrimSuffix(w, "%"))
		if err != nil {
			return nil, err
		}
		*f /= 100
		m.WrongFraction = f
	} else if m.Wrong, err = num(w); err != nil {
		return nil, err
	}
	if len(parts) == 3 {
		if m.Unanswered, err = num(parts[2]); err != nil {
			return nil, err
		}
	}
	if err := m.validate("marking"); err != nil {
		return nil, err
	}
	return m, nil
}

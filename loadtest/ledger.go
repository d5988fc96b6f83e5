package loadtest

import (
	"encoding/json"
	"reflect"
)

// Ledger is what one candidate knows the server holds: for each question
// the response of the last acknowledged save, and the responses sent after
// it whose fate is unknown (the request failed, so the server may or may
// not have stored them).
type Ledger struct {
	Candidate string                  `json:"c"`
	Attempt   string                  `json:"a,omitempty"`
	Submitted bool                    `json:"s,omitempty"` // the submit was acknowledged
	Answers   map[string]*AnswerState `json:"q,omitempty"`
	// StalePapers counts reloads whose paper showed an older seq than one
	// already acknowledged.
	StalePapers int `json:"stale,omitempty"`
}

// AnswerState is one question's acknowledged and in-doubt responses.
type AnswerState struct {
	Seq   int64             `json:"seq"` // last acknowledged seq, 0 if none
	Acked json.RawMessage   `json:"r,omitempty"`
	Maybe []json.RawMessage `json:"m,omitempty"`
}

func (l *Ledger) state(q string) *AnswerState {
	if l.Answers == nil {
		l.Answers = make(map[string]*AnswerState)
	}
	s := l.Answers[q]
	if s == nil {
		s = &AnswerState{}
		l.Answers[q] = s
	}
	return s
}

// acked records that the server acknowledged response r with seq.
func (l *Ledger) acked(q string, seq int64, r json.RawMessage) {
	s := l.state(q)
	if seq > s.Seq {
		s.Seq, s.Acked, s.Maybe = seq, r, nil
	}
}

// doubtful records a response sent without an acknowledgement.
func (l *Ledger) doubtful(q string, r json.RawMessage) {
	s := l.state(q)
	s.Maybe = append(s.Maybe, r)
}

// holds reports whether a final response is one the server may rightly
// hold: the last acknowledged one, or one sent after it.
func (s *AnswerState) holds(final json.RawMessage) bool {
	if sameJSON(final, s.Acked) {
		return true
	}
	for _, m := range s.Maybe {
		if sameJSON(final, m) {
			return true
		}
	}
	return false
}

// sameJSON compares two JSON values by meaning, since the server stores
// responses in canonical form (3.10 is 3.1).
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

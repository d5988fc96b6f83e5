package examhall

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Answer is a candidate's response to one question. Seq is the client's
// counter for that question: a save applies only when its seq is newer than
// the stored one, so saves are idempotent and never go backwards.
type Answer struct {
	Question string          `json:"question"`
	Response json.RawMessage `json:"response"`
	Seq      int64           `json:"seq"`
}

// Saved reports the seq stored for a question after a save.
type Saved struct {
	Question string `json:"question"`
	Seq      int64  `json:"seq"`
}

// Limits of a save.
const (
	MaxAnswersPerSave = 1000
	MaxEssayBytes     = 100 << 10
	MaxShortTextBytes = 1000
	MaxSeq            = 1<<53 - 1 // exact in a JSON number everywhere
)

// CheckAnswer checks that a is a well-formed answer to q: a non-negative seq
// and a response of the JSON shape of q's type (null clears an answer). It
// returns the answer with its response in compact canonical form.
func CheckAnswer(q *Question, a Answer) (Answer, error) {
	if a.Seq < 0 || a.Seq > MaxSeq {
		return a, Errorf(EBadRequest, "Answer to %s: seq must be a whole number from 0 to %d.", q.ID, int64(MaxSeq))
	}
	r := bytes.TrimSpace(a.Response)
	if len(r) == 0 {
		return a, Errorf(EBadRequest, "Answer to %s: response is missing.", q.ID)
	}
	if string(r) == "null" {
		a.Response = json.RawMessage("null")
		return a, nil
	}
	var err error
	switch q.Type {
	case Single:
		var id string
		if json.Unmarshal(r, &id) != nil {
			return a, shapeErr(q, `an option id, such as "a"`)
		}
		if !q.hasOption(id) {
			return a, Errorf(EBadRequest, "Answer to %s: %q is not one of its options.", q.ID, id)
		}
		a.Response, err = json.Marshal(id)
	case Multiple, HotText, Hotspot:
		var ids []string
		if json.Unmarshal(r, &ids) != nil {
			return a, shapeErr(q, `a list of option ids, such as ["a", "c"]`)
		}
		if err := checkOptionList(q, ids); err != nil {
			return a, err
		}
		if q.MaxChoices > 0 && len(ids) > q.MaxChoices {
			return a, Errorf(EBadRequest, "Answer to %s: at most %d may be chosen.", q.ID, q.MaxChoices)
		}
		if ids == nil {
			ids = []string{}
		}
		a.Response, err = json.Marshal(ids)
	case TrueFalse:
		var b bool
		if json.Unmarshal(r, &b) != nil {
			return a, shapeErr(q, "true or false")
		}
		a.Response, err = json.Marshal(b)
	case Numeric:
		var f float64
		if json.Unmarshal(r, &f) != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return a, shapeErr(q, "a number")
		}
		a.Response, err = json.Marshal(f)
	case Match:
		var pairs map[string]string
		if json.Unmarshal(r, &pairs) != nil {
			return a, shapeErr(q, `an object pairing option ids with target ids, such as {"a": "x"}`)
		}
		for o, t := range pairs {
			if !q.hasOption(o) {
				return a, Errorf(EBadRequest, "Answer to %s: %q is not one of its options.", q.ID, o)
			}
			if !q.hasTarget(t) {
				return a, Errorf(EBadRequest, "Answer to %s: %q is not one of its targets.", q.ID, t)
			}
		}
		if pairs == nil {
			pairs = map[string]string{}
		}
		a.Response, err = json.Marshal(pairs) // sorted keys: canonical
	case Order:
		var ids []string
		if json.Unmarshal(r, &ids) != nil {
			return a, shapeErr(q, `a list of option ids in order, such as ["b", "a", "c"]`)
		}
		if err := checkOptionList(q, ids); err != nil {
			return a, err
		}
		if ids == nil {
			ids = []string{}
		}
		a.Response, err = json.Marshal(ids)
	case Cloze:
		a.Response, err = checkCloze(q, r)
	case GapMatch:
		a.Response, err = checkGapMatch(q, r)
	case SelectPoint:
		a.Response, err = checkPoints(q, r)
	case Upload:
		a.Response, err = checkUpload(q, r)
	case Multipart:
		a.Response = r
		a.Response, err = checkParts(q, a)
	case ShortText, Essay:
		var s string
		if json.Unmarshal(r, &s) != nil {
			return a, shapeErr(q, "a string")
		}
		limit := MaxShortTextBytes
		if q.Type == Essay {
			limit = MaxEssayBytes
		}
		if len(s) > limit {
			return a, Errorf(EBadRequest, "Answer to %s: longer than %d bytes.", q.ID, limit)
		}
		if !utf8.ValidString(s) {
			return a, Errorf(EBadRequest, "Answer to %s: not valid UTF-8 text.", q.ID)
		}
		a.Response, err = marshalText(s)
	}
	return a, err
}

// marshalText encodes a string as JSON without escaping HTML characters, so
// that stored text stays as the candidate wrote it.
func marshalText(s string) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func shapeErr(q *Question, want string) error {
	return Errorf(EBadRequest, "Answer to %s: a %s question takes %s.", q.ID, q.Type, want)
}

// normalizeText is how short_text responses and keys are compared: case and
// surrounding space are ignored, inner runs of space count as one.
func normalizeText(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// Submission is the final, sealed record of an attempt.
type Submission struct {
	Attempt     string            `json:"attempt"`
	SubmittedAt time.Time         `json:"submitted_at"`
	Auto        bool              `json:"auto"`
	Answers     map[string]Answer `json:"answers"`
	Receipt     string            `json:"receipt"`
}

// checkOptionList checks that every id of a multiple or order response is
// one of q's options, listed once.
func checkOptionList(q *Question, ids []string) error {
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !q.hasOption(id) {
			return Errorf(EBadRequest, "Answer to %s: %q is not one of its options.", q.ID, id)
		}
		if seen[id] {
			return Errorf(EBadRequest, "Answer to %s: option %q is listed twice.", q.ID, id)
		}
		seen[id] = true
	}
	return nil
}

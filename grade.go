package examhall

import (
	"encoding/json"
	"math"
)

// Grade scores a response to q. It returns the points awarded and whether
// the response waits for a person (essays). Core scoring: full points for a
// correct response, 0 otherwise; multiple questions need exactly the keyed
// set. A missing or null response scores 0.
func Grade(q *Question, response json.RawMessage) (points float64, pending bool) {
	if q.Type.HumanGraded() {
		return 0, !isNull(response)
	}
	if isNull(response) {
		return 0, false
	}
	if correct(q, response) {
		return q.Points, false
	}
	return 0, false
}

func correct(q *Question, r json.RawMessage) bool {
	k := &q.key
	switch q.Type {
	case Single:
		var id string
		return json.Unmarshal(r, &id) == nil && id == k.option
	case Multiple:
		var ids []string
		if json.Unmarshal(r, &ids) != nil || len(ids) != len(k.options) {
			return false
		}
		for _, id := range ids {
			if !k.options[id] {
				return false
			}
		}
		return true
	case TrueFalse:
		var b bool
		return json.Unmarshal(r, &b) == nil && b == k.truth
	case Numeric:
		var f float64
		if json.Unmarshal(r, &f) != nil {
			return false
		}
		// A relative epsilon keeps 0.1+0.2 == 0.3 with tolerance 0.
		eps := 1e-9 * math.Max(1, math.Abs(k.number))
		return math.Abs(f-k.number) <= q.Tolerance+eps
	case ShortText:
		var s string
		if json.Unmarshal(r, &s) != nil {
			return false
		}
		n := normalizeText(s)
		for _, t := range k.texts {
			if n == t {
				return true
			}
		}
	}
	return false
}

func isNull(r json.RawMessage) bool { return len(r) == 0 || string(r) == "null" }

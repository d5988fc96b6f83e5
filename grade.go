package examhall

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// Grade scores a response to q. It returns the points awarded and whether
// the response waits for a person (essays). Core scoring: full points for a
// correct response, 0 otherwise; multiple questions need exactly the keyed
// set, match questions every keyed pair and no other, order questions the
// keyed sequence. With PartialCredit, a share of the points is awarded
// instead:
//
//   - multiple, hot_text, hotspot: (keyed options chosen − other options
//     chosen) / keyed options, never below 0;
//   - match, gap_match: keyed pairs given / keyed pairs;
//   - order: options in their keyed position / options;
//   - cloze: the weights of the gaps filled right / all gaps' weights;
//   - select_point: (keyed areas holding a point − points in no keyed
//     area) / keyed areas, never below 0.
//
// A multipart question scores the sum of its parts. A missing or null
// response scores 0; essays and uploads wait for a person.
func Grade(q *Question, response json.RawMessage) (points float64, pending bool) {
	if q.Type == Multipart {
		return gradeParts(q, response)
	}
	if q.Type.HumanGraded() {
		return 0, !isNull(response)
	}
	if isNull(response) {
		return 0, false
	}
	share := credit(q, response)
	if share >= 1 {
		return q.Points, false
	}
	if share <= 0 {
		return 0, false
	}
	return round6(q.Points * share), false
}

// credit returns the share of the points a response earns, from 0 to 1.
func credit(q *Question, r json.RawMessage) float64 {
	k := &q.key
	switch q.Type {
	case Single:
		if eq, ok := isJSONString(r, k.option); ok {
			return b2f(eq)
		}
		id, ok := jsonString(r)
		return b2f(ok && id == k.option)
	case Multiple, HotText, Hotspot:
		return creditMultiple(q, r)
	case Cloze:
		return creditCloze(q, r)
	case GapMatch:
		return creditMatch(q, r)
	case SelectPoint:
		return creditPoints(q, r)
	case TrueFalse:
		switch string(r) {
		case "true":
			return b2f(k.truth)
		case "false":
			return b2f(!k.truth)
		}
		var b bool
		return b2f(json.Unmarshal(r, &b) == nil && b == k.truth)
	case Numeric:
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(r)), 64)
		if err != nil {
			return 0
		}
		// A relative epsilon keeps 0.1+0.2 == 0.3 with tolerance 0.
		eps := 1e-9 * math.Max(1, math.Abs(k.number))
		return b2f(math.Abs(f-k.number) <= q.Tolerance+eps)
	case ShortText:
		s, ok := jsonString(r)
		if !ok {
			return 0
		}
		n := normalizeText(s)
		for _, t := range k.texts {
			if n == t {
				return 1
			}
		}
	case Match:
		return creditMatch(q, r)
	case Order:
		return creditOrder(q, r)
	}
	return 0
}

func creditMultiple(q *Question, r json.RawMessage) float64 {
	ids, ok := jsonStrings(r)
	if !ok {
		return 0
	}
	right, wrong := 0, 0
	for _, id := range ids {
		if q.key.options[id] {
			right++
		} else {
			wrong++
		}
	}
	n := len(q.key.options)
	if !q.PartialCredit {
		return b2f(right == n && wrong == 0)
	}
	return math.Max(0, float64(right-wrong)/float64(n))
}

func creditMatch(q *Question, r json.RawMessage) float64 {
	var pairs map[string]string
	if json.Unmarshal(r, &pairs) != nil {
		return 0
	}
	right := 0
	for o, t := range pairs {
		if q.key.pairs[o] == t {
			right++
		}
	}
	n := len(q.key.pairs)
	if !q.PartialCredit {
		return b2f(right == n && len(pairs) == n)
	}
	return float64(right) / float64(n)
}

func creditOrder(q *Question, r json.RawMessage) float64 {
	ids, ok := jsonStrings(r)
	if !ok {
		return 0
	}
	right := 0
	for i, id := range ids {
		if i < len(q.key.order) && q.key.order[i] == id {
			right++
		}
	}
	n := len(q.key.order)
	if !q.PartialCredit {
		return b2f(right == n && len(ids) == n)
	}
	return float64(right) / float64(n)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// isJSONString reports whether r is the JSON string s, when r holds no
// escapes; ok is false when it does (or is no string) and it cannot tell.
func isJSONString(r []byte, s string) (eq, ok bool) {
	n := len(r)
	if n < 2 || r[0] != '"' || r[n-1] != '"' || bytes.IndexByte(r[1:n-1], '\\') >= 0 {
		return false, false
	}
	return string(r[1:n-1]) == s, true
}

// jsonString decodes a JSON string, without the cost of encoding/json when
// it holds no escapes (the canonical form of ids).
func jsonString(r []byte) (string, bool) {
	if n := len(r); n >= 2 && r[0] == '"' && r[n-1] == '"' && bytes.IndexByte(r[1:n-1], '\\') < 0 && bytes.IndexByte(r[1:n-1], '"') < 0 {
		return string(r[1 : n-1]), true
	}
	var s string
	err := json.Unmarshal(r, &s)
	return s, err == nil
}

// jsonStrings decodes a JSON list of strings, quickly in the canonical
// form ["a","b"] of stored responses.
func jsonStrings(r []byte) ([]string, bool) {
	if len(r) >= 2 && r[0] == '[' && r[len(r)-1] == ']' && bytes.IndexByte(r, '\\') < 0 && bytes.IndexByte(r, ' ') < 0 {
		body := r[1 : len(r)-1]
		if len(body) == 0 {
			return []string{}, true
		}
		out := make([]string, 0, bytes.Count(body, []byte{','})+1)
		for len(body) > 0 {
			end := bytes.IndexByte(body, ',')
			if end < 0 {
				end = len(body)
			}
			s, ok := jsonString(body[:end])
			if !ok {
				return slowStrings(r)
			}
			out = append(out, s)
			if end == len(body) {
				break
			}
			body = body[end+1:]
		}
		return out, true
	}
	return slowStrings(r)
}

func slowStrings(r []byte) ([]string, bool) {
	var ids []string
	err := json.Unmarshal(r, &ids)
	return ids, err == nil
}

func isNull(r json.RawMessage) bool { return len(r) == 0 || string(r) == "null" }

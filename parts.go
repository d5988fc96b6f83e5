package examhall

import (
	"encoding/json"
	"fmt"
	"math"
)

// validateParts checks the parts of a multipart question: each is a
// question of its own (not multipart), written in the question's format,
// and the question's points are the sum of theirs.
func (q *Question) validateParts(path string) error {
	if q.Type != Multipart {
		if len(q.Parts) > 0 {
			return Errorf(EBadRequest, "%s.parts: only multipart questions have parts.", path)
		}
		return nil
	}
	if len(q.Parts) < 1 || len(q.Parts) > MaxOptions {
		return Errorf(EBadRequest, "%s.parts: a multipart question needs 1 to %d parts.", path, MaxOptions)
	}
	seen := map[string]bool{}
	sum := 0.0
	for i := range q.Parts {
		p := &q.Parts[i]
		pp := fmt.Sprintf("%s.parts[%d]", path, i)
		if p.Type == Multipart {
			return Errorf(EBadRequest, "%s.type: a part cannot have parts.", pp)
		}
		if p.Type == Cloze {
			return Errorf(EBadRequest, "%s.type: a part cannot be a cloze question; make the cloze a question of its own.", pp)
		}
		if p.Format != "" && p.Format != q.Format {
			return Errorf(EBadRequest, "%s.format: parts are written in their question's format (%q).", pp, q.Format)
		}
		p.Format = q.Format
		if err := p.validate(pp); err != nil {
			return err
		}
		p.Format = ""
		if seen[p.ID] {
			return Errorf(EBadRequest, "%s.id: %q is used by another part.", pp, p.ID)
		}
		seen[p.ID] = true
		sum += p.Points
	}
	sum = round6(sum)
	if q.Points != 0 && math.Abs(q.Points-sum) > 1e-9 {
		return Errorf(EBadRequest, "%s.points: a multipart question's points are the sum of its parts' (%g), not %g.", path, sum, q.Points)
	}
	q.Points = sum
	return nil
}

// part returns the part of q with the id.
func (q *Question) part(id string) *Question {
	for i := range q.Parts {
		if q.Parts[i].ID == id {
			return &q.Parts[i]
		}
	}
	return nil
}

// checkParts checks a multipart response, part by part, and returns its
// canonical form.
func checkParts(q *Question, a Answer) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(a.Response, &m) != nil {
		return nil, shapeErr(q, `an object of part ids and their responses, such as {"a": "x", "b": 4}`)
	}
	out := make(map[string]json.RawMessage, len(m))
	for id, r := range m {
		p := q.part(id)
		if p == nil {
			return nil, Errorf(EBadRequest, "Answer to %s: %q is not one of its parts.", q.ID, id)
		}
		named := *p // errors name the part as "question.part"
		named.ID = q.ID + "." + id
		pa, err := CheckAnswer(&named, Answer{Question: named.ID, Response: r, Seq: a.Seq})
		if err != nil {
			return nil, err
		}
		if string(pa.Response) != "null" {
			out[id] = pa.Response
		}
	}
	return marshalCanonical(out)
}

// gradeParts sums the grades of a multipart response's parts; it is
// pending while a part awaits a person.
func gradeParts(q *Question, r json.RawMessage) (points float64, pending bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(r, &m) != nil {
		return 0, false
	}
	for i := range q.Parts {
		p := &q.Parts[i]
		pts, pend := Grade(p, m[p.ID])
		points += pts
		pending = pending || pend
	}
	return round6(points), pending
}

package examhall

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Gap is a gap of a cloze or gap_match question, marked in the prompt as
// [[id]]. A cloze gap is filled by typing text (type "text", answer the
// accepted texts), a number ("numeric", answer a number and a tolerance)
// or choosing an option ("choice", answer an option id); Weight is its
// share of the question's points (default 1). A gap_match gap has only
// its id: the question's answer says which option fills it.
type Gap struct {
	ID        string          `json:"id"`
	Type      string          `json:"type,omitempty"`
	Options   []Option        `json:"options,omitempty"`
	Answer    json.RawMessage `json:"answer,omitempty"`
	Tolerance float64         `json:"tolerance,omitempty"`
	Weight    float64         `json:"weight,omitempty"`

	key key
}

// Kinds of cloze gap.
const (
	GapText    = "text"
	GapNumeric = "numeric"
	GapChoice  = "choice"
)

// gapMark finds the [[id]] marks of gaps and hot texts in a prompt.
var gapMark = regexp.MustCompile(`\[\[([A-Za-z0-9][A-Za-z0-9._:-]*)\]\]`)

// GapMarks returns the ids marked as [[id]] in a prompt, in order.
func GapMarks(prompt string) []string {
	var ids []string
	for _, m := range gapMark.FindAllStringSubmatch(prompt, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// validateMarks checks that the prompt marks each of ids exactly once and
// nothing else.
func validateMarks(path, prompt string, ids []string, what string) error {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	seen := map[string]bool{}
	for _, id := range GapMarks(prompt) {
		if !want[id] {
			return Errorf(EBadRequest, "%s.prompt: [[%s]] marks no %s of the question.", path, id, what)
		}
		if seen[id] {
			return Errorf(EBadRequest, "%s.prompt: [[%s]] is marked twice.", path, id)
		}
		seen[id] = true
	}
	for _, id := range ids {
		if !seen[id] {
			return Errorf(EBadRequest, "%s.prompt: the %s %q is not marked in the prompt as [[%s]].", path, what, id, id)
		}
	}
	return nil
}

// validateGaps checks the gaps of cloze and gap_match questions.
func (q *Question) validateGaps(path string) error {
	if q.Type != Cloze && q.Type != GapMatch {
		if len(q.Gaps) > 0 {
			return Errorf(EBadRequest, "%s.gaps: only cloze and gap_match questions have gaps.", path)
		}
		return nil
	}
	if len(q.Gaps) < 1 || len(q.Gaps) > MaxOptions {
		return Errorf(EBadRequest, "%s.gaps: a %s question needs 1 to %d gaps.", path, q.Type, MaxOptions)
	}
	ids := make([]string, len(q.Gaps))
	seen := map[string]bool{}
	for i := range q.Gaps {
		g := &q.Gaps[i]
		gp := fmt.Sprintf("%s.gaps[%d]", path, i)
		if !ValidID(g.ID) {
			return Errorf(EBadRequest, "%s.id: %q is not a valid id.", gp, g.ID)
		}
		if seen[g.ID] {
			return Errorf(EBadRequest, "%s.id: %q is used by another gap.", gp, g.ID)
		}
		seen[g.ID] = true
		ids[i] = g.ID
		if q.Type == GapMatch {
			if g.Type != "" || len(g.Options) > 0 || len(g.Answer) > 0 || g.Tolerance != 0 || g.Weight != 0 {
				return Errorf(EBadRequest, "%s: the gaps of a gap_match question have only an id; the question's answer fills them.", gp)
			}
			continue
		}
		if err := g.validate(gp); err != nil {
			return err
		}
	}
	return validateMarks(path, q.Prompt, ids, "gap")
}

// validate checks a cloze gap and decodes its key.
func (g *Gap) validate(path string) error {
	if g.Weight < 0 || math.IsNaN(g.Weight) || math.IsInf(g.Weight, 0) {
		return Errorf(EBadRequest, "%s.weight: must not be negative.", path)
	}
	if g.Weight == 0 {
		g.Weight = 1
	}
	if g.Tolerance < 0 || g.Tolerance != 0 && g.Type != GapNumeric {
		return Errorf(EBadRequest, "%s.tolerance: only numeric gaps have a tolerance, not negative.", path)
	}
	if (len(g.Options) > 0) != (g.Type == GapChoice) {
		return Errorf(EBadRequest, "%s.options: choice gaps, and only they, have options.", path)
	}
	if len(g.Answer) == 0 || string(g.Answer) == "null" {
		return Errorf(EBadRequest, "%s.answer: is required.", path)
	}
	switch g.Type {
	case GapText:
		texts, err := decodeTexts(g.Answer)
		if err != nil {
			return Errorf(EBadRequest, "%s.answer: %s", path, ErrorMessage(err))
		}
		g.key.texts = texts
	case GapNumeric:
		if json.Unmarshal(g.Answer, &g.key.number) != nil {
			return Errorf(EBadRequest, "%s.answer: must be a number.", path)
		}
	case GapChoice:
		if err := validateOptionList(path+".options", g.Options, 2); err != nil {
			return err
		}
		if json.Unmarshal(g.Answer, &g.key.option) != nil || !hasOption(g.Options, g.key.option) {
			return Errorf(EBadRequest, "%s.answer: must be the id of one of the gap's options.", path)
		}
	default:
		return Errorf(EBadRequest, "%s.type: %q is not a kind of gap; use text, numeric or choice.", path, g.Type)
	}
	return nil
}

// decodeTexts reads accepted answers: one string or a list.
func decodeTexts(r json.RawMessage) ([]string, error) {
	var texts []string
	if err := json.Unmarshal(r, &texts); err != nil {
		var one string
		if json.Unmarshal(r, &one) != nil {
			return nil, Errorf(EBadRequest, "must be a list of accepted answers.")
		}
		texts = []string{one}
	}
	var out []string
	for _, t := range texts {
		n := normalizeText(t)
		if n == "" || len(t) > maxShortTextKey {
			return nil, Errorf(EBadRequest, "accepted answers must be non-empty and at most %d bytes.", maxShortTextKey)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, Errorf(EBadRequest, "must list at least one accepted answer.")
	}
	return out, nil
}

func hasOption(os []Option, id string) bool {
	for _, o := range os {
		if o.ID == id {
			return true
		}
	}
	return false
}

// validateOptionList checks the ids of a list of options.
func validateOptionList(path string, os []Option, least int) error {
	if len(os) < least || len(os) > MaxOptions {
		return Errorf(EBadRequest, "%s: needs %d to %d options.", path, least, MaxOptions)
	}
	return checkOptionIDs(path, "option", os)
}

// hasGap reports whether q has a gap with the id.
func (q *Question) gap(id string) *Gap {
	for i := range q.Gaps {
		if q.Gaps[i].ID == id {
			return &q.Gaps[i]
		}
	}
	return nil
}

// checkCloze checks a cloze response and returns its canonical form.
func checkCloze(q *Question, r json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(r, &m) != nil {
		return nil, shapeErr(q, `an object of gap ids and their answers, such as {"g1": "Paris", "g2": 4}`)
	}
	out := make(map[string]any, len(m))
	for id, v := range m {
		g := q.gap(id)
		if g == nil {
			return nil, Errorf(EBadRequest, "Answer to %s: %q is not one of its gaps.", q.ID, id)
		}
		if string(v) == "null" {
			continue
		}
		switch g.Type {
		case GapNumeric:
			var f float64
			if json.Unmarshal(v, &f) != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return nil, Errorf(EBadRequest, "Answer to %s: gap %s takes a number.", q.ID, id)
			}
			out[id] = f
		case GapChoice:
			var o string
			if json.Unmarshal(v, &o) != nil || !hasOption(g.Options, o) {
				return nil, Errorf(EBadRequest, "Answer to %s: gap %s takes the id of one of its options.", q.ID, id)
			}
			out[id] = o
		default:
			var s string
			if json.Unmarshal(v, &s) != nil || len(s) > MaxShortTextBytes {
				return nil, Errorf(EBadRequest, "Answer to %s: gap %s takes a string of at most %d bytes.", q.ID, id, MaxShortTextBytes)
			}
			out[id] = s
		}
	}
	return marshalCanonical(out)
}

// creditCloze is the share of the weights of the gaps answered right; all
// or nothing without partial credit.
func creditCloze(q *Question, r json.RawMessage) float64 {
	var m map[string]json.RawMessage
	if json.Unmarshal(r, &m) != nil {
		return 0
	}
	var got, total float64
	for i := range q.Gaps {
		g := &q.Gaps[i]
		total += g.Weight
		if v, ok := m[g.ID]; ok && g.right(v) {
			got += g.Weight
		}
	}
	if total == 0 {
		return 0
	}
	if !q.PartialCredit {
		return b2f(got >= total)
	}
	return got / total
}

// right reports whether v fills the gap right.
func (g *Gap) right(v json.RawMessage) bool {
	switch g.Type {
	case GapNumeric:
		f, err := strconv.ParseFloat(strings.TrimSpace(string(v)), 64)
		eps := 1e-9 * math.Max(1, math.Abs(g.key.number))
		return err == nil && math.Abs(f-g.key.number) <= g.Tolerance+eps
	case GapChoice:
		s, ok := jsonString(v)
		return ok && s == g.key.option
	}
	s, ok := jsonString(v)
	if !ok {
		return false
	}
	n := normalizeText(s)
	for _, t := range g.key.texts {
		if n == t {
			return true
		}
	}
	return false
}

// checkGapMatch checks a gap_match response: gap id -> option id.
func checkGapMatch(q *Question, r json.RawMessage) (json.RawMessage, error) {
	var m map[string]string
	if json.Unmarshal(r, &m) != nil {
		return nil, shapeErr(q, `an object filling gap ids with option ids, such as {"g1": "w2"}`)
	}
	for g, o := range m {
		if q.gap(g) == nil {
			return nil, Errorf(EBadRequest, "Answer to %s: %q is not one of its gaps.", q.ID, g)
		}
		if !q.hasOption(o) {
			return nil, Errorf(EBadRequest, "Answer to %s: %q is not one of its options.", q.ID, o)
		}
	}
	if m == nil {
		m = map[string]string{}
	}
	return json.Marshal(m)
}

// marshalCanonical encodes v with sorted keys and without HTML escapes.
func marshalCanonical(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

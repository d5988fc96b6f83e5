package examhall

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
)

// Limits of an exam document.
const (
	MaxQuestions    = 5000
	MaxOptions      = 100
	MaxPromptBytes  = 64 << 10
	maxTitleBytes   = 500
	maxIDBytes      = 64
	maxShortTextKey = 1000
)

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)

// ValidID reports whether s may serve as an exam, question, option, pool or
// candidate id: 1 to 64 letters, digits and . _ : - , starting with a letter
// or digit.
func ValidID(s string) bool { return len(s) <= maxIDBytes && idPattern.MatchString(s) }

// ParseExam decodes and validates an exam document. Unknown fields, values of
// the wrong shape and broken rules are EBadRequest errors that name the field.
// Absent points default to 1 and an absent grace_seconds to
// DefaultGraceSeconds. An absent id is left empty for the caller to assign.
func ParseExam(data []byte) (*Exam, error) {
	var e Exam
	raw, err := decodeStrict(data, &e)
	if err != nil {
		return nil, err
	}
	if _, ok := raw["grace_seconds"]; !ok {
		e.GraceSeconds = DefaultGraceSeconds
	}
	qs, _ := raw["questions"].([]any)
	for i := range e.Questions {
		if i < len(qs) {
			defaultPoints(&e.Questions[i], qs[i])
		}
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

// defaultPoints gives 1 point to a question whose document names none
// (and to each of its parts); a multipart question's points are its
// parts' sum, set by validation.
func defaultPoints(q *Question, doc any) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return
	}
	if _, ok := obj["points"]; !ok && q.Type != Multipart {
		q.Points = 1
	}
	parts, _ := obj["parts"].([]any)
	for j := range q.Parts {
		if j < len(parts) {
			defaultPoints(&q.Parts[j], parts[j])
		}
	}
}

// languageTag is the shape of a BCP 47 tag: a 2-3 letter language and
// optional subtags (script, region, variant).
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$`)

// Validate checks the rules of an exam document and prepares the exam for
// use (decodes the keys, indexes the questions). ParseExam calls it; code
// that builds an Exam by hand or loads one from storage must call it too.
func (e *Exam) Validate() error {
	if e.ID != "" && !ValidID(e.ID) {
		return Errorf(EBadRequest, "id: %q is not a valid id (1-64 letters, digits, '.', '_', ':' or '-').", e.ID)
	}
	if strings.TrimSpace(e.Title) == "" {
		return Errorf(EBadRequest, "title: is required.")
	}
	if len(e.Title) > maxTitleBytes {
		return Errorf(EBadRequest, "title: is longer than %d bytes.", maxTitleBytes)
	}
	if e.Language != "" && !languageTag.MatchString(e.Language) {
		return Errorf(EBadRequest, "language: %q is not a language tag (like \"en\", \"bn\" or \"es-419\").", e.Language)
	}
	if err := e.validateTiming(); err != nil {
		return err
	}
	if e.SafeExamBrowser != nil {
		if err := e.SafeExamBrowser.validate("safe_exam_browser"); err != nil {
			return err
		}
	}
	if len(e.Questions) == 0 {
		return Errorf(EBadRequest, "questions: an exam needs at least one question.")
	}
	if len(e.Questions) > MaxQuestions {
		return Errorf(EBadRequest, "questions: at most %d questions are allowed.", MaxQuestions)
	}
	seen := make(map[string]bool, len(e.Questions))
	for i := range e.Questions {
		q := &e.Questions[i]
		path := fmt.Sprintf("questions[%d]", i)
		if err := q.validate(path); err != nil {
			return err
		}
		if seen[q.ID] {
			return Errorf(EBadRequest, "%s.id: %q is used by another question.", path, q.ID)
		}
		seen[q.ID] = true
	}
	e.buildIndex()
	if err := e.validatePools(); err != nil {
		return err
	}
	return e.validateSections()
}

// MaxLobbySeconds is the longest lobby an exam may have: a day.
const MaxLobbySeconds = 86400

func (e *Exam) validateTiming() error {
	switch {
	case e.DurationSeconds < 0:
		return Errorf(EBadRequest, "duration_seconds: must not be negative.")
	case e.DurationSeconds == 0 && e.ClosesAt == nil && !e.Timed():
		return Errorf(EBadRequest, "duration_seconds: is required when the exam has no closes_at.")
	case e.GraceSeconds < 0:
		return Errorf(EBadRequest, "grace_seconds: must not be negative.")
	case e.GraceSeconds > 3600:
		return Errorf(EBadRequest, "grace_seconds: must be at most 3600.")
	case e.OpensAt != nil && e.ClosesAt != nil && !e.OpensAt.Before(*e.ClosesAt):
		return Errorf(EBadRequest, "closes_at: must be after opens_at.")
	case e.LobbySeconds < 0 || e.LobbySeconds > MaxLobbySeconds:
		return Errorf(EBadRequest, "lobby_seconds: must be from 0 to %d.", MaxLobbySeconds)
	case e.LobbySeconds > 0 && e.OpensAt == nil:
		return Errorf(EBadRequest, "lobby_seconds: needs opens_at (the lobby is the time before it).")
	}
	for _, t := range []**time.Time{&e.OpensAt, &e.ClosesAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return nil
}

func (e *Exam) validatePools() error {
	inPool := make(map[string]string)
	poolIDs := make(map[string]bool)
	for i, p := range e.Pools {
		path := fmt.Sprintf("pools[%d]", i)
		if !ValidID(p.ID) {
			return Errorf(EBadRequest, "%s.id: %q is not a valid id.", path, p.ID)
		}
		if poolIDs[p.ID] {
			return Errorf(EBadRequest, "%s.id: %q is used by another pool.", path, p.ID)
		}
		poolIDs[p.ID] = true
		if p.Draw < 1 || p.Draw > len(p.Questions) {
			return Errorf(EBadRequest, "%s.draw: must be between 1 and the number of its questions (%d).", path, len(p.Questions))
		}
		for j, qid := range p.Questions {
			if _, ok := e.Question(qid); !ok {
				return Errorf(EBadRequest, "%s.questions[%d]: no question has the id %q.", path, j, qid)
			}
			if other, ok := inPool[qid]; ok {
				return Errorf(EBadRequest, "%s.questions[%d]: question %q is already in pool %q.", path, j, qid, other)
			}
			inPool[qid] = p.ID
		}
	}
	return nil
}

func (q *Question) validate(path string) error {
	if !ValidID(q.ID) {
		return Errorf(EBadRequest, "%s.id: %q is not a valid id (1-64 letters, digits, '.', '_', ':' or '-').", path, q.ID)
	}
	path = fmt.Sprintf("%s (%s)", path, q.ID)
	if !q.Type.Valid() {
		return Errorf(EBadRequest, "%s.type: %q is not a question type; use one of %s.", path, q.Type, typeList())
	}
	if len(q.Prompt) > MaxPromptBytes {
		return Errorf(EBadRequest, "%s.prompt: is longer than %d bytes.", path, MaxPromptBytes)
	}
	if q.Points < 0 || math.IsNaN(q.Points) || math.IsInf(q.Points, 0) {
		return Errorf(EBadRequest, "%s.points: must not be negative.", path)
	}
	if q.Tolerance < 0 {
		return Errorf(EBadRequest, "%s.tolerance: must not be negative.", path)
	}
	if q.Tolerance != 0 && q.Type != Numeric {
		return Errorf(EBadRequest, "%s.tolerance: only numeric questions have a tolerance.", path)
	}
	if q.Shuffle != nil && (!q.Type.HasOptions() || q.Type == Order) {
		return Errorf(EBadRequest, "%s.shuffle: only questions whose options may be shuffled (not order questions) take it.", path)
	}
	if q.PartialCredit && !partialTypes[q.Type] {
		return Errorf(EBadRequest, "%s.partial_credit: only multiple, match, order, cloze, gap_match, hot_text, hotspot and select_point questions give partial credit.", path)
	}
	if q.MaxChoices != 0 && q.Type != HotText && q.Type != Hotspot && q.Type != SelectPoint {
		return Errorf(EBadRequest, "%s.max_choices: only hot_text, hotspot and select_point questions take it.", path)
	}
	if q.MaxChoices < 0 || q.MaxChoices > MaxOptions {
		return Errorf(EBadRequest, "%s.max_choices: must be from 0 (no bound) to %d.", path, MaxOptions)
	}
	for name, f := range map[string]string{"feedback": q.Feedback, "correct_feedback": q.CorrectFeedback,
		"partially_correct_feedback": q.PartialFeedback, "incorrect_feedback": q.IncorrectFeedback} {
		if len(f) > MaxPromptBytes {
			return Errorf(EBadRequest, "%s.%s: is longer than %d bytes.", path, name, MaxPromptBytes)
		}
	}
	if err := q.Marking.validate(path + ".marking"); err != nil {
		return err
	}
	if q.Marking != nil && q.Marking.Correct != nil && q.Type == Multipart {
		return Errorf(EBadRequest, "%s.marking.correct: a multipart question's points are the sum of its parts'.", path)
	}
	for j := range q.Parts {
		if q.Parts[j].Marking != nil {
			return Errorf(EBadRequest, "%s.parts[%d].marking: parts are marked as their question is; put the scheme on the question.", path, j)
		}
	}
	if err := q.validateFormat(path); err != nil {
		return err
	}
	if err := q.validateOptions(path); err != nil {
		return err
	}
	if err := q.validateTargets(path); err != nil {
		return err
	}
	for _, check := range []func(string) error{q.validateGaps, q.validateImage, q.validateHotspots, q.validateUpload, q.validateParts} {
		if err := check(path); err != nil {
			return err
		}
	}
	if q.Type == HotText {
		ids := make([]string, len(q.Options))
		for i, o := range q.Options {
			ids[i] = o.ID
		}
		if err := validateMarks(path, q.Prompt, ids, "option"); err != nil {
			return err
		}
	}
	return q.decodeKey(path)
}

// partialTypes are the types that may give partial credit.
var partialTypes = map[QuestionType]bool{Multiple: true, Match: true, Order: true, Cloze: true, GapMatch: true,
	HotText: true, Hotspot: true, SelectPoint: true}

// validateFormat checks the prompt format and sanitises HTML texts.
func (q *Question) validateFormat(path string) error {
	switch q.Format {
	case "", FormatText:
		return nil
	case FormatHTML:
	default:
		return Errorf(EBadRequest, "%s.format: %q is not a format; use text or html.", path, q.Format)
	}
	q.Prompt = SanitizeHTML(q.Prompt)
	q.EachText(func(s *string) { *s = SanitizeHTML(*s) })
	return nil
}

// validateTargets checks the right-hand column of a match question.
func (q *Question) validateTargets(path string) error {
	if q.Type != Match {
		if len(q.Targets) > 0 {
			return Errorf(EBadRequest, "%s.targets: only match questions have targets.", path)
		}
		return nil
	}
	if len(q.Targets) < 1 || len(q.Targets) > MaxOptions {
		return Errorf(EBadRequest, "%s.targets: a match question needs 1 to %d targets.", path, MaxOptions)
	}
	return checkOptionIDs(path+".targets", "target", q.Targets)
}

func (q *Question) validateOptions(path string) error {
	if !q.Type.HasOptions() {
		if len(q.Options) > 0 {
			return Errorf(EBadRequest, "%s.options: %s questions have no options.", path, q.Type)
		}
		return nil
	}
	if len(q.Options) < 2 && (q.Type == Single || q.Type == Multiple || q.Type == Order) {
		return Errorf(EBadRequest, "%s.options: a %s question needs at least two options.", path, q.Type)
	}
	if len(q.Options) < 1 {
		return Errorf(EBadRequest, "%s.options: a %s question needs at least one option.", path, q.Type)
	}
	if len(q.Options) > MaxOptions {
		return Errorf(EBadRequest, "%s.options: at most %d options are allowed.", path, MaxOptions)
	}
	return checkOptionIDs(path+".options", "option", q.Options)
}

// checkOptionIDs checks that each option in the list at path has a valid id
// that no other one has; noun names one of them in the error.
func checkOptionIDs(path, noun string, os []Option) error {
	seen := make(map[string]bool, len(os))
	for j, o := range os {
		if !ValidID(o.ID) {
			return Errorf(EBadRequest, "%s[%d].id: %q is not a valid id.", path, j, o.ID)
		}
		if seen[o.ID] {
			return Errorf(EBadRequest, "%s[%d].id: %q is used by another %s.", path, j, o.ID, noun)
		}
		seen[o.ID] = true
	}
	return nil
}

// decodeKey checks the answer key against the question type and keeps its
// decoded form for grading.
func (q *Question) decodeKey(path string) error {
	path += ".answer"
	switch q.Type {
	case Essay, Upload, Cloze, Multipart:
		if len(q.Answer) > 0 && string(q.Answer) != "null" {
			why := map[QuestionType]string{Essay: "essays are graded by a person", Upload: "uploads are graded by a person",
				Cloze: "the gaps of a cloze question carry their answers", Multipart: "the parts of a multipart question carry their answers"}[q.Type]
			return Errorf(EBadRequest, "%s: %s and take no answer key.", path, why)
		}
		q.Answer = nil
		return nil
	}
	if len(q.Answer) == 0 || string(q.Answer) == "null" {
		return Errorf(EBadRequest, "%s: is required for %s questions.", path, q.Type)
	}
	k := key{}
	switch q.Type {
	case Single:
		if json.Unmarshal(q.Answer, &k.option) != nil || !q.hasOption(k.option) {
			return Errorf(EBadRequest, "%s: must be the id of one of the question's options.", path)
		}
	case SelectPoint:
		return q.decodeAreas(path)
	case GapMatch:
		if json.Unmarshal(q.Answer, &k.pairs) != nil || len(k.pairs) == 0 {
			return Errorf(EBadRequest, `%s: must be an object filling gap ids with option ids, such as {"g1": "w2"}.`, path)
		}
		for g, o := range k.pairs {
			if q.gap(g) == nil || !q.hasOption(o) {
				return Errorf(EBadRequest, "%s: %q -> %q is not a gap of the question and one of its options.", path, g, o)
			}
		}
	case Multiple, HotText, Hotspot:
		var ids []string
		if json.Unmarshal(q.Answer, &ids) != nil || len(ids) == 0 {
			return Errorf(EBadRequest, "%s: must be a non-empty list of option ids.", path)
		}
		if q.MaxChoices > 0 && len(ids) > q.MaxChoices {
			return Errorf(EBadRequest, "%s: keys %d options, more than max_choices (%d).", path, len(ids), q.MaxChoices)
		}
		k.options = make(map[string]bool, len(ids))
		for _, id := range ids {
			if !q.hasOption(id) {
				return Errorf(EBadRequest, "%s: %q is not one of the question's options.", path, id)
			}
			k.options[id] = true
		}
	case TrueFalse:
		if json.Unmarshal(q.Answer, &k.truth) != nil {
			return Errorf(EBadRequest, "%s: must be true or false.", path)
		}
	case Numeric:
		if json.Unmarshal(q.Answer, &k.number) != nil {
			return Errorf(EBadRequest, "%s: must be a number.", path)
		}
	case ShortText:
		var texts []string
		if err := json.Unmarshal(q.Answer, &texts); err != nil {
			var one string
			if json.Unmarshal(q.Answer, &one) != nil {
				return Errorf(EBadRequest, "%s: must be a list of accepted answers.", path)
			}
			texts = []string{one}
		}
		for _, t := range texts {
			n := normalizeText(t)
			if n == "" || len(t) > maxShortTextKey {
				return Errorf(EBadRequest, "%s: accepted answers must be non-empty and at most %d bytes.", path, maxShortTextKey)
			}
			k.texts = append(k.texts, n)
		}
		if len(k.texts) == 0 {
			return Errorf(EBadRequest, "%s: must list at least one accepted answer.", path)
		}
	case Match:
		var pairs map[string]string
		if json.Unmarshal(q.Answer, &pairs) != nil || len(pairs) == 0 {
			return Errorf(EBadRequest, `%s: must be an object pairing option ids with target ids, such as {"a": "x"}.`, path)
		}
		for o, t := range pairs {
			if !q.hasOption(o) {
				return Errorf(EBadRequest, "%s: %q is not one of the question's options.", path, o)
			}
			if !q.hasTarget(t) {
				return Errorf(EBadRequest, "%s: %q is not one of the question's targets.", path, t)
			}
		}
		k.pairs = pairs
	case Order:
		if json.Unmarshal(q.Answer, &k.order) != nil || len(k.order) != len(q.Options) {
			return Errorf(EBadRequest, "%s: must list every option id once, in the right order.", path)
		}
		seen := make(map[string]bool, len(k.order))
		for _, id := range k.order {
			if !q.hasOption(id) || seen[id] {
				return Errorf(EBadRequest, "%s: must list every option id once, in the right order.", path)
			}
			seen[id] = true
		}
	}
	q.key = k
	return nil
}

func typeList() string {
	names := make([]string, len(QuestionTypes))
	for i, t := range QuestionTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

package examhall

import (
	"fmt"
	"time"
)

// Section is a part of an exam with its own instructions, questions,
// marking scheme and, optionally, clock (extension). When an exam has
// sections, every question is in exactly one.
type Section struct {
	ID           string   `json:"id"`
	Title        string   `json:"title,omitempty"`
	Instructions string   `json:"instructions,omitempty"`
	Questions    []string `json:"questions"`
	// DurationSeconds gives the section a clock of its own: the sections
	// of an exam with one are taken one after another (see Schedule).
	DurationSeconds int `json:"duration_seconds,omitempty"`
	// AnswerAny counts only N of the section's answered questions,
	// chosen by AnswerAnyRule: "best" (the default, the N that score
	// most) or "first" (the first N answered, in the section's order).
	AnswerAny     int    `json:"answer_any,omitempty"`
	AnswerAnyRule string `json:"answer_any_rule,omitempty"`
	// Marking is the scheme of the section's questions, unless a question
	// has its own.
	Marking *Marking `json:"marking,omitempty"`
	// Navigation is "free" (the default) or "forward_only": a candidate
	// who leaves a forward-only section cannot come back to it.
	Navigation string `json:"navigation,omitempty"`
	// ShuffleQuestions overrides the exam's shuffle_questions within the
	// section; questions never move from one section to another.
	ShuffleQuestions *bool `json:"shuffle_questions,omitempty"`
}

// Answer-any rules and navigation modes of a section.
const (
	RuleBest    = "best"
	RuleFirst   = "first"
	NavFree     = "free"
	NavForward  = "forward_only"
	maxSections = 100
)

// Rule returns the section's answer-any rule, "best" unless set.
func (s *Section) Rule() string {
	if s.AnswerAnyRule == "" {
		return RuleBest
	}
	return s.AnswerAnyRule
}

// ForwardOnly reports whether candidates may not return to the section
// once they leave it.
func (s *Section) ForwardOnly() bool { return s.Navigation == NavForward }

// SectionOf returns the index of the section that holds question id, or
// -1 when the exam has no sections (or no such question).
func (e *Exam) SectionOf(id string) int {
	if e.sectionOf != nil {
		if i, ok := e.sectionOf[id]; ok {
			return i
		}
		return -1
	}
	for i := range e.Sections {
		for _, q := range e.Sections[i].Questions {
			if q == id {
				return i
			}
		}
	}
	return -1
}

// Section returns the section with the given id.
func (e *Exam) Section(id string) (*Section, int, bool) {
	for i := range e.Sections {
		if e.Sections[i].ID == id {
			return &e.Sections[i], i, true
		}
	}
	return nil, -1, false
}

// MarkingOf returns the scheme that governs q: its own, over its
// section's, over the exam's (each says only what differs from the one
// around it); nil when none is set (no penalty).
func (e *Exam) MarkingOf(q *Question) *Marking {
	if e.markings != nil {
		if i, ok := e.index[q.ID]; ok && &e.Questions[i] == q {
			return e.markings[i]
		}
	}
	return e.markingOf(q)
}

func (e *Exam) markingOf(q *Question) *Marking {
	m := e.Marking
	if i := e.SectionOf(q.ID); i >= 0 {
		m = e.Sections[i].Marking.over(m)
	}
	return q.Marking.over(m)
}

// GradesMarked reports whether an answered question marked for review is
// graded (the default) or counts as unanswered.
func (e *Exam) GradesMarked() bool { return e.GradeMarkedForReview == nil || *e.GradeMarkedForReview }

// Timed reports whether the exam's sections have clocks of their own.
func (e *Exam) Timed() bool {
	for _, s := range e.Sections {
		if s.DurationSeconds > 0 {
			return true
		}
	}
	return false
}

// validateSections checks the sections and the marking schemes, and
// applies the schemes' correct points to the questions they govern. It
// runs after the questions and pools are checked.
func (e *Exam) validateSections() error {
	if err := e.Marking.validate("marking"); err != nil {
		return err
	}
	if len(e.Sections) > maxSections {
		return Errorf(EBadRequest, "sections: at most %d sections are allowed.", maxSections)
	}
	e.sectionOf = nil
	if len(e.Sections) > 0 {
		e.sectionOf = make(map[string]int, len(e.Questions))
	}
	ids := make(map[string]bool, len(e.Sections))
	for i := range e.Sections {
		if err := e.validateSection(i, ids); err != nil {
			return err
		}
	}
	e.markings = make([]*Marking, len(e.Questions))
	for i := range e.Questions {
		q := &e.Questions[i]
		e.markings[i] = e.markingOf(q)
		if len(e.Sections) > 0 && e.SectionOf(q.ID) < 0 {
			return Errorf(EBadRequest, "questions[%d] (%s): is in no section; when an exam has sections, every question must be in one.", i, q.ID)
		}
		if m := e.MarkingOf(q); m != nil && m.Correct != nil && q.Type != Multipart {
			q.Points = *m.Correct
		}
	}
	for i, p := range e.Pools {
		for _, qid := range p.Questions {
			if e.SectionOf(qid) != e.SectionOf(p.Questions[0]) {
				return Errorf(EBadRequest, "pools[%d]: its questions %q and %q are in different sections; a pool draws within one section.", i, p.Questions[0], qid)
			}
		}
	}
	for i := range e.Sections {
		s := &e.Sections[i]
		if n := e.sectionPaperSize(i); s.AnswerAny > n {
			return Errorf(EBadRequest, "sections[%d] (%s).answer_any: must be at most the number of its questions on a paper (%d).", i, s.ID, n)
		}
	}
	return e.validateSectionTiming()
}

func (e *Exam) validateSection(i int, ids map[string]bool) error {
	s := &e.Sections[i]
	path := fmt.Sprintf("sections[%d]", i)
	if !ValidID(s.ID) {
		return Errorf(EBadRequest, "%s.id: %q is not a valid id.", path, s.ID)
	}
	if ids[s.ID] {
		return Errorf(EBadRequest, "%s.id: %q is used by another section.", path, s.ID)
	}
	ids[s.ID] = true
	path = fmt.Sprintf("%s (%s)", path, s.ID)
	switch {
	case len(s.Title) > maxTitleBytes:
		return Errorf(EBadRequest, "%s.title: is longer than %d bytes.", path, maxTitleBytes)
	case len(s.Instructions) > MaxPromptBytes:
		return Errorf(EBadRequest, "%s.instructions: is longer than %d bytes.", path, MaxPromptBytes)
	case len(s.Questions) == 0:
		return Errorf(EBadRequest, "%s.questions: a section needs at least one question.", path)
	case s.DurationSeconds < 0:
		return Errorf(EBadRequest, "%s.duration_seconds: must not be negative.", path)
	case s.AnswerAny < 0:
		return Errorf(EBadRequest, "%s.answer_any: must not be negative.", path)
	case s.AnswerAnyRule != "" && s.AnswerAnyRule != RuleBest && s.AnswerAnyRule != RuleFirst:
		return Errorf(EBadRequest, "%s.answer_any_rule: %q is not a rule; use best or first.", path, s.AnswerAnyRule)
	case s.AnswerAnyRule != "" && s.AnswerAny == 0:
		return Errorf(EBadRequest, "%s.answer_any_rule: needs answer_any.", path)
	case s.Navigation != "" && s.Navigation != NavFree && s.Navigation != NavForward:
		return Errorf(EBadRequest, "%s.navigation: %q is not a navigation; use free or forward_only.", path, s.Navigation)
	}
	if err := s.Marking.validate(path + ".marking"); err != nil {
		return err
	}
	for j, qid := range s.Questions {
		if _, ok := e.Question(qid); !ok {
			return Errorf(EBadRequest, "%s.questions[%d]: no question has the id %q.", path, j, qid)
		}
		if other, ok := e.sectionOf[qid]; ok {
			return Errorf(EBadRequest, "%s.questions[%d]: question %q is already in section %q.", path, j, qid, e.Sections[other].ID)
		}
		e.sectionOf[qid] = i
	}
	return nil
}

// sectionPaperSize returns how many of section i's questions are on every
// paper: those in no pool, and each of its pools' draws.
func (e *Exam) sectionPaperSize(i int) int {
	pooled := make(map[string]bool)
	n := 0
	for _, p := range e.Pools {
		if len(p.Questions) > 0 && e.SectionOf(p.Questions[0]) == i {
			n += p.Draw
		}
		for _, q := range p.Questions {
			pooled[q] = true
		}
	}
	for _, q := range e.Sections[i].Questions {
		if !pooled[q] {
			n++
		}
	}
	return n
}

// validateSectionTiming checks the clocks of timed sections: at most one
// section may be untimed, and it has the time the exam's duration leaves;
// when every section is timed, the exam's duration is their sum.
func (e *Exam) validateSectionTiming() error {
	if !e.Timed() {
		return nil
	}
	sum, untimed := 0, 0
	for _, s := range e.Sections {
		if s.DurationSeconds == 0 {
			untimed++
		}
		sum += s.DurationSeconds
	}
	switch {
	case untimed > 1:
		return Errorf(EBadRequest, "sections: when sections are timed, at most one may have no duration_seconds (it gets the time the exam's duration leaves).")
	case untimed == 1 && e.DurationSeconds <= sum:
		return Errorf(EBadRequest, "duration_seconds: must exceed the timed sections' sum (%d) to leave time for the untimed section.", sum)
	case untimed == 0 && e.DurationSeconds == 0:
		e.DurationSeconds = sum
	case untimed == 0 && e.DurationSeconds != sum:
		return Errorf(EBadRequest, "duration_seconds: must be the sum of the sections' durations (%d), or be left out.", sum)
	}
	return nil
}

// sectionDurations returns each section's time on a timed exam's
// schedule: its own duration, or what the exam's duration leaves.
func (e *Exam) sectionDurations() []time.Duration {
	out := make([]time.Duration, len(e.Sections))
	left := e.Duration()
	for i, s := range e.Sections {
		out[i] = time.Duration(s.DurationSeconds) * time.Second
		left -= out[i]
	}
	for i := range out {
		if out[i] == 0 {
			out[i] = left
		}
	}
	return out
}

// SectionWindow is when one section of an attempt accepts saves.
type SectionWindow struct {
	Opens  time.Time
	Closes time.Time
	// Finished is when the candidate finished the section early; zero if
	// they did not.
	Finished time.Time
	// Extra is the section's share of the extra time.
	Extra time.Duration
}

// Schedule returns the windows of a timed exam's sections for an attempt
// that started at start with extra time extra, given when the candidate
// finished sections early (by section id), capped at the exam's
// closes_at. See SectionSchedule.
func (e *Exam) Schedule(start time.Time, extra time.Duration, finished map[string]time.Time) []SectionWindow {
	return e.SectionSchedule(start, extra, State{Finished: finished}, e.ClosesAt)
}

// SectionSchedule returns the windows of a timed exam's sections for an
// attempt that started at start with extra time extra and navigation
// state st. Sections run one after another from start: each opens when
// the one before it closes and lasts its duration plus its share of the
// extra time, or until the candidate finished it. A section whose share
// was fixed (st.Shares: it had closed when the extra time changed) keeps
// it; the other sections share what is left of the extra time in
// proportion to their durations (to the millisecond; the last of them
// gets what rounding leaves). No window runs past until (when not nil).
// Nil when the exam's sections are not timed.
func (e *Exam) SectionSchedule(start time.Time, extra time.Duration, st State, until *time.Time) []SectionWindow {
	if !e.Timed() {
		return nil
	}
	durs := e.sectionDurations()
	pool, rest, last := extra, time.Duration(0), -1
	for i, s := range e.Sections {
		if share, ok := st.Shares[s.ID]; ok {
			pool -= share
		} else {
			rest += durs[i]
			last = i
		}
	}
	out := make([]SectionWindow, len(e.Sections))
	open := start
	var given time.Duration
	for i, s := range e.Sections {
		share, fixed := st.Shares[s.ID]
		if !fixed {
			share = 0
			if rest > 0 {
				share = time.Duration(float64(pool) * float64(durs[i]) / float64(rest)).Truncate(time.Millisecond)
			}
			if i == last {
				share = pool - given
			}
			given += share
		}
		w := SectionWindow{Opens: open, Closes: open.Add(max(durs[i]+share, 0)), Extra: share}
		if f, ok := st.Finished[s.ID]; ok && !f.Before(open) && f.Before(w.Closes) {
			w.Closes, w.Finished = f, f
		}
		if until != nil && until.Before(w.Closes) {
			w.Closes = *until
		}
		if w.Opens.After(w.Closes) {
			w.Opens = w.Closes
		}
		out[i] = w
		open = w.Closes
	}
	return out
}

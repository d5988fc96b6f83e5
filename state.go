package examhall

import (
	"encoding/json"
	"strings"
	"time"
)

// A candidate's navigation state (marked for review, visited, sections
// finished early, the extra time their section clocks share) is kept
// beside their answers, under keys no question id can take (ids start
// with a letter or digit): it is made durable, merged with the seq rule,
// replayed after a restart and read by grading exactly as answers are, in
// both modes, with no store of its own.
const (
	statePrefix  = "~"
	reviewPrefix = "~review:"
	seenPrefix   = "~seen:"
	finishPrefix = "~finish:"
	sharePrefix  = "~share:"
	extraKey     = "~extra"
)

// IsStateKey reports whether an answer's question is a state key rather
// than a question.
func IsStateKey(question string) bool { return strings.HasPrefix(question, statePrefix) }

// ReviewKey, SeenKey and FinishKey name the state entries of a question
// marked for review, a question seen and a section finished early.
func ReviewKey(question string) string { return reviewPrefix + question }

// SeenKey names the entry recording that a question was seen.
func SeenKey(question string) string { return seenPrefix + question }

// FinishKey names the entry recording when a section was finished.
func FinishKey(section string) string { return finishPrefix + section }

// ShareKey names the entry fixing a section's share of the extra time, in
// milliseconds: recorded for the sections already closed when staff
// change the extra time, so that their windows stay as they were.
func ShareKey(section string) string { return sharePrefix + section }

// ExtraKey names the entry holding the extra time that a timed exam's
// section clocks share, in milliseconds, once a section was finished
// early or staff changed the candidate's extra time.
const ExtraKey = extraKey

// State is a candidate's navigation state, read from their answers.
type State struct {
	Review   map[string]bool          // questions marked for review
	Seen     map[string]bool          // questions the candidate has seen
	Finished map[string]time.Time     // sections finished early, by id
	Extra    *time.Duration           // extra time, when recorded
	Shares   map[string]time.Duration // fixed shares of the extra time, by section
}

// StateKeys lists the entries of an attempt of e that the section rules
// read (Windows, SectionOpen): each section's finish and share, and the
// extra time. Review flags and seen questions are not among them.
func (e *Exam) StateKeys() []string {
	keys := make([]string, 0, 2*len(e.Sections)+1)
	for _, s := range e.Sections {
		keys = append(keys, FinishKey(s.ID), ShareKey(s.ID))
	}
	return append(keys, ExtraKey)
}

// StateOf reads the navigation state out of an attempt's answers.
func StateOf(answers map[string]Answer) State {
	st := State{Review: map[string]bool{}, Seen: map[string]bool{}, Finished: map[string]time.Time{}, Shares: map[string]time.Duration{}}
	for k, a := range answers {
		if !IsStateKey(k) {
			continue
		}
		switch {
		case strings.HasPrefix(k, reviewPrefix):
			if string(a.Response) == "true" {
				st.Review[k[len(reviewPrefix):]] = true
			}
		case strings.HasPrefix(k, seenPrefix):
			st.Seen[k[len(seenPrefix):]] = true
		case strings.HasPrefix(k, finishPrefix):
			var t time.Time
			if json.Unmarshal(a.Response, &t) == nil {
				st.Finished[k[len(finishPrefix):]] = t.UTC()
			}
		case strings.HasPrefix(k, sharePrefix):
			var ms int64
			if json.Unmarshal(a.Response, &ms) == nil {
				st.Shares[k[len(sharePrefix):]] = time.Duration(ms) * time.Millisecond
			}
		case k == extraKey:
			var ms int64
			if json.Unmarshal(a.Response, &ms) == nil {
				d := time.Duration(ms) * time.Millisecond
				st.Extra = &d
			}
		}
	}
	return st
}

// Windows returns the section windows of attempt a of e, given its
// state: nil unless the exam's sections are timed. The extra time is the
// recorded one, or else what the attempt's deadline holds beyond the
// exam's duration (it is recorded whenever the deadline could hold less).
// No window runs past the attempt's deadline, which follows the exam's
// (or the candidate's own) closing time: a window closed early cuts the
// section open then, and the sections after it never open.
func (e *Exam) Windows(a *Attempt, st State) []SectionWindow {
	if !e.Timed() {
		return nil
	}
	until := a.Deadline
	return e.SectionSchedule(a.StartedAt, e.ExtraOf(a, st), st, &until)
}

// ExtraOf returns the extra time of attempt a: recorded in its state,
// or else its deadline beyond the exam's duration.
func (e *Exam) ExtraOf(a *Attempt, st State) time.Duration {
	if st.Extra != nil {
		return *st.Extra
	}
	// A deadline cut by closes_at may hold less than the duration; the
	// windows stop at closes_at anyway.
	return max(a.Deadline.Sub(a.StartedAt)-e.Duration(), 0)
}

// SectionOpen returns nil if section i of e accepts saves at now for an
// attempt with the given windows (nil: untimed) and state: an untimed
// section until it is finished; a timed one from its opening to its close
// plus the exam's grace. ESectionClosed otherwise.
func (e *Exam) SectionOpen(i int, windows []SectionWindow, st State, now time.Time) error {
	s := &e.Sections[i]
	if windows == nil {
		if f, ok := st.Finished[s.ID]; ok {
			return Errorf(ESectionClosed, "Section %q was finished at %s; its answers cannot change.", s.ID, f.Format(time.RFC3339))
		}
		return nil
	}
	w := windows[i]
	if !w.Opens.Before(w.Closes) && w.Finished.IsZero() {
		return Errorf(ESectionClosed, "Section %q never opened: the attempt's time ended at %s.", s.ID, w.Closes.Format(time.RFC3339))
	}
	closes := w.Closes.Add(e.Grace())
	if !w.Finished.IsZero() {
		closes = w.Finished // finished by the candidate: no grace
	}
	switch {
	case now.Before(w.Opens):
		return Errorf(ESectionClosed, "Section %q has not opened yet: it opens at %s.", s.ID, w.Opens.Format(time.RFC3339))
	case now.After(closes):
		return Errorf(ESectionClosed, "Section %q closed at %s; its answers cannot change.", s.ID, w.Closes.Format(time.RFC3339))
	}
	return nil
}

// Current returns the index of the section open at now on a timed
// schedule, or -1 once all have closed.
func Current(windows []SectionWindow, now time.Time) int {
	for i, w := range windows {
		if now.Before(w.Closes) {
			return i
		}
	}
	return -1
}

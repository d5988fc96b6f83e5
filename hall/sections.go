package hall

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"examhall"
)

// sectionState reads the navigation state of an attempt of an exam with
// sections; exams without them need no read (the zero State).
func (h *Hall) sectionState(ctx context.Context, e *examhall.Exam, a *examhall.Attempt) (examhall.State, error) {
	if len(e.Sections) == 0 {
		return examhall.State{}, nil
	}
	answers, err := h.pick(ctx, a, e.StateKeys())
	if err != nil {
		return examhall.State{}, err
	}
	return examhall.StateOf(answers), nil
}

// pick reads the entries keys of an attempt's answers: only those where
// the store can pick, else all of them.
func (h *Hall) pick(ctx context.Context, a *examhall.Attempt, keys []string) (map[string]examhall.Answer, error) {
	var answers map[string]examhall.Answer
	var err error
	if p, ok := h.b.Answers.(examhall.AnswerPicker); ok {
		answers, err = p.Pick(ctx, a.ID, keys)
	} else {
		answers, err = h.b.Answers.Answers(ctx, a.ID)
	}
	if err != nil {
		return nil, sessionEnded(err)
	}
	return answers, nil
}

// checkSections refuses, with ESectionClosed, changes to questions of
// sections that are not open at now.
func (h *Hall) checkSections(ctx context.Context, e *examhall.Exam, a *examhall.Attempt, questions []string) error {
	if len(e.Sections) == 0 || len(questions) == 0 {
		return nil
	}
	st, err := h.sectionState(ctx, e, a)
	if err != nil {
		return err
	}
	windows := e.Windows(a, st)
	now := h.Now()
	for _, q := range questions {
		if i := e.SectionOf(q); i >= 0 {
			if err := e.SectionOpen(i, windows, st, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// sectionViews describes the sections of a's paper at now.
func sectionViews(e *examhall.Exam, a *examhall.Attempt, st examhall.State, now time.Time) ([]examhall.SectionView, string) {
	if len(e.Sections) == 0 {
		return nil, ""
	}
	windows := e.Windows(a, st)
	paper := e.PaperSections(a.ID)
	out := make([]examhall.SectionView, len(e.Sections))
	for i, s := range e.Sections {
		v := examhall.SectionView{ID: s.ID, Title: s.Title, Instructions: s.Instructions, Questions: paper[i],
			DurationSeconds: s.DurationSeconds, AnswerAny: s.AnswerAny, AnswerAnyRule: s.AnswerAnyRule,
			Navigation: s.Navigation, Marking: s.Marking, State: examhall.SectionOpen}
		if v.Navigation == "" {
			v.Navigation = examhall.NavFree
		}
		if v.AnswerAny > 0 {
			v.AnswerAnyRule = s.Rule()
		}
		v.FinishedAt = st.Finished[s.ID]
		if windows != nil {
			w := windows[i]
			v.OpensAt, v.ClosesAt, v.FinishedAt = w.Opens, w.Closes, w.Finished
			v.Deadline = v.ClosesAt
			switch {
			case now.Before(w.Opens):
				v.State = examhall.SectionUpcoming
			case !now.Before(w.Closes):
				v.State = examhall.SectionClosed
			}
		} else if !v.FinishedAt.IsZero() {
			v.State = examhall.SectionClosed
		}
		out[i] = v
	}
	current := ""
	if i := examhall.Current(windows, now); windows != nil && i >= 0 {
		current = e.Sections[i].ID
	}
	return out, current
}

// FinishSection implements examhall.CandidateService.
func (h *Hall) FinishSection(ctx context.Context, id, section string) (*examhall.SectionsResult, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	now := h.Now()
	if err := a.CheckOpen(now); err != nil {
		return nil, err
	}
	_, i, ok := e.Section(section)
	if !ok {
		return nil, examhall.Errorf(examhall.ENotFound, "This exam has no section %q.", section)
	}
	st, err := h.sectionState(ctx, e, a)
	if err != nil {
		return nil, err
	}
	if _, done := st.Finished[section]; !done {
		if err := e.SectionOpen(i, e.Windows(a, st), st, now); err != nil {
			return nil, err
		}
		if w := e.Windows(a, st); w != nil && examhall.Current(w, now) != i {
			return nil, examhall.Errorf(examhall.ESectionClosed, "Section %q is not the one open now.", section)
		}
		at, _ := json.Marshal(now.UTC())
		batch := []examhall.Answer{{Question: examhall.FinishKey(section), Response: at, Seq: 1}}
		if e.Timed() && st.Extra == nil {
			// The deadline moves now: keep the extra time it held.
			ms := strconv.FormatInt(e.ExtraOf(a, st).Milliseconds(), 10)
			batch = append(batch, examhall.Answer{Question: examhall.ExtraKey, Response: json.RawMessage(ms), Seq: 1})
		}
		if _, err := h.b.Answers.Save(ctx, id, batch); err != nil {
			return nil, sessionEnded(err)
		}
		if st, err = h.sectionState(ctx, e, a); err != nil {
			return nil, err
		}
		h.audit(ctx, &examhall.Event{Kind: "section_finished", Exam: a.Exam, Attempt: id, Candidate: a.Candidate, Detail: section})
	}
	if err := h.moveDeadline(ctx, e, a, st); err != nil {
		return nil, err
	}
	views, current := sectionViews(e, a, st, now)
	return &examhall.SectionsResult{Sections: views, CurrentSection: current, Deadline: a.Deadline, ServerTime: h.Now()}, nil
}

// moveDeadline brings a timed attempt's deadline to the close of its last
// section, when sections finished early moved it earlier; a retried
// finish repairs a move that failed. It updates a.
func (h *Hall) moveDeadline(ctx context.Context, e *examhall.Exam, a *examhall.Attempt, st examhall.State) error {
	w := e.Windows(a, st)
	if w == nil {
		return nil
	}
	end := w[len(w)-1].Closes.UTC().Truncate(time.Millisecond)
	if !end.Before(a.Deadline) {
		return nil
	}
	if err := h.b.Attempts.Extend(ctx, a.ID, end, end.Add(e.Grace())); err != nil {
		return err
	}
	a.Deadline, a.Due = end, end.Add(e.Grace())
	return nil
}

// sectionExtra records the extra time extra of a timed attempt and returns
// the deadline its schedule then has, with e the exam as its candidate
// sits it. The sections closed by now keep their share of the extra time
// (it is recorded for them), so their windows and the opening of the
// section open now do not move; the sections not yet closed share the
// rest by duration.
func (h *Hall) sectionExtra(ctx context.Context, e *examhall.Exam, a *examhall.Attempt, extra time.Duration) (time.Time, error) {
	answers, err := h.staffAnswers(ctx, a.ID)
	if err != nil {
		return time.Time{}, err
	}
	st := examhall.StateOf(answers)
	now := h.Now()
	var rec []examhall.Answer
	for i, w := range e.SectionSchedule(a.StartedAt, e.ExtraOf(a, st), st, nil) {
		id := e.Sections[i].ID
		if _, fixed := st.Shares[id]; fixed || (w.Finished.IsZero() && now.Before(w.Closes)) {
			continue
		}
		st.Shares[id] = w.Extra
		rec = append(rec, msEntry(examhall.ShareKey(id), w.Extra, 1))
	}
	// A newer seq than any record before, so the latest change stands.
	rec = append(rec, msEntry(examhall.ExtraKey, extra, max(answers[examhall.ExtraKey].Seq+1, now.UnixMilli())))
	if _, err := h.b.Answers.Save(ctx, a.ID, rec); err != nil {
		return time.Time{}, err
	}
	st.Extra = &extra
	return scheduleEnd(e, a, st, extra), nil
}

// scheduleEnd returns the close of the last section of a timed attempt
// with extra time extra and state st: the deadline its schedule gives,
// never after the closing time of e (the exam as its candidate sits it).
func scheduleEnd(e *examhall.Exam, a *examhall.Attempt, st examhall.State, extra time.Duration) time.Time {
	w := e.SectionSchedule(a.StartedAt, extra, st, e.ClosesAt)
	return w[len(w)-1].Closes.UTC().Truncate(time.Millisecond)
}

// recordExtra records the extra time of a new timed attempt whose
// deadline was cut by the closing time, since the deadline then does not
// tell it; a record made before stands.
func (h *Hall) recordExtra(ctx context.Context, e *examhall.Exam, a *examhall.Attempt, c *examhall.Candidate) {
	if !e.Timed() || a.Status != examhall.InProgress || !a.Deadline.Before(a.StartedAt.Add(e.Duration()+c.ExtraTime())) {
		return
	}
	if _, err := h.b.Answers.Save(ctx, a.ID, []examhall.Answer{msEntry(examhall.ExtraKey, c.ExtraTime(), 1)}); err != nil {
		h.log.Warn("recording the extra time of a cut attempt failed", "attempt", a.ID, "err", err)
	}
}

func msEntry(key string, d time.Duration, seq int64) examhall.Answer {
	return examhall.Answer{Question: key, Response: json.RawMessage(strconv.FormatInt(d.Milliseconds(), 10)), Seq: seq}
}

// Flag implements examhall.CandidateService.
func (h *Hall) Flag(ctx context.Context, id string, flags []examhall.Flag) (*examhall.SaveResult, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.CheckOpen(h.Now()); err != nil {
		return nil, err
	}
	if len(flags) > examhall.MaxAnswersPerSave {
		return nil, examhall.Errorf(examhall.EBadRequest, "At most %d flags may be saved at once.", examhall.MaxAnswersPerSave)
	}
	batch := make([]examhall.Answer, len(flags))
	questions := make([]string, len(flags))
	for i, f := range flags {
		if !e.OnPaper(a.ID, f.Question) {
			return nil, examhall.Errorf(examhall.EBadRequest, "Question %q is not on this paper.", f.Question)
		}
		if f.Seq < 0 || f.Seq > examhall.MaxSeq {
			return nil, examhall.Errorf(examhall.EBadRequest, "Flag of %s: seq must be a whole number from 0 to %d.", f.Question, int64(examhall.MaxSeq))
		}
		batch[i] = examhall.Answer{Question: examhall.ReviewKey(f.Question), Response: json.RawMessage(strconv.FormatBool(f.Review)), Seq: f.Seq}
		questions[i] = f.Question
	}
	if err := h.checkSections(ctx, e, a, questions); err != nil {
		return nil, err
	}
	return h.saveState(ctx, a, batch)
}

// FlagSet implements examhall.CandidateService.
func (h *Hall) FlagSet(ctx context.Context, id string, flagged []string) (*examhall.SaveResult, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.CheckOpen(h.Now()); err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(flagged))
	for _, q := range flagged {
		if !e.OnPaper(a.ID, q) {
			return nil, examhall.Errorf(examhall.EBadRequest, "Question %q is not on this paper.", q)
		}
		want[q] = true
	}
	paper := e.Paper(a.ID)
	keys := make([]string, len(paper))
	for i, q := range paper {
		keys[i] = examhall.ReviewKey(q.ID)
	}
	current, err := h.pick(ctx, a, keys)
	if err != nil {
		return nil, err
	}
	marked := examhall.StateOf(current).Review
	var flags []examhall.Flag
	for i, q := range paper {
		if marked[q.ID] != want[q.ID] {
			flags = append(flags, examhall.Flag{Question: q.ID, Review: want[q.ID], Seq: current[keys[i]].Seq + 1})
		}
	}
	return h.Flag(ctx, id, flags)
}

// Visit implements examhall.CandidateService.
func (h *Hall) Visit(ctx context.Context, id string, questions []string) (*examhall.SaveResult, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.CheckOpen(h.Now()); err != nil {
		return nil, err
	}
	if len(questions) > examhall.MaxAnswersPerSave {
		return nil, examhall.Errorf(examhall.EBadRequest, "At most %d questions may be recorded at once.", examhall.MaxAnswersPerSave)
	}
	batch := make([]examhall.Answer, len(questions))
	for i, q := range questions {
		if !e.OnPaper(a.ID, q) {
			return nil, examhall.Errorf(examhall.EBadRequest, "Question %q is not on this paper.", q)
		}
		// Seeing is never undone: the first record stands.
		batch[i] = examhall.Answer{Question: examhall.SeenKey(q), Response: json.RawMessage("true"), Seq: 1}
	}
	return h.saveState(ctx, a, batch)
}

// saveState stores state entries and reports them by question.
func (h *Hall) saveState(ctx context.Context, a *examhall.Attempt, batch []examhall.Answer) (*examhall.SaveResult, error) {
	saved := []examhall.Saved{}
	if len(batch) > 0 {
		var err error
		if saved, err = h.b.Answers.Save(ctx, a.ID, batch); err != nil {
			return nil, sessionEnded(err)
		}
		for i := range saved {
			q := saved[i].Question
			saved[i].Question = q[strings.IndexByte(q, ':')+1:]
		}
	}
	return &examhall.SaveResult{Saved: saved, Deadline: a.Deadline, ServerTime: h.Now()}, nil
}

// viewState fills in a paper's sections, review flags and visited
// questions from its stored answers, and leaves only answers to
// questions in its answers.
func viewState(v *examhall.AttemptView, e *examhall.Exam, a *examhall.Attempt, answers map[string]examhall.Answer, now time.Time) {
	v.Review, v.Visited = map[string]examhall.SavedFlag{}, []string{}
	for k, ans := range answers {
		switch {
		case !examhall.IsStateKey(k):
			v.Answers[k] = examhall.SavedResponse{Response: ans.Response, Seq: ans.Seq}
		case strings.HasPrefix(k, examhall.ReviewKey("")):
			v.Review[k[len(examhall.ReviewKey("")):]] = examhall.SavedFlag{Review: string(ans.Response) == "true", Seq: ans.Seq}
		case strings.HasPrefix(k, examhall.SeenKey("")):
			v.Visited = append(v.Visited, k[len(examhall.SeenKey("")):])
		}
	}
	sort.Strings(v.Visited)
	v.Flagged = []string{}
	for q, f := range v.Review {
		if f.Review {
			v.Flagged = append(v.Flagged, q)
		}
	}
	sort.Strings(v.Flagged)
	v.Sections, v.CurrentSection = sectionViews(e, a, examhall.StateOf(answers), now)
	// Nobody sees a timed section's questions before it opens, nor those
	// of a section the closing of the window kept from opening.
	upcoming := map[string]bool{}
	for _, sv := range v.Sections {
		never := !sv.ClosesAt.IsZero() && !sv.OpensAt.Before(sv.ClosesAt) && sv.FinishedAt.IsZero()
		if (sv.State == examhall.SectionUpcoming || never) && a.Status == examhall.InProgress {
			upcoming[sv.ID] = true
		}
	}
	if len(upcoming) > 0 {
		qs := v.Questions[:0:0]
		for _, q := range v.Questions {
			if !upcoming[q.Section] {
				qs = append(qs, q)
			}
		}
		v.Questions = qs
	}
}

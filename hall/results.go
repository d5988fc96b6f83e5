package hall

import (
	"context"
	"errors"
	"sort"
	"sync"

	"examhall"
)

// Results implements examhall.StaffService, grading every attempt from
// its stored answers and marks.
func (h *Hall) Results(ctx context.Context, exam string) (*examhall.ExamResults, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleMarker, examhall.RoleViewer); err != nil {
		return nil, err
	}
	var out *examhall.ExamResults
	err := h.eachResult(ctx, exam, func(e *examhall.Exam, n int) {
		out = &examhall.ExamResults{Exam: e.ID, Title: e.Title, Released: e.Released, Results: make([]*examhall.Result, 0, n)}
		for _, q := range e.Questions {
			out.Questions = append(out.Questions, q.ID)
		}
		for _, sec := range e.Sections {
			out.Sections = append(out.Sections, sec.ID)
		}
	}, func(r *examhall.Result) {
		out.Results = append(out.Results, r)
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out.Results, func(i, j int) bool { return out.Results[i].Candidate < out.Results[j].Candidate })
	return out, nil
}

// score grades one attempt from its stored answers and marks.
func (h *Hall) score(ctx context.Context, e *examhall.Exam, a *examhall.Attempt) (*examhall.Result, error) {
	answers, err := h.b.Answers.Answers(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	marks, err := h.b.Marks.AttemptMarks(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return examhall.Score(e, a, answers, marks), nil
}

// eachResult grades every attempt of an exam and calls fn with each result,
// and with a not_started result for each candidate who never began. start
// is called first, with the exam and the number of results to come.
func (h *Hall) eachResult(ctx context.Context, exam string, start func(e *examhall.Exam, n int), fn func(*examhall.Result)) error {
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return err
	}
	// Submit what is overdue first, so results never show an attempt in
	// progress after its time is up.
	if _, err := h.Sweep(ctx); err != nil {
		return err
	}
	// The three reads are independent: run them side by side.
	var (
		cands    []*examhall.Candidate
		attempts []*examhall.Attempt
		marks    map[string]map[string]examhall.Mark
		errs     [3]error
		wg       sync.WaitGroup
	)
	wg.Add(3)
	go func() { defer wg.Done(); cands, errs[0] = h.b.Candidates.Candidates(ctx, exam) }()
	go func() { defer wg.Done(); attempts, errs[1] = h.b.Attempts.Attempts(ctx, exam) }()
	go func() { defer wg.Done(); marks, errs[2] = h.b.Marks.Marks(ctx, exam) }()
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	byID := make(map[string]*examhall.Attempt, len(attempts))
	started := make(map[string]bool, len(attempts))
	for _, a := range attempts {
		byID[a.ID] = a
		started[a.Candidate] = true
	}
	n := len(attempts)
	for _, c := range cands {
		if !started[c.ID] {
			n++
		}
	}
	start(e, n)
	// Each attempt is graded as its answers arrive: the store may reuse
	// the map it passes.
	err = h.b.Answers.ExamAnswers(ctx, exam, func(id string, answers map[string]examhall.Answer) error {
		if a, ok := byID[id]; ok {
			fn(examhall.Score(e, a, answers, marks[a.ID]))
			delete(byID, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, a := range attempts {
		if _, ok := byID[a.ID]; ok {
			fn(examhall.Score(e, a, nil, marks[a.ID]))
		}
	}
	for _, c := range cands {
		if !started[c.ID] {
			fn(&examhall.Result{Exam: exam, Candidate: c.ID, Status: examhall.NotStarted})
		}
	}
	return nil
}

// examAttempt returns attempt id of exam; ENotFound for an attempt of
// another exam, as for none.
func (h *Hall) examAttempt(ctx context.Context, exam, id string) (*examhall.Attempt, error) {
	a, err := h.b.Attempts.Attempt(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Exam != exam {
		return nil, examhall.Errorf(examhall.ENotFound, "Exam %q has no attempt %q.", exam, id)
	}
	return a, nil
}

// Attempt implements examhall.StaffService.
func (h *Hall) Attempt(ctx context.Context, exam, id string) (*examhall.AttemptDetail, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleMarker, examhall.RoleViewer); err != nil {
		return nil, err
	}
	a, err := h.examAttempt(ctx, exam, id)
	if err != nil {
		return nil, err
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	r, err := h.score(ctx, e, a)
	if err != nil {
		return nil, err
	}
	d := &examhall.AttemptDetail{Result: r, Order: e.PaperQuestionIDs(a.ID), Due: a.Due, Receipt: a.Receipt, Reopens: a.Reopens, Events: []*examhall.Event{}}
	if h.b.Audit != nil {
		evs, err := h.b.Audit.Events(ctx, exam, id, 10000)
		if err != nil {
			return nil, err
		}
		if evs != nil {
			d.Events = evs
		}
	}
	return d, nil
}

// Mark implements examhall.StaffService: a mark, typically of an essay,
// overrides automatic grading.
func (h *Hall) Mark(ctx context.Context, exam, id string, req *examhall.MarkRequest) (*examhall.Result, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleMarker)
	if err != nil {
		return nil, err
	}
	if req.Question == "" || req.Points == nil {
		return nil, examhall.Errorf(examhall.EBadRequest, "question and points are both required.")
	}
	question, points, comment := req.Question, *req.Points, req.Comment
	a, err := h.examAttempt(ctx, exam, id)
	if err != nil {
		return nil, err
	}
	if a.Status != examhall.Submitted {
		return nil, examhall.Errorf(examhall.EConflict, "Attempt %q is still in progress; mark it once it is submitted.", id)
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	q, ok := e.Question(question)
	if !ok || !e.OnPaper(id, question) {
		return nil, examhall.Errorf(examhall.EBadRequest, "question: %q is not on this attempt's paper.", question)
	}
	if low := e.MarkingOf(q).WrongPoints(q.Points); points < low || points > q.Points {
		return nil, examhall.Errorf(examhall.EBadRequest, "points: must be between %g and %g for question %q.", low, q.Points, question)
	}
	if len(comment) > 10000 {
		return nil, examhall.Errorf(examhall.EBadRequest, "comment: must be at most 10000 bytes.")
	}
	m := &examhall.Mark{Attempt: id, Question: question, Points: points, Comment: comment, By: who.Staff, At: h.Now()}
	if err := h.b.Marks.PutMark(ctx, m); err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "marked", Exam: exam, Attempt: id, Actor: who.Staff, Detail: question})
	h.gradeDue(ctx, a)
	return h.score(ctx, e, a)
}

// Monitor implements examhall.StaffService. Logins and save rates are
// those this server handled since it started.
func (h *Hall) Monitor(ctx context.Context, exam string) (*examhall.Monitor, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleProctor, examhall.RoleViewer); err != nil {
		return nil, err
	}
	e, cands, attempts, err := h.roll(ctx, exam)
	if err != nil {
		return nil, err
	}
	now := h.Now()
	c := h.stats.of(exam)
	m := &examhall.Monitor{
		Exam: exam, ServerTime: now, Open: e.IsOpen(now), Candidates: len(cands),
		Logins: c.logins.Load(), Saves: c.saves.Load(), SavesPerMinute: h.stats.savesLastMinute(exam),
		LoginsFailed: h.stats.loginsFailed.Load(),
	}
	for _, a := range attempts {
		switch {
		case a.Status == examhall.Submitted && a.Auto:
			m.AutoSubmitted++
			m.Submitted++
		case a.Status == examhall.Submitted:
			m.Submitted++
		default:
			m.InProgress++
			if now.After(a.Due) {
				m.Overdue++
			}
			if m.NextDeadline.IsZero() || a.Deadline.Before(m.NextDeadline) {
				m.NextDeadline = a.Deadline
			}
		}
	}
	m.NotStarted = m.Candidates - len(attempts)
	if m.NotStarted < 0 {
		m.NotStarted = 0
	}
	return m, nil
}

// Stats returns the item analysis of an exam. Results are analysed as
// they are graded, so memory holds a few bytes per response, not every
// result.
func (h *Hall) Stats(ctx context.Context, exam string) (*examhall.Stats, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleAuthor, examhall.RoleMarker, examhall.RoleViewer); err != nil {
		return nil, err
	}
	var an *examhall.Analysis
	err := h.eachResult(ctx, exam, func(e *examhall.Exam, n int) {
		an = examhall.NewAnalysis(e)
		an.Reserve(n)
	}, func(r *examhall.Result) {
		an.Add(r)
	})
	if err != nil {
		return nil, err
	}
	return an.Stats(), nil
}

// Events implements examhall.StaffService.
func (h *Hall) Events(ctx context.Context, exam string, limit int) (*examhall.EventList, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleProctor, examhall.RoleViewer); err != nil {
		return nil, err
	}
	if _, err := h.b.Exams.Exam(ctx, exam); err != nil {
		return nil, err
	}
	evs, err := h.b.Audit.Events(ctx, exam, "", limit)
	if err != nil {
		return nil, err
	}
	if evs == nil {
		evs = []*examhall.Event{}
	}
	return &examhall.EventList{Events: evs}, nil
}

// Candidates implements examhall.StaffService.
func (h *Hall) Candidates(ctx context.Context, exam string) (*examhall.CandidateList, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleAuthor, examhall.RoleProctor, examhall.RoleViewer); err != nil {
		return nil, err
	}
	if _, err := h.b.Exams.Exam(ctx, exam); err != nil {
		return nil, err
	}
	cs, err := h.b.Candidates.Candidates(ctx, exam)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		cs = []*examhall.Candidate{}
	}
	return &examhall.CandidateList{Candidates: cs}, nil
}

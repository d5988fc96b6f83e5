package hall

import (
	"context"

	"examhall"
)

var _ examhall.CandidateService = (*Hall)(nil)

// authorize checks that the candidate ctx carries may act on attempt id,
// in the session of their latest login, and returns the attempt and its
// exam.
func (h *Hall) authorize(ctx context.Context, id string) (*examhall.Attempt, *examhall.Exam, error) {
	c, err := examhall.CandidateFrom(ctx)
	if err != nil {
		return nil, nil, err
	}
	if c.Attempt != id {
		return nil, nil, examhall.Errorf(examhall.EForbidden, "This attempt is not yours.")
	}
	a, err := h.b.Attempts.Attempt(ctx, id)
	if err != nil {
		return nil, nil, sessionEnded(err)
	}
	if a.Session == "" {
		// Rebuilt from the durable store, which keeps no sessions.
		return nil, nil, errSessionEnded()
	}
	if a.Session != c.Session {
		return nil, nil, examhall.Errorf(examhall.EUnauthorized, "You signed in on another device or tab; this one has been signed out.")
	}
	e, err := h.exam(ctx, a.Exam)
	if err != nil {
		return nil, nil, err
	}
	if err := examhall.CheckSEB(ctx, e); err != nil {
		return nil, nil, err
	}
	return a, e, nil
}

// Paper implements examhall.CandidateService.
func (h *Hall) Paper(ctx context.Context, id string) (*examhall.AttemptView, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if a, err = h.settle(ctx, a); err != nil {
		return nil, err
	}
	answers, err := h.b.Answers.Answers(ctx, id)
	if err != nil {
		return nil, err
	}
	now := h.Now()
	v := &examhall.AttemptView{
		Attempt: a.ID, Status: a.Status, Candidate: a.Candidate,
		Exam: examhall.ExamInfo{ID: e.ID, Title: e.Title, Instructions: e.Instructions, Language: e.Language,
			Marking: e.Marking, GradeMarkedForReview: e.GradesMarked()},
		StartedAt: a.StartedAt, Deadline: a.Deadline, ServerTime: now,
		GraceSeconds: e.GraceSeconds, SubmittedAt: a.SubmittedAt, Auto: a.Auto,
		Receipt: a.Receipt, Released: e.Released,
		Answers: make(map[string]examhall.SavedResponse, len(answers)),
	}
	if a.Status == examhall.InProgress && a.InLobby(now) {
		// Nobody sees a question before the exam opens.
		v.Lobby, v.Questions = true, []examhall.PaperQuestion{}
		v.Review, v.Visited = map[string]examhall.SavedFlag{}, []string{}
		return v, nil
	}
	v.Questions = e.Paper(a.ID)
	viewState(v, e, a, answers, now)
	return v, nil
}

// Clock implements examhall.CandidateService.
func (h *Hall) Clock(ctx context.Context, id string) (*examhall.ClockResult, error) {
	a, _, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	return &examhall.ClockResult{Status: a.Status, Deadline: a.Deadline, ServerTime: h.Now()}, nil
}

// Save implements examhall.CandidateService.
func (h *Hall) Save(ctx context.Context, id string, answers []examhall.Answer) (*examhall.SaveResult, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.CheckOpen(h.Now()); err != nil {
		return nil, err
	}
	if err := h.checkAnswers(e, a, answers); err != nil {
		return nil, err
	}
	if err := h.checkSections(ctx, e, a, answerQuestions(answers)); err != nil {
		return nil, err
	}
	saved := []examhall.Saved{}
	if len(answers) > 0 {
		if saved, err = h.b.Answers.Save(ctx, id, answers); err != nil {
			return nil, sessionEnded(err)
		}
		h.stats.saved(a.Exam, len(answers))
	}
	return &examhall.SaveResult{Saved: saved, Deadline: a.Deadline, ServerTime: h.Now()}, nil
}

// sessionEnded turns ENotFound for a candidate's attempt into
// EUnauthorized: the token is genuine, so the attempt existed, and a store
// that lost it (a flushed cache) needs a fresh login to rebuild it. Other
// errors are returned as they are.
func sessionEnded(err error) error {
	if isCode(err, examhall.ENotFound) {
		return errSessionEnded()
	}
	return err
}

func errSessionEnded() error {
	return examhall.Errorf(examhall.EUnauthorized, "Your session has ended; sign in again.")
}

// checkAnswers checks every answer against the paper and puts its response
// in canonical form, in place.
func (h *Hall) checkAnswers(e *examhall.Exam, a *examhall.Attempt, answers []examhall.Answer) error {
	if len(answers) > examhall.MaxAnswersPerSave {
		return examhall.Errorf(examhall.EBadRequest, "At most %d answers may be saved at once.", examhall.MaxAnswersPerSave)
	}
	var paper map[string]bool
	if len(e.Pools) > 0 {
		paper = make(map[string]bool)
		for _, q := range e.PaperQuestionIDs(a.ID) {
			paper[q] = true
		}
	}
	for i, ans := range answers {
		q, ok := e.Question(ans.Question)
		if !ok || (paper != nil && !paper[q.ID]) {
			return examhall.Errorf(examhall.EBadRequest, "Question %q is not on this paper.", ans.Question)
		}
		checked, err := examhall.CheckAnswer(q, ans)
		if err != nil {
			return err
		}
		if err := h.checkUploads(a, q, q.ID, checked.Response); err != nil {
			return err
		}
		answers[i] = checked
	}
	return nil
}

// answerQuestions lists the questions answers name.
func answerQuestions(answers []examhall.Answer) []string {
	qs := make([]string, len(answers))
	for i, a := range answers {
		qs[i] = a.Question
	}
	return qs
}

// settle submits an overdue attempt now rather than at the next sweep, so
// that nobody reads an attempt as in progress after its time is up, and
// returns the attempt as it is afterwards.
func (h *Hall) settle(ctx context.Context, a *examhall.Attempt) (*examhall.Attempt, error) {
	if a.Status != examhall.InProgress || !h.Now().After(a.Due) {
		return a, nil
	}
	if _, err := h.autoSubmit(ctx, a); err != nil {
		return nil, err
	}
	return h.b.Attempts.Attempt(ctx, a.ID)
}

// Result returns a candidate's own graded result once the exam's results
// are released; EForbidden before.
func (h *Hall) Result(ctx context.Context, id string) (*examhall.Result, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if a, err = h.settle(ctx, a); err != nil {
		return nil, err
	}
	if !e.Released {
		return nil, examhall.Errorf(examhall.EForbidden, "Results for this exam have not been released yet.")
	}
	if a.Status != examhall.Submitted {
		return nil, examhall.Errorf(examhall.EForbidden, "Results are shown once the attempt is submitted.")
	}
	r, err := h.score(ctx, e, a)
	if err != nil {
		return nil, err
	}
	return examhall.ForCandidate(e, r), nil
}

// Logout implements examhall.CandidateService: the attempt gets a new live
// session that no token carries.
func (h *Hall) Logout(ctx context.Context) error {
	c, err := examhall.CandidateFrom(ctx)
	if err != nil {
		return err
	}
	a, _, err := h.authorize(ctx, c.Attempt)
	if err != nil {
		return err
	}
	if _, err := h.b.Attempts.Begin(ctx, a, newSessionID()); err != nil {
		return err
	}
	h.audit(ctx, &examhall.Event{Kind: "logout", Exam: a.Exam, Attempt: a.ID, Candidate: a.Candidate})
	return nil
}

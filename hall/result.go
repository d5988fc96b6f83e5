package hall

import (
	"context"

	"examhall"
)

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
	return h.score(ctx, e, a)
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

package hall

import (
	"context"
	"fmt"
	"time"

	"examhall"
)

// ReopenAttempt implements examhall.StaffService. The attempt keeps its
// answers and gets extra seconds from now (plus the exam's grace), even
// past the exam's closing time: staff chose to give them. An attempt
// still in progress is refused, and so is one overdue (the sweeper
// submits it first, as results would). Once results are released,
// candidates may have seen a score: reopening then is refused, and staff
// withdraw the release first.
func (h *Hall) ReopenAttempt(ctx context.Context, exam, id string, req *examhall.ReopenRequest) (*examhall.Reopened, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleProctor)
	if err != nil {
		return nil, err
	}
	if req.ExtraSeconds == nil || *req.ExtraSeconds < 1 || *req.ExtraSeconds > examhall.MaxReopenSeconds {
		return nil, examhall.Errorf(examhall.EBadRequest, "extra_seconds: must be a number of seconds from 1 to %d.", examhall.MaxReopenSeconds)
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	a, err := h.examAttempt(ctx, exam, id)
	if err != nil {
		return nil, err
	}
	if e.Released {
		return nil, examhall.Errorf(examhall.EResultsReleased, "Results of exam %q are released; withdraw the release before reopening an attempt.", exam)
	}
	if a, err = h.settle(ctx, a); err != nil {
		return nil, err
	}
	if a.Status != examhall.Submitted {
		return nil, notSubmitted(id)
	}
	deadline := h.Now().UTC().Truncate(time.Millisecond).Add(time.Duration(*req.ExtraSeconds) * time.Second)
	due := deadline.Add(e.Grace())
	prev, err := h.b.Attempts.Reopen(ctx, id, deadline, due)
	if err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "attempt_reopened", Exam: exam, Attempt: id, Candidate: prev.Candidate, Actor: who.Staff,
		Detail: fmt.Sprintf("receipt=%s submitted_at=%s auto_submitted=%v extra_seconds=%d deadline=%s",
			prev.Receipt, prev.SubmittedAt.Format(time.RFC3339Nano), prev.Auto, *req.ExtraSeconds, deadline.Format(time.RFC3339))})
	return &examhall.Reopened{
		Attempt: id, Status: examhall.InProgress, Deadline: deadline, Due: due, Reopens: prev.Reopens + 1,
		Previous: examhall.Previous{SubmittedAt: prev.SubmittedAt, Auto: prev.Auto, Receipt: prev.Receipt},
	}, nil
}

func notSubmitted(id string) error {
	return examhall.Errorf(examhall.EAttemptNotSubmitted, "Attempt %q is not submitted; only a submitted attempt can be reopened.", id)
}

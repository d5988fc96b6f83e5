package hall

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"

	"examhall"
)

// CreateExam stores a new exam from a parsed document, giving it an id if it
// has none, and returns the id.
func (h *Hall) CreateExam(ctx context.Context, actor string, e *examhall.Exam) (string, error) {
	if e.ID == "" {
		e.ID = newExamID()
	}
	e.CreatedAt = h.Now()
	if err := h.b.Exams.CreateExam(ctx, e); err != nil {
		return "", err
	}
	h.audit(ctx, &examhall.Event{Kind: "exam_created", Exam: e.ID, Actor: actor})
	return e.ID, nil
}

// ReplaceExam replaces an exam's document while no attempt has started.
func (h *Hall) ReplaceExam(ctx context.Context, actor string, e *examhall.Exam) error {
	if err := h.b.Exams.ReplaceExam(ctx, e); err != nil {
		return err
	}
	h.forget(e.ID)
	h.audit(ctx, &examhall.Event{Kind: "exam_replaced", Exam: e.ID, Actor: actor})
	return nil
}

// Exam returns an exam with its keys, for staff.
func (h *Hall) Exam(ctx context.Context, id string) (*examhall.Exam, error) {
	return h.b.Exams.Exam(ctx, id)
}

// Exams lists every exam, newest first.
func (h *Hall) Exams(ctx context.Context) ([]examhall.ExamSummary, error) {
	es, err := h.b.Exams.Exams(ctx)
	if err != nil {
		return nil, err
	}
	now := h.Now()
	out := make([]examhall.ExamSummary, len(es))
	for i, e := range es {
		out[i] = examhall.ExamSummary{
			ID: e.ID, Title: e.Title, Questions: len(e.Questions), DurationSeconds: e.DurationSeconds,
			OpensAt: e.OpensAt, ClosesAt: e.ClosesAt, Open: e.IsOpen(now), Released: e.Released, CreatedAt: e.CreatedAt,
		}
	}
	return out, nil
}

// Release makes results visible to candidates (or hides them again).
func (h *Hall) Release(ctx context.Context, actor, exam string, released bool) error {
	if err := h.b.Exams.SetReleased(ctx, exam, released); err != nil {
		return err
	}
	h.forget(exam)
	kind := "results_released"
	if !released {
		kind = "results_withdrawn"
	}
	h.audit(ctx, &examhall.Event{Kind: kind, Exam: exam, Actor: actor})
	return nil
}

// SetWindow changes when an exam opens and closes for logins.
func (h *Hall) SetWindow(ctx context.Context, actor, exam string, opensAt, closesAt *time.Time) error {
	if opensAt != nil && closesAt != nil && !opensAt.Before(*closesAt) {
		return examhall.Errorf(examhall.EBadRequest, "closes_at: must be after opens_at.")
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return err
	}
	if closesAt == nil && e.DurationSeconds == 0 {
		return examhall.Errorf(examhall.EBadRequest, "closes_at: is required for an exam without duration_seconds.")
	}
	if err := h.b.Exams.SetWindow(ctx, exam, utcPtr(opensAt), utcPtr(closesAt)); err != nil {
		return err
	}
	h.forget(exam)
	h.audit(ctx, &examhall.Event{Kind: "window_changed", Exam: exam, Actor: actor})
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func newExamID() string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "exam-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

package hall

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"examhall"
)

// CreateExam implements examhall.StaffService.
func (h *Hall) CreateExam(ctx context.Context, e *examhall.Exam) (string, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAuthor)
	if err != nil {
		return "", err
	}
	if e.ID == "" {
		e.ID = newExamID()
	}
	e.CreatedAt = h.Now()
	if err := h.b.Exams.CreateExam(ctx, e); err != nil {
		return "", err
	}
	h.audit(ctx, &examhall.Event{Kind: "exam_created", Exam: e.ID, Actor: who.Staff})
	return e.ID, nil
}

// ReplaceExam implements examhall.StaffService.
func (h *Hall) ReplaceExam(ctx context.Context, e *examhall.Exam) error {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAuthor)
	if err != nil {
		return err
	}
	if err := h.b.Exams.ReplaceExam(ctx, e); err != nil {
		return err
	}
	h.forget(e.ID)
	h.audit(ctx, &examhall.Event{Kind: "exam_replaced", Exam: e.ID, Actor: who.Staff})
	return nil
}

// Exam implements examhall.StaffService.
func (h *Hall) Exam(ctx context.Context, id string) (*examhall.Exam, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleAuthor, examhall.RoleProctor, examhall.RoleMarker); err != nil {
		return nil, err
	}
	return h.b.Exams.Exam(ctx, id)
}

// Exams implements examhall.StaffService.
func (h *Hall) Exams(ctx context.Context) (*examhall.ExamList, error) {
	if _, err := examhall.StaffFrom(ctx); err != nil {
		return nil, err
	}
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
	return &examhall.ExamList{Exams: out}, nil
}

// Release implements examhall.StaffService.
func (h *Hall) Release(ctx context.Context, exam string, released bool) error {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAdmin)
	if err != nil {
		return err
	}
	if err := h.b.Exams.SetReleased(ctx, exam, released); err != nil {
		return err
	}
	h.forget(exam)
	kind := "results_released"
	if !released {
		kind = "results_withdrawn"
	}
	h.audit(ctx, &examhall.Event{Kind: kind, Exam: exam, Actor: who.Staff})
	return nil
}

// SetWindow implements examhall.StaffService.
func (h *Hall) SetWindow(ctx context.Context, exam string, w *examhall.Window) error {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAuthor, examhall.RoleProctor)
	if err != nil {
		return err
	}
	opensAt, closesAt := w.OpensAt, w.ClosesAt
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
	ne := *e // e may be a cache's
	ne.OpensAt, ne.ClosesAt = utcPtr(opensAt), utcPtr(closesAt)
	e = &ne
	// The window is stored first: a failure below leaves some deadlines
	// unmoved, and the same request, repeated, moves them.
	moved, err := h.moveDeadlines(ctx, e, false)
	h.recheckLater(exam)
	h.audit(ctx, &examhall.Event{Kind: "window_changed", Exam: exam, Actor: who.Staff,
		Detail: fmt.Sprintf("opens_at=%s closes_at=%s, %d deadlines moved", timeOrNone(e.OpensAt), timeOrNone(e.ClosesAt), moved)})
	return err
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

package hall

import (
	"context"
	"fmt"
	"time"

	"examhall"
)

// ImportExam implements examhall.StaffService. The assets are stored
// first, so that no candidate sees the exam without its images. An import
// whose source sets no window is a draft: closed from its creation, so
// that staff check and edit it, then open it by setting its window.
func (h *Hall) ImportExam(ctx context.Context, e *examhall.Exam, assets []examhall.Asset) (string, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleAuthor); err != nil {
		return "", err
	}
	if e.OpensAt == nil && e.ClosesAt == nil {
		closed := h.Now().UTC().Truncate(time.Second)
		e.ClosesAt = &closed
	}
	if len(assets) == 0 {
		return h.CreateExam(ctx, e)
	}
	if h.b.Assets == nil {
		return "", examhall.Errorf(examhall.EBadRequest, "This server keeps no exam images in its mode; import the questions without them.")
	}
	if len(assets) > examhall.MaxAssets {
		return "", examhall.Errorf(examhall.EBadRequest, "An exam may have at most %d images; this one has %d.", examhall.MaxAssets, len(assets))
	}
	for _, a := range assets {
		if !examhall.ValidAssetName(a.Name) || len(a.Data) > examhall.MaxAssetBytes {
			return "", examhall.Errorf(examhall.EBadRequest, "Image %q: names are letters, digits, '.', '_' and '-', and files at most %d bytes.", a.Name, examhall.MaxAssetBytes)
		}
	}
	if e.ID == "" {
		e.ID = newExamID()
	} else if _, err := h.b.Exams.Exam(ctx, e.ID); err == nil {
		return "", examhall.Errorf(examhall.EConflict, "An exam with the id %q exists already.", e.ID)
	}
	if err := h.b.Assets.PutAssets(ctx, e.ID, assets); err != nil {
		return "", fmt.Errorf("storing the images of %s: %w", e.ID, err)
	}
	return h.CreateExam(ctx, e)
}

// Asset implements examhall.StaffService. Before the exam opens only staff
// may see an image (it may show a question); from then on anyone may, as
// browsers fetch images without the candidate's token and an image holds
// no key.
func (h *Hall) Asset(ctx context.Context, exam, name string) (*examhall.Asset, error) {
	notFound := examhall.Errorf(examhall.ENotFound, "Exam %q has no asset %q.", exam, name)
	if h.b.Assets == nil || !examhall.ValidAssetName(name) {
		return nil, notFound
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	if e.OpensAt != nil && h.Now().Before(*e.OpensAt) {
		if examhall.IdentityFrom(ctx) == nil {
			return nil, examhall.Errorf(examhall.EForbidden, "The exam has not opened yet; its images are for staff until then.")
		}
		if _, err := examhall.StaffFrom(ctx); err != nil {
			return nil, err
		}
	}
	return h.b.Assets.Asset(ctx, exam, name)
}

// ExamAssets implements examhall.StaffService.
func (h *Hall) ExamAssets(ctx context.Context, exam string) ([]examhall.Asset, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleAuthor); err != nil {
		return nil, err
	}
	if _, err := h.b.Exams.Exam(ctx, exam); err != nil {
		return nil, err
	}
	if h.b.Assets == nil {
		return nil, nil
	}
	return h.b.Assets.Assets(ctx, exam)
}

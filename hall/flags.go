package hall

import (
	"context"

	"examhall"
)

// SetFlags implements examhall.CandidateService.
func (h *Hall) SetFlags(ctx context.Context, id string, req *examhall.Flags) (*examhall.Flags, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if h.b.Flags == nil {
		return nil, examhall.Errorf(examhall.EBadRequest, "This server keeps no flags in its mode.")
	}
	if err := a.CheckOpen(h.Now()); err != nil {
		return nil, err
	}
	if len(req.Flagged) > examhall.MaxFlags {
		return nil, examhall.Errorf(examhall.EBadRequest, "flagged: at most %d questions.", examhall.MaxFlags)
	}
	seen := make(map[string]bool, len(req.Flagged))
	for i, q := range req.Flagged {
		if !e.OnPaper(a.ID, q) {
			return nil, examhall.Errorf(examhall.EBadRequest, "flagged[%d]: %q is not a question of this paper.", i, q)
		}
		if seen[q] {
			return nil, examhall.Errorf(examhall.EBadRequest, "flagged[%d]: %q is listed twice.", i, q)
		}
		seen[q] = true
	}
	flags := append([]string{}, req.Flagged...)
	if err := h.b.Flags.PutFlags(ctx, a.ID, flags); err != nil {
		return nil, err
	}
	return &examhall.Flags{Flagged: flags}, nil
}

// flags returns an attempt's flags, none when the mode keeps none.
func (h *Hall) flags(ctx context.Context, id string) ([]string, error) {
	if h.b.Flags == nil {
		return []string{}, nil
	}
	return h.b.Flags.Flags(ctx, id)
}

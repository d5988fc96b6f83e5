package hall

import (
	"context"

	"examhall"
)

var _ examhall.SEBService = (*Hall)(nil)

// SEBConfig implements examhall.SEBService: SEB starts at the candidates'
// page, quits at /seb-quit and may visit nothing outside the server.
func (h *Hall) SEBConfig(ctx context.Context, base, exam string) (*examhall.SEBConfig, error) {
	if _, err := examhall.StaffFrom(ctx); err != nil {
		return nil, err
	}
	if _, err := h.exam(ctx, exam); err != nil {
		return nil, err
	}
	return examhall.NewSEBConfig(base+"/", base+"/seb-quit", base+"/")
}

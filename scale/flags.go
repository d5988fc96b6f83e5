package scale

import (
	"context"

	"examhall"
)

var _ examhall.FlagStore = (*Store)(nil)

// PutFlags implements examhall.FlagStore: PostgreSQL keeps them (written
// by the pod, as uploads are: flags are no answers and need no order with
// them), Redis caches them for papers.
func (s *Store) PutFlags(ctx context.Context, id string, flags []string) error {
	if err := s.pg.PutFlags(ctx, id, flags); err != nil {
		return dbErr(err)
	}
	return s.rd.SetFlags(ctx, id, flags)
}

// Flags implements examhall.FlagStore, from Redis or else PostgreSQL.
func (s *Store) Flags(ctx context.Context, id string) ([]string, error) {
	if flags, ok, err := s.rd.Flags(ctx, id); err != nil || ok {
		return flags, err
	}
	flags, err := s.pg.Flags(ctx, id)
	if err != nil {
		return nil, dbErr(err)
	}
	if len(flags) > 0 {
		if err := s.rd.SetFlags(ctx, id, flags); err != nil {
			return nil, err
		}
	}
	return flags, nil
}

package hall

import (
	"context"
	"sync"
	"time"

	"examhall"
)

// sweepBatch is how many overdue attempts one claim takes, and
// sweepWorkers how many are submitted at once (they share group commits).
const (
	sweepBatch   = 500
	sweepWorkers = 32
)

// RunSweeper submits overdue attempts automatically, every SweepInterval,
// until ctx is done. It also catches up at start, so attempts that fell due
// while no server ran are submitted as soon as one starts.
func (h *Hall) RunSweeper(ctx context.Context) {
	// Scores for learning platforms go out beside it, so that a slow
	// platform never delays an automatic submission.
	var grades sync.WaitGroup
	grades.Go(func() { h.runGrades(ctx) })
	defer grades.Wait()
	t := time.NewTicker(h.cfg.SweepInterval)
	defer t.Stop()
	for {
		if n, err := h.Sweep(ctx); err != nil && ctx.Err() == nil {
			h.log.Error("auto-submit sweep failed", "err", err, "submitted", n)
		} else if n > 0 {
			h.log.Info("auto-submitted overdue attempts", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sweep submits every attempt that is overdue now and returns how many it
// submitted.
func (h *Hall) Sweep(ctx context.Context) (int, error) {
	h.recheckWindows(ctx)
	total := 0
	for {
		ids, err := h.b.Attempts.ClaimDue(ctx, h.Now(), sweepBatch)
		if err != nil {
			return total, err
		}
		n, err := h.submitAll(ctx, ids)
		total += n
		if err != nil {
			return total, err
		}
		if len(ids) < sweepBatch {
			return total, nil
		}
	}
}

func (h *Hall) submitAll(ctx context.Context, ids []string) (int, error) {
	return countEach(ids, sweepWorkers, func(id string) (bool, error) { return h.sweepOne(ctx, id) })
}

// countEach calls f on each item, with at most workers calls at once, and
// returns how many calls reported true without an error, and the first
// error reported.
func countEach[T any](items []T, workers int, f func(T) (bool, error)) (int, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		n     int
		first error
	)
	work := make(chan T)
	for i := 0; i < workers && i < len(items); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				ok, err := f(it)
				mu.Lock()
				switch {
				case err == nil:
					if ok {
						n++
					}
				case first == nil:
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, it := range items {
		work <- it
	}
	close(work)
	wg.Wait()
	return n, first
}

func (h *Hall) sweepOne(ctx context.Context, id string) (bool, error) {
	a, err := h.b.Attempts.Attempt(ctx, id)
	if err != nil {
		return false, err
	}
	if a.Status != examhall.InProgress {
		return false, nil
	}
	_, err = h.autoSubmit(ctx, a)
	return err == nil, err
}

package hall

import (
	"context"
	"fmt"
	"sync"
	"time"

	"examhall"
)

// moveWorkers is how many attempts have their deadline moved at once.
const moveWorkers = 16

// moveDeadlines applies a change of e's window to its attempts in
// progress: a closing time earlier than an attempt's deadline becomes its
// deadline (close now ends every running attempt at the close time, plus
// the grace); a later closing time, or none, gives back the time the
// deadline rule allows, never less than the attempt already has. It
// returns how many deadlines moved.
func (h *Hall) moveDeadlines(ctx context.Context, e *examhall.Exam) (int, error) {
	attempts, err := h.b.Attempts.Attempts(ctx, e.ID)
	if err != nil {
		return 0, err
	}
	cands, err := h.b.Candidates.Candidates(ctx, e.ID)
	if err != nil {
		return 0, err
	}
	byID := make(map[string]*examhall.Candidate, len(cands))
	for _, c := range cands {
		byID[c.ID] = c
	}
	type move struct {
		id       string
		deadline time.Time
	}
	var moves []move
	for _, a := range attempts {
		if a.Status != examhall.InProgress {
			continue
		}
		c := byID[a.Candidate]
		if c == nil {
			c = &examhall.Candidate{Exam: e.ID, ID: a.Candidate}
		}
		if d, ok := movedDeadline(e, c, a); ok {
			moves = append(moves, move{a.ID, d})
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		n     int
		first error
	)
	work := make(chan move)
	for i := 0; i < moveWorkers && i < len(moves); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				err := h.b.Attempts.Extend(ctx, m.id, m.deadline, m.deadline.Add(e.Grace()))
				mu.Lock()
				switch {
				case err == nil:
					n++
				case isCode(err, examhall.EAttemptClosed) || isCode(err, examhall.ENotFound):
				case first == nil:
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, m := range moves {
		work <- m
	}
	close(work)
	wg.Wait()
	return n, first
}

// movedDeadline returns the deadline of attempt a of candidate c under
// exam e's current window, and whether it differs from the one it has.
func movedDeadline(e *examhall.Exam, c *examhall.Candidate, a *examhall.Attempt) (time.Time, bool) {
	closes := c.ClosesAtIn(e)
	d := a.Deadline
	if closes != nil && closes.Before(d) {
		d = closes.UTC().Truncate(time.Millisecond)
	} else if rule := e.DeadlineFor(a.StartedAt, c); rule.After(d) {
		d = rule
	}
	return d, !d.Equal(a.Deadline)
}

func seconds(n int) string { return fmt.Sprintf("%d s", n) }

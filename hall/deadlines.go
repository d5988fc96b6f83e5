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
// returns how many deadlines moved. The second pass after a window change
// (recheck) leaves reopened attempts alone: it is there for attempts
// started under the old window, and a reopen since the change gave its
// time on purpose.
func (h *Hall) moveDeadlines(ctx context.Context, e *examhall.Exam, recheck bool) (int, error) {
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
		if a.Status != examhall.InProgress || (recheck && a.Reopens > 0) {
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

// recheckLater asks for exam's deadlines to be moved again once every
// server has seen its new window: servers that cached the old one (for
// ExamCacheTTL) may have started attempts under it meanwhile.
func (h *Hall) recheckLater(exam string) {
	h.recheckMu.Lock()
	defer h.recheckMu.Unlock()
	if h.recheck == nil {
		h.recheck = make(map[string]time.Time)
	}
	h.recheck[exam] = h.Now().Add(h.cfg.ExamCacheTTL + time.Second)
}

// recheckWindows moves again the deadlines of exams whose recheck is due,
// under their window as stored now. The sweeper calls it.
func (h *Hall) recheckWindows(ctx context.Context) {
	now := h.Now()
	var due []string
	h.recheckMu.Lock()
	for exam, at := range h.recheck {
		if !now.Before(at) {
			due = append(due, exam)
			delete(h.recheck, exam)
		}
	}
	h.recheckMu.Unlock()
	for _, exam := range due {
		e, err := h.b.Exams.Exam(ctx, exam)
		if err == nil {
			_, err = h.moveDeadlines(ctx, e, true)
		}
		if err != nil && !isCode(err, examhall.ENotFound) {
			h.log.Warn("moving deadlines again after a window change failed", "exam", exam, "err", err)
			h.recheckLater(exam)
		}
	}
}

func seconds(n int) string { return fmt.Sprintf("%d s", n) }

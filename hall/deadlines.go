package hall

import (
	"context"
	"fmt"
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
		a *examhall.Attempt
		c *examhall.Candidate
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
		if e.Timed() {
			moves = append(moves, move{a, c}) // needs its state: read by a worker
		} else if _, ok := movedDeadline(e, c, a, nil); ok {
			moves = append(moves, move{a, c})
		}
	}
	// An attempt that closed or went away meanwhile has no deadline to move.
	return countEach(moves, moveWorkers, func(m move) (bool, error) {
		moved, err := h.moveDeadline1(ctx, e, m.c, m.a)
		if isCode(err, examhall.EAttemptClosed) || isCode(err, examhall.ENotFound) {
			return false, nil
		}
		return moved, err
	})
}

// moveDeadline1 moves the deadline of attempt a of candidate c under exam
// e's current window, and reports whether it moved. In an exam with timed
// sections the rule's deadline is the close of the last section on the
// attempt's schedule (which sections finished early shorten), and the
// extra time is recorded first: a deadline cut by the window no longer
// tells it, and the section windows share it out.
func (h *Hall) moveDeadline1(ctx context.Context, e *examhall.Exam, c *examhall.Candidate, a *examhall.Attempt) (bool, error) {
	var st *examhall.State
	if e.Timed() {
		answers, err := h.staffAnswers(ctx, a.ID)
		if err != nil {
			return false, err
		}
		s := examhall.StateOf(answers)
		st = &s
	}
	d, ok := movedDeadline(e, c, a, st)
	if !ok {
		return false, nil
	}
	if st != nil && st.Extra == nil {
		if _, err := h.b.Answers.Save(ctx, a.ID, []examhall.Answer{msEntry(examhall.ExtraKey, c.ExtraTime(), 1)}); err != nil {
			return false, err
		}
	}
	return true, h.b.Attempts.Extend(ctx, a.ID, d, d.Add(e.Grace()))
}

// staffAnswers reads an attempt's answers for a staff change: a cache that
// lost the attempt rebuilds it when the attempt is read.
func (h *Hall) staffAnswers(ctx context.Context, id string) (map[string]examhall.Answer, error) {
	answers, err := h.b.Answers.Answers(ctx, id)
	if isCode(err, examhall.ENotFound) {
		if _, err = h.b.Attempts.Attempt(ctx, id); err == nil {
			answers, err = h.b.Answers.Answers(ctx, id)
		}
	}
	return answers, err
}

// movedDeadline returns the deadline of attempt a of candidate c under
// exam e's current window, and whether it differs from the one it has: a
// closing time before the deadline becomes it; otherwise the rule's
// deadline, when later (a window change never takes time away). st is
// the attempt's navigation state in an exam with timed sections, nil
// otherwise.
func movedDeadline(e *examhall.Exam, c *examhall.Candidate, a *examhall.Attempt, st *examhall.State) (time.Time, bool) {
	closes := c.ClosesAtIn(e)
	d := a.Deadline
	rule := func() time.Time { return e.DeadlineFor(a.StartedAt, c) }
	if st != nil {
		rule = func() time.Time {
			extra := c.ExtraTime()
			if st.Extra != nil {
				extra = *st.Extra
			}
			return scheduleEnd(e.For(c), a, *st, extra)
		}
	}
	if closes != nil && closes.Before(d) {
		d = closes.UTC().Truncate(time.Millisecond)
	} else if r := rule(); r.After(d) {
		d = r
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

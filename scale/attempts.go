package scale

import (
	"context"
	"time"

	"examhall"
	"examhall/kafka"
)

// Begin implements examhall.AttemptStore. A new attempt is written to
// PostgreSQL before anything else, so its start (and so its deadline) is
// fixed once and for all; the session lives in Redis.
func (s *Store) Begin(ctx context.Context, a *examhall.Attempt, sid string) (*examhall.Attempt, error) {
	cur, _, err := s.rd.Attempt(ctx, a.ID)
	if err == nil {
		out, _, err := s.rd.PutAttempt(ctx, cur, sid, false)
		return out, err
	}
	if examhall.ErrorCode(err) != examhall.ENotFound {
		return nil, err
	}
	stored, created, err := s.pg.CreateAttempt(ctx, a)
	if err != nil {
		return nil, dbErr(err)
	}
	if !created {
		if stored, err = s.settled(ctx, stored); err != nil {
			return nil, err
		}
	}
	return s.load(ctx, stored, sid, !created)
}

// settled returns an attempt that PostgreSQL holds as it is once the
// grader has caught up with the log (waiting at most SyncWait): Redis lost
// it, and the log may hold its submission and answers, or a reopen of its
// submission, that the database does not have yet.
func (s *Store) settled(ctx context.Context, a *examhall.Attempt) (*examhall.Attempt, error) {
	s.catchUp(ctx)
	a, err := s.pg.Attempt(ctx, a.ID)
	return a, dbErr(err)
}

// load puts an attempt from PostgreSQL into Redis. An attempt that existed
// before (Redis lost it) gets its drafts back from what the grader kept,
// and stays marked rebuilt, so that reads complete them from PostgreSQL
// until the grader has caught up.
func (s *Store) load(ctx context.Context, a *examhall.Attempt, sid string, rebuilt bool) (*examhall.Attempt, error) {
	out, _, err := s.rd.PutAttempt(ctx, a, sid, rebuilt)
	if err != nil {
		return nil, err
	}
	if rebuilt {
		d, err := s.pg.Drafts(ctx, a.ID)
		if err != nil {
			return nil, dbErr(err)
		}
		if err := s.rd.Restore(ctx, a.ID, d); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Attempt implements examhall.AttemptStore: from Redis, or rebuilt there
// from PostgreSQL without a live session (its candidate logs in again).
func (s *Store) Attempt(ctx context.Context, id string) (*examhall.Attempt, error) {
	a, _, err := s.attempt(ctx, id)
	return a, err
}

func (s *Store) attempt(ctx context.Context, id string) (*examhall.Attempt, bool, error) {
	a, rebuilt, err := s.rd.Attempt(ctx, id)
	if examhall.ErrorCode(err) != examhall.ENotFound {
		return a, rebuilt, err
	}
	stored, err := s.pg.Attempt(ctx, id)
	if err != nil {
		return nil, false, dbErr(err)
	}
	if stored, err = s.settled(ctx, stored); err != nil {
		return nil, false, err
	}
	a, err = s.load(ctx, stored, "", true)
	return a, true, err
}

// Attempts implements examhall.AttemptStore, from PostgreSQL once the
// grader has caught up.
func (s *Store) Attempts(ctx context.Context, exam string) ([]*examhall.Attempt, error) {
	s.catchUp(ctx)
	return s.pg.Attempts(ctx, exam)
}

// ClaimDue implements examhall.AttemptStore with the deadline index in
// Redis: a claim hides the attempts from other pods for ClaimLease. An
// empty (flushed) Redis has its index rebuilt from PostgreSQL first.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int) ([]string, error) {
	if err := s.rebuildIndex(ctx); err != nil {
		return nil, err
	}
	return s.rd.ClaimDue(ctx, now, limit, s.cfg.ClaimLease)
}

func (s *Store) rebuildIndex(ctx context.Context) error {
	ok, err := s.rd.ClaimRebuild(ctx)
	if err != nil || !ok {
		return err
	}
	due := make(map[string]time.Time)
	err = s.pg.OpenAttempts(ctx, func(id string, t time.Time) error {
		due[id] = t
		if len(due) == 10000 {
			if err := s.rd.IndexDue(ctx, due); err != nil {
				return err
			}
			clear(due)
		}
		return nil
	})
	if err == nil {
		err = s.rd.IndexDue(ctx, due)
	}
	return dbErr(err)
}

// Extend implements examhall.AttemptStore.
func (s *Store) Extend(ctx context.Context, id string, deadline, due time.Time) error {
	if _, err := s.Attempt(ctx, id); err != nil {
		return err
	}
	if err := s.rd.Extend(ctx, id, deadline, due); err != nil {
		return err
	}
	return dbErr(s.pg.Extend(ctx, id, deadline, due))
}

// Reopen implements examhall.AttemptStore. Under the attempt's submission
// lock, the reopen goes to the log first, keyed by the attempt as its
// saves and submissions are, so that the grader applies it in order:
// after the submission it sets aside, before the saves and the submission
// that follow. Then Redis has the attempt in progress again. If Redis
// fails after the log took the reopen, the request fails; repeating it
// logs the same reopen again (the grader applies a reopen once per
// submission: its generation) and finishes it in Redis.
func (s *Store) Reopen(ctx context.Context, id string, deadline, due time.Time) (*examhall.Attempt, error) {
	unlock, err := s.lock(ctx, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	a, _, err := s.attempt(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Status != examhall.Submitted {
		return nil, examhall.Errorf(examhall.EAttemptNotSubmitted, "Attempt %q is not submitted; only a submitted attempt can be reopened.", id)
	}
	ev := &kafka.Event{Kind: kafka.KindReopen, Exam: a.Exam, Attempt: id, Candidate: a.Candidate, At: s.cfg.Now().UTC(),
		Receipt: a.Receipt, Generation: a.Reopens, Deadline: deadline.UTC(), Due: due.UTC()}
	if err := s.log.Append(ctx, ev); err != nil {
		return nil, err
	}
	if err := s.rd.ReopenSubmitted(ctx, id, deadline, due, a.Reopens); err != nil {
		return nil, err
	}
	return a, nil
}

// CountAttempts implements examhall.AttemptCounter from PostgreSQL.
func (s *Store) CountAttempts(ctx context.Context, now time.Time) (map[string]int, error) {
	return s.pg.CountAttempts(ctx, now)
}

// Activity implements examhall.ActivityStore from PostgreSQL once the
// grader has caught up.
func (s *Store) Activity(ctx context.Context, exam string) (map[string]examhall.Activity, error) {
	s.catchUp(ctx)
	m, err := s.pg.Activity(ctx, exam)
	return m, dbErr(err)
}

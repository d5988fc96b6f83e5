package scale

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"examhall"
	"examhall/kafka"
)

// Save implements examhall.AnswerStore: the answers go to the log first
// (acks=all), then to Redis with the seq rule. If the broker fails nothing
// is acknowledged; if Redis fails after the broker took them, the client
// retries and the repeated event changes nothing.
func (s *Store) Save(ctx context.Context, id string, answers []examhall.Answer) ([]examhall.Saved, error) {
	ev := &kafka.Event{Kind: kafka.KindSave, Attempt: id, At: s.cfg.Now().UTC(), Answers: answers}
	if err := s.log.Append(ctx, ev); err != nil {
		return nil, err
	}
	return s.rd.Apply(ctx, id, answers)
}

// Submit implements examhall.AnswerStore. One submission of an attempt
// runs at a time (a lock in Redis), so the submission the log records
// first is the one Redis seals and the candidate's receipt names. The
// attempt is closed to saves before its answers are read (CloseAttempt), so every
// acknowledged save is in the submission.
func (s *Store) Submit(ctx context.Context, id string, final []examhall.Answer, at time.Time, auto bool, seal func(*examhall.Submission)) (*examhall.Submission, bool, error) {
	unlock, err := s.lock(ctx, id)
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	a, rebuilt, err := s.attempt(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if a.Status == examhall.Submitted {
		answers, err := s.answers(ctx, id, rebuilt)
		if err != nil {
			return nil, false, err
		}
		return &examhall.Submission{Attempt: id, SubmittedAt: a.SubmittedAt, Auto: a.Auto, Answers: answers, Receipt: a.Receipt}, false, nil
	}
	// Closing the attempt and reading its drafts is one step in Redis:
	// a save is in the drafts read here, or refused (see redis.CloseAttempt).
	answers, err := s.rd.CloseAttempt(ctx, id)
	if err != nil {
		return nil, false, err
	}
	// Until the submission is on the log, a failure reopens the attempt;
	// once it is, the attempt stays closing (saves refused) until a retry
	// seals it: the logged answer set is final for the grader.
	logged := false
	defer func() {
		if !logged {
			s.rd.Reopen(context.WithoutCancel(ctx), id)
		}
	}()
	if rebuilt || len(answers) == 0 {
		kept, err := s.pg.Drafts(ctx, id)
		if err != nil {
			return nil, false, dbErr(err)
		}
		examhall.KeepSet(answers, kept)
	}
	examhall.Merge(answers, final)
	sub := &examhall.Submission{Attempt: id, SubmittedAt: at.UTC().Truncate(time.Millisecond), Auto: auto, Answers: answers}
	seal(sub)
	list := make([]examhall.Answer, 0, len(answers))
	for _, v := range answers {
		list = append(list, v)
	}
	ev := &kafka.Event{Kind: kafka.KindSubmit, Exam: a.Exam, Attempt: id, Candidate: a.Candidate,
		At: sub.SubmittedAt, Answers: list, Auto: auto, Receipt: sub.Receipt, Generation: a.Reopens}
	if err := s.log.Append(ctx, ev); err != nil {
		return nil, false, err
	}
	logged = true
	if err := s.rd.Seal(ctx, sub, list); err != nil {
		return nil, false, err
	}
	return sub, true, nil
}

// lock takes the submission lock of an attempt, waiting at most LockWait.
func (s *Store) lock(ctx context.Context, id string) (func(), error) {
	b := make([]byte, 12)
	rand.Read(b)
	token := hex.EncodeToString(b)
	ttl := s.cfg.LockWait + 10*time.Second
	deadline := time.Now().Add(s.cfg.LockWait)
	for {
		ok, err := s.rd.Lock(ctx, id, token, ttl)
		if err != nil {
			return nil, err
		}
		if ok {
			return func() { s.rd.Unlock(context.WithoutCancel(ctx), id, token) }, nil
		}
		if time.Now().After(deadline) {
			return nil, examhall.Errorf(examhall.EUnavailable, "This attempt is being submitted; retry shortly.")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Answers implements examhall.AnswerStore: the drafts in Redis, completed
// from those the grader kept when Redis lost the attempt.
func (s *Store) Answers(ctx context.Context, id string) (map[string]examhall.Answer, error) {
	d, complete, err := s.rd.Drafts(ctx, id)
	if err != nil || complete {
		return d, err
	}
	// Not in Redis (rebuilt there now), rebuilt before, or drafts lost.
	_, rebuilt, err := s.attempt(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.answers(ctx, id, rebuilt)
}

// Pick implements examhall.AnswerPicker: from Redis when it holds all of
// the attempt's drafts, else from every answer.
func (s *Store) Pick(ctx context.Context, id string, keys []string) (map[string]examhall.Answer, error) {
	d, complete, err := s.rd.Pick(ctx, id, keys)
	if err != nil || complete {
		return d, err
	}
	all, err := s.Answers(ctx, id)
	if err != nil {
		return nil, err
	}
	return examhall.PickAnswers(all, keys), nil
}

func (s *Store) answers(ctx context.Context, id string, rebuilt bool) (map[string]examhall.Answer, error) {
	d, complete, err := s.rd.Drafts(ctx, id)
	if err != nil || (!rebuilt && complete) {
		return d, err
	}
	// Rebuilt from the database, or no drafts at all (perhaps evicted):
	// complete them from what the grader kept.
	kept, err := s.pg.Drafts(ctx, id)
	if err != nil {
		return nil, dbErr(err)
	}
	examhall.KeepSet(d, kept)
	return d, nil
}

// ExamAnswers implements examhall.AnswerStore, from PostgreSQL once the
// grader has caught up; EUnavailable if it does not within SyncWait.
func (s *Store) ExamAnswers(ctx context.Context, exam string, fn func(string, map[string]examhall.Answer) error) error {
	if err := s.complete(ctx); err != nil {
		return err
	}
	return s.pg.ExamDrafts(ctx, exam, fn)
}

// Record implements examhall.AuditLog: to the audit topic.
func (s *Store) Record(ctx context.Context, ev *examhall.Event) error { return s.log.Record(ctx, ev) }

// Events implements examhall.AuditLog, from PostgreSQL once the grader has
// caught up.
func (s *Store) Events(ctx context.Context, exam, attempt string, limit int) ([]*examhall.Event, error) {
	s.catchUp(ctx)
	return s.pg.Events(ctx, exam, attempt, limit)
}

package hall

import (
	"context"
	"crypto/hmac"
	"time"

	"examhall"
)

// Login checks a candidate's access code and returns a token bound to the
// candidate's one attempt, starting the attempt on the first login. A newer
// login retires the tokens of older ones. Wrong exam, candidate or code are
// one error, EInvalidCredentials, so that none of them can be probed.
func (h *Hall) Login(ctx context.Context, req *examhall.LoginRequest) (*examhall.LoginResult, error) {
	exam, candidate, code := req.Exam, req.Candidate, req.Code
	if exam == "" || candidate == "" || code == "" {
		return nil, examhall.Errorf(examhall.EBadRequest, "exam, candidate and code are all required.")
	}
	if len(exam) > 64 || len(candidate) > 64 || len(code) > 64 {
		return nil, badCredentials()
	}
	if err := h.limit(ctx, "login:"+exam+"\x00"+candidate, h.cfg.LoginLimit, h.cfg.LoginWindow); err != nil {
		if isCode(err, examhall.ERateLimited) {
			h.stats.loginLimited()
		}
		return nil, err
	}
	c, err := h.b.Candidates.Candidate(ctx, exam, candidate)
	if isCode(err, examhall.ENotFound) {
		h.stats.loginFailed()
		return nil, badCredentials()
	} else if err != nil {
		return nil, err
	}
	if !hmac.Equal(c.CodeHash, h.keys.CodeHash(exam, candidate, examhall.NormalizeCode(code))) {
		h.stats.loginFailed()
		return nil, badCredentials()
	}
	e, err := h.exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	e = e.For(c)
	now := h.Now()
	id := h.keys.AttemptID(exam, candidate)
	// While the exam is open, Begin finds the attempt or starts this one:
	// one store call at the exam start. Outside the window only an
	// existing attempt may be resumed (to see a receipt or a result).
	var a *examhall.Attempt
	if e.IsOpen(now) {
		a = examhall.NewAttempt(id, e, c, now)
	} else if a, err = h.b.Attempts.Attempt(ctx, id); isCode(err, examhall.ENotFound) {
		return nil, notOpen(e, now)
	} else if err != nil {
		return nil, err
	}
	sid := newSessionID()
	if a, err = h.b.Attempts.Begin(ctx, a, sid); err != nil {
		return nil, err
	}
	h.stats.loginOK(exam)
	h.audit(ctx, &examhall.Event{Kind: "login", Exam: exam, Attempt: a.ID, Candidate: candidate})
	ttl := a.Due.Sub(now)
	if ttl < 0 {
		ttl = 0
	}
	tc := &claims{Kind: kindCandidate, Attempt: a.ID, Exam: exam, Session: sid}
	tc.Subject = candidate
	tok, err := h.sign(tc, now, ttl+12*time.Hour)
	if err != nil {
		return nil, err
	}
	return &examhall.LoginResult{
		Token: tok, Attempt: a.ID, StartedAt: a.StartedAt, Deadline: a.Deadline, ServerTime: now,
		Status: a.Status, Exam: exam, Candidate: candidate,
	}, nil
}

func badCredentials() error {
	return examhall.Errorf(examhall.EInvalidCredentials, "The exam, candidate id or access code is not right.")
}

func notOpen(e *examhall.Exam, now time.Time) error {
	if from := e.SignInFrom(); from != nil && now.Before(*from) {
		if e.LobbySeconds > 0 {
			return examhall.Errorf(examhall.EExamNotOpen, "This exam opens at %s; you can sign in from %s.", e.OpensAt.Format(time.RFC3339), from.Format(time.RFC3339))
		}
		return examhall.Errorf(examhall.EExamNotOpen, "This exam opens at %s.", e.OpensAt.Format(time.RFC3339))
	}
	return examhall.Errorf(examhall.EExamNotOpen, "This exam closed at %s.", e.ClosesAt.Format(time.RFC3339))
}

// limit counts one event against a rate limit and returns ERateLimited,
// carrying the wait, once it is exceeded.
func (h *Hall) limit(ctx context.Context, key string, n int, window time.Duration) error {
	if h.b.Limiter == nil {
		return nil
	}
	ok, wait, err := h.b.Limiter.Allow(ctx, key, n, window)
	if err != nil {
		return err
	}
	if !ok {
		secs := int(wait.Round(time.Second) / time.Second)
		if secs < 1 {
			secs = 1
		}
		return &examhall.RetryError{Err: examhall.Errorf(examhall.ERateLimited, "Too many attempts; try again in %d seconds.", secs), After: wait}
	}
	return nil
}

func (h *Hall) audit(ctx context.Context, ev *examhall.Event) {
	if h.b.Audit == nil {
		return
	}
	ev.At = h.Now()
	if err := h.b.Audit.Record(ctx, ev); err != nil {
		h.log.Warn("audit record failed", "kind", ev.Kind, "err", err)
	}
}

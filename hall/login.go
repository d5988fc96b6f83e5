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
	keys := h.failureKeys(ctx, "candidate")
	if err := h.checkFailures(ctx, keys); err != nil {
		if isCode(err, examhall.ERateLimited) {
			h.stats.loginLimited()
		}
		return nil, err
	}
	fail := func() error {
		h.stats.loginFailed()
		h.countFailure(ctx, keys)
		return badCredentials()
	}
	if len(exam) > 64 || len(candidate) > 64 || len(code) > 64 {
		return nil, fail()
	}
	c, err := h.b.Candidates.Candidate(ctx, exam, candidate)
	if isCode(err, examhall.ENotFound) {
		return nil, fail()
	} else if err != nil {
		return nil, err
	}
	if !hmac.Equal(c.CodeHash, h.keys.CodeHash(exam, candidate, examhall.NormalizeCode(code))) {
		return nil, fail()
	}
	e, err := h.exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	return h.begin(ctx, e, c)
}

// begin starts or resumes the attempt of a candidate whose credentials
// were checked (an access code, or an LTI launch) and returns its token.
func (h *Hall) begin(ctx context.Context, e *examhall.Exam, c *examhall.Candidate) (*examhall.LoginResult, error) {
	if err := examhall.CheckSEB(ctx, e); err != nil {
		return nil, err
	}
	e = e.For(c)
	exam, candidate := e.ID, c.ID
	now := h.Now()
	id := h.keys.AttemptID(exam, candidate)
	var err error
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
	h.recordExtra(ctx, e, a, c)
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

func (h *Hall) audit(ctx context.Context, ev *examhall.Event) {
	if h.b.Audit == nil {
		return
	}
	ev.At = h.Now()
	if p := examhall.PeerFrom(ctx); p != nil {
		// Where it came from: the client's address and user agent.
		from := "from " + p.Addr.String()
		if p.UserAgent != "" {
			from += " (" + p.UserAgent + ")"
		}
		if ev.Detail != "" {
			ev.Detail += "; "
		}
		ev.Detail += from
	}
	if err := h.b.Audit.Record(ctx, ev); err != nil {
		h.log.Warn("audit record failed", "kind", ev.Kind, "err", err)
	}
}

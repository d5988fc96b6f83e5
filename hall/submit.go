package hall

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"sort"
	"strconv"
	"time"

	"examhall"
)

// Submit seals the candidate's attempt with an optional final batch of
// answers. It is idempotent: submitting again returns the same receipt, as
// long as the repeated request brings no newer answer (a retried request
// brings none). Late submissions are refused with EAttemptClosed, and the
// attempt is then submitted automatically with what was saved in time.
func (h *Hall) Submit(ctx context.Context, id string, final []examhall.Answer) (*examhall.SubmitResult, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := h.checkAnswers(e, a, final); err != nil {
		return nil, err
	}
	now := h.Now()
	if a.Status == examhall.InProgress && !now.After(a.Due) {
		if err := h.checkSections(ctx, e, a, answerQuestions(final)); err != nil {
			return nil, err
		}
	}
	if a.Status == examhall.InProgress && a.InLobby(now) {
		return nil, a.CheckOpen(now)
	}
	if a.Status == examhall.InProgress && now.After(a.Due) {
		if _, err := h.autoSubmit(ctx, a); err != nil {
			return nil, err
		}
		return nil, a.CheckOpen(now)
	}
	sub, created, err := h.b.Answers.Submit(ctx, id, final, now, false, h.seal)
	if err != nil {
		return nil, sessionEnded(err)
	}
	if created {
		h.stats.submitted(a.Exam, false)
		h.audit(ctx, &examhall.Event{Kind: "submit", Exam: a.Exam, Attempt: id, Candidate: a.Candidate})
		h.gradeDue(ctx, a)
	} else if newer(sub.Answers, final) {
		return nil, examhall.Errorf(examhall.EAttemptClosed, "This attempt was already submitted at %s; it cannot change.", sub.SubmittedAt.Format(time.RFC3339))
	}
	return &examhall.SubmitResult{Status: examhall.Submitted, SubmittedAt: sub.SubmittedAt, Receipt: sub.Receipt, Auto: sub.Auto}, nil
}

// newer reports whether the seq rule would apply any answer of batch over
// the stored ones.
func newer(stored map[string]examhall.Answer, batch []examhall.Answer) bool {
	for _, a := range batch {
		if s, ok := stored[a.Question]; examhall.Newer(a.Seq, s.Seq, ok) {
			return true
		}
	}
	return false
}

// autoSubmit submits an overdue attempt with what was saved, recording the
// deadline, not the present, as its submission time.
func (h *Hall) autoSubmit(ctx context.Context, a *examhall.Attempt) (*examhall.Submission, error) {
	sub, created, err := h.b.Answers.Submit(ctx, a.ID, nil, a.Deadline, true, h.seal)
	if err != nil {
		return nil, err
	}
	if created {
		h.stats.submitted(a.Exam, true)
		h.audit(ctx, &examhall.Event{Kind: "auto_submit", Exam: a.Exam, Attempt: a.ID, Candidate: a.Candidate})
		h.gradeDue(ctx, a)
	}
	return sub, nil
}

// seal fills in the receipt of a submission.
func (h *Hall) seal(s *examhall.Submission) {
	s.Receipt = h.Receipt(s)
}

// Receipt returns the signed digest of a submission's attempt, time and
// final answers: "r1." and 43 characters of base64url. The same submission
// always gives the same receipt, so a candidate's copy can be checked
// against the stored record.
func (h *Hall) Receipt(s *examhall.Submission) string {
	m := hmac.New(sha256.New, h.keys.receipt)
	m.Write([]byte("examhall receipt v1\n" + s.Attempt + "\n" + s.SubmittedAt.UTC().Format(time.RFC3339Nano) + "\n"))
	qs := make([]string, 0, len(s.Answers))
	for q := range s.Answers {
		qs = append(qs, q)
	}
	sort.Strings(qs)
	for _, q := range qs {
		a := s.Answers[q]
		m.Write([]byte(q + "\t"))
		m.Write([]byte(strconv.FormatInt(a.Seq, 10) + "\t"))
		m.Write(a.Response)
		m.Write([]byte("\n"))
	}
	return "r1." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

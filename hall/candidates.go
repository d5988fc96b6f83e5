package hall

import (
	"context"
	"fmt"
	"strings"

	"examhall"
)

// IssueCodes issues access codes to the named candidates, or to count new
// candidates with random ids. Issuing a code to an
// existing candidate replaces the old code, which stops working.
func (h *Hall) IssueCodes(ctx context.Context, exam string, req *examhall.IssueRequest) (*examhall.IssuedCodes, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleAuthor, examhall.RoleProctor)
	if err != nil {
		return nil, err
	}
	count := req.Count
	specs := make([]examhall.CandidateSpec, len(req.Candidates))
	for i, s := range req.Candidates {
		if s.ExtraSeconds == 0 {
			s.ExtraSeconds = req.ExtraSeconds
		}
		specs[i] = s
	}
	if (len(specs) == 0) == (count == 0) {
		return nil, examhall.Errorf(examhall.EBadRequest, "Give either candidates (a list of ids) or count (a number), not both.")
	}
	if count < 0 || count > examhall.MaxIssue || len(specs) > examhall.MaxIssue {
		return nil, examhall.Errorf(examhall.EBadRequest, "Between 1 and %d candidates may be issued at once.", examhall.MaxIssue)
	}
	if _, err := h.b.Exams.Exam(ctx, exam); err != nil {
		return nil, err
	}
	if who.Role == examhall.RoleProctor {
		// A proctor re-issues codes to candidates who lost theirs; adding
		// candidates is an author's.
		if count > 0 {
			return nil, examhall.Errorf(examhall.EForbidden, "Your role (proctor) may re-issue codes to existing candidates, not add candidates.")
		}
		for _, s := range specs {
			if _, err := h.b.Candidates.Candidate(ctx, exam, s.ID); isCode(err, examhall.ENotFound) {
				return nil, examhall.Errorf(examhall.EForbidden, "Your role (proctor) may re-issue codes to existing candidates; %q is not one.", s.ID)
			} else if err != nil {
				return nil, err
			}
		}
	}
	if count > 0 {
		if specs, err = h.numbered(ctx, exam, count); err != nil {
			return nil, err
		}
	}
	seen := make(map[string]bool, len(specs))
	for i, s := range specs {
		if !examhall.ValidID(s.ID) {
			return nil, examhall.Errorf(examhall.EBadRequest, "candidates[%d]: %q is not a valid candidate id (1-64 letters, digits, '.', '_', ':' or '-').", i, s.ID)
		}
		if seen[s.ID] {
			return nil, examhall.Errorf(examhall.EBadRequest, "candidates[%d]: %q is listed twice.", i, s.ID)
		}
		if s.ExtraSeconds < 0 || s.ExtraSeconds > 7*24*3600 {
			return nil, examhall.Errorf(examhall.EBadRequest, "candidates[%d]: extra_time_seconds must be between 0 and 604800.", i)
		}
		seen[s.ID] = true
	}
	now := h.Now()
	cs := make([]*examhall.Candidate, len(specs))
	out := make([]examhall.IssuedCode, len(specs))
	for i, s := range specs {
		code := examhall.NewAccessCode()
		cs[i] = &examhall.Candidate{
			Exam: exam, ID: s.ID, ExtraSeconds: s.ExtraSeconds, CreatedAt: now,
			CodeHash: h.keys.CodeHash(exam, s.ID, examhall.NormalizeCode(code)),
		}
		out[i] = examhall.IssuedCode{Candidate: s.ID, Code: code, ExtraSeconds: s.ExtraSeconds}
	}
	if err := h.b.Candidates.PutCandidates(ctx, exam, cs); err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "codes_issued", Exam: exam, Actor: who.Staff, Detail: fmt.Sprintf("%d candidates", len(cs))})
	return &examhall.IssuedCodes{Candidates: out}, nil
}

// numbered returns count new candidate ids drawn at random, such as
// "c-7KQM2XHD": ids are not secrets, but sequential ones told anyone with
// one id every other, which is all an attacker needed to aim at each
// candidate in turn.
func (h *Hall) numbered(ctx context.Context, exam string, count int) ([]examhall.CandidateSpec, error) {
	existing, err := h.b.Candidates.Candidates(ctx, exam)
	if err != nil {
		return nil, err
	}
	used := make(map[string]bool, len(existing)+count)
	for _, c := range existing {
		used[c.ID] = true
	}
	specs := make([]examhall.CandidateSpec, 0, count)
	for len(specs) < count {
		id := "c-" + strings.ReplaceAll(examhall.NewAccessCode()[:9], "-", "")
		if !used[id] {
			used[id] = true
			specs = append(specs, examhall.CandidateSpec{ID: id})
		}
	}
	return specs, nil
}

// SetExtraTime implements examhall.StaffService.
func (h *Hall) SetExtraTime(ctx context.Context, exam, candidate string, seconds int) (*examhall.Candidate, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleProctor)
	if err != nil {
		return nil, err
	}
	if seconds < 0 || seconds > 7*24*3600 {
		return nil, examhall.Errorf(examhall.EBadRequest, "extra_time_seconds must be between 0 and 604800.")
	}
	c, err := h.b.Candidates.Candidate(ctx, exam, candidate)
	if err != nil {
		return nil, err
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	c.ExtraSeconds = seconds
	if err := h.b.Candidates.PutCandidates(ctx, exam, []*examhall.Candidate{c}); err != nil {
		return nil, err
	}
	a, err := h.b.Attempts.Attempt(ctx, h.keys.AttemptID(exam, candidate))
	if err == nil && a.Status == examhall.InProgress {
		deadline := e.Deadline(a.StartedAt, c.ExtraTime())
		if e.Timed() {
			if deadline, err = h.sectionExtra(ctx, e, a, c.ExtraTime()); err != nil {
				return nil, err
			}
		}
		if err := h.b.Attempts.Extend(ctx, a.ID, deadline, deadline.Add(e.Grace())); err != nil && !isCode(err, examhall.EAttemptClosed) {
			return nil, err
		}
	} else if err != nil && !isCode(err, examhall.ENotFound) {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "extra_time_set", Exam: exam, Candidate: candidate, Actor: who.Staff, Detail: fmt.Sprintf("%d s", seconds)})
	return c, nil
}

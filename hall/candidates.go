package hall

import (
	"context"
	"fmt"
	"strings"
	"time"

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
			if s.Row > 0 || s.Name != "" || s.Email != "" || s.OpensAt != nil || s.ClosesAt != nil {
				return nil, examhall.Errorf(examhall.EForbidden, "Your role (proctor) may re-issue codes to existing candidates, not import candidates from a file or set who they are.")
			}
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
	where := func(i int) string {
		if specs[i].Row > 0 {
			return fmt.Sprintf("row %d", specs[i].Row)
		}
		return fmt.Sprintf("candidates[%d]", i)
	}
	seen := make(map[string]int, len(specs))
	for i, s := range specs {
		if !examhall.ValidID(s.ID) {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s: %q is not a valid candidate id (1-64 letters, digits, '.', '_', ':' or '-').", where(i), s.ID)
		}
		if j, ok := seen[s.ID]; ok {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s: %q is listed twice (also %s).", where(i), s.ID, where(j))
		}
		if s.ExtraSeconds < 0 || s.ExtraSeconds > 7*24*3600 {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s: extra_time_seconds must be between 0 and 604800.", where(i))
		}
		if err := checkPerson(&s.Name, &s.Email); err != nil {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s: %s", where(i), examhall.ErrorMessage(err))
		}
		if s.OpensAt != nil && s.ClosesAt != nil && !s.OpensAt.Before(*s.ClosesAt) {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s: closes_at must be after opens_at.", where(i))
		}
		seen[s.ID] = i
	}
	now := h.Now()
	cs := make([]*examhall.Candidate, len(specs))
	out := make([]examhall.IssuedCode, len(specs))
	for i, s := range specs {
		code := examhall.NewAccessCode()
		cs[i] = &examhall.Candidate{
			Exam: exam, ID: s.ID, ExtraSeconds: s.ExtraSeconds, CreatedAt: now,
			Name: s.Name, Email: s.Email, OpensAt: utcPtr(s.OpensAt), ClosesAt: utcPtr(s.ClosesAt),
			CodeHash: h.keys.CodeHash(exam, s.ID, examhall.NormalizeCode(code)),
		}
		out[i] = examhall.IssuedCode{Candidate: s.ID, Code: code, ExtraSeconds: s.ExtraSeconds, Name: s.Name}
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
	return h.UpdateCandidate(ctx, exam, candidate, &examhall.CandidateUpdate{ExtraSeconds: &seconds})
}

// UpdateCandidate implements examhall.StaffService.
func (h *Hall) UpdateCandidate(ctx context.Context, exam, candidate string, req *examhall.CandidateUpdate) (*examhall.Candidate, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleProctor, examhall.RoleAuthor)
	if err != nil {
		return nil, err
	}
	if who.Role == examhall.RoleAuthor && (req.ExtraSeconds != nil || req.OpensAt.Set || req.ClosesAt.Set) {
		// Who a candidate is, is the author's; their time, the proctor's.
		return nil, examhall.Errorf(examhall.EForbidden, "Your role (author) may change a candidate's name and email; extra time and their own window are a proctor's.")
	}
	if req.ExtraSeconds == nil && req.Name == nil && req.Email == nil && !req.OpensAt.Set && !req.ClosesAt.Set {
		return nil, examhall.Errorf(examhall.EBadRequest, "Give at least one of extra_time_seconds, opens_at, closes_at, name and email.")
	}
	if n := req.ExtraSeconds; n != nil && (*n < 0 || *n > 7*24*3600) {
		return nil, examhall.Errorf(examhall.EBadRequest, "extra_time_seconds must be between 0 and 604800.")
	}
	if err := checkPerson(req.Name, req.Email); err != nil {
		return nil, err
	}
	c, err := h.b.Candidates.Candidate(ctx, exam, candidate)
	if err != nil {
		return nil, err
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	var changed []string
	if req.ExtraSeconds != nil {
		c.ExtraSeconds = *req.ExtraSeconds
		changed = append(changed, "extra_time_seconds="+seconds(c.ExtraSeconds))
	}
	if req.Name != nil {
		c.Name = *req.Name
		changed = append(changed, "name")
	}
	if req.Email != nil {
		c.Email = *req.Email
		changed = append(changed, "email")
	}
	if req.OpensAt.Set {
		c.OpensAt = utcPtr(req.OpensAt.Time)
		changed = append(changed, "opens_at="+timeOrNone(c.OpensAt))
	}
	if req.ClosesAt.Set {
		c.ClosesAt = utcPtr(req.ClosesAt.Time)
		changed = append(changed, "closes_at="+timeOrNone(c.ClosesAt))
	}
	own := e.For(c)
	if own.OpensAt != nil && own.ClosesAt != nil && !own.OpensAt.Before(*own.ClosesAt) {
		return nil, examhall.Errorf(examhall.EBadRequest, "closes_at: must be after opens_at (the candidate's own, or the exam's).")
	}
	if err := h.b.Candidates.PutCandidates(ctx, exam, []*examhall.Candidate{c}); err != nil {
		return nil, err
	}
	a, err := h.b.Attempts.Attempt(ctx, h.keys.AttemptID(exam, candidate))
	if err == nil && a.Status == examhall.InProgress {
		deadline := e.DeadlineFor(a.StartedAt, c)
		if e.Timed() {
			deadline, err = h.sectionExtra(ctx, e.For(c), a, c.ExtraTime())
		}
		if err == nil {
			err = h.b.Attempts.Extend(ctx, a.ID, deadline, deadline.Add(e.Grace()))
		}
		if err != nil && !isCode(err, examhall.EAttemptClosed) {
			return nil, err
		}
		changed = append(changed, "deadline="+deadline.Format(time.RFC3339))
	} else if err != nil && !isCode(err, examhall.ENotFound) {
		return nil, err
	}
	kind := "candidate_changed"
	if len(changed) == 1 && req.ExtraSeconds != nil {
		kind = "extra_time_set"
	}
	h.audit(ctx, &examhall.Event{Kind: kind, Exam: exam, Candidate: candidate, Actor: who.Staff, Detail: strings.Join(changed, " ")})
	return c, nil
}

// checkPerson checks a candidate's name and email as staff give them.
func checkPerson(name, email *string) error {
	if name != nil && (len(*name) > 200 || strings.ContainsAny(*name, "\r\n\t")) {
		return examhall.Errorf(examhall.EBadRequest, "name: at most 200 bytes on one line.")
	}
	if email != nil && *email != "" && (len(*email) > 254 || !strings.Contains(*email, "@") || strings.ContainsAny(*email, " \r\n\t")) {
		return examhall.Errorf(examhall.EBadRequest, "email: %q is not an email address.", *email)
	}
	return nil
}

func timeOrNone(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.Format(time.RFC3339)
}

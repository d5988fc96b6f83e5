package hall

import (
	"context"

	"sort"

	"examhall"
)

// AttemptList implements examhall.StaffService: one line per candidate,
// with their attempt's state and activity.
func (h *Hall) AttemptList(ctx context.Context, exam, status string) (*examhall.AttemptList, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleProctor, examhall.RoleMarker, examhall.RoleViewer); err != nil {
		return nil, err
	}
	switch examhall.AttemptStatus(status) {
	case "", examhall.InProgress, examhall.Submitted, examhall.NotStarted:
	default:
		return nil, examhall.Errorf(examhall.EBadRequest, "status: must be in_progress, submitted or not_started, not %q.", status)
	}
	e, cands, attempts, err := h.roll(ctx, exam)
	if err != nil {
		return nil, err
	}
	answered := make(map[string]int, len(attempts))
	err = h.b.Answers.ExamAnswers(ctx, exam, func(id string, as map[string]examhall.Answer) error {
		n := 0
		for _, a := range as {
			if len(a.Response) > 0 && string(a.Response) != "null" {
				n++
			}
		}
		answered[id] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	var act map[string]examhall.Activity
	if s, ok := h.b.Attempts.(examhall.ActivityStore); ok {
		if act, err = s.Activity(ctx, exam); err != nil {
			return nil, err
		}
	}
	now := h.Now()
	byCand := make(map[string]*examhall.Attempt, len(attempts))
	for _, a := range attempts {
		byCand[a.Candidate] = a
	}
	out := &examhall.AttemptList{ServerTime: now, Attempts: []examhall.AttemptInfo{}}
	for _, c := range cands {
		info := examhall.AttemptInfo{Candidate: c.ID, Name: c.Name, ExtraSeconds: c.ExtraSeconds, Status: examhall.NotStarted}
		if a := byCand[c.ID]; a != nil {
			x := act[a.ID]
			info.Attempt, info.Status, info.StartedAt, info.Deadline = a.ID, a.Status, a.StartedAt, a.Deadline
			info.SubmittedAt, info.Auto, info.Reopens = a.SubmittedAt, a.Auto, a.Reopens
			info.Answered, info.Questions = answered[a.ID], len(e.PaperQuestionIDs(a.ID))
			info.Saves, info.Logins, info.LastSaveAt = x.Saves, x.Logins, x.LastSaveAt
			info.Overdue = a.Status == examhall.InProgress && now.After(a.Due)
		}
		if status == "" || string(info.Status) == status {
			out.Attempts = append(out.Attempts, info)
		}
	}
	sort.SliceStable(out.Attempts, func(i, j int) bool { return out.Attempts[i].Candidate < out.Attempts[j].Candidate })
	return out, nil
}

// roll reads an exam with its candidates and their attempts.
func (h *Hall) roll(ctx context.Context, exam string) (*examhall.Exam, []*examhall.Candidate, []*examhall.Attempt, error) {
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, nil, nil, err
	}
	cands, err := h.b.Candidates.Candidates(ctx, exam)
	if err != nil {
		return nil, nil, nil, err
	}
	attempts, err := h.b.Attempts.Attempts(ctx, exam)
	if err != nil {
		return nil, nil, nil, err
	}
	return e, cands, attempts, nil
}

package loadtest

import (
	"context"
	"fmt"
	"time"

	"examhall"
	"examhall/client"
)

// Verdict is the integrity check: every acknowledged answer must be in the
// final record, and every attempt submitted (by its candidate or by the
// server at the deadline) and graded.
type Verdict struct {
	Checked       bool `json:"checked"`
	Attempts      int  `json:"attempts"`
	Answers       int  `json:"checked_answers"` // acknowledged answers compared
	LostAnswers   int  `json:"lost_answers"`
	Submitted     int  `json:"submitted"`      // by the candidate
	AutoSubmitted int  `json:"auto_submitted"` // by the server
	// Ungraded counts attempts that are not submitted and graded after the
	// exam closed, or missing from the results.
	Ungraded int `json:"ungraded"`
	// StalePapers counts reloads that showed an older answer than one
	// already acknowledged.
	StalePapers int      `json:"stale_papers"`
	Examples    []string `json:"examples,omitempty"` // the first problems found
	Note        string   `json:"note,omitempty"`     // why it was not checked
}

// OK reports whether the verdict found nothing wrong.
func (v *Verdict) OK() bool {
	return v.Checked && v.LostAnswers == 0 && v.Ungraded == 0 && v.StalePapers == 0
}

// Judge waits until the exam has closed (at most wait), fetches the results
// through the staff API and checks them against the candidates' ledgers.
func Judge(ctx context.Context, staff *client.Client, plan *Plan, ledgers []Ledger, wait time.Duration) (*Verdict, error) {
	if staff == nil {
		return &Verdict{Note: "no staff credentials: integrity not checked"}, nil
	}
	closed := true
	if !plan.Closes.IsZero() {
		until := time.Until(plan.Closes) + 2*time.Second // a sweep or two
		if until > wait {
			closed = false
			until = 0
		}
		if !sleep(ctx, until) {
			return nil, ctx.Err()
		}
	} else {
		closed = false
	}
	results, err := staff.Results(ctx, plan.Exam)
	if err != nil {
		return nil, fmt.Errorf("fetching the results of %s: %w", plan.Exam, err)
	}
	v := Check(results, ledgers, closed)
	if !closed {
		v.Note = "the exam had not closed: attempts in progress were not counted as ungraded"
	}
	return v, nil
}

// Check compares the final results with what the candidates were told;
// closed says whether every attempt must be submitted by now.
func Check(results *examhall.ExamResults, ledgers []Ledger, closed bool) *Verdict {
	byAttempt := make(map[string]*examhall.Result, len(results.Results))
	for _, r := range results.Results {
		if r.Attempt != "" {
			byAttempt[r.Attempt] = r
		}
	}
	v := &Verdict{Checked: true}
	problem := func(format string, args ...any) {
		if len(v.Examples) < 10 {
			v.Examples = append(v.Examples, fmt.Sprintf(format, args...))
		}
	}
	for i := range ledgers {
		l := &ledgers[i]
		v.StalePapers += l.StalePapers
		if l.StalePapers > 0 {
			problem("attempt %s: a reload showed an older answer than one acknowledged", l.Attempt)
		}
		if l.Attempt == "" {
			continue // never logged in
		}
		v.Attempts++
		r := byAttempt[l.Attempt]
		if r == nil {
			v.Ungraded++
			for _, s := range l.Answers {
				if s.Seq > 0 {
					v.Answers++
					v.LostAnswers++
				}
			}
			problem("attempt %s of %s: missing from the results", l.Attempt, l.Candidate)
			continue
		}
		switch {
		case r.Status != examhall.Submitted:
			if closed {
				v.Ungraded++
				problem("attempt %s: %s after the exam closed", l.Attempt, r.Status)
			}
		case r.Auto:
			v.AutoSubmitted++
		default:
			v.Submitted++
		}
		if r.Status == examhall.Submitted && r.MaxScore <= 0 {
			v.Ungraded++
			problem("attempt %s: submitted but not graded", l.Attempt)
		}
		final := make(map[string]examhall.QuestionResult, len(r.Questions))
		for _, q := range r.Questions {
			final[q.Question] = q
		}
		for q, s := range l.Answers {
			if s.Seq == 0 {
				continue
			}
			v.Answers++
			if !s.holds(final[q].Response) {
				v.LostAnswers++
				problem("attempt %s question %s: acknowledged %s (seq %d), final record has %s", l.Attempt, q, s.Acked, s.Seq, orNull(final[q].Response))
			}
		}
	}
	return v
}

func orNull(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	return string(b)
}

package examhall

import (
	"slices"
	"sort"
)

// SectionResult sums one section of a graded attempt.
type SectionResult struct {
	Section  string  `json:"section"`
	Title    string  `json:"title,omitempty"`
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	Right    int     `json:"right"`
	Partial  int     `json:"partial"`
	Wrong    int     `json:"wrong"`
	Omitted  int     `json:"omitted"`
	Pending  int     `json:"pending"`
	// NotCounted counts answers an answer-any rule left out.
	NotCounted int `json:"not_counted"`
}

// countAnswerAny applies the answer-any rules of e's sections to a
// result's questions: in a section that counts N answers, answered
// questions beyond the N the rule keeps get NotCounted. "best" keeps the
// N that score most (the earlier in the section on a tie), "first" the
// first N in the section's written order. A response awaiting a person
// counts as 0 for "best" until marked.
func (e *Exam) countAnswerAny(r *Result) {
	for si := range e.Sections {
		s := &e.Sections[si]
		if s.AnswerAny == 0 {
			continue
		}
		var idx []int
		for i := range r.Questions {
			if qr := &r.Questions[i]; qr.Section == s.ID && qr.answered() {
				idx = append(idx, i)
			}
		}
		if len(idx) <= s.AnswerAny {
			continue
		}
		pos := func(i int) int { return slices.Index(s.Questions, r.Questions[i].Question) }
		sort.SliceStable(idx, func(a, b int) bool {
			if s.Rule() == RuleBest {
				pa, pb := r.Questions[idx[a]].Points, r.Questions[idx[b]].Points
				if pa != pb {
					return pa > pb
				}
			}
			return pos(idx[a]) < pos(idx[b])
		})
		for _, i := range idx[s.AnswerAny:] {
			r.Questions[i].NotCounted = true
		}
	}
}

// maxOf returns the most a paper's questions can score: every question's
// points, but in a section that counts N answers only its N worth most.
func (e *Exam) maxOf(qs []QuestionResult) float64 {
	var sum float64
	bySection := map[string][]float64{}
	for _, qr := range qs {
		if si := e.SectionOf(qr.Question); si >= 0 && e.Sections[si].AnswerAny > 0 {
			bySection[qr.Section] = append(bySection[qr.Section], qr.MaxPoints)
			continue
		}
		sum += qr.MaxPoints
	}
	for _, s := range e.Sections {
		if ps := bySection[s.ID]; len(ps) > 0 {
			sort.Sort(sort.Reverse(sort.Float64Slice(ps)))
			for _, p := range ps[:min(s.AnswerAny, len(ps))] {
				sum += p
			}
		}
	}
	return round6(sum)
}

// sectionResults sums graded questions by section.
func (e *Exam) sectionResults(qs []QuestionResult) []SectionResult {
	out := make([]SectionResult, len(e.Sections))
	mine := make([][]QuestionResult, len(e.Sections))
	for _, qr := range qs {
		if si := e.SectionOf(qr.Question); si >= 0 {
			mine[si] = append(mine[si], qr)
		}
	}
	for si, s := range e.Sections {
		sr := SectionResult{Section: s.ID, Title: s.Title, MaxScore: e.maxOf(mine[si])}
		for _, qr := range mine[si] {
			if qr.NotCounted {
				sr.NotCounted++
				continue
			}
			sr.Score += qr.Points
			switch qr.Outcome {
			case Right:
				sr.Right++
			case Partial:
				sr.Partial++
			case Wrong:
				sr.Wrong++
			case Awaiting:
				sr.Pending++
			default:
				sr.Omitted++
			}
		}
		sr.Score = round6(sr.Score)
		out[si] = sr
	}
	return out
}

// MaxScore returns the points available on the paper of seed.
func (e *Exam) MaxScore(seed string) float64 {
	ids := e.PaperQuestionIDs(seed)
	qs := make([]QuestionResult, len(ids))
	for i, id := range ids {
		q, _ := e.Question(id)
		qs[i] = QuestionResult{Question: id, MaxPoints: q.Points}
		if si := e.SectionOf(id); si >= 0 {
			qs[i].Section = e.Sections[si].ID
		}
	}
	return e.maxOf(qs)
}

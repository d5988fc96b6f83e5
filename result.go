package examhall

import (
	"encoding/json"
	"time"
)

// Mark is the points a person awarded to one response (essays, or an
// override of automatic grading).
type Mark struct {
	Attempt  string    `json:"attempt"`
	Question string    `json:"question"`
	Points   float64   `json:"points"`
	Comment  string    `json:"comment,omitempty"`
	By       string    `json:"marked_by"`
	At       time.Time `json:"marked_at"`
}

// Result is the graded record of one candidate's attempt.
type Result struct {
	Exam        string           `json:"exam"`
	Candidate   string           `json:"candidate"`
	Attempt     string           `json:"attempt,omitempty"`
	Status      AttemptStatus    `json:"status"`
	StartedAt   time.Time        `json:"started_at,omitzero"`
	SubmittedAt time.Time        `json:"submitted_at,omitzero"`
	Auto        bool             `json:"auto_submitted"`
	Score       float64          `json:"score"`
	MaxScore    float64          `json:"max_score"`
	Pending     int              `json:"pending"` // responses awaiting a person's mark
	Questions   []QuestionResult `json:"questions,omitempty"`
}

// QuestionResult is the grading of one question of a paper.
type QuestionResult struct {
	Question  string          `json:"question"`
	Response  json.RawMessage `json:"response"`
	Points    float64         `json:"points"`
	MaxPoints float64         `json:"max_points"`
	Pending   bool            `json:"pending,omitempty"`
	Marked    bool            `json:"marked,omitempty"`
	Comment   string          `json:"comment,omitempty"`
}

// Score grades an attempt's answers on its paper: automatic grading for
// objective questions, a person's mark where there is one (it overrides),
// and essays without a mark left pending. Questions are listed in exam
// order; unanswered ones have a null response.
func Score(e *Exam, a *Attempt, answers map[string]Answer, marks map[string]Mark) *Result {
	r := &Result{
		Exam: e.ID, Candidate: a.Candidate, Attempt: a.ID, Status: a.Status,
		StartedAt: a.StartedAt, SubmittedAt: a.SubmittedAt, Auto: a.Auto,
	}
	var onPaper map[string]bool // nil: every question (no pools)
	if len(e.Pools) > 0 {
		onPaper = make(map[string]bool)
		for _, id := range e.PaperQuestionIDs(a.ID) {
			onPaper[id] = true
		}
	}
	r.Questions = make([]QuestionResult, 0, len(e.Questions))
	for i := range e.Questions {
		q := &e.Questions[i]
		if onPaper != nil && !onPaper[q.ID] {
			continue
		}
		resp := json.RawMessage("null")
		if ans, ok := answers[q.ID]; ok && len(ans.Response) > 0 {
			resp = ans.Response
		}
		qr := QuestionResult{Question: q.ID, Response: resp, MaxPoints: q.Points}
		if m, ok := marks[q.ID]; ok {
			qr.Points, qr.Marked, qr.Comment = m.Points, true, m.Comment
		} else {
			qr.Points, qr.Pending = Grade(q, resp)
		}
		if qr.Pending {
			r.Pending++
		}
		r.Score += qr.Points
		r.MaxScore += q.Points
		r.Questions = append(r.Questions, qr)
	}
	return r
}

// ExamResults is every candidate's result of one exam, as GET
// /api/v1/admin/exams/{exam}/results returns it.
type ExamResults struct {
	Exam     string    `json:"exam"`
	Title    string    `json:"title"`
	Released bool      `json:"released"`
	Results  []*Result `json:"results"`
	// Questions lists the exam's question ids in order, the columns of the
	// CSV form.
	Questions []string `json:"questions"`
}

// AttemptDetail is one attempt as staff see it: its result, and its log.
type AttemptDetail struct {
	Result *Result `json:"result"`
	// Order is the candidate's paper: question ids in the order, and so
	// with the numbers, the candidate saw them.
	Order   []string  `json:"order"`
	Events  []*Event  `json:"events"`
	Due     time.Time `json:"due"`
	Receipt string    `json:"receipt,omitempty"`
}

// MarkRequest is the body of PUT
// /api/v1/admin/exams/{exam}/attempts/{attempt}/marks; question and points
// are required.
type MarkRequest struct {
	Question string   `json:"question"`
	Points   *float64 `json:"points"`
	Comment  string   `json:"comment"`
}

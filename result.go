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
	// Sections sums the result by section, when the exam has sections.
	Sections []SectionResult `json:"sections,omitempty"`
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
	// Answer and Feedback are shown to a candidate only as the exam's
	// review allows (see ForCandidate).
	Answer   json.RawMessage `json:"answer,omitempty"`
	Feedback []string        `json:"feedback,omitempty"`
	// Section is the question's section; Outcome how the response fared
	// (right, partial, wrong, omitted, pending, not_graded); Review that
	// the candidate left it marked for review; NotCounted that an
	// answer-any rule left it out of the total (Points is what it would
	// have scored).
	Section    string  `json:"section,omitempty"`
	Outcome    Outcome `json:"outcome"`
	Review     bool    `json:"review,omitempty"`
	NotCounted bool    `json:"not_counted,omitempty"`
}

// ForCandidate trims a released result to what the exam's review lets
// its candidate see: without a review, the score and points only (the
// responses are null); with one, the responses, keys and feedback it
// names.
func ForCandidate(e *Exam, r *Result) *Result {
	rv := e.Review
	if rv == nil {
		rv = &Review{}
	}
	out := *r
	out.Questions = make([]QuestionResult, len(r.Questions))
	for i, qr := range r.Questions {
		qr.Answer, qr.Feedback = nil, nil
		q, ok := e.Question(qr.Question)
		if !rv.Responses {
			qr.Response = json.RawMessage("null")
		}
		if ok && rv.CorrectAnswers {
			qr.Answer = keyOf(q)
		}
		if ok && rv.Feedback {
			qr.Feedback = feedback(q, qr)
		}
		out.Questions[i] = qr
	}
	return &out
}

// keyOf returns a question's key as a candidate may read it: its answer,
// or a cloze question's gaps' answers by gap.
func keyOf(q *Question) json.RawMessage {
	if len(q.Answer) > 0 {
		return q.Answer
	}
	if len(q.Gaps) == 0 {
		return nil
	}
	m := make(map[string]json.RawMessage, len(q.Gaps))
	for _, g := range q.Gaps {
		if len(g.Answer) > 0 {
			m[g.ID] = g.Answer
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// feedback returns a question's feedback for a graded response: the
// general one, then that of its outcome.
func feedback(q *Question, qr QuestionResult) []string {
	var out []string
	if q.Feedback != "" {
		out = append(out, q.Feedback)
	}
	if qr.Pending {
		return out
	}
	switch {
	case qr.Points >= qr.MaxPoints && q.CorrectFeedback != "":
		out = append(out, q.CorrectFeedback)
	case qr.Points > 0 && qr.Points < qr.MaxPoints && q.PartialFeedback != "":
		out = append(out, q.PartialFeedback)
	case qr.Points <= 0 && q.IncorrectFeedback != "":
		out = append(out, q.IncorrectFeedback)
	}
	return out
}

// Score grades an attempt's answers on its paper: automatic grading for
// objective questions under each question's marking scheme (see
// GradeMarked), a person's mark where there is one (it overrides), and
// essays without a mark left pending. In a section that counts only N
// answers, the others are listed with not_counted and left out of the
// total. A negative total is raised to 0 unless the exam allows negative
// totals. Questions are listed in exam order; unanswered ones have a null
// response.
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
		r.Questions = append(r.Questions, gradeOne(e, q, answers, marks))
	}
	e.countAnswerAny(r)
	for i := range r.Questions {
		qr := &r.Questions[i]
		if qr.Pending {
			r.Pending++
		}
		if !qr.NotCounted {
			r.Score += qr.Points
		}
	}
	r.Score = round6(r.Score)
	r.MaxScore = e.maxOf(r.Questions)
	if len(e.Sections) > 0 {
		r.Sections = e.sectionResults(r.Questions)
	}
	if r.Score < 0 && !e.AllowNegativeTotal {
		r.Score = 0
	}
	return r
}

// gradeOne grades one question of a paper.
func gradeOne(e *Exam, q *Question, answers map[string]Answer, marks map[string]Mark) QuestionResult {
	resp := json.RawMessage("null")
	if ans, ok := answers[q.ID]; ok && len(ans.Response) > 0 {
		resp = ans.Response
	}
	qr := QuestionResult{Question: q.ID, Response: resp, MaxPoints: q.Points}
	if si := e.SectionOf(q.ID); si >= 0 {
		qr.Section = e.Sections[si].ID
	}
	rk := q.reviewKey
	if rk == "" {
		rk = ReviewKey(q.ID)
	}
	if rv, ok := answers[rk]; ok && string(rv.Response) == "true" {
		qr.Review = true
	}
	m := e.MarkingOf(q)
	switch mk, marked := marks[q.ID]; {
	case marked:
		qr.Points, qr.Marked, qr.Comment = mk.Points, true, mk.Comment
		qr.Outcome = outcomeOf(mk.Points, q.Points)
		if Blank(resp) {
			qr.Outcome = Omitted
		}
	case qr.Review && !e.GradesMarked() && !Blank(resp):
		qr.Points, qr.Outcome = unansweredPoints(m), NotGraded
	default:
		qr.Points, qr.Outcome = GradeMarked(q, m, resp)
		qr.Pending = qr.Outcome == Awaiting
	}
	return qr
}

// outcomeOf names the outcome of points out of max.
func outcomeOf(points, max float64) Outcome {
	switch {
	case points >= max:
		return Right
	case points > 0:
		return Partial
	}
	return Wrong
}

// answered reports whether a graded question counts as answered for an
// answer-any rule.
func (qr *QuestionResult) answered() bool { return qr.Outcome != Omitted && qr.Outcome != NotGraded }

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
	// Sections lists the exam's section ids in order, when it has
	// sections: the CSV form adds a score column for each.
	Sections []string `json:"sections,omitempty"`
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
	// Reopens counts the times staff reopened the attempt; the audit log
	// (Events, attempt_reopened) keeps each submission set aside.
	Reopens int `json:"reopens,omitempty"`
}

// MarkRequest is the body of PUT
// /api/v1/admin/exams/{exam}/attempts/{attempt}/marks; question and points
// are required.
type MarkRequest struct {
	Question string   `json:"question"`
	Points   *float64 `json:"points"`
	Comment  string   `json:"comment"`
}

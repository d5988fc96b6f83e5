package hall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"examhall"
)

// Regrade implements examhall.StaffService. Results are graded when they
// are read, so replacing the key in the stored document re-grades every
// attempt; marks people gave stay, as they override automatic grading.
func (h *Hall) Regrade(ctx context.Context, exam string, req *examhall.RegradeRequest) (*examhall.Regraded, error) {
	who, err := examhall.StaffFrom(ctx, examhall.RoleMarker)
	if err != nil {
		return nil, err
	}
	if req.Question == "" || len(bytes.TrimSpace(req.Answer)) == 0 {
		return nil, examhall.Errorf(examhall.EBadRequest, "question and answer are both required.")
	}
	e, err := h.b.Exams.Exam(ctx, exam)
	if err != nil {
		return nil, err
	}
	// Work on a copy through the document, so that the stored exam (or a
	// cache's) is not changed before the new key is known to be good.
	doc, err := examhall.MarshalExam(e)
	if err != nil {
		return nil, err
	}
	ne, err := examhall.ParseExam(doc)
	if err != nil {
		return nil, err
	}
	q, ok := ne.Question(req.Question)
	if !ok {
		return nil, examhall.Errorf(examhall.EBadRequest, "question: exam %q has no question %q.", exam, req.Question)
	}
	switch q.Type {
	case "essay", "upload", "cloze", "multipart":
		return nil, examhall.Errorf(examhall.EBadRequest, "question: %q is a %s question, whose key is not one answer; mark its responses instead.", req.Question, q.Type)
	}
	old := string(q.Answer)
	q.Answer = req.Answer
	if req.Tolerance != nil {
		q.Tolerance = *req.Tolerance
	}
	doc, err = examhall.MarshalExam(ne)
	if err != nil {
		return nil, err
	}
	ne, err = examhall.ParseExam(doc)
	if err != nil {
		return nil, err
	}
	ne.ID, ne.Released, ne.CreatedAt = e.ID, e.Released, e.CreatedAt
	if err := h.b.Exams.ReviseExam(ctx, ne); err != nil {
		return nil, err
	}
	h.forget(exam)
	q, _ = ne.Question(req.Question)
	h.audit(ctx, &examhall.Event{Kind: "key_corrected", Exam: exam, Actor: who.Staff,
		Detail: fmt.Sprintf("%s: %s -> %s", req.Question, old, compact(q.Answer))})
	res, err := h.Results(ctx, exam)
	if err != nil {
		return nil, err
	}
	return &examhall.Regraded{Exam: exam, Question: req.Question, Answer: q.Answer, Results: res}, nil
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

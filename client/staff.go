package client

import (
	"context"
	"examhall"
)

// StaffLogin logs a member of staff in; the client keeps the token.
func (c *Client) StaffLogin(ctx context.Context, username, password string) error {
	var out examhall.StaffLoginResult
	err := c.Do(ctx, "POST", "/api/v1/admin/login", &examhall.StaffLoginRequest{Username: username, Password: password}, &out)
	if err == nil {
		c.Token = out.Token
	}
	return err
}

// CreateExam posts an exam document and returns the exam's id.
func (c *Client) CreateExam(ctx context.Context, doc []byte) (string, error) {
	var out examhall.Created
	err := c.Do(ctx, "POST", "/api/v1/admin/exams", doc, &out)
	return out.ID, err
}

// ReplaceExam replaces an exam's document.
func (c *Client) ReplaceExam(ctx context.Context, id string, doc []byte) error {
	return c.Do(ctx, "PUT", "/api/v1/admin/exams/"+id, doc, nil)
}

// ExamDocument returns an exam as staff see it (with keys and state).
func (c *Client) ExamDocument(ctx context.Context, id string) ([]byte, error) {
	var raw []byte
	err := c.Do(ctx, "GET", "/api/v1/admin/exams/"+id, nil, &raw)
	return raw, err
}

// IssueCodes issues codes to named candidates, or to count new ones.
func (c *Client) IssueCodes(ctx context.Context, exam string, ids []string, count int) ([]examhall.IssuedCode, error) {
	req := &examhall.IssueRequest{Count: count}
	for _, id := range ids {
		req.Candidates = append(req.Candidates, examhall.CandidateSpec{ID: id})
	}
	var out examhall.IssuedCodes
	err := c.Do(ctx, "POST", "/api/v1/admin/exams/"+exam+"/candidates", req, &out)
	return out.Candidates, err
}

// Results returns every result of an exam.
func (c *Client) Results(ctx context.Context, exam string) (*examhall.ExamResults, error) {
	var out examhall.ExamResults
	return &out, c.Do(ctx, "GET", "/api/v1/admin/exams/"+exam+"/results", nil, &out)
}

// Release releases an exam's results to candidates.
func (c *Client) Release(ctx context.Context, exam string) error {
	return c.Do(ctx, "POST", "/api/v1/admin/exams/"+exam+"/release", nil, nil)
}

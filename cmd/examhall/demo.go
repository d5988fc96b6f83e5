package main

import (
	"context"
	_ "embed"
	"fmt"
	"net"
	"strings"
	"time"

	"examhall"
	"examhall/hall"
)

//go:embed demo.json
var demoExam []byte

//go:embed demo-sections.json
var demoSectionsExam []byte

const demoExamID = "demo"

// loadDemo loads the demo exams (every question type; an entrance test
// with sections), opens them now for two hours, issues five candidate
// codes for each and prints how to log in.
func (m *Main) loadDemo(ctx context.Context, h *hall.Hall, c *serveConfig, addr string) error {
	ctx = operator(ctx, "demo")
	now := h.Now()
	opens, closes := now.Add(-time.Minute), now.Add(2*time.Hour)
	e, err := openDemo(ctx, h, demoExam, opens, closes)
	if err != nil {
		return err
	}
	es, err := openDemo(ctx, h, demoSectionsExam, opens, closes)
	if err != nil {
		return err
	}
	user, password := c.AdminUser, c.AdminPassword
	if user == "" {
		user, password = "admin", examhall.NewAccessCode()
		if err := h.PutStaff(ctx, user, password, examhall.RoleAdmin); err != nil {
			return err
		}
	}
	specs := make([]examhall.CandidateSpec, 5)
	for i := range specs {
		specs[i] = examhall.CandidateSpec{ID: fmt.Sprintf("demo-%d", i+1)}
	}
	codes, err := h.IssueCodes(ctx, demoExamID, &examhall.IssueRequest{Candidates: specs})
	if err != nil {
		return err
	}
	specs = make([]examhall.CandidateSpec, 5)
	for i := range specs {
		specs[i] = examhall.CandidateSpec{ID: fmt.Sprintf("cbt-%d", i+1)}
	}
	cbt, err := h.IssueCodes(ctx, es.ID, &examhall.IssueRequest{Candidates: specs})
	if err != nil {
		return err
	}
	url := "http://" + displayAddr(addr)
	var b strings.Builder
	fmt.Fprintf(&b, "\nexamhall demo: %s\n", url)
	fmt.Fprintf(&b, "  exam      %q (id %s), open until %s\n", e.Title, demoExamID, closes.Format("15:04 MST"))
	fmt.Fprintf(&b, "  staff     %s / %s   (%s/staff)\n", user, password, url)
	fmt.Fprintf(&b, "  candidates (exam %q, then candidate id and code at %s):\n", demoExamID, url)
	for _, c := range codes.Candidates {
		fmt.Fprintf(&b, "            %-8s %s\n", c.Candidate, c.Code)
	}
	fmt.Fprintf(&b, "  exam      %q (id %s): sections, one timed, negative marking, answer any 2 of 3\n", es.Title, es.ID)
	for _, c := range cbt.Candidates {
		fmt.Fprintf(&b, "            %-8s %s\n", c.Candidate, c.Code)
	}
	fmt.Fprintln(&b)
	fmt.Fprint(m.Stdout, b.String())
	return nil
}

// openDemo stores a demo exam document, or opens the stored one, from
// opens to closes.
func openDemo(ctx context.Context, h *hall.Hall, doc []byte, opens, closes time.Time) (*examhall.Exam, error) {
	e, err := examhall.ParseExam(doc)
	if err != nil {
		return nil, err
	}
	e.OpensAt, e.ClosesAt = &opens, &closes
	if _, err := h.Exam(ctx, e.ID); examhall.ErrorCode(err) == examhall.ENotFound {
		if _, err := h.CreateExam(ctx, e); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	} else if err := h.SetWindow(ctx, e.ID, &examhall.Window{OpensAt: &opens, ClosesAt: &closes}); err != nil {
		return nil, err
	}
	return e, nil
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

package scale_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// candidate is one candidate of a test, logged in on a pod, with the saves
// the server acknowledged to them.
type candidate struct {
	code  examhall.IssuedCode
	login *examhall.LoginResult
	pod   *examhalltest.Server
	acked map[string]int64 // question -> seq acknowledged
	// relogin lets reads log in again when Redis lost the session.
	relogin bool
}

// setup creates an exam of every type on pods[0] with n candidates logged
// in round-robin over pods.
func setup(t *testing.T, pods []*examhalltest.Server, duration, n int) (string, []*candidate) {
	t.Helper()
	staff := pods[0].Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("faults", duration))
	var cs []*candidate
	for i, code := range examhalltest.MustIssue(t, staff, exam, n) {
		pod := pods[i%len(pods)]
		_, l := pod.MustLogin(t, exam, code)
		cs = append(cs, &candidate{code: code, login: l, pod: pod, acked: map[string]int64{}})
	}
	return exam, cs
}

// setupOnePod starts a deployment of a grader and one pod, and logs n
// candidates in on the pod to a ten-minute exam of every type.
func setupOnePod(t *testing.T, n int) (*examhalltest.ScaleDeps, *examhalltest.Server, []*candidate) {
	t.Helper()
	d := examhalltest.NewScaleDeps(t)
	d.StartGrader(t)
	pod := d.StartPod(t, examhalltest.Options{Quiet: true})
	_, cs := setup(t, []*examhalltest.Server{pod}, 600, n)
	return d, pod, cs
}

// send saves resp to q at seq, without recording it as acknowledged.
func (c *candidate) send(t *testing.T, q string, seq int64, resp string) *examhalltest.Response {
	t.Helper()
	body := map[string]any{"answers": []examhall.Answer{{Question: q, Response: json.RawMessage(resp), Seq: seq}}}
	return c.pod.Do(t, "PUT", "/api/v1/attempts/"+c.login.Attempt+"/answers", c.login.Token, body)
}

// save is send, recording the seq in c.acked when the save is acknowledged.
func (c *candidate) save(t *testing.T, q string, seq int64, resp string) *examhalltest.Response {
	t.Helper()
	r := c.send(t, q, seq, resp)
	if r.Status == 200 {
		c.acked[q] = seq
	}
	return r
}

// mustSave is save, failing the test unless the save is acknowledged.
func (c *candidate) mustSave(t *testing.T, q string, seq int64, resp string) {
	t.Helper()
	if r := c.save(t, q, seq, resp); r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
}

// submit submits the attempt.
func (c *candidate) submit(t *testing.T) *examhalltest.Response {
	t.Helper()
	return c.pod.Do(t, "POST", "/api/v1/attempts/"+c.login.Attempt+"/submit", c.login.Token, nil)
}

// mustSubmit is submit, failing the test unless the submission is
// acknowledged.
func (c *candidate) mustSubmit(t *testing.T) *examhalltest.Response {
	t.Helper()
	r := c.submit(t)
	if r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	return r
}

// waitAnswers re-reads the paper until it shows every acknowledged seq.
func (c *candidate) waitAnswers(t *testing.T) *examhall.AttemptView {
	t.Helper()
	var v examhall.AttemptView
	examhalltest.Eventually(t, 20*time.Second, func() error {
		r := c.pod.Do(t, "GET", "/api/v1/attempts/"+c.login.Attempt, c.login.Token, nil)
		if r.Status == 401 && c.relogin {
			// Redis lost the session (evicted): log in again, as a browser would.
			c.login = mustLoginRetry(t, c.pod, c.login.Exam, c.code)
			return errors.New("signed out")
		}
		if r.Status != 200 {
			t.Fatalf("paper: %d %s", r.Status, r.Body)
		}
		r.Decode(t, &v)
		for q, seq := range c.acked {
			if v.Answers[q].Seq < seq {
				return fmt.Errorf("%s: acknowledged %v; the paper shows %v", c.code.Candidate, c.acked, v.Answers)
			}
		}
		return nil
	})
	return &v
}

// retryable says whether r refused a request with 503 and Retry-After:
// nothing was kept, and the client tries again.
func retryable(r *examhalltest.Response) bool {
	return r.Status == 503 && r.Header.Get("Retry-After") != ""
}

// receiptOf returns the receipt of an acknowledged submission.
func receiptOf(t *testing.T, r *examhalltest.Response) string {
	t.Helper()
	var res struct {
		Receipt string `json:"receipt"`
	}
	r.Decode(t, &res)
	return res.Receipt
}

// waitRecorded waits until PostgreSQL, the final record, holds each
// candidate's submission with the receipt acknowledged to them and their
// answer to q at the seq acknowledged or later.
func waitRecorded(t *testing.T, d *examhalltest.ScaleDeps, cs []*candidate, q string, receipts []string, acked []int64) {
	t.Helper()
	for i, c := range cs {
		if receipts[i] == "" {
			t.Fatalf("candidate %d could not submit", i)
		}
		examhalltest.Eventually(t, 30*time.Second, func() error {
			sub, err := d.PG.Submission(context.Background(), c.login.Attempt)
			if err != nil {
				return err
			}
			if sub.Receipt != receipts[i] {
				return fmt.Errorf("candidate %d: recorded receipt %s, acknowledged %s", i, sub.Receipt, receipts[i])
			}
			if got := sub.Answers[q].Seq; got < acked[i] {
				t.Fatalf("candidate %d: the record has %s at seq %d; seq %d was acknowledged", i, q, got, acked[i])
			}
			return nil
		})
	}
}

// waitScores waits until the staff's results, computed from what the
// grader carried into PostgreSQL, show each candidate's attempt submitted
// with its score in want.
func waitScores(t *testing.T, want map[*candidate]float64) {
	t.Helper()
	var pod *examhalltest.Server
	var exam string
	for c := range want {
		pod, exam = c.pod, c.login.Exam
	}
	staff := pod.Staff(t)
	examhalltest.Eventually(t, 30*time.Second, func() error {
		res, err := staff.Results(context.Background(), exam)
		if err != nil {
			return err
		}
		got := make(map[string]*examhall.Result, len(res.Results))
		for _, r := range res.Results {
			got[r.Attempt] = r
		}
		for c, score := range want {
			r := got[c.login.Attempt]
			switch {
			case r == nil || r.Status != examhall.Submitted:
				return fmt.Errorf("%s: no submission graded yet", c.code.Candidate)
			case r.Score != score:
				return fmt.Errorf("%s: graded %v, want %v", c.code.Candidate, r.Score, score)
			}
		}
		return nil
	})
}

// scores is want for waitScores: the same score for every candidate.
func scores(cs []*candidate, score float64) map[*candidate]float64 {
	m := make(map[*candidate]float64, len(cs))
	for _, c := range cs {
		m[c] = score
	}
	return m
}

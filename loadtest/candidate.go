package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"examhall"
	"examhall/client"
)

// candidate is one simulated person: its own token, paper, answer counters
// and timeline.
type candidate struct {
	code   examhall.IssuedCode
	plan   *Plan
	api    *client.Client
	stats  *Stats
	rng    *rand.Rand
	ledger Ledger

	questions []examhall.PaperQuestion
	seq       map[string]int64 // last seq sent per question
	answered  []string         // questions answered so far, in order
}

// run plays the candidate's session: log in at its moment of the ramp,
// fetch the paper, save at jittered intervals until its time is up, maybe
// reload once on the way, and submit (or walk away).
func (c *candidate) run(ctx context.Context, live *liveCounts) {
	c.ledger.Candidate = c.code.Candidate
	c.seq = make(map[string]int64)
	loginAt := c.plan.Start.Add(time.Duration(c.rng.Float64() * float64(c.plan.Ramp)))
	end := loginAt.Add(c.plan.Duration)
	if !c.plan.Opens.IsZero() {
		// One clock for all: candidates submit in the session's last
		// fifth (at most its last minute), many near the very end.
		last := min(c.plan.Duration/5, time.Minute)
		end = c.plan.Opens.Add(c.plan.Duration - time.Duration(c.rng.Float64()*c.rng.Float64()*float64(last)))
	}
	if !sleep(ctx, time.Until(loginAt)) {
		return
	}
	live.active.Add(1)
	defer live.active.Add(-1)
	defer live.done.Add(1)
	if !c.enter(ctx) {
		return
	}
	reloadAt := time.Time{}
	if c.rng.Float64() < c.plan.ReloadShare {
		reloadAt = loginAt.Add(time.Duration(c.rng.Float64() * float64(c.plan.Duration)))
	}
	for {
		wait := time.Duration((0.5 + c.rng.Float64()) * float64(c.plan.SaveEvery))
		next := time.Now().Add(wait)
		if next.After(end) {
			break
		}
		if !sleep(ctx, wait) {
			return
		}
		if !reloadAt.IsZero() && time.Now().After(reloadAt) {
			reloadAt = time.Time{}
			if !c.enter(ctx) {
				return
			}
		}
		c.save(ctx)
	}
	if !sleep(ctx, time.Until(end)) {
		return
	}
	if c.rng.Float64() >= c.plan.NoSubmitShare {
		c.submit(ctx)
	}
}

// enter logs in and fetches the paper (the first time, or on a reload).
func (c *candidate) enter(ctx context.Context) bool {
	if c.login(ctx) != nil {
		return false
	}
	var paper *examhall.AttemptView
	fetch := func() error {
		return c.call(ctx, "paper", func(ctx context.Context) (err error) {
			paper, err = c.api.Paper(ctx, c.ledger.Attempt)
			return err
		})
	}
	if fetch() != nil {
		return false
	}
	if paper.Lobby {
		// As the web UI does: wait for the start on the server's clock,
		// then ask for the paper at a moment of one's own within 3 s.
		start := time.Now().Add(paper.StartedAt.Sub(paper.ServerTime))
		if !sleep(ctx, time.Until(start)+time.Duration(c.rng.Float64()*float64(3*time.Second))) || fetch() != nil {
			return false
		}
	}
	c.questions = paper.Questions
	for q, s := range c.ledger.Answers {
		if s.Seq > 0 && paper.Answers[q].Seq < s.Seq {
			c.ledger.StalePapers++
		}
	}
	return true
}

// login logs in (the client keeps the token).
func (c *candidate) login(ctx context.Context) error {
	var login *examhall.LoginResult
	err := c.call(ctx, "login", func(ctx context.Context) (err error) {
		login, err = c.api.Login(ctx, c.plan.Exam, c.code.Candidate, c.code.Code)
		return err
	})
	if err == nil {
		c.ledger.Attempt = login.Attempt
	}
	return err
}

// save sends one or two answers: a question not yet answered, or now and
// then (and once all are answered) a change to an earlier answer.
func (c *candidate) save(ctx context.Context) {
	n := 1 + c.rng.IntN(2)
	batch := make([]examhall.Answer, 0, n)
	for range n {
		if q := c.pick(batch); q != nil {
			batch = append(batch, c.answer(q))
		}
	}
	if len(batch) == 0 {
		return
	}
	var res *examhall.SaveResult
	err := c.call(ctx, "save", func(ctx context.Context) (err error) {
		res, err = c.api.Save(ctx, c.ledger.Attempt, batch)
		return err
	})
	c.settle(batch, res, err)
}

// settle updates the ledger with the outcome of a save or submit.
func (c *candidate) settle(batch []examhall.Answer, res *examhall.SaveResult, err error) {
	stored := map[string]int64{}
	if err == nil && res != nil {
		for _, s := range res.Saved {
			stored[s.Question] = s.Seq
		}
	}
	for _, a := range batch {
		if err == nil && (res == nil || stored[a.Question] >= a.Seq) {
			c.ledger.acked(a.Question, a.Seq, a.Response)
		} else {
			c.ledger.doubtful(a.Question, a.Response)
		}
	}
}

func (c *candidate) pick(batch []examhall.Answer) *examhall.PaperQuestion {
	inBatch := func(id string) bool {
		for _, a := range batch {
			if a.Question == id {
				return true
			}
		}
		return false
	}
	if len(c.answered) < len(c.questions) && (len(c.answered) == 0 || c.rng.Float64() < 0.8) {
		for i := range c.questions {
			q := &c.questions[i]
			if c.seq[q.ID] == 0 && !inBatch(q.ID) {
				c.answered = append(c.answered, q.ID)
				return q
			}
		}
	}
	if len(c.answered) == 0 {
		return nil
	}
	id := c.answered[c.rng.IntN(len(c.answered))]
	if inBatch(id) {
		return nil
	}
	for i := range c.questions {
		if c.questions[i].ID == id {
			return &c.questions[i]
		}
	}
	return nil
}

// answer makes a response of q's shape with the next seq.
func (c *candidate) answer(q *examhall.PaperQuestion) examhall.Answer {
	c.seq[q.ID]++
	seq := c.seq[q.ID]
	var v any
	switch q.Type {
	case examhall.Single:
		v = q.Options[c.rng.IntN(len(q.Options))].ID
	case examhall.Multiple:
		var ids []string
		for _, o := range q.Options {
			if c.rng.IntN(2) == 0 {
				ids = append(ids, o.ID)
			}
		}
		if ids == nil {
			ids = []string{q.Options[0].ID}
		}
		v = ids
	case examhall.TrueFalse:
		v = c.rng.IntN(2) == 0
	case examhall.Numeric:
		v = float64(c.rng.IntN(100000)) / 100
	case examhall.Essay:
		v = fmt.Sprintf("Draft %d of %s by %s. %s", seq, q.ID, c.code.Candidate, essayText[:c.rng.IntN(len(essayText))])
	default:
		v = c.code.Candidate + " answer " + strconv.FormatInt(seq, 10)
	}
	r, _ := json.Marshal(v)
	return examhall.Answer{Question: q.ID, Response: r, Seq: seq}
}

const essayText = "The question asks for an argument, and an argument needs a claim, reasons and evidence. " +
	"First, the claim: what is asked can be answered in more than one way, and the best answer weighs them. " +
	"Second, the reasons, each with an example from the course. Third, what would change my mind."

func (c *candidate) submit(ctx context.Context) {
	err := c.call(ctx, "submit", func(ctx context.Context) error {
		_, err := c.api.Submit(ctx, c.ledger.Attempt, nil)
		return err
	})
	c.ledger.Submitted = err == nil
}

// call runs one request with the retry policy, timing and counting every
// try.
func (c *candidate) call(ctx context.Context, endpoint string, f func(context.Context) error) error {
	relogins := 0
	start := time.Now()
	defer func() { c.stats.op(endpoint, time.Since(start)) }()
	for try := 1; ; try++ {
		tctx, cancel := context.WithTimeout(ctx, tryTimeout)
		err := f(tctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		code, hint := errCode(err)
		c.stats.try(endpoint, try > 1, shed(err), code)
		if hint != "" {
			c.stats.hint(hint)
		}
		if err == nil {
			return nil
		}
		if code == "network" {
			c.stats.sample(err)
		}
		// A token retired by a newer login of the same candidate (a login
		// that timed out here yet went through on the server) is answered
		// by logging in again, as the web UI does.
		if code == "unauthorized" && endpoint != "login" && relogins < 2 {
			relogins++
			if c.login(ctx) == nil {
				continue
			}
		}
		if !retryable(err) || try == maxTries {
			c.stats.gaveUp(endpoint)
			return err
		}
		if !sleep(ctx, backoff(try, retryAfter(err), c.rng)) {
			return ctx.Err()
		}
	}
}

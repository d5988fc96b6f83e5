package loadtest

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"examhall"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"examhall/client"
)

// Config is a load test as the command line describes it.
type Config struct {
	// URL is the server, or a comma-separated list of servers that the
	// candidates are spread over (staff requests go to the first).
	URL        string
	Candidates int
	Ramp       time.Duration // logins spread over this
	Duration   time.Duration // each candidate's session
	SaveEvery  time.Duration // mean time between saves (jittered ±50%)

	NoSubmitShare float64 // never submit (left to auto-submit)
	ReloadShare   float64 // reload once (log in again, fetch the paper)

	// Staff credentials: to set up an exam and codes, and for the verdict.
	AdminUser, AdminPassword string
	// Exam and Codes name an existing exam and its candidates instead.
	Exam  string
	Codes []examhall.IssuedCode

	// CloseMargin is how long after the last session ends the exam
	// created for the test closes; Grace is its grace period.
	CloseMargin, Grace time.Duration
	// Lobby makes the exam created for the test open when the ramp ends,
	// with a lobby for the sign-ins of the ramp: everyone starts at the
	// same moment and their time runs out at the same moment.
	Lobby bool
	// Sections gives the exam created for the test the format of entrance
	// exams: negative marking (+4/-1), a timed forward-only section open
	// for the whole test and an untimed one where any 2 of 3 count.
	Sections bool
	// VerifyWait bounds the wait for the exam to close before the verdict.
	VerifyWait time.Duration
	Seed       uint64
}

// Defaults fills unset fields.
func (c *Config) Defaults() {
	if c.CloseMargin == 0 {
		c.CloseMargin = 10 * time.Second
	}
	if c.Grace == 0 {
		c.Grace = 5 * time.Second
	}
	if c.VerifyWait == 0 {
		c.VerifyWait = 2 * time.Minute
	}
	if c.Seed == 0 {
		c.Seed = rand.Uint64()
	}
}

// Check reports the first mistake in c.
func (c *Config) Check() error {
	switch {
	case c.urls()[0] == "":
		return errors.New("the server's URL is required (--url)")
	case c.Exam == "" && c.Candidates <= 0:
		return errors.New("--candidates must be at least 1")
	case c.Exam == "" && c.AdminUser == "":
		return errors.New("staff credentials (--admin-user and EXAMHALL_ADMIN_PASSWORD) are needed to set up an exam, or give --exam and --codes")
	case c.Exam != "" && len(c.Codes) == 0:
		return errors.New("--exam needs --codes, a CSV file of candidate,code")
	case c.Exam == "" && len(c.Codes) > 0:
		return errors.New("--codes needs --exam")
	case c.Candidates > examhall.MaxIssue:
		return fmt.Errorf("--candidates: at most %d", examhall.MaxIssue)
	case c.Duration <= 0 || c.Ramp < 0 || c.SaveEvery <= 0:
		return errors.New("--duration and --save-every must be positive and --ramp not negative")
	case c.NoSubmitShare < 0 || c.NoSubmitShare > 1 || c.ReloadShare < 0 || c.ReloadShare > 1:
		return errors.New("shares are fractions from 0 to 1")
	case c.Lobby && c.Exam != "":
		return errors.New("--lobby sets up an exam of its own: not with --exam")
	case c.Sections && c.Exam != "":
		return errors.New("--sections sets up an exam of its own: not with --exam")
	}
	return nil
}

// urls splits URL into its servers.
func (c *Config) urls() []string {
	var urls []string
	for _, u := range strings.Split(c.URL, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			urls = append(urls, u)
		}
	}
	if len(urls) == 0 {
		return []string{""}
	}
	return urls
}

// staff logs in as staff, or returns nil when no credentials are given.
func (c *Config) staff(ctx context.Context) (*client.Client, error) {
	if c.AdminUser == "" {
		return nil, nil
	}
	s := client.New(c.urls()[0])
	if err := s.StaffLogin(ctx, c.AdminUser, c.AdminPassword); err != nil {
		return nil, fmt.Errorf("staff login as %s: %w", c.AdminUser, err)
	}
	return s, nil
}

// Prepare sets the test up: it creates an exam and issues codes through
// the staff API (or uses the given exam and codes) and fixes the start a
// moment from now.
func Prepare(ctx context.Context, c *Config) (*Plan, *client.Client, error) {
	c.Defaults()
	if err := c.Check(); err != nil {
		return nil, nil, err
	}
	staff, err := c.staff(ctx)
	if err != nil {
		return nil, nil, err
	}
	urls := c.urls()
	p := &Plan{URL: urls[0], Exam: c.Exam, Codes: c.Codes, Ramp: c.Ramp, Duration: c.Duration,
		SaveEvery: c.SaveEvery, NoSubmitShare: c.NoSubmitShare, ReloadShare: c.ReloadShare, Seed: c.Seed}
	if len(urls) > 1 {
		p.URLs = urls
	}
	if c.Exam != "" {
		if c.Candidates > 0 && c.Candidates < len(p.Codes) {
			p.Codes = p.Codes[:c.Candidates]
		}
		p.Start = time.Now().Add(time.Second)
		if staff != nil {
			if p.Closes, err = closes(ctx, staff, p); err != nil {
				return nil, nil, err
			}
		}
		return p, staff, nil
	}
	// The exam is created without a closing time, codes are issued (which
	// takes a while for many), and only then is the start fixed and the
	// exam set to close a margin after the last session ends, so that the
	// verdict can wait for auto-submit without waiting long.
	doc := examDocument(c.Ramp+c.Duration+c.CloseMargin+time.Hour, c.Grace)
	if c.Sections {
		withSections(doc, c.Ramp+c.Duration+c.CloseMargin+30*time.Minute)
	}
	if c.Lobby {
		// Open tomorrow with a day of lobby: sign-in works at once, and
		// the real opening is set with the window below.
		doc["opens_at"] = time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
		doc["lobby_seconds"] = 86400
	}
	body, _ := json.Marshal(doc)
	if p.Exam, err = staff.CreateExam(ctx, body); err != nil {
		return nil, nil, fmt.Errorf("creating the exam: %w", err)
	}
	if p.Codes, err = staff.IssueCodes(ctx, p.Exam, nil, c.Candidates); err != nil {
		return nil, nil, fmt.Errorf("issuing %d codes: %w", c.Candidates, err)
	}
	p.Start = time.Now().Add(time.Second)
	end := p.Start.Add(c.Ramp + c.Duration + c.CloseMargin).UTC().Truncate(time.Second).Add(time.Second)
	window := map[string]any{"opens_at": nil, "closes_at": end.Format(time.RFC3339)}
	if c.Lobby {
		p.Opens = p.Start.Add(c.Ramp).UTC().Truncate(time.Second).Add(time.Second)
		end = p.Opens.Add(c.Duration + c.CloseMargin)
		window = map[string]any{"opens_at": p.Opens.Format(time.RFC3339), "closes_at": end.Format(time.RFC3339)}
	}
	if err := staff.Do(ctx, "PUT", "/api/v1/admin/exams/"+p.Exam+"/window", window, nil); err != nil {
		return nil, nil, fmt.Errorf("setting the exam's closing time: %w", err)
	}
	p.Closes = end.Add(c.Grace)
	return p, staff, nil
}

// examDocument is the exam a load test creates: one question of each
// objective type and an essay.
func examDocument(duration, grace time.Duration) map[string]any {
	opts := func(n int) []map[string]string {
		var o []map[string]string
		for i := range n {
			id := string(rune('a' + i))
			o = append(o, map[string]string{"id": id, "text": "Option " + id})
		}
		return o
	}
	return map[string]any{
		"title":             "examhall load test " + time.Now().UTC().Format(time.RFC3339),
		"instructions":      "A load test: simulated candidates.",
		"duration_seconds":  int(math.Ceil(duration.Seconds())),
		"grace_seconds":     int(grace.Seconds()),
		"shuffle_questions": true, "shuffle_options": true,
		"questions": []any{
			map[string]any{"id": "q1", "type": "single", "prompt": "Pick b", "options": opts(4), "answer": "b"},
			map[string]any{"id": "q2", "type": "single", "prompt": "Pick c", "options": opts(4), "answer": "c"},
			map[string]any{"id": "q3", "type": "multiple", "prompt": "Pick a and d", "points": 2, "options": opts(4), "answer": []string{"a", "d"}},
			map[string]any{"id": "q4", "type": "true_false", "prompt": "True?", "answer": true},
			map[string]any{"id": "q5", "type": "numeric", "prompt": "Half of 501", "answer": 250.5, "tolerance": 0.01},
			map[string]any{"id": "q6", "type": "short_text", "prompt": "Capital of France", "answer": []string{"Paris"}},
			map[string]any{"id": "q7", "type": "single", "prompt": "Pick a", "options": opts(3), "answer": "a"},
			map[string]any{"id": "q8", "type": "essay", "prompt": "Discuss", "points": 5},
		},
	}
}

// withSections puts doc's questions in two sections, as entrance exams
// have them: A (q1-q5) timed for first, forward only; B (q6-q8) untimed,
// any 2 of its 3 counted; +4/-1 marking. Candidates of a test shorter
// than first work in A only, which is the path a sectioned exam adds to
// every save (the section's window checked on the server's clock).
func withSections(doc map[string]any, first time.Duration) {
	doc["marking"] = map[string]any{"correct": 4, "wrong": -1, "unanswered": 0}
	doc["sections"] = []any{
		map[string]any{"id": "A", "title": "Part A", "questions": []string{"q1", "q2", "q3", "q4", "q5"},
			"duration_seconds": int(math.Ceil(first.Seconds())), "navigation": "forward_only"},
		map[string]any{"id": "B", "title": "Part B", "questions": []string{"q6", "q7", "q8"}, "answer_any": 2, "answer_any_rule": "best"},
	}
}

// closes estimates when the last attempt of an existing exam ends, from its
// document: its closing time, or the end of the last session's time limit.
func closes(ctx context.Context, staff *client.Client, p *Plan) (time.Time, error) {
	raw, err := staff.ExamDocument(ctx, p.Exam)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading exam %s: %w", p.Exam, err)
	}
	var doc struct {
		Duration int        `json:"duration_seconds"`
		Grace    *int       `json:"grace_seconds"`
		Closes   *time.Time `json:"closes_at"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return time.Time{}, fmt.Errorf("reading exam %s: %w", p.Exam, err)
	}
	grace := 10
	if doc.Grace != nil {
		grace = *doc.Grace
	}
	end := time.Time{}
	if doc.Duration > 0 {
		end = p.Start.Add(p.Ramp + time.Duration(doc.Duration)*time.Second)
	}
	if doc.Closes != nil && (end.IsZero() || doc.Closes.Before(end)) {
		end = *doc.Closes
	}
	if end.IsZero() {
		return end, nil
	}
	return end.Add(time.Duration(grace) * time.Second), nil
}

// ReadCodes reads a CSV of candidate,code (more columns are ignored; a
// header line starting with "candidate" is skipped), as
// "examhall admin codes" prints it.
func ReadCodes(r io.Reader) ([]examhall.IssuedCode, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var codes []examhall.IssuedCode
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "candidate") {
			continue
		}
		if len(rec) < 2 || strings.TrimSpace(rec[0]) == "" || strings.TrimSpace(rec[1]) == "" {
			return nil, fmt.Errorf("line %d: want candidate,code", line)
		}
		codes = append(codes, examhall.IssuedCode{Candidate: strings.TrimSpace(rec[0]), Code: strings.TrimSpace(rec[1])})
	}
	if len(codes) == 0 {
		return nil, errors.New("no codes")
	}
	return codes, nil
}

package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// timedExam has two timed sections, A (10 min, forward only, +4/-1) and
// B (20 min, answer any 2 of 3, best), and grace 5 s.
func timedExam(id string) map[string]any {
	tf := func(qid string) map[string]any {
		return map[string]any{"id": qid, "type": "true_false", "answer": true}
	}
	return map[string]any{
		"id": examhalltest.UniqueName(id), "title": "Sectional", "grace_seconds": 5,
		"marking":   map[string]any{"correct": 4, "wrong": -1},
		"questions": []any{tf("a1"), tf("a2"), tf("b1"), tf("b2"), tf("b3")},
		"sections": []any{
			map[string]any{"id": "A", "title": "Part A", "questions": []string{"a1", "a2"}, "duration_seconds": 600, "navigation": "forward_only"},
			map[string]any{"id": "B", "title": "Part B", "questions": []string{"b1", "b2", "b3"}, "duration_seconds": 1200,
				"answer_any": 2, "marking": map[string]any{"wrong_fraction": -0.5}},
		},
	}
}

func ans(q, r string, seq int64) []examhall.Answer {
	return []examhall.Answer{{Question: q, Response: json.RawMessage(r), Seq: seq}}
}

func near(a, b time.Time) bool { d := a.Sub(b); return d < 2*time.Second && d > -2*time.Second }

func TestSectionTiming(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, timedExam("timed"))
	codes := examhalltest.MustIssue(t, staff, exam, 1)
	c, login := srv.MustLogin(t, exam, codes[0])
	start := login.StartedAt
	if !login.Deadline.Equal(start.Add(30 * time.Minute)) {
		t.Fatalf("deadline %v, want the sections' sum after %v", login.Deadline, start)
	}

	v := paperOf(t, srv, c.Token, login.Attempt)
	if len(v.Sections) != 2 || v.CurrentSection != "A" || v.Sections[0].State != "open" || v.Sections[1].State != "upcoming" ||
		!v.Sections[0].ClosesAt.Equal(start.Add(10*time.Minute)) || !v.Sections[1].ClosesAt.Equal(start.Add(30*time.Minute)) ||
		!v.Sections[0].Deadline.Equal(v.Sections[0].ClosesAt) || !v.Sections[1].Deadline.Equal(v.Sections[1].ClosesAt) {
		t.Fatalf("sections at start: current %q %+v", v.CurrentSection, v.Sections)
	}
	if len(v.Questions) != 2 || v.Questions[0].Section != "A" || v.Questions[0].Marking == nil || v.Questions[0].Points != 4 {
		t.Errorf("paper questions (B's withheld until it opens): %+v", v.Questions)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("b1", "true", 1)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("save to an upcoming section: %v, want section_closed", err)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("a1", "true", 1)); err != nil {
		t.Fatalf("save to the open section: %v", err)
	}
	if _, err := c.FinishSection(ctx, login.Attempt, "B"); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("finishing a section not open: %v, want section_closed", err)
	}

	// Auto-advance: at 10 min 10 s A is closed (past its grace), B open.
	srv.Clock.Advance(10*time.Minute + 10*time.Second)
	if _, err := c.Save(ctx, login.Attempt, ans("a2", "false", 1)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("save to a closed section: %v, want section_closed", err)
	}
	if _, err := c.Flag(ctx, login.Attempt, []examhall.Flag{{Question: "a1", Review: true, Seq: 1}}); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("flag in a closed section: %v, want section_closed", err)
	}
	for q, r := range map[string]string{"b1": "true", "b2": "false", "b3": "true"} {
		if _, err := c.Save(ctx, login.Attempt, ans(q, r, 1)); err != nil {
			t.Fatalf("save %s to B: %v", q, err)
		}
	}
	if v = paperOf(t, srv, c.Token, login.Attempt); v.CurrentSection != "B" || v.Sections[0].State != "closed" || len(v.Questions) != 5 {
		t.Errorf("after A's time: current %q, A %s, %d questions", v.CurrentSection, v.Sections[0].State, len(v.Questions))
	}

	// Finishing the last section early moves the deadline to now; the
	// sweep submits the attempt at that time.
	res, err := c.FinishSection(ctx, login.Attempt, "B")
	if err != nil {
		t.Fatalf("finish B: %v", err)
	}
	finished := res.Sections[1].FinishedAt
	if !near(finished, srv.Clock.Now()) || !res.Deadline.Equal(finished.Truncate(time.Millisecond)) || res.CurrentSection != "" {
		t.Errorf("finish B: finished %v, deadline %v, current %q", finished, res.Deadline, res.CurrentSection)
	}
	if again, err := c.FinishSection(ctx, login.Attempt, "B"); err != nil || !again.Sections[1].FinishedAt.Equal(finished) {
		t.Errorf("finishing again: %v %+v, want the same finish", err, again)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("b1", "false", 2)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("save after finishing: %v, want section_closed", err)
	}
	srv.Clock.Advance(6 * time.Second)
	sweep(t, srv)
	v = paperOf(t, srv, c.Token, login.Attempt)
	if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(res.Deadline) {
		t.Errorf("after the sweep: %s auto %v at %v, want auto-submitted at %v", v.Status, v.Auto, v.SubmittedAt, res.Deadline)
	}

	// A: a1 right (+4). B: b1, b3 right (+4 each), b2 wrong (-2); best two count.
	results, err := staff.Results(ctx, exam)
	if err != nil {
		t.Fatal(err)
	}
	r := results.Results[0]
	if r.Score != 12 || r.MaxScore != 16 || len(r.Sections) != 2 || r.Sections[0].Score != 4 || r.Sections[1].Score != 8 ||
		r.Sections[1].NotCounted != 1 || r.Sections[0].Omitted != 1 {
		t.Errorf("result %v of %v, sections %+v", r.Score, r.MaxScore, r.Sections)
	}
	csv := srv.DoAccept(t, "GET", "/api/v1/admin/exams/"+exam+"/results", staff.Token, "text/csv")
	if lines := strings.Split(string(csv.Body), "\n"); !strings.HasSuffix(strings.TrimSpace(lines[0]), "section:A,section:B") ||
		!strings.HasSuffix(strings.TrimSpace(lines[1]), ",4,8") {
		t.Errorf("CSV:\n%s", csv.Body)
	}
	var stats examhall.Stats
	srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/stats", staff.Token, nil).Decode(t, &stats)
	if it := stats.Items[3]; it.Question != "b2" || it.Wrong != 1 || it.Section != "B" || stats.Items[1].Blank != 1 {
		t.Errorf("item analysis: %+v", stats.Items)
	}
}

func TestSectionFinishEarlyAndExtraTime(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, timedExam("extra"))
	var issued struct{ Candidates []examhall.IssuedCode }
	srv.Do(t, "POST", "/api/v1/admin/exams/"+exam+"/candidates", staff.Token,
		map[string]any{"candidates": []any{map[string]any{"id": "slow", "extra_time_seconds": 90}}}).Decode(t, &issued)
	c, login := srv.MustLogin(t, exam, issued.Candidates[0])
	start := login.StartedAt
	v := paperOf(t, srv, c.Token, login.Attempt)
	// 90 s shared by duration: A gets 30 s, B 60 s.
	if !v.Sections[0].ClosesAt.Equal(start.Add(10*time.Minute+30*time.Second)) || !v.Deadline.Equal(start.Add(31*time.Minute+30*time.Second)) {
		t.Fatalf("with extra time: A closes %v, deadline %v (start %v)", v.Sections[0].ClosesAt, v.Deadline, start)
	}
	srv.Clock.Advance(4 * time.Minute)
	res, err := c.FinishSection(ctx, login.Attempt, "A")
	if err != nil {
		t.Fatalf("finish A: %v", err)
	}
	f := res.Sections[0].FinishedAt
	if res.CurrentSection != "B" || !res.Sections[1].OpensAt.Equal(f) || !res.Sections[1].ClosesAt.Equal(f.Add(21*time.Minute)) ||
		!res.Deadline.Equal(f.Add(21*time.Minute).Truncate(time.Millisecond)) {
		t.Errorf("after finishing A at %v: %+v, deadline %v", f, res.Sections, res.Deadline)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("a1", "true", 1)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("save to a finished section: %v, want section_closed", err)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("b1", "true", 1)); err != nil {
		t.Errorf("save to B, opened early: %v", err)
	}
	// Staff give 60 s more in the middle of B: B's window grows by all of
	// it (A, closed, keeps its share), and the deadline follows.
	srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/candidates/slow", staff.Token, map[string]any{"extra_time_seconds": 150})
	v = paperOf(t, srv, c.Token, login.Attempt)
	want := f.Add(22 * time.Minute).Truncate(time.Millisecond)
	if !v.Deadline.Equal(want) || !v.Sections[1].ClosesAt.Equal(want) {
		t.Errorf("after more extra time: deadline %v, B closes %v, want %v", v.Deadline, v.Sections[1].ClosesAt, want)
	}
}

func TestSectionRestartMidSection(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Dir: dir, SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, timedExam("restart"))
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	c, login := srv.MustLogin(t, exam, code)
	srv.Clock.Advance(2 * time.Minute)
	res, err := c.FinishSection(ctx, login.Attempt, "A")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Flag(ctx, login.Attempt, []examhall.Flag{{Question: "b2", Review: true, Seq: 1}}); err != nil {
		t.Fatal(err)
	}
	srv.Stop()

	srv2 := examhalltest.NewEmbedded(t, examhalltest.Options{Dir: dir, SweepInterval: time.Hour})
	srv2.Clock.Advance(3 * time.Minute)
	c2, _ := srv2.MustLogin(t, exam, code)
	v := paperOf(t, srv2, c2.Token, login.Attempt)
	if v.CurrentSection != "B" || !v.Sections[0].FinishedAt.Equal(res.Sections[0].FinishedAt) || !v.Deadline.Equal(res.Deadline) ||
		!v.Review["b2"].Review {
		t.Errorf("after restart: current %q, sections %+v, deadline %v want %v, review %v", v.CurrentSection, v.Sections, v.Deadline, res.Deadline, v.Review)
	}
	if _, err := c2.Save(ctx, login.Attempt, ans("a2", "true", 1)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("after restart, save to finished A: %v", err)
	}
}

// untimedExam has untimed sections, the first forward only, and grades no
// answer left marked for review.
func untimedExam(id string) map[string]any {
	doc := timedExam(id)
	secs := doc["sections"].([]any)
	for _, s := range secs {
		delete(s.(map[string]any), "duration_seconds")
	}
	doc["duration_seconds"] = 3600
	doc["grade_marked_for_review"] = false
	return doc
}

func TestSectionsUntimedFlagsAndVisits(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, untimedExam("untimed"))
	codes := examhalltest.MustIssue(t, staff, exam, 1)
	c, login := srv.MustLogin(t, exam, codes[0])

	if _, err := c.Visit(ctx, login.Attempt, []string{"a1", "b1", "a1"}); err != nil {
		t.Fatalf("visit: %v", err)
	}
	if _, err := c.Visit(ctx, login.Attempt, []string{"zz"}); codeOf(err) != examhall.EBadRequest {
		t.Errorf("visit of no question: %v", err)
	}
	for _, body := range []string{`{"question": "a2"}`, `{"visited": ["a2"]}`} {
		if r := srv.Do(t, "PUT", "/api/v1/attempts/"+login.Attempt+"/visited", c.Token, json.RawMessage(body)); r.Status != 200 {
			t.Errorf("visit as %s: %d %s", body, r.Status, r.Body)
		}
	}
	if r := srv.Do(t, "PUT", "/api/v1/attempts/"+login.Attempt+"/visited", c.Token, json.RawMessage(`{}`)); r.Status != 400 {
		t.Errorf("visit of nothing: %d %s, want 400", r.Status, r.Body)
	}
	saved, err := c.Flag(ctx, login.Attempt, []examhall.Flag{{Question: "a1", Review: true, Seq: 1}, {Question: "b1", Review: true, Seq: 1}})
	if err != nil || len(saved.Saved) != 2 || saved.Saved[0].Question != "a1" {
		t.Fatalf("flag: %v %+v", err, saved)
	}
	if _, err := c.Flag(ctx, login.Attempt, []examhall.Flag{{Question: "b1", Review: false, Seq: 2}}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []examhall.Answer{
		{Question: "a1", Response: json.RawMessage("true"), Seq: 1}, // marked for review: not graded
		{Question: "a2", Response: json.RawMessage("false"), Seq: 1},
		{Question: "b1", Response: json.RawMessage("true"), Seq: 1},
		{Question: "b2", Response: json.RawMessage("true"), Seq: 1},
		{Question: "b2", Response: json.RawMessage("null"), Seq: 2}, // cleared
	} {
		if _, err := c.Save(ctx, login.Attempt, []examhall.Answer{a}); err != nil {
			t.Fatal(err)
		}
	}
	v := paperOf(t, srv, c.Token, login.Attempt)
	if strings.Join(v.Visited, ",") != "a1,a2,b1" || !v.Review["a1"].Review || v.Review["b1"].Review || v.Review["b1"].Seq != 2 ||
		len(v.Answers) != 4 || v.CurrentSection != "" || v.Sections[0].State != "open" || v.Exam.GradeMarkedForReview {
		t.Errorf("paper: visited %v review %v answers %d current %q sections %+v", v.Visited, v.Review, len(v.Answers), v.CurrentSection, v.Sections)
	}
	if _, err := c.FinishSection(ctx, login.Attempt, "nope"); codeOf(err) != examhall.ENotFound {
		t.Errorf("finish of no section: %v", err)
	}
	if _, err := c.FinishSection(ctx, login.Attempt, "A"); err != nil {
		t.Fatalf("finish A: %v", err)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("a2", "true", 2)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("save to finished untimed A: %v", err)
	}
	if _, err := c.Submit(ctx, login.Attempt, ans("a2", "true", 3)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("submit with an answer to finished A: %v", err)
	}
	if _, err := c.Submit(ctx, login.Attempt, nil); err != nil {
		t.Fatal(err)
	}
	results, err := staff.Results(ctx, exam)
	if err != nil {
		t.Fatal(err)
	}
	// a1 marked: not graded (0); a2 wrong: -1; b1 right: +4; b2 cleared: 0.
	r := results.Results[0]
	if r.Score != 3 || r.Questions[0].Outcome != examhall.NotGraded || r.Questions[3].Outcome != examhall.Omitted {
		t.Errorf("result %v: %+v", r.Score, r.Questions)
	}
}

// TestFlagsSimpleForm: `{"flagged": [...]}` sets the questions marked for
// review to exactly that list (the server counts the seqs), on a plain
// exam; the paper lists them in "flagged", on every device; the two forms
// cannot be mixed, and a question not on the paper is refused.
func TestFlagsSimpleForm(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam(examhalltest.UniqueName("flags"), 600))
	codes := examhalltest.MustIssue(t, staff, exam, 1)
	c, login := srv.MustLogin(t, exam, codes[0])
	put := func(body string) *examhalltest.Response {
		return srv.Do(t, "PUT", "/api/v1/attempts/"+login.Attempt+"/flags", c.Token, json.RawMessage(body))
	}
	if r := put(`{"flagged": ["q1", "q3"]}`); r.Status != 200 {
		t.Fatalf("flagged q1, q3: %d %s", r.Status, r.Body)
	}
	v := paperOf(t, srv, c.Token, login.Attempt)
	if strings.Join(v.Flagged, ",") != "q1,q3" || !v.Review["q1"].Review || v.Review["q1"].Seq != 1 {
		t.Errorf("after flagging q1, q3: flagged %v, review %v", v.Flagged, v.Review)
	}
	// The same list again changes nothing; a shorter one clears q1.
	if _, err := c.FlagSet(ctx, login.Attempt, []string{"q3", "q1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FlagSet(ctx, login.Attempt, []string{"q3"}); err != nil {
		t.Fatal(err)
	}
	v = paperOf(t, srv, c.Token, login.Attempt)
	if strings.Join(v.Flagged, ",") != "q3" || v.Review["q1"].Review || v.Review["q1"].Seq != 2 || v.Review["q3"].Seq != 1 {
		t.Errorf("after flagging q3 only: flagged %v, review %v", v.Flagged, v.Review)
	}
	// The seq form goes on from the seqs the simple form left.
	if _, err := c.Flag(ctx, login.Attempt, []examhall.Flag{{Question: "q1", Review: true, Seq: 3}}); err != nil {
		t.Fatal(err)
	}
	if got := paperOf(t, srv, c.Token, login.Attempt).Flagged; strings.Join(got, ",") != "q1,q3" {
		t.Errorf("after the seq form flagged q1: %v", got)
	}
	if _, err := c.FlagSet(ctx, login.Attempt, nil); err != nil {
		t.Fatal(err)
	}
	if got := paperOf(t, srv, c.Token, login.Attempt).Flagged; len(got) != 0 {
		t.Errorf("after an empty list: %v", got)
	}
	for _, body := range []string{`{"flagged": ["nope"]}`, `{"flagged": ["q1"], "flags": []}`, `{}`, `{"flagged": "q1"}`} {
		if r := put(body); r.Status != 400 || !strings.Contains(string(r.Body), `"bad_request"`) {
			t.Errorf("%s: %d %s, want 400 bad_request", body, r.Status, r.Body)
		}
	}
}

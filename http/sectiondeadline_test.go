package http_test

import (
	"context"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// Staff move deadlines of attempts of an exam with timed sections (see
// timedExam: A 10 min, B 20 min, grace 5 s): by a candidate's extra time,
// by the exam's window, and the section windows follow.

func putWindow(t *testing.T, srv *examhalltest.Server, token, exam string, closes *time.Time) {
	t.Helper()
	body := map[string]any{"opens_at": nil, "closes_at": nil}
	if closes != nil {
		body["closes_at"] = closes.UTC().Format(time.RFC3339Nano)
	}
	if r := srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/window", token, body); r.Status != 200 {
		t.Fatalf("window: %d %s", r.Status, r.Body)
	}
}

func putExtra(t *testing.T, srv *examhalltest.Server, token, exam, candidate string, seconds int) {
	t.Helper()
	r := srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/candidates/"+candidate, token, map[string]any{"extra_time_seconds": seconds})
	if r.Status != 200 {
		t.Fatalf("extra time: %d %s", r.Status, r.Body)
	}
}

func issueOne(t *testing.T, srv *examhalltest.Server, token, exam, id string, extra int) examhall.IssuedCode {
	t.Helper()
	var issued struct{ Candidates []examhall.IssuedCode }
	srv.Do(t, "POST", "/api/v1/admin/exams/"+exam+"/candidates", token,
		map[string]any{"candidates": []any{map[string]any{"id": id, "extra_time_seconds": extra}}}).Decode(t, &issued)
	if len(issued.Candidates) != 1 {
		t.Fatalf("issuing %s: %+v", id, issued)
	}
	return issued.Candidates[0]
}

// Extra time given after a section closed goes to the sections not yet
// closed: the closed one does not open again.
func TestSectionExtraTimeAfterASectionClosed(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, timedExam("extralate"))
	c, login := srv.MustLogin(t, exam, issueOne(t, srv, staff.Token, exam, "late", 0))
	start := login.StartedAt
	srv.Clock.Advance(10*time.Minute + 10*time.Second)
	if _, err := c.Save(ctx, login.Attempt, ans("b1", "true", 1)); err != nil {
		t.Fatalf("save to B: %v", err)
	}
	// An hour more, in B: shared by duration over both sections it would
	// give A 20 minutes and open it again.
	putExtra(t, srv, staff.Token, exam, "late", 3600)
	v := paperOf(t, srv, c.Token, login.Attempt)
	a, b := v.Sections[0], v.Sections[1]
	if v.CurrentSection != "B" || a.State != examhall.SectionClosed || !a.ClosesAt.Equal(start.Add(10*time.Minute)) ||
		!b.OpensAt.Equal(start.Add(10*time.Minute)) || !b.ClosesAt.Equal(start.Add(90*time.Minute)) ||
		!v.Deadline.Equal(start.Add(90*time.Minute)) || len(v.Questions) != 5 {
		t.Fatalf("after an hour more in B: current %q, A %+v, B %+v, deadline %v (start %v)", v.CurrentSection, a, b, v.Deadline, start)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("a1", "true", 1)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("save to A after the extra time: %v, want section_closed", err)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("b2", "true", 1)); err != nil {
		t.Errorf("save to B after the extra time: %v", err)
	}
	// Taken back: B ends at its own time again, A still as it was.
	putExtra(t, srv, staff.Token, exam, "late", 0)
	v = paperOf(t, srv, c.Token, login.Attempt)
	if !v.Sections[0].ClosesAt.Equal(start.Add(10*time.Minute)) || !v.Sections[1].ClosesAt.Equal(start.Add(30*time.Minute)) ||
		!v.Deadline.Equal(start.Add(30*time.Minute)) {
		t.Errorf("extra time taken back: sections %+v, deadline %v", v.Sections, v.Deadline)
	}
}

// Closing the window in the middle of a section cuts it there; the
// sections after it never open (their questions stay withheld, saves to
// them are refused even in the grace). Reopening gives the time back.
func TestSectionWindowCloseNowAndReopen(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, timedExam("closenow"))
	c, login := srv.MustLogin(t, exam, issueOne(t, srv, staff.Token, exam, "slow", 90))
	start := login.StartedAt
	// 90 s extra: A closes at 10:30, B at 31:30.
	srv.Clock.Advance(10*time.Minute + 15*time.Second)
	closes := srv.Clock.Now().UTC().Truncate(time.Millisecond)
	putWindow(t, srv, staff.Token, exam, &closes)
	srv.Clock.Advance(2 * time.Second) // in the grace
	v := paperOf(t, srv, c.Token, login.Attempt)
	a, b := v.Sections[0], v.Sections[1]
	if !v.Deadline.Equal(closes) || !a.ClosesAt.Equal(closes) || !b.OpensAt.Equal(closes) || !b.ClosesAt.Equal(closes) ||
		v.CurrentSection != "" || len(v.Questions) != 2 {
		t.Fatalf("after close now: deadline %v (closes %v), A %+v, B %+v, current %q, %d questions", v.Deadline, closes, a, b, v.CurrentSection, len(v.Questions))
	}
	if _, err := c.Save(ctx, login.Attempt, ans("a2", "true", 1)); err != nil {
		t.Errorf("save to A in the grace: %v", err)
	}
	if _, err := c.Save(ctx, login.Attempt, ans("b1", "true", 1)); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("save to B, which never opened, in the grace: %v, want section_closed", err)
	}
	if _, err := c.FinishSection(ctx, login.Attempt, "B"); codeOf(err) != examhall.ESectionClosed {
		t.Errorf("finish B, which never opened: %v, want section_closed", err)
	}
	// Reopened (no closing time) while still in the grace: the rule's
	// deadline again, A open until its own close.
	putWindow(t, srv, staff.Token, exam, nil)
	v = paperOf(t, srv, c.Token, login.Attempt)
	a, b = v.Sections[0], v.Sections[1]
	if !v.Deadline.Equal(start.Add(31*time.Minute+30*time.Second)) || v.CurrentSection != "A" || a.State != examhall.SectionOpen ||
		!a.ClosesAt.Equal(start.Add(10*time.Minute+30*time.Second)) || !b.ClosesAt.Equal(v.Deadline) {
		t.Fatalf("after reopening: deadline %v, current %q, A %+v, B %+v", v.Deadline, v.CurrentSection, a, b)
	}
	// Closing at a time in B cuts B there and leaves A as it was.
	cut := start.Add(20 * time.Minute)
	putWindow(t, srv, staff.Token, exam, &cut)
	v = paperOf(t, srv, c.Token, login.Attempt)
	if !v.Deadline.Equal(cut) || !v.Sections[0].ClosesAt.Equal(start.Add(10*time.Minute+30*time.Second)) || !v.Sections[1].ClosesAt.Equal(cut) {
		t.Errorf("closing at 20 min: deadline %v, sections %+v", v.Deadline, v.Sections)
	}
	srv.Clock.Advance(15 * time.Second)
	if _, err := c.Save(ctx, login.Attempt, ans("b1", "true", 1)); err != nil {
		t.Errorf("save to B, open until the close: %v", err)
	}
}

// A later window gives back what the rule allows and never takes time
// away; a section finished early stays finished, and the attempt ends with
// its last section.
func TestSectionWindowLaterAfterFinishingEarly(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, timedExam("later"))
	c, login := srv.MustLogin(t, exam, issueOne(t, srv, staff.Token, exam, "quick", 0))
	srv.Clock.Advance(4 * time.Minute)
	res, err := c.FinishSection(ctx, login.Attempt, "A")
	if err != nil {
		t.Fatal(err)
	}
	end := res.Deadline // A's finish + B's 20 minutes
	later := srv.Clock.Now().Add(2 * time.Hour)
	putWindow(t, srv, staff.Token, exam, &later)
	v := paperOf(t, srv, c.Token, login.Attempt)
	if !v.Deadline.Equal(end) || !v.Sections[1].ClosesAt.Equal(end) || !v.Sections[0].FinishedAt.Equal(res.Sections[0].FinishedAt) {
		t.Fatalf("a later window: deadline %v, sections %+v, want the deadline %v", v.Deadline, v.Sections, end)
	}
	early := end.Add(-10 * time.Minute)
	putWindow(t, srv, staff.Token, exam, &early)
	if v = paperOf(t, srv, c.Token, login.Attempt); !v.Deadline.Equal(early) || !v.Sections[1].ClosesAt.Equal(early) {
		t.Errorf("an earlier window: deadline %v, B closes %v, want %v", v.Deadline, v.Sections[1].ClosesAt, early)
	}
	putWindow(t, srv, staff.Token, exam, nil)
	if v = paperOf(t, srv, c.Token, login.Attempt); !v.Deadline.Equal(end) || !v.Sections[1].ClosesAt.Equal(end) {
		t.Errorf("no window: deadline %v, B closes %v, want %v", v.Deadline, v.Sections[1].ClosesAt, end)
	}
	// Extra time after finishing A goes to B alone.
	putExtra(t, srv, staff.Token, exam, "quick", 60)
	if v = paperOf(t, srv, c.Token, login.Attempt); !v.Deadline.Equal(end.Add(time.Minute)) || !v.Sections[1].ClosesAt.Equal(end.Add(time.Minute)) {
		t.Errorf("a minute more: deadline %v, B closes %v, want %v", v.Deadline, v.Sections[1].ClosesAt, end.Add(time.Minute))
	}
}

// An attempt started so late that the closing time cuts its deadline
// still shares its extra time by the rule: the cut falls on the last
// section, not on each.
func TestSectionExtraTimeOfACutAttempt(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	staff := srv.Staff(t)
	doc := timedExam("cut")
	closes := srv.Clock.Now().UTC().Add(30*time.Minute + 45*time.Second).Truncate(time.Second)
	doc["closes_at"] = closes.Format(time.RFC3339)
	exam := examhalltest.MustCreateExam(t, staff, doc)
	c, login := srv.MustLogin(t, exam, issueOne(t, srv, staff.Token, exam, "slow", 90))
	start := login.StartedAt
	v := paperOf(t, srv, c.Token, login.Attempt)
	if !v.Deadline.Equal(closes) || !v.Sections[0].ClosesAt.Equal(start.Add(10*time.Minute+30*time.Second)) || !v.Sections[1].ClosesAt.Equal(closes) {
		t.Fatalf("cut attempt: deadline %v (closes %v), sections %+v (start %v)", v.Deadline, closes, v.Sections, start)
	}
	// A window moved later gives the whole extra time back.
	later := closes.Add(time.Hour)
	putWindow(t, srv, staff.Token, exam, &later)
	if v = paperOf(t, srv, c.Token, login.Attempt); !v.Deadline.Equal(start.Add(31*time.Minute+30*time.Second)) ||
		!v.Sections[0].ClosesAt.Equal(start.Add(10*time.Minute+30*time.Second)) {
		t.Errorf("window moved later: deadline %v, sections %+v", v.Deadline, v.Sections)
	}
}

// A candidate's own sitting (a make-up) runs their sections by their own
// closing time, not the exam's.
func TestSectionOwnSitting(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{SweepInterval: time.Hour})
	staff := srv.Staff(t)
	doc := timedExam("makeup")
	now := srv.Clock.Now().UTC()
	doc["closes_at"] = now.Add(5 * time.Minute).Format(time.RFC3339)
	exam := examhalltest.MustCreateExam(t, staff, doc)
	code := issueOne(t, srv, staff.Token, exam, "makeup", 0)
	own := now.Add(2 * time.Hour).Truncate(time.Second)
	r := srv.Do(t, "PUT", "/api/v1/admin/exams/"+exam+"/candidates/makeup", staff.Token,
		map[string]any{"opens_at": now.Add(time.Hour).Format(time.RFC3339), "closes_at": own.Format(time.RFC3339)})
	if r.Status != 200 {
		t.Fatalf("own sitting: %d %s", r.Status, r.Body)
	}
	srv.Clock.Advance(time.Hour + time.Minute)
	c, login := srv.MustLogin(t, exam, code)
	start := login.StartedAt
	v := paperOf(t, srv, c.Token, login.Attempt)
	if !v.Deadline.Equal(start.Add(30*time.Minute)) || v.CurrentSection != "A" ||
		!v.Sections[0].ClosesAt.Equal(start.Add(10*time.Minute)) || !v.Sections[1].ClosesAt.Equal(start.Add(30*time.Minute)) {
		t.Fatalf("own sitting: deadline %v, current %q, sections %+v (start %v)", v.Deadline, v.CurrentSection, v.Sections, start)
	}
	// The exam's window changing leaves the own sitting as it is.
	closes := srv.Clock.Now()
	putWindow(t, srv, staff.Token, exam, &closes)
	if v = paperOf(t, srv, c.Token, login.Attempt); !v.Deadline.Equal(start.Add(30*time.Minute)) || v.CurrentSection != "A" {
		t.Errorf("exam closed, own sitting open: deadline %v, current %q", v.Deadline, v.CurrentSection)
	}
}

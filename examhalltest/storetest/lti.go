package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// Put holds a value once per key; Take returns it once, to one of several
// callers, and ENotFound after.
func testOnce(t *testing.T, s *suite) {
	key := examhalltest.UniqueName("once-")
	if err := s.Once.Put(ctx, key, []byte("v1"), time.Minute); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "Put of a held key", s.Once.Put(ctx, key, []byte("v2"), time.Minute), examhall.EConflict)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var got [][]byte
	for range 8 {
		wg.Go(func() {
			if v, err := s.Once.Take(ctx, key); err == nil {
				mu.Lock()
				got = append(got, v)
				mu.Unlock()
			} else if examhall.ErrorCode(err) != examhall.ENotFound {
				t.Errorf("Take: %v", err)
			}
		})
	}
	wg.Wait()
	if len(got) != 1 || !bytes.Equal(got[0], []byte("v1")) {
		t.Errorf("eight Takes got %q, want v1 once", got)
	}
	_, err := s.Once.Take(ctx, examhalltest.UniqueName("never-"))
	wantCode(t, "Take of a key never put", err, examhall.ENotFound)
}

// Platforms are unique by issuer and client id; ToolKey makes the key once.
func testLTIPlatforms(t *testing.T, s *suite) {
	iss := "https://" + examhalltest.UniqueName("p") + ".example"
	p := &examhall.LTIPlatform{ID: examhalltest.UniqueName("ltip-"), Issuer: iss, ClientID: "c", DeploymentIDs: []string{"d"},
		AuthLoginURL: iss + "/a", AuthTokenURL: iss + "/t", JWKSURL: iss + "/j", CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if err := s.LTI.PutPlatform(ctx, p); err != nil {
		t.Fatal(err)
	}
	again := *p
	again.ID = examhalltest.UniqueName("ltip-")
	wantCode(t, "PutPlatform of the same issuer and client", s.LTI.PutPlatform(ctx, &again), examhall.EConflict)
	ps, err := s.LTI.Platforms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, q := range ps {
		if q.Issuer == iss {
			found++
			if q.ID != p.ID || q.JWKSURL != p.JWKSURL || len(q.DeploymentIDs) != 1 || !q.CreatedAt.Equal(p.CreatedAt) {
				t.Errorf("stored platform %+v, want %+v", q, p)
			}
		}
	}
	if found != 1 {
		t.Errorf("%d platforms of %s, want 1", found, iss)
	}
	if err := s.LTI.DeletePlatform(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "DeletePlatform again", s.LTI.DeletePlatform(ctx, p.ID), examhall.ENotFound)

	k1, err := s.LTI.ToolKey(ctx, func() ([]byte, error) { return []byte("key-one"), nil })
	if err != nil {
		t.Fatal(err)
	}
	k2, err := s.LTI.ToolKey(ctx, func() ([]byte, error) { return []byte("key-two"), nil })
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("ToolKey twice: %q then %q (%v), want the same key", k1, k2, err)
	}
}

// A grade falls due only with a link; a claim hides it for the lease; a
// send clears it unless a newer change came; a failure reschedules it.
func testLTIGrades(t *testing.T, s *suite) {
	exam := examhalltest.UniqueName("e")
	att := examhalltest.UniqueName("a")
	now := time.Now().UTC().Truncate(time.Millisecond)
	if ok, err := s.LTI.GradeDue(ctx, att, now); err != nil || ok {
		t.Fatalf("GradeDue without a link: %v, %v; want false", ok, err)
	}
	if err := s.LTI.LinkGrade(ctx, &examhall.LTIGrade{Attempt: att, Exam: exam, Candidate: "lti-x", Platform: "p", Subject: "sub", LineItem: "https://l/1"}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.LTI.GradeDue(ctx, att, now); err != nil || !ok {
		t.Fatalf("GradeDue: %v, %v; want true", ok, err)
	}
	claim := func(at time.Time) []*examhall.LTIGrade {
		t.Helper()
		gs, err := s.LTI.ClaimGrades(ctx, at, time.Minute, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var mine []*examhall.LTIGrade
		for _, g := range gs {
			if g.Attempt == att {
				mine = append(mine, g)
			}
		}
		return mine
	}
	// Other tests' grades may be due in a shared store; this one is due
	// at now, so a claim at now+1s finds it.
	gs := claim(now.Add(time.Second))
	if len(gs) != 1 || gs[0].Subject != "sub" || gs[0].LineItem != "https://l/1" || gs[0].Version != 1 {
		t.Fatalf("claim = %+v, want the linked grade at version 1", gs)
	}
	if again := claim(now.Add(2 * time.Second)); len(again) != 0 {
		t.Errorf("a second claim within the lease got %+v", again)
	}
	// A mark while it is being sent: the send does not clear it.
	if _, err := s.LTI.GradeDue(ctx, att, now.Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.LTI.GradeSent(ctx, att, 1, &examhall.LTIGrade{SentAt: now, ScoreGiven: 3, ScoreMaximum: 4, GradingProgress: "PendingManual"}); err != nil {
		t.Fatal(err)
	}
	gs = claim(now.Add(4 * time.Second))
	if len(gs) != 1 || gs[0].Version != 2 || gs[0].ScoreGiven != 3 || !gs[0].SentAt.Equal(now) {
		t.Fatalf("claim after a send overtaken by a mark = %+v, want version 2 due with the sent score", gs)
	}
	if err := s.LTI.GradeFailed(ctx, att, 2, "boom", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if gs := claim(now.Add(30 * time.Minute)); len(gs) != 0 {
		t.Errorf("claimed before the retry time: %+v", gs)
	}
	list, err := s.LTI.Grades(ctx, exam)
	if err != nil || len(list) != 1 || list[0].Tries != 1 || list[0].LastError != "boom" || list[0].Due == nil || !list[0].Due.Equal(now.Add(time.Hour)) {
		t.Fatalf("Grades = %+v, %v; want one failed try due in an hour", list, err)
	}
	if err := s.LTI.GradeSent(ctx, att, 2, &examhall.LTIGrade{SentAt: now.Add(time.Hour), ScoreGiven: 4, ScoreMaximum: 4, GradingProgress: "FullyGraded"}); err != nil {
		t.Fatal(err)
	}
	list, _ = s.LTI.Grades(ctx, exam)
	if len(list) != 1 || list[0].Due != nil || list[0].Tries != 0 || list[0].LastError != "" || list[0].GradingProgress != "FullyGraded" {
		t.Errorf("Grades after the send = %+v, want nothing due", list[0])
	}
}

package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"examhall"
	"examhall/examhalltest"
	ehttp "examhall/http"
)

// gatedCandidates holds every login of one exam inside the store until the
// gate opens: logins that cannot finish, as when the server is swamped.
type gatedCandidates struct {
	examhall.CandidateStore
	exam    string
	gate    chan struct{}
	entered chan struct{}
}

func (g *gatedCandidates) Candidate(ctx context.Context, exam, id string) (*examhall.Candidate, error) {
	if exam == g.exam {
		g.entered <- struct{}{}
		<-g.gate
	}
	return g.CandidateStore.Candidate(ctx, exam, id)
}

// TestLoginFloodIsShedWhileSavesGoOn fills every login slot with logins
// that cannot finish and checks that the flood behind them is refused at
// once (503 unavailable with Retry-After, while the stuck logins are still
// stuck: nobody waits in a queue), that a candidate already writing still
// saves and submits, and that the refused candidates get in once there is
// room.
func TestLoginFloodIsShedWhileSavesGoOn(t *testing.T) {
	t.Parallel()
	const slots = 8
	gated := &gatedCandidates{exam: "flood", gate: make(chan struct{}), entered: make(chan struct{}, slots)}
	gate := func(b examhall.Backend) examhall.Backend {
		gated.CandidateStore, b.Candidates = b.Candidates, gated
		return b
	}
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{RealClock: true, Quiet: true, Backend: gate,
		HTTP: ehttp.Config{Admission: ehttp.Admission{MaxLogins: slots, MinLogins: slots}}})
	staff := srv.Staff(t)
	calm := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("calm", 3600))
	writer, login := srv.MustLogin(t, calm, examhalltest.MustIssue(t, staff, calm, 1)[0])
	examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("flood", 3600))
	codes := examhalltest.MustIssue(t, staff, "flood", slots+40)

	loginOf := func(i int) (*http.Response, error) {
		body, _ := json.Marshal(map[string]string{"exam": "flood", "candidate": codes[i].Candidate, "code": codes[i].Code})
		return http.Post(srv.URL+"/api/v1/login", "application/json", bytes.NewReader(body))
	}
	// Fill every slot with a login that stays inside the store.
	var stuck sync.WaitGroup
	stuckStatus := make([]int, slots)
	for i := 0; i < slots; i++ {
		stuck.Add(1)
		go func() {
			defer stuck.Done()
			resp, err := loginOf(i)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			stuckStatus[i] = resp.StatusCode
		}()
		<-gated.entered
	}

	// The flood: every further login is answered now, with the gate shut.
	for i := slots; i < len(codes); i++ {
		resp, err := loginOf(i)
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		after, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		if resp.StatusCode != 503 || e.Error.Code != "unavailable" || after < 1 || after > 21 {
			t.Fatalf("login %d during the flood: %d %s, Retry-After %q; want 503 unavailable with Retry-After of 1-21 s",
				i, resp.StatusCode, e.Error.Code, resp.Header.Get("Retry-After"))
		}
	}

	// A candidate who is already writing is not behind the flood.
	ctx := context.Background()
	for seq := int64(1); seq <= 5; seq++ {
		raw, _ := json.Marshal(fmt.Sprintf("draft %d", seq))
		if _, err := writer.Save(ctx, login.Attempt, []examhall.Answer{{Question: "q5", Response: raw, Seq: seq}}); err != nil {
			t.Fatalf("save %d during the flood: %v", seq, err)
		}
	}
	if _, err := writer.Submit(ctx, login.Attempt, nil); err != nil {
		t.Fatalf("submit during the flood: %v", err)
	}
	shed := examhalltest.MetricValue(t, srv, `examhall_admission_shed_total{class="login"}`)
	if shed != float64(len(codes)-slots) {
		t.Errorf("examhall_admission_shed_total{class=\"login\"} = %v, want %d", shed, len(codes)-slots)
	}

	close(gated.gate)
	stuck.Wait()
	for i, st := range stuckStatus {
		if st != 200 {
			t.Errorf("login %d held in the store answered %d once released, want 200", i, st)
		}
	}
	// With room again, a refused candidate gets in on retry.
	resp, err := loginOf(slots)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("retried login answered %d, want 200", resp.StatusCode)
	}
}

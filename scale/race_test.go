package scale_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// TestSavesRacingSubmit: saves sent while the attempt is being submitted
// are either acknowledged and in the submission, or refused and nowhere.
// Many rounds: each candidate's saves race their own submit; afterwards
// the graded answer (from the grader) and the paper (from Redis) hold
// exactly the newest acknowledged save.
func TestSavesRacingSubmit(t *testing.T) {
	t.Parallel()
	srv := examhalltest.NewScale(t, examhalltest.Options{Quiet: true})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam("race", 3600))
	const rounds, writers = 25, 6
	codes := examhalltest.MustIssue(t, staff, exam, rounds)
	acked := make(map[string]int64) // candidate -> newest acknowledged seq of q5
	logins := make(map[string]*examhall.LoginResult)
	for _, code := range codes {
		_, login := srv.MustLogin(t, exam, code)
		logins[code.Candidate] = login
		path := "/api/v1/attempts/" + login.Attempt
		var seq atomic.Int64
		var mu sync.Mutex
		var best int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for {
					s := seq.Add(1)
					body := fmt.Sprintf(`{"answers":[{"question":"q5","response":"v%d","seq":%d}]}`, s, s)
					r := srv.Do(t, "PUT", path+"/answers", login.Token, body)
					switch {
					case r.Status == 200:
						mu.Lock()
						best = max(best, s)
						mu.Unlock()
					case r.Status == 409:
						return // submitted: every later save is refused
					case r.Status != 503:
						t.Errorf("save: %d %s", r.Status, r.Body)
						return
					}
				}
			}()
		}
		close(start)
		time.Sleep(time.Duration(5+len(acked)%7) * time.Millisecond)
		if r := srv.Do(t, "POST", path+"/submit", login.Token, `{}`); r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		wg.Wait()
		acked[code.Candidate] = best
	}
	res, err := staff.Results(t.Context(), exam)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		want := acked[r.Candidate]
		var got string
		for _, q := range r.Questions {
			if q.Question == "q5" {
				json.Unmarshal(q.Response, &got)
			}
		}
		if wantS := fmt.Sprintf("v%d", want); want > 0 && got != wantS {
			t.Errorf("%s: graded q5 = %q, want %q, the newest acknowledged save", r.Candidate, got, wantS)
		}
		login := logins[r.Candidate]
		var v examhall.AttemptView
		srv.Do(t, "GET", "/api/v1/attempts/"+login.Attempt, login.Token, nil).Decode(t, &v)
		if a := v.Answers["q5"]; want > 0 && a.Seq != want {
			t.Errorf("%s: the paper holds q5 seq %d, want %d, the newest acknowledged save", r.Candidate, a.Seq, want)
		}
	}
}

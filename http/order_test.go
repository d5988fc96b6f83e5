package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall"
	"examhall/examhalltest"
)

// TestOrderWithTwoOptionsHidesTheKey: the papers of an order question with
// two options show both orders, so that what is shown says nothing about
// the key (it used to be always the reverse of it).
func TestOrderWithTwoOptionsHidesTheKey(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{Quiet: true})
	staff := srv.Staff(t)
	doc := map[string]any{
		"id": examhalltest.UniqueName("ord"), "title": "Two", "duration_seconds": 600,
		"questions": []map[string]any{{
			"id": "q1", "type": "order", "prompt": "Oldest first", "points": 1,
			"options": []map[string]string{{"id": "a", "text": "Rome"}, {"id": "b", "text": "Berlin"}},
			"answer":  []string{"a", "b"},
		}},
	}
	exam := examhalltest.MustCreateExam(t, staff, doc)
	shown := map[string]int{}
	for _, code := range examhalltest.MustIssue(t, staff, exam, 40) {
		var login examhall.LoginResult
		srv.Do(t, "POST", "/api/v1/login", "", loginBody(exam, code.Candidate, code.Code)).Decode(t, &login)
		var paper examhall.AttemptView
		r := srv.Do(t, "GET", "/api/v1/attempts/"+login.Attempt, login.Token, nil)
		if err := json.Unmarshal(r.Body, &paper); err != nil || len(paper.Questions) != 1 {
			t.Fatalf("paper: %d %s", r.Status, r.Body)
		}
		var ids []string
		for _, o := range paper.Questions[0].Options {
			ids = append(ids, o.ID)
		}
		shown[strings.Join(ids, ",")]++
	}
	if len(shown) != 2 {
		t.Errorf("40 papers showed %v: one order only, which gives the key away", shown)
	}
}

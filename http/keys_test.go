package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall/examhalltest"
)

// secretExam has keys that appear nowhere else, so that finding one in a
// candidate's answer means it leaked.
func secretExam() map[string]any {
	return map[string]any{
		"id": "secret", "title": "Secrets", "duration_seconds": 3600,
		"questions": []any{
			map[string]any{"id": "q1", "type": "short_text", "prompt": "Word?", "answer": []string{"zanzibar-key-7781"}},
			map[string]any{"id": "q2", "type": "numeric", "prompt": "Number?", "answer": 918273.645, "tolerance": 0.000123},
			map[string]any{"id": "q3", "type": "single", "prompt": "Pick", "options": []any{
				map[string]string{"id": "opt-wrong", "text": "no"}, map[string]string{"id": "opt-right", "text": "yes"}}, "answer": "opt-right"},
			map[string]any{"id": "q4", "type": "true_false", "prompt": "T/F", "answer": true},
		},
	}
}

// TestKeysNeverReachCandidates scans every candidate-facing answer, through
// a whole attempt, for the keys and for any field that could carry one.
func TestKeysNeverReachCandidates(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, secretExam())
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]

	var bodies []*examhalltest.Response
	login := srv.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": code.Candidate, "code": code.Code})
	var l struct{ Token, Attempt string }
	login.Decode(t, &l)
	path := "/api/v1/attempts/" + l.Attempt
	bodies = append(bodies, login,
		srv.Do(t, "GET", path, l.Token, nil),
		srv.Do(t, "PUT", path+"/answers", l.Token, `{"answers":[{"question":"q1","response":"zanzibar","seq":1},{"question":"q3","response":"opt-wrong","seq":1}]}`),
		srv.Do(t, "PUT", path+"/answers", l.Token, `{"answers":[{"question":"q2","response":"x","seq":1}]}`),
		srv.Do(t, "GET", path, l.Token, nil),
		srv.Do(t, "GET", path+"/result", l.Token, nil),
		srv.Do(t, "POST", path+"/submit", l.Token, `{}`),
		srv.Do(t, "GET", path, l.Token, nil),
		srv.Do(t, "GET", path+"/result", l.Token, nil),
		srv.Do(t, "GET", "/api/v1/admin/exams/"+exam, l.Token, nil),
		srv.Do(t, "GET", "/api/v1/admin/exams/"+exam+"/results", l.Token, nil),
	)
	for i, b := range bodies {
		text := string(b.Body)
		for _, secret := range []string{"zanzibar-key-7781", "918273.645", "0.000123", "opt-right\"]", `"answer"`, `"tolerance"`, `"score"`} {
			if strings.Contains(text, secret) {
				t.Errorf("answer %d (%d) contains %s: %s", i, b.Status, secret, text)
			}
		}
		var v any
		if err := json.Unmarshal(b.Body, &v); err != nil {
			t.Errorf("answer %d is not JSON: %s", i, text)
		}
	}
	// The paper's questions carry only what a candidate needs.
	var paper struct{ Questions []map[string]json.RawMessage }
	srv.Do(t, "GET", path, l.Token, nil).Decode(t, &paper)
	for _, q := range paper.Questions {
		for k := range q {
			switch k {
			case "id", "type", "prompt", "points", "options":
			default:
				t.Errorf("question %s carries %q", q["id"], k)
			}
		}
	}
}

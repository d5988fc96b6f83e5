package examhalltest

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"examhall"
	"examhall/client"
)

// AllTypesExam returns an exam document with one question of every core
// type, open now, with the given duration.
func AllTypesExam(id string, durationSeconds int) map[string]any {
	return map[string]any{
		"id": id, "title": "All types " + id, "instructions": "Answer everything.",
		"duration_seconds": durationSeconds, "grace_seconds": 5,
		"shuffle_questions": true, "shuffle_options": true,
		"questions": []any{
			map[string]any{"id": "q1", "type": "single", "prompt": "Pick b", "points": 1,
				"options": []any{opt("a"), opt("b"), opt("c")}, "answer": "b"},
			map[string]any{"id": "q2", "type": "multiple", "prompt": "Pick a and c", "points": 2,
				"options": []any{opt("a"), opt("b"), opt("c")}, "answer": []string{"a", "c"}},
			map[string]any{"id": "q3", "type": "true_false", "prompt": "True?", "answer": true},
			map[string]any{"id": "q4", "type": "numeric", "prompt": "Pi", "answer": 3.14, "tolerance": 0.01},
			map[string]any{"id": "q5", "type": "short_text", "prompt": "Capital of France", "answer": []string{"Paris"}},
			map[string]any{"id": "q6", "type": "essay", "prompt": "Discuss", "points": 5},
		},
	}
}

// CorrectAnswers answers every question of AllTypesExam correctly (the essay
// with some text), with seq.
func CorrectAnswers(seq int64) []examhall.Answer {
	return []examhall.Answer{
		{Question: "q1", Response: raw(`"b"`), Seq: seq},
		{Question: "q2", Response: raw(`["c","a"]`), Seq: seq},
		{Question: "q3", Response: raw(`true`), Seq: seq},
		{Question: "q4", Response: raw(`3.141`), Seq: seq},
		{Question: "q5", Response: raw(`"  paris "`), Seq: seq},
		{Question: "q6", Response: raw(`"An essay."`), Seq: seq},
	}
}

func opt(id string) map[string]string { return map[string]string{"id": id, "text": "Option " + id} }

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// MustCreateExam posts an exam document as staff.
func MustCreateExam(tb testing.TB, staff *client.Client, doc any) string {
	tb.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	id, err := staff.CreateExam(context.Background(), b)
	if err != nil {
		tb.Fatalf("creating exam: %v", err)
	}
	return id
}

// MustIssue issues n codes as staff.
func MustIssue(tb testing.TB, staff *client.Client, exam string, n int) []examhall.IssuedCode {
	tb.Helper()
	codes, err := staff.IssueCodes(context.Background(), exam, nil, n)
	if err != nil {
		tb.Fatalf("issuing codes: %v", err)
	}
	if len(codes) != n {
		tb.Fatalf("issued %d codes, want %d", len(codes), n)
	}
	return codes
}

// MustLogin logs a candidate in and returns the client and the login.
func (s *Server) MustLogin(tb testing.TB, exam string, code examhall.IssuedCode) (*client.Client, *examhall.LoginResult) {
	tb.Helper()
	c := s.Client()
	res, err := c.Login(context.Background(), exam, code.Candidate, code.Code)
	if err != nil {
		tb.Fatalf("login of %s: %v", code.Candidate, err)
	}
	return c, res
}

// MetricValue returns the value of one series of the server's /metrics,
// named as the text format writes it (`name{label="v"}`); it fails the
// test when the series is absent.
func MetricValue(tb testing.TB, s *Server, series string) float64 {
	tb.Helper()
	r := s.Do(tb, "GET", "/metrics", "", nil)
	for _, line := range strings.Split(string(r.Body), "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				tb.Fatalf("metric %s: %v", series, err)
			}
			return v
		}
	}
	tb.Fatalf("/metrics has no series %s", series)
	return 0
}

// AsAdmin returns a context acting as the test servers' admin, for tests
// that call a server's Hall directly.
func AsAdmin() context.Context {
	return examhall.WithIdentity(context.Background(), &examhall.Identity{Staff: AdminUser, Role: examhall.RoleAdmin})
}

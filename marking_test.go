package examhall_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// markingExam has +4/-1 at the exam level, a section with wrong_fraction,
// a question with its own scheme and partial credit.
const markingExam = `{"title": "t", "duration_seconds": 600,
 "marking": {"correct": 4, "wrong": -1},
 "questions": [
	{"id": "single", "type": "single", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "b"},
	{"id": "multi", "type": "multiple", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], "answer": ["a", "c"]},
	{"id": "pmulti", "type": "multiple", "partial_credit": true, "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], "answer": ["a", "c"]},
	{"id": "tf", "type": "true_false", "answer": false},
	{"id": "num", "type": "numeric", "answer": 3.14, "tolerance": 0.01},
	{"id": "text", "type": "short_text", "answer": ["Paris"]},
	{"id": "match", "type": "match", "partial_credit": true, "options": [{"id": "fr", "text": "France"}, {"id": "de", "text": "Germany"}], "targets": [{"id": "p", "text": "Paris"}, {"id": "b", "text": "Berlin"}], "answer": {"fr": "p", "de": "b"}},
	{"id": "order", "type": "order", "options": [{"id": "1", "text": "one"}, {"id": "2", "text": "two"}], "answer": ["1", "2"]},
	{"id": "cloze", "type": "cloze", "partial_credit": true, "prompt": "[[g1]] [[g2]]", "gaps": [{"id": "g1", "type": "text", "answer": ["x"]}, {"id": "g2", "type": "numeric", "answer": 2}]},
	{"id": "essay", "type": "essay"},
	{"id": "frac", "type": "single", "marking": {"correct": 2, "wrong_fraction": -0.25, "unanswered": -0.5}, "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "a"}]}`

func TestGradeMarked(t *testing.T) {
	e := mustExam(t, markingExam)
	tests := []struct {
		question, response string
		points             float64
		outcome            examhall.Outcome
	}{
		{"single", `"b"`, 4, examhall.Right},
		{"single", `"a"`, -1, examhall.Wrong},
		{"single", `null`, 0, examhall.Omitted},
		{"single", `""`, 0, examhall.Omitted},
		{"multi", `["a","c"]`, 4, examhall.Right},
		{"multi", `["a"]`, -1, examhall.Wrong},
		{"multi", `[]`, 0, examhall.Omitted}, // a cleared response
		{"pmulti", `["a"]`, 2, examhall.Partial},
		{"pmulti", `["a","b"]`, -1, examhall.Wrong}, // (1-1)/2 = 0: no credit
		{"pmulti", `["b"]`, -1, examhall.Wrong},     // never below wrong
		{"tf", `false`, 4, examhall.Right},
		{"tf", `true`, -1, examhall.Wrong},
		{"num", `3.145`, 4, examhall.Right},
		{"num", `3`, -1, examhall.Wrong},
		{"text", `" paris "`, 4, examhall.Right},
		{"text", `"London"`, -1, examhall.Wrong},
		{"text", `"   "`, 0, examhall.Omitted},
		{"match", `{"fr":"p","de":"p"}`, 2, examhall.Partial},
		{"match", `{"fr":"b","de":"p"}`, -1, examhall.Wrong},
		{"match", `{}`, 0, examhall.Omitted},
		{"order", `["2","1"]`, -1, examhall.Wrong},
		{"order", `["1","2"]`, 4, examhall.Right},
		{"cloze", `{"g1":"x","g2":5}`, 2, examhall.Partial},
		{"cloze", `{"g1":"y","g2":5}`, -1, examhall.Wrong},
		{"cloze", `{"g1":"","g2":null}`, 0, examhall.Omitted},
		{"essay", `"words"`, 0, examhall.Awaiting},
		{"essay", `""`, 0, examhall.Omitted},
		{"frac", `"a"`, 2, examhall.Right},
		{"frac", `"b"`, -0.5, examhall.Wrong},
		{"frac", `null`, -0.5, examhall.Omitted},
	}
	for _, tt := range tests {
		t.Run(tt.question+" "+tt.response, func(t *testing.T) {
			q, _ := e.Question(tt.question)
			got, outcome := examhall.GradeMarked(q, e.MarkingOf(q), json.RawMessage(tt.response))
			if got != tt.points || outcome != tt.outcome {
				t.Errorf("got %v %s, want %v %s", got, outcome, tt.points, tt.outcome)
			}
		})
	}
	if q, _ := e.Question("essay"); q.Points != 4 {
		t.Errorf("marking.correct should set every question's points: essay has %v", q.Points)
	}
}

// sectionsExam: section A, +1/-0.25, answer any 2 of 3 (best); section B
// answer any 1 of 2 (first), no penalty.
func sectionsExam(extra string) string {
	return `{"title": "t", "duration_seconds": 600` + extra + `,
 "questions": [
	{"id": "a1", "type": "true_false", "points": 1, "answer": true},
	{"id": "a2", "type": "true_false", "points": 2, "answer": true},
	{"id": "a3", "type": "true_false", "points": 3, "answer": true},
	{"id": "b1", "type": "true_false", "answer": true},
	{"id": "b2", "type": "true_false", "answer": true}],
 "sections": [
	{"id": "A", "title": "Part A", "questions": ["a1", "a2", "a3"], "answer_any": 2, "marking": {"wrong": -0.25}},
	{"id": "B", "title": "Part B", "questions": ["b1", "b2"], "answer_any": 1, "answer_any_rule": "first"}]}`
}

func score(t *testing.T, e *examhall.Exam, responses map[string]string) *examhall.Result {
	t.Helper()
	answers := map[string]examhall.Answer{}
	for q, r := range responses {
		answers[q] = examhall.Answer{Question: q, Response: json.RawMessage(r), Seq: 1}
	}
	a := &examhall.Attempt{ID: "x", Candidate: "c", Status: examhall.Submitted}
	return examhall.Score(e, a, answers, nil)
}

func TestScoreSections(t *testing.T) {
	e := mustExam(t, sectionsExam(""))
	tests := []struct {
		name       string
		responses  map[string]string
		score      float64
		notCounted []string
		sections   [2]float64
	}{
		{"nothing", nil, 0, nil, [2]float64{0, 0}},
		{"best two of three right", map[string]string{"a1": "true", "a2": "true", "a3": "true"}, 5, []string{"a1"}, [2]float64{5, 0}},
		{"best keeps the right over the wrong", map[string]string{"a1": "true", "a2": "false", "a3": "true"}, 4, []string{"a2"}, [2]float64{4, 0}},
		{"two answered, one wrong", map[string]string{"a1": "false", "a3": "true"}, 2.75, nil, [2]float64{2.75, 0}},
		{"cleared answers do not count as answered", map[string]string{"a1": "null", "a2": "false", "a3": "true"}, 2.75, nil, [2]float64{2.75, 0}},
		{"first of B counts even if wrong", map[string]string{"b1": "false", "b2": "true"}, 0, []string{"b2"}, [2]float64{0, 0}},
		{"first skips unanswered", map[string]string{"b2": "true"}, 1, nil, [2]float64{0, 1}},
		{"negative total floored", map[string]string{"a1": "false", "a2": "false"}, 0, nil, [2]float64{-0.5, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := score(t, e, tt.responses)
			if r.Score != tt.score || r.MaxScore != 6 {
				t.Errorf("score %v of %v, want %v of 6", r.Score, r.MaxScore, tt.score)
			}
			var nc []string
			for _, q := range r.Questions {
				if q.NotCounted {
					nc = append(nc, q.Question)
				}
			}
			if strings.Join(nc, ",") != strings.Join(tt.notCounted, ",") {
				t.Errorf("not counted %v, want %v", nc, tt.notCounted)
			}
			if len(r.Sections) != 2 || r.Sections[0].Score != tt.sections[0] || r.Sections[1].Score != tt.sections[1] {
				t.Errorf("sections %+v, want scores %v", r.Sections, tt.sections)
			}
			if r.Sections[0].MaxScore != 5 || r.Sections[1].MaxScore != 1 {
				t.Errorf("section maxima %v and %v, want 5 and 1", r.Sections[0].MaxScore, r.Sections[1].MaxScore)
			}
		})
	}
	neg := mustExam(t, sectionsExam(`, "allow_negative_total": true`))
	if r := score(t, neg, map[string]string{"a1": "false", "a2": "false"}); r.Score != -0.5 {
		t.Errorf("allow_negative_total: score %v, want -0.5", r.Score)
	}
}

func TestScoreMarkedForReview(t *testing.T) {
	for _, graded := range []bool{true, false} {
		extra := ""
		if !graded {
			extra = `, "grade_marked_for_review": false, "marking": {"wrong": -1}`
		}
		e := mustExam(t, sectionsExam(extra))
		r := score(t, e, map[string]string{"a3": "true", "b1": "true", "~review:a3": "true", "~review:b1": "false"})
		want := 4.0
		if !graded {
			want = 1
		}
		if r.Score != want {
			t.Errorf("grade_marked_for_review %v: score %v, want %v", graded, r.Score, want)
		}
		if !r.Questions[2].Review || r.Questions[3].Review {
			t.Errorf("review flags %+v", r.Questions)
		}
	}
}

func TestSectionsValidate(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"question in no section", `"sections": [{"id": "A", "questions": ["q1"]}]`, "is in no section"},
		{"question in two", `"sections": [{"id": "A", "questions": ["q1", "q2"]}, {"id": "B", "questions": ["q2"]}]`, "already in section"},
		{"unknown question", `"sections": [{"id": "A", "questions": ["q1", "q2", "zz"]}]`, "no question has the id"},
		{"answer_any too big", `"sections": [{"id": "A", "questions": ["q1", "q2"], "answer_any": 3}, {"id": "B", "questions": ["q3"]}]`, "answer_any"},
		{"rule without any", `"sections": [{"id": "A", "questions": ["q1", "q2"], "answer_any_rule": "best"}]`, "needs answer_any"},
		{"bad rule", `"sections": [{"id": "A", "questions": ["q1", "q2"], "answer_any": 1, "answer_any_rule": "worst"}]`, "not a rule"},
		{"bad navigation", `"sections": [{"id": "A", "questions": ["q1", "q2"], "navigation": "back"}]`, "not a navigation"},
		{"positive wrong", `"marking": {"wrong": 1}`, "marking.wrong"},
		{"both wrongs", `"marking": {"wrong": -1, "wrong_fraction": -0.5}`, "not both"},
		{"fraction too big", `"marking": {"wrong_fraction": -2}`, "wrong_fraction"},
		{"two untimed", `"duration_seconds": 600, "sections": [{"id": "A", "questions": ["q1"], "duration_seconds": 60}, {"id": "B", "questions": ["q2"]}, {"id": "C", "questions": ["q3"]}]`, "at most one"},
		{"sum mismatch", `"duration_seconds": 100, "sections": [{"id": "A", "questions": ["q1", "q2", "q3"], "duration_seconds": 60}]`, "sum of the sections"},
		{"pool across sections", `"pools": [{"id": "p", "draw": 1, "questions": ["q1", "q3"]}], "sections": [{"id": "A", "questions": ["q1", "q2"]}, {"id": "B", "questions": ["q3"]}]`, "different sections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"title": "t", ` + tt.doc + `, "questions": [
				{"id": "q1", "type": "true_false", "answer": true},
				{"id": "q2", "type": "true_false", "answer": true},
				{"id": "q3", "type": "true_false", "answer": true}]}`
			if !strings.Contains(tt.doc, "duration_seconds") {
				doc = strings.Replace(doc, `{"title": "t", `, `{"title": "t", "duration_seconds": 60, `, 1)
			}
			_, err := examhall.ParseExam([]byte(doc))
			if examhall.ErrorCode(err) != examhall.EBadRequest || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want bad_request containing %q", err, tt.want)
			}
		})
	}
}

func TestSchedule(t *testing.T) {
	e := mustExam(t, `{"title": "t", "questions": [
		{"id": "q1", "type": "true_false", "answer": true}, {"id": "q2", "type": "true_false", "answer": true}],
		"sections": [{"id": "A", "questions": ["q1"], "duration_seconds": 600}, {"id": "B", "questions": ["q2"], "duration_seconds": 1200}]}`)
	if e.DurationSeconds != 1800 {
		t.Fatalf("duration %d, want the sections' sum 1800", e.DurationSeconds)
	}
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	at := func(min float64) time.Time { return start.Add(time.Duration(min * float64(time.Minute))) }
	tests := []struct {
		name     string
		extra    time.Duration
		finished map[string]time.Time
		want     [3]time.Time // A closes, B opens, B closes
	}{
		{"plain", 0, nil, [3]time.Time{at(10), at(10), at(30)}},
		{"extra shared by duration", 3 * time.Minute, nil, [3]time.Time{at(11), at(11), at(33)}},
		{"A finished early", 0, map[string]time.Time{"A": at(4)}, [3]time.Time{at(4), at(4), at(24)}},
		{"finish after close ignored", 0, map[string]time.Time{"A": at(12)}, [3]time.Time{at(10), at(10), at(30)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.Schedule(start, tt.extra, tt.finished)
			got := [3]time.Time{w[0].Closes, w[1].Opens, w[1].Closes}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	closes := at(20)
	e.ClosesAt = &closes
	if w := e.Schedule(start, 0, nil); !w[1].Closes.Equal(closes) {
		t.Errorf("closes_at: B closes %v, want %v", w[1].Closes, closes)
	}
	if got := examhall.Current(e.Schedule(start, 0, nil), at(15)); got != 1 {
		t.Errorf("current at 15 min: %d, want 1", got)
	}
}

func TestBlank(t *testing.T) {
	for r, want := range map[string]bool{
		`null`: true, `""`: true, `"  "`: true, `"\t"`: true, `[]`: true, `[ ]`: true, `{}`: true,
		`{"g1":"","g2":null}`: true, `{"a":{"b":[]}}`: true, `{"g1": "  "}`: true, `{"g1":"\n"}`: true,
		`"a"`: false, `["a"]`: false, `{"g1":"x"}`: false, `{"g1":"","g2":3}`: false, `0`: false, `false`: false,
		`{"a":{"b":["c"]}}`: false, `[""]`: false,
	} {
		if got := examhall.Blank(json.RawMessage(r)); got != want {
			t.Errorf("Blank(%s) = %v, want %v", r, got, want)
		}
	}
}

// TestGradeMarkedMoreTypes: negative marking with the other types: right
// keeps the points, partly right keeps its share, no credit at all is
// wrong, blank is unanswered; a multipart question is marked as a whole.
func TestGradeMarkedMoreTypes(t *testing.T) {
	doc := examhalltest.MoreTypesExam("neg", 600)
	doc["marking"] = map[string]any{"wrong_fraction": -0.25, "unanswered": -0.1}
	b, _ := json.Marshal(doc)
	e := mustExam(t, string(b))
	wrongs := map[string]string{
		"cz": `{"city": "Rome", "sum": 9, "colour": "r"}`, "gm": `{"g1": "sky", "g2": "sky"}`, "ht": `["h1"]`,
		"hs": `["b"]`, "sp": `[{"x": 0, "y": 0}]`, "mp": `{"a": "y", "b": 1}`,
	}
	partials := map[string]string{"cz": `{"city": "Paris", "sum": 9, "colour": "r"}`, "ht": `["h2"]`, "sp": `[{"x": 101, "y": 99}]`, "mp": `{"a": "x"}`}
	for id, right := range examhalltest.MoreTypesAnswers {
		q, _ := e.Question(id)
		m := e.MarkingOf(q)
		want := examhall.Right
		if right.Points < q.Points {
			want = examhall.Partial // the multipart's upload part is left out
		}
		if got, o := examhall.GradeMarked(q, m, json.RawMessage(right.Response)); got != right.Points || o != want {
			t.Errorf("%s right: %v %s, want %v %s", id, got, o, right.Points, want)
		}
		if got, o := examhall.GradeMarked(q, m, json.RawMessage(wrongs[id])); got != -0.25*q.Points || o != examhall.Wrong {
			t.Errorf("%s wrong: %v %s, want %v wrong", id, got, o, -0.25*q.Points)
		}
		if got, o := examhall.GradeMarked(q, m, json.RawMessage(`null`)); got != -0.1 || o != examhall.Omitted {
			t.Errorf("%s blank: %v %s, want -0.1 omitted", id, got, o)
		}
		if p, ok := partials[id]; ok {
			if got, o := examhall.GradeMarked(q, m, json.RawMessage(p)); got <= 0 || got >= q.Points || o != examhall.Partial {
				t.Errorf("%s partly right: %v %s, want a share, partial", id, got, o)
			}
		}
	}
	q, _ := e.Question("up")
	if got, o := examhall.GradeMarked(q, e.MarkingOf(q), json.RawMessage(`{"ref": "u1.x", "name": "a.pdf", "type": "application/pdf", "size": 3, "sha256": "ab"}`)); got != 0 || o != examhall.Awaiting {
		t.Errorf("upload: %v %s, want pending", got, o)
	}
}

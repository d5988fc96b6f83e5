package examhall_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"examhall"
)

// statsExam has one single-choice item (key a) and four true/false items
// (key true).
const statsExam = `{"id": "s", "title": "S", "duration_seconds": 60, "questions": [
	{"id": "q1", "type": "single", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], "answer": "a"},
	{"id": "q2", "type": "true_false", "answer": true},
	{"id": "q3", "type": "true_false", "answer": true},
	{"id": "q4", "type": "true_false", "answer": true},
	{"id": "q5", "type": "true_false", "answer": true},
	{"id": "q6", "type": "essay"}]}`

// statsResponses: ten candidates; q1 by option ("-" omitted), q2–q5 as 1
// (right) or 0 (wrong).
var statsResponses = struct {
	q1 []string
	tf [4][10]int
}{
	q1: []string{"a", "a", "a", "a", "b", "a", "c", "b", "-", "b"},
	tf: [4][10]int{
		{1, 1, 1, 1, 1, 0, 1, 0, 0, 0},
		{1, 1, 1, 0, 1, 1, 0, 0, 0, 0},
		{1, 1, 1, 1, 0, 1, 0, 1, 0, 0},
		{0, 0, 1, 0, 0, 1, 0, 1, 1, 1},
	},
}

func statsResults(t *testing.T, e *examhall.Exam) []*examhall.Result {
	t.Helper()
	var out []*examhall.Result
	for i := 0; i < 10; i++ {
		answers := map[string]examhall.Answer{}
		if r := statsResponses.q1[i]; r != "-" {
			answers["q1"] = examhall.Answer{Question: "q1", Response: json.RawMessage(`"` + r + `"`)}
		}
		for j, row := range statsResponses.tf {
			id := fmt.Sprintf("q%d", j+2)
			answers[id] = examhall.Answer{Question: id, Response: json.RawMessage(fmt.Sprint(row[i] == 1))}
		}
		a := &examhall.Attempt{ID: fmt.Sprintf("a%d", i), Candidate: fmt.Sprintf("c%d", i), Status: examhall.Submitted}
		out = append(out, examhall.Score(e, a, answers, nil))
	}
	return out
}

// TestAnalyzeWorkedExample checks every statistic against values computed
// independently, with Python's standard library, from the formulas of
// classical test theory: population SD; KR-20 = k/(k-1)·(1 − Σpq/σ²);
// SEM = σ·√(1 − KR-20); corrected point-biserial = Pearson's r of the item
// with the total minus the item; upper–lower groups of ⌈0.27·n⌉ = 3.
// Totals are 4 4 5 3 2 4 1 2 1 1 (the essay is unanswered, so it waits
// for nobody and scores 0 for all).
func TestAnalyzeWorkedExample(t *testing.T) {
	e := mustExam(t, statsExam)
	e.Questions = e.Questions[:5] // the worked example has five items
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	s := examhall.Analyze(e, statsResults(t, e))
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if s.Attempts != 10 || s.MaxScore != 5 {
		t.Fatalf("attempts %d, max %v; want 10, 5", s.Attempts, s.MaxScore)
	}
	near("mean", s.Mean, 2.7)
	near("sd", s.SD, 1.417745)
	near("median", s.Median, 2.5)
	near("min", s.Min, 1)
	near("max", s.Max, 5)
	if s.Reliability == nil || s.SEM == nil || s.ReliabilityMethod != "kr20" {
		t.Fatalf("reliability %v (%s), sem %v", s.Reliability, s.ReliabilityMethod, s.SEM)
	}
	near("kr20", *s.Reliability, 0.485075)
	near("sem", *s.SEM, 1.017349)
	want := []struct {
		p, rpb, ul float64
		flags      []string
	}{
		{0.5, 0.816497, 1, []string{}},
		{0.6, 0.062807, 0.666667, []string{}},
		{0.5, 0.557086, 1, []string{}},
		{0.6, 0.664753, 1, []string{}},
		{0.5, -0.390567, -0.333333, []string{examhall.FlagNegativeDiscrimination}},
	}
	for i, w := range want {
		it := s.Items[i]
		near(it.Question+" facility", it.Facility, w.p)
		near(it.Question+" discrimination", *it.Discrimination, w.rpb)
		near(it.Question+" upper-lower", *it.UpperLower, w.ul)
		if !slices.Equal(it.Flags, w.flags) {
			t.Errorf("%s flags = %v, want %v", it.Question, it.Flags, w.flags)
		}
	}
	near("q1 omitted", s.Items[0].Omitted, 0.1)
	opts := s.Items[0].Options
	wantOpts := []examhall.OptionStats{
		{Option: "a", Key: true, All: 0.5, Upper: 1, Lower: 0},
		{Option: "b", All: 0.3, Upper: 0, Lower: 0.333333},
		{Option: "c", All: 0.1, Upper: 0, Lower: 0.333333},
	}
	if !slices.Equal(opts, wantOpts) {
		t.Errorf("distractors = %+v\nwant %+v", opts, wantOpts)
	}
	var inBins int
	for _, b := range s.Distribution {
		inBins += b.Count
	}
	if inBins != 10 || s.Distribution[len(s.Distribution)-1].Count != 1 {
		t.Errorf("distribution = %+v, want 10 scores with the 5 in the last bin", s.Distribution)
	}
}

func TestAnalyzeAwaitingMarkingAndFlags(t *testing.T) {
	e := mustExam(t, statsExam)
	results := statsResults(t, e)
	// Two essays answered: those attempts wait for a person.
	for _, i := range []int{0, 1} {
		a := &examhall.Attempt{ID: results[i].Attempt, Status: examhall.Submitted}
		answers := map[string]examhall.Answer{"q6": {Question: "q6", Response: json.RawMessage(`"text"`)}, "q2": {Question: "q2", Response: json.RawMessage(`true`)}}
		var marks map[string]examhall.Mark
		if i == 1 {
			marks = map[string]examhall.Mark{"q6": {Points: 1}}
		}
		results[i] = examhall.Score(e, a, answers, marks)
	}
	results = append(results, &examhall.Result{Status: examhall.InProgress}, &examhall.Result{Status: examhall.NotStarted})
	s := examhall.Analyze(e, results)
	if s.Attempts != 9 || s.AwaitingMarking != 1 || s.InProgress != 1 || s.NotStarted != 1 {
		t.Fatalf("attempts %d, awaiting %d, in progress %d, not started %d; want 9, 1, 1, 1",
			s.Attempts, s.AwaitingMarking, s.InProgress, s.NotStarted)
	}
	essay := s.Items[5]
	if essay.N != 9 || essay.Facility != round(1.0/9) {
		t.Errorf("marked essay: n %d facility %v; want 9, %v", essay.N, essay.Facility, round(1.0/9))
	}
	if !slices.Contains(essay.Flags, examhall.FlagTooHard) {
		t.Errorf("essay flags = %v, want too_hard", essay.Flags)
	}
}

func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func TestAnalyzePartialCreditUsesAlpha(t *testing.T) {
	e := mustExam(t, `{"title": "T", "duration_seconds": 60, "questions": [
		{"id": "m", "type": "multiple", "partial_credit": true, "points": 2, "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], "answer": ["a", "b"]},
		{"id": "t", "type": "true_false", "answer": true}]}`)
	resp := []struct{ m, t string }{{`["a","b"]`, "true"}, {`["a"]`, "true"}, {`["c"]`, "false"}, {`["a"]`, "false"}}
	var results []*examhall.Result
	for i, r := range resp {
		a := &examhall.Attempt{ID: fmt.Sprint(i), Status: examhall.Submitted}
		results = append(results, examhall.Score(e, a, map[string]examhall.Answer{
			"m": {Response: json.RawMessage(r.m)}, "t": {Response: json.RawMessage(r.t)}}, nil))
	}
	s := examhall.Analyze(e, results)
	// Item scores m: 2 1 0 1, t: 1 1 0 0; totals 3 2 0 1. Population
	// variances 0.5, 0.25, 1.25: alpha = 2·(1 − 0.75/1.25) = 0.8.
	if s.ReliabilityMethod != "cronbach_alpha" || s.Reliability == nil || *s.Reliability != 0.8 {
		t.Errorf("reliability = %v (%s), want 0.8 cronbach_alpha", s.Reliability, s.ReliabilityMethod)
	}
}

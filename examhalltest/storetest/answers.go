package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"examhall"
	"examhall/examhalltest"
)

// Save applies the seq rule (SeqCases) and reports the stored seqs.
func testSaveSeqRule(t *testing.T, s *suite) {
	e := s.mustExam(t)
	for _, c := range SeqCases {
		t.Run(c.Name, func(t *testing.T) {
			a := s.mustAttempt(t, e, time.Now())
			if len(c.Stored) > 0 {
				if _, err := s.Answers.Save(ctx, a.ID, c.Stored); err != nil {
					t.Fatal(err)
				}
			}
			saved, err := s.Answers.Save(ctx, a.ID, c.Batch)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.Saved, saved); diff != "" {
				t.Errorf("saved (-want +got):\n%s", diff)
			}
			got, err := s.Answers.Answers(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.Final, kept(got)); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
		})
	}
}

// Save is ENotFound for an attempt the store does not hold and
// EAttemptClosed once the attempt is submitted, and then changes nothing.
func testSaveErrors(t *testing.T, s *suite) {
	_, err := s.Answers.Save(ctx, examhalltest.UniqueName("none"), []examhall.Answer{ans("q1", `"a"`, 1)})
	wantCode(t, "Save to no attempt", err, examhall.ENotFound)
	e := s.mustExam(t)
	a := s.mustAttempt(t, e, time.Now())
	if _, _, err := s.Answers.Submit(ctx, a.ID, nil, time.Now(), false, func(*examhall.Submission) {}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Answers.Save(ctx, a.ID, []examhall.Answer{ans("q1", `"a"`, 1)})
	wantCode(t, "Save after Submit", err, examhall.EAttemptClosed)
	if got, err := s.Answers.Answers(ctx, a.ID); err != nil || len(got) != 0 {
		t.Errorf("answers after a refused save: %v, %v; want none", got, err)
	}
}

// Submit merges the final batch with the seq rule, lets seal sign the
// result and stores it, once: a later Submit returns the first submission
// unchanged and calls nothing. Afterwards the attempt reads as submitted
// and its answers are the final ones. ENotFound for no attempt.
func testSubmit(t *testing.T, s *suite) {
	e := s.mustExam(t)
	a := s.mustAttempt(t, e, time.Now())
	if _, err := s.Answers.Save(ctx, a.ID, []examhall.Answer{ans("q1", `"a"`, 2), ans("q2", `true`, 1)}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(time.Minute).UTC().Truncate(time.Millisecond)
	seals := 0
	seal := func(sub *examhall.Submission) {
		seals++
		sub.Receipt = "r1.test-" + sub.Attempt
	}
	final := []examhall.Answer{ans("q1", `"b"`, 1), ans("q3", `"Paris"`, 1)} // q1 is older than the stored
	sub, created, err := s.Answers.Submit(ctx, a.ID, final, at, false, seal)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"q1": `2 "a"`, "q2": `1 true`, "q3": `1 "Paris"`}
	if !created || seals != 1 || sub.Receipt != "r1.test-"+a.ID || !sub.SubmittedAt.Equal(at) || sub.Auto {
		t.Errorf("first Submit: created %v, %d seals, receipt %q, at %v, auto %v; want created, 1 seal, the seal's receipt, at %v, manual",
			created, seals, sub.Receipt, sub.SubmittedAt, sub.Auto, at)
	}
	if diff := cmp.Diff(want, kept(sub.Answers)); diff != "" {
		t.Errorf("submitted answers (-want +got):\n%s", diff)
	}
	again, created, err := s.Answers.Submit(ctx, a.ID, []examhall.Answer{ans("q2", `false`, 9)}, at.Add(time.Hour), true, seal)
	if err != nil {
		t.Fatal(err)
	}
	if created || seals != 1 || again.Receipt != sub.Receipt || !again.SubmittedAt.Equal(at) || again.Auto {
		t.Errorf("second Submit: created %v, %d seals, receipt %q at %v auto %v; want the first submission, unchanged",
			created, seals, again.Receipt, again.SubmittedAt, again.Auto)
	}
	if diff := cmp.Diff(want, kept(again.Answers)); diff != "" {
		t.Errorf("second Submit's answers (-want +got):\n%s", diff)
	}
	got, err := s.Attempts.Attempt(ctx, a.ID)
	if err != nil || got.Status != examhall.Submitted || !got.SubmittedAt.Equal(at) || got.Auto || got.Receipt != sub.Receipt {
		t.Errorf("Attempt after Submit = %+v, %v", got, err)
	}
	answers, err := s.Answers.Answers(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, kept(answers)); diff != "" {
		t.Errorf("Answers after Submit (-want +got):\n%s", diff)
	}
	_, _, err = s.Answers.Submit(ctx, examhalltest.UniqueName("none"), nil, at, false, seal)
	wantCode(t, "Submit of no attempt", err, examhall.ENotFound)
}

// ExamAnswers calls fn with the current answers of every attempt of an
// exam that has any: drafts in progress, final answers once submitted.
func testExamAnswers(t *testing.T, s *suite) {
	e := s.mustExam(t)
	drafting, done, blank := s.mustAttempt(t, e, time.Now()), s.mustAttempt(t, e, time.Now()), s.mustAttempt(t, e, time.Now())
	for _, a := range []*examhall.Attempt{drafting, done} {
		if _, err := s.Answers.Save(ctx, a.ID, []examhall.Answer{ans("q1", `"a"`, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.Answers.Submit(ctx, done.ID, []examhall.Answer{ans("q2", `true`, 1)}, time.Now(), false, func(*examhall.Submission) {}); err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]string{}
	err := s.Answers.ExamAnswers(ctx, e.ID, func(id string, answers map[string]examhall.Answer) error {
		got[id] = kept(answers) // a copy: the store may reuse the map
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		drafting.ID: {"q1": `1 "a"`},
		done.ID:     {"q1": `1 "a"`, "q2": `1 true`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ExamAnswers (-want +got), %s has none:\n%s", blank.ID, diff)
	}
}

// The navigation state of exams with sections (review flags, visits,
// sections finished) is kept under state keys beside the answers: every
// store holds them as answers, by the seq rule, through submission, and
// hands them to ExamAnswers, so that grading reads the same in both modes.
func testStateKeys(t *testing.T, s *suite) {
	e := s.mustExam(t)
	a := s.mustAttempt(t, e, time.Now())
	review, seen, finish := examhall.ReviewKey("q1"), examhall.SeenKey("q1"), examhall.FinishKey("sec-A")
	if _, err := s.Answers.Save(ctx, a.ID, []examhall.Answer{ans(review, `true`, 1), ans(seen, `true`, 1), ans("q1", `"a"`, 1)}); err != nil {
		t.Fatal(err)
	}
	saved, err := s.Answers.Save(ctx, a.ID, []examhall.Answer{ans(review, `false`, 2), ans(seen, `true`, 1), ans(finish, `"2026-01-01T09:10:00Z"`, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]examhall.Saved{{Question: review, Seq: 2}, {Question: seen, Seq: 1}, {Question: finish, Seq: 1}}, saved); diff != "" {
		t.Errorf("saved (-want +got):\n%s", diff)
	}
	if _, _, err := s.Answers.Submit(ctx, a.ID, nil, time.Now(), false, func(*examhall.Submission) {}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"q1": `1 "a"`, review: `2 false`, seen: `1 true`, finish: `1 "2026-01-01T09:10:00Z"`}
	got, err := s.Answers.Answers(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, kept(got)); diff != "" {
		t.Errorf("answers after submission (-want +got):\n%s", diff)
	}
	err = s.Answers.ExamAnswers(ctx, e.ID, func(id string, answers map[string]examhall.Answer) error {
		if diff := cmp.Diff(want, kept(answers)); id == a.ID && diff != "" {
			t.Errorf("ExamAnswers (-want +got):\n%s", diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := examhall.StateOf(got); st.Review["q1"] || !st.Seen["q1"] || st.Finished["sec-A"].IsZero() {
		t.Errorf("state read back: %+v", st)
	}
}

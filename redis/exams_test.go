package redis_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/redis"
)

// countingExams is an exam store in memory that counts its reads.
type countingExams struct {
	examhall.ExamStore
	exams map[string]*examhall.Exam
	reads int
}

func (c *countingExams) Exam(_ context.Context, id string) (*examhall.Exam, error) {
	c.reads++
	e, ok := c.exams[id]
	if !ok {
		return nil, examhall.Errorf(examhall.ENotFound, "no exam %q", id)
	}
	cp := *e
	return &cp, nil
}

func (c *countingExams) SetReleased(_ context.Context, id string, released bool) error {
	c.exams[id].Released = released
	return nil
}

func TestExamCacheSharedByPods(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := context.Background()
	doc, _ := json.Marshal(examhalltest.AllTypesExam("cached", 600))
	e, err := examhall.ParseExam(doc)
	if err != nil {
		t.Fatal(err)
	}
	store := &countingExams{exams: map[string]*examhall.Exam{"cached": e}}
	podA, podB := redis.NewExamCache(s, store, time.Minute), redis.NewExamCache(s, store, time.Minute)
	for _, c := range []*redis.ExamCache{podA, podB, podA} {
		got, err := c.Exam(ctx, "cached")
		if err != nil || got.Title != e.Title || len(got.Questions) != 6 {
			t.Fatalf("Exam = %+v, %v", got, err)
		}
		if q, _ := got.Question("q1"); q == nil {
			t.Fatal("a cached exam lost its questions")
		}
	}
	if store.reads != 1 {
		t.Fatalf("the store was read %d times, want once for both pods", store.reads)
	}
	if err := podA.SetReleased(ctx, "cached", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := podB.Exam(ctx, "cached"); !got.Released {
		t.Fatal("another pod still sees the exam unreleased after a release")
	}
	if _, err := podB.Exam(ctx, "nope"); examhall.ErrorCode(err) != examhall.ENotFound {
		t.Fatalf("Exam(nope): %v", err)
	}
}

package redis

import (
	"context"
	"encoding/json"
	"time"

	"examhall"
)

// ExamCache keeps exam definitions in Redis in front of the durable exam
// store, so that pods starting together, or refreshing their in-process
// copy every second, ask PostgreSQL once between changes. Every change made
// through it drops the cached copy, for every pod; a failing Redis only
// sends reads to the store.
type ExamCache struct {
	examhall.ExamStore
	s   *Store
	ttl time.Duration
}

var _ examhall.ExamStore = (*ExamCache)(nil)

// NewExamCache returns store with its exams cached in s for ttl.
func NewExamCache(s *Store, store examhall.ExamStore, ttl time.Duration) *ExamCache {
	return &ExamCache{ExamStore: store, s: s, ttl: ttl}
}

func (c *ExamCache) key(id string) string { return c.s.prefix + "exam:{" + id + "}" }

// cachedExam is an exam as cached: the document with the fields it does
// not carry.
type cachedExam struct {
	Doc       json.RawMessage `json:"doc"`
	Released  bool            `json:"released"`
	CreatedAt time.Time       `json:"created_at"`
}

// Exam implements examhall.ExamStore.
func (c *ExamCache) Exam(ctx context.Context, id string) (*examhall.Exam, error) {
	start := time.Now()
	raw, err := c.s.c.Do(ctx, c.s.c.B().Get().Key(c.key(id)).Build()).AsBytes()
	if c.s.observe("exam_cache_get", start, err) == nil && len(raw) > 0 {
		if e, err := decodeExam(raw); err == nil {
			return e, nil
		}
	}
	e, err := c.ExamStore.Exam(ctx, id)
	if err != nil {
		return nil, err
	}
	doc, err := json.Marshal(e)
	if err != nil {
		return e, nil
	}
	if raw, err := json.Marshal(cachedExam{Doc: doc, Released: e.Released, CreatedAt: e.CreatedAt}); err == nil {
		start = time.Now()
		err = c.s.c.Do(ctx, c.s.c.B().Set().Key(c.key(id)).Value(string(raw)).Px(c.ttl).Build()).Error()
		c.s.observe("exam_cache_set", start, err)
	}
	return e, nil
}

func decodeExam(raw []byte) (*examhall.Exam, error) {
	var ce cachedExam
	if err := json.Unmarshal(raw, &ce); err != nil {
		return nil, err
	}
	var e examhall.Exam
	if err := json.Unmarshal(ce.Doc, &e); err != nil {
		return nil, err
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e.Released, e.CreatedAt = ce.Released, ce.CreatedAt
	return &e, nil
}

// forget drops the cached copy after a change (or a failed attempt at one).
func (c *ExamCache) forget(ctx context.Context, id string) {
	start := time.Now()
	c.s.observe("exam_cache_del", start, c.s.c.Do(context.WithoutCancel(ctx), c.s.c.B().Del().Key(c.key(id)).Build()).Error())
}

// CreateExam implements examhall.ExamStore.
func (c *ExamCache) CreateExam(ctx context.Context, e *examhall.Exam) error {
	defer c.forget(ctx, e.ID)
	return c.ExamStore.CreateExam(ctx, e)
}

// ReplaceExam implements examhall.ExamStore.
func (c *ExamCache) ReplaceExam(ctx context.Context, e *examhall.Exam) error {
	defer c.forget(ctx, e.ID)
	return c.ExamStore.ReplaceExam(ctx, e)
}

// ReviseExam implements examhall.ExamStore.
func (c *ExamCache) ReviseExam(ctx context.Context, e *examhall.Exam) error {
	defer c.forget(ctx, e.ID)
	return c.ExamStore.ReviseExam(ctx, e)
}

// SetReleased implements examhall.ExamStore.
func (c *ExamCache) SetReleased(ctx context.Context, id string, released bool) error {
	defer c.forget(ctx, id)
	return c.ExamStore.SetReleased(ctx, id, released)
}

// SetWindow implements examhall.ExamStore.
func (c *ExamCache) SetWindow(ctx context.Context, id string, opensAt, closesAt *time.Time) error {
	defer c.forget(ctx, id)
	return c.ExamStore.SetWindow(ctx, id, opensAt, closesAt)
}

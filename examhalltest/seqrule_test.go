package examhalltest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"examhall"
	"examhall/examhalltest"
	"examhall/examhalltest/storetest"
	"examhall/postgres"
	"examhall/redis"
	"examhall/sqlite"
)

// seqImpl applies stored, then batch, to a fresh attempt and returns what
// the batch reported (nil if the implementation reports nothing) and the
// answers kept afterwards.
type seqImpl func(t *testing.T, attempt string, stored, batch []examhall.Answer) ([]examhall.Saved, map[string]examhall.Answer)

// TestSeqRule runs every implementation of the seq rule on the same cases:
// the Go functions of package examhall, embedded mode's store, and what
// scale mode keeps in Redis (a Lua script) and PostgreSQL (the grader's
// batches).
func TestSeqRule(t *testing.T) {
	impls := []struct {
		name string
		open func(t *testing.T) seqImpl
	}{
		{"Merge", openMerge},
		{"sqlite", openSQLite},
		{"redis", openRedis},
		{"postgres", openPostgres},
	}
	for _, impl := range impls {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			apply := impl.open(t)
			for i, c := range storetest.SeqCases {
				t.Run(c.Name, func(t *testing.T) {
					saved, kept := apply(t, fmt.Sprintf("a%d", i), c.Stored, c.Batch)
					if saved != nil {
						if diff := cmp.Diff(c.Saved, saved); diff != "" {
							t.Errorf("saved (-want +got):\n%s", diff)
						}
					}
					got := make(map[string]string, len(kept))
					for q, a := range kept {
						got[q] = fmt.Sprintf("%d %s", a.Seq, a.Response)
					}
					if diff := cmp.Diff(c.Final, got); diff != "" {
						t.Errorf("kept (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

func openMerge(*testing.T) seqImpl {
	return func(t *testing.T, _ string, stored, batch []examhall.Answer) ([]examhall.Saved, map[string]examhall.Answer) {
		drafts := map[string]examhall.Answer{}
		examhall.Keep(drafts, stored...)
		return examhall.Merge(drafts, batch), drafts
	}
}

func openSQLite(t *testing.T) seqImpl {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return func(t *testing.T, attempt string, stored, batch []examhall.Answer) ([]examhall.Saved, map[string]examhall.Answer) {
		if _, err := db.Begin(ctx, inProgress(attempt), "s1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Save(ctx, attempt, stored); err != nil {
			t.Fatal(err)
		}
		saved, err := db.Save(ctx, attempt, batch)
		if err != nil {
			t.Fatal(err)
		}
		kept, err := db.Answers(ctx, attempt)
		if err != nil {
			t.Fatal(err)
		}
		return saved, kept
	}
}

func openRedis(t *testing.T) seqImpl {
	ctx := context.Background()
	prefix := examhalltest.UniqueName("t") + ":"
	rd, err := redis.Open(ctx, examhalltest.RedisURL(t), redis.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		examhalltest.DeleteRedisPrefix(t, rd.Client(), prefix)
		rd.Close()
	})
	return func(t *testing.T, attempt string, stored, batch []examhall.Answer) ([]examhall.Saved, map[string]examhall.Answer) {
		if _, _, err := rd.PutAttempt(ctx, inProgress(attempt), "s1", false); err != nil {
			t.Fatal(err)
		}
		if len(stored) > 0 {
			if _, err := rd.Apply(ctx, attempt, stored); err != nil {
				t.Fatal(err)
			}
		}
		saved, err := rd.Apply(ctx, attempt, batch)
		if err != nil {
			t.Fatal(err)
		}
		kept, _, err := rd.Drafts(ctx, attempt)
		if err != nil {
			t.Fatal(err)
		}
		return saved, kept
	}
}

// openPostgres applies the answers as the grader does: stored in one
// batch, then the batch in the next, as one save each.
func openPostgres(t *testing.T) seqImpl {
	ctx := context.Background()
	url, schema := examhalltest.PostgresSchema(t)
	db, err := postgres.Open(ctx, url, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var offset int64 // each save at its own position in the log
	return func(t *testing.T, attempt string, stored, batch []examhall.Answer) ([]examhall.Saved, map[string]examhall.Answer) {
		now := time.Now()
		for _, answers := range [][]examhall.Answer{stored, batch} {
			offset++
			b := &postgres.Batch{Saves: []postgres.LogSave{{Part: 0, Offset: offset, Attempt: attempt, At: now, Answers: answers}}}
			if _, err := db.WriteBatch(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		kept, err := db.Drafts(ctx, attempt)
		if err != nil {
			t.Fatal(err)
		}
		return nil, kept
	}
}

func inProgress(id string) *examhall.Attempt {
	now := time.Now().UTC()
	return &examhall.Attempt{ID: id, Exam: "e", Candidate: "c-" + id, Status: examhall.InProgress,
		StartedAt: now, Deadline: now.Add(time.Hour), Due: now.Add(time.Hour)}
}

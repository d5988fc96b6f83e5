package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
	"examhall/sqlite"
)

// statsExamDoc has n single-choice questions of four options each, with a
// key that depends on the question.
func statsExamDoc(id string, n int) *examhall.Exam {
	e := &examhall.Exam{ID: id, Title: "Stats " + id, DurationSeconds: 3600, GraceSeconds: 10}
	for i := 0; i < n; i++ {
		q := examhall.Question{ID: fmt.Sprintf("q%02d", i), Type: examhall.Single, Points: 1}
		for _, o := range []string{"a", "b", "c", "d"} {
			q.Options = append(q.Options, examhall.Option{ID: o, Text: o})
		}
		q.Answer = json.RawMessage(strconv.Quote(q.Options[i%4].ID))
		e.Questions = append(e.Questions, q)
	}
	return e
}

// seedSubmitted stores an exam with attempts submitted attempts of its
// questions through the embedded store, as the server would: every
// attempt begun, then submitted with its answers. Candidate ability
// varies, so the statistics are not degenerate.
func seedSubmitted(tb testing.TB, dir string, e *examhall.Exam, attempts int) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if err := e.Validate(); err != nil {
		tb.Fatal(err)
	}
	if err := db.CreateExam(ctx, e); err != nil {
		tb.Fatal(err)
	}
	now := time.Now().UTC()
	cands := make([]*examhall.Candidate, attempts)
	for i := range cands {
		cands[i] = &examhall.Candidate{Exam: e.ID, ID: fmt.Sprintf("c%06d", i), CodeHash: []byte{1}, CreatedAt: now}
	}
	if err := db.PutCandidates(ctx, e.ID, cands); err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < attempts; i += 64 {
				if err := seedOne(ctx, db, e, i, now); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatal(err)
	}
}

func seedOne(ctx context.Context, db *sqlite.DB, e *examhall.Exam, i int, now time.Time) error {
	a := &examhall.Attempt{ID: fmt.Sprintf("t%06d", i), Exam: e.ID, Candidate: fmt.Sprintf("c%06d", i),
		Status: examhall.InProgress, StartedAt: now, Deadline: now.Add(time.Hour), Due: now.Add(time.Hour)}
	if _, err := db.Begin(ctx, a, "s"); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(uint64(i), 7))
	ability := r.Float64()
	answers := make([]examhall.Answer, 0, len(e.Questions))
	for qi, q := range e.Questions {
		if r.Float64() < 0.03 {
			continue // omitted
		}
		choice := q.Options[r.IntN(4)].ID
		if r.Float64() < ability {
			choice = q.Options[qi%4].ID
		}
		answers = append(answers, examhall.Answer{Question: q.ID, Response: json.RawMessage(strconv.Quote(choice)), Seq: 1})
	}
	_, _, err := db.Submit(ctx, a.ID, answers, now, false, func(s *examhall.Submission) { s.Receipt = "r" })
	return err
}

// BenchmarkStats measures GET /api/v1/admin/exams/{exam}/stats over HTTP:
// the whole request, reading every attempt from SQLite, grading and
// analysing. EXAMHALL_BENCH_ATTEMPTS sets the number of submitted attempts
// (default 50,000) of a 50-question exam.
func BenchmarkStats(b *testing.B) {
	// As `examhall serve` does by default (cmd/examhall DefaultGCPercent).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	attempts := 50000
	if v := os.Getenv("EXAMHALL_BENCH_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		attempts = n
	}
	// Seeding takes a minute; EXAMHALL_BENCH_DIR keeps the seeded data
	// for the next run.
	dir := os.Getenv("EXAMHALL_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
		start := time.Now()
		e := statsExamDoc("bench", 50)
		seedSubmitted(b, dir, e, attempts)
		b.Logf("seeded %d attempts × %d questions in %v", attempts, len(e.Questions), time.Since(start).Round(time.Millisecond))
	}
	srv := examhalltest.NewEmbedded(b, examhalltest.Options{Dir: dir, RealClock: true, Quiet: true})
	staff := srv.Staff(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var st examhall.Stats
		if err := staff.Do(context.Background(), http.MethodGet, "/api/v1/admin/exams/bench/stats", nil, &st); err != nil {
			b.Fatal(err)
		}
		if st.Attempts != attempts || len(st.Items) != 50 || st.Reliability == nil {
			b.Fatalf("stats of %d attempts, %d items, reliability %v; want %d, 50, a value", st.Attempts, len(st.Items), st.Reliability, attempts)
		}
	}
}

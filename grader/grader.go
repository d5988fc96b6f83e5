// Package grader is examhall's grader in scale mode: a member of a Kafka
// consumer group that reads the event log in batches and writes each batch
// to PostgreSQL in one transaction (drafts, save log, audit events and
// submissions), committing the batch's offsets only after the database
// commit. Grading itself reads what it keeps, when staff ask for results. A crash anywhere replays the batch; every write is
// idempotent, so nothing is lost and nothing counted twice.
package grader

import (
	"context"
	"log/slog"
	"time"

	"examhall"
	"examhall/kafka"
	"examhall/postgres"

	"go.opentelemetry.io/otel/trace"
)

// Config tunes a Grader.
type Config struct {
	// Group is the consumer group (default kafka.DefaultGroup).
	Group string
	// MaxBatch caps the records of one database transaction (default 10000).
	MaxBatch int
	// Logger receives failures. Default slog.Default.
	Logger *slog.Logger
	// Observer, if set, is told of every batch written and of the
	// consumer's lag.
	Observer Observer
	// TracerProvider, if set, makes a span of every batch, linked to the
	// requests that produced its records.
	TracerProvider trace.TracerProvider
}

// Observer is told what the grader does, for metrics: the consumer's lag
// (kafka.Observer) and every batch written. Its methods must be cheap and
// safe for concurrent use.
type Observer interface {
	kafka.Observer
	// Undecodable records a record of topic that the grader skipped as
	// undecodable.
	Undecodable(topic string)
	// Batch records a batch of records written in one transaction, and how
	// long writing and committing it took.
	Batch(records int, took time.Duration)
}

// Grader consumes the log into the database.
type Grader struct {
	db  *postgres.DB
	c   *kafka.Consumer
	cfg Config
	log *slog.Logger
}

// New joins the consumer group on the log of kcfg.
func New(ctx context.Context, db *postgres.DB, kcfg kafka.Config, cfg Config) (*Grader, error) {
	if cfg.MaxBatch == 0 {
		cfg.MaxBatch = 10000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Observer != nil {
		kcfg.Observer = cfg.Observer
	}
	if kcfg.TracerProvider == nil {
		kcfg.TracerProvider = cfg.TracerProvider
	}
	c, err := kafka.NewConsumer(ctx, kcfg, cfg.Group)
	if err != nil {
		return nil, err
	}
	return &Grader{db: db, c: c, cfg: cfg, log: cfg.Logger}, nil
}

// Close leaves the group.
func (g *Grader) Close() { g.c.Close() }

// Run consumes until ctx ends. A batch the database refuses is retried,
// with backoff, until it is written: offsets never pass an unwritten
// record.
func (g *Grader) Run(ctx context.Context) error {
	for {
		recs, err := g.c.Poll(ctx, g.cfg.MaxBatch)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			g.log.Warn("grader: fetching", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		if len(recs) == 0 {
			continue
		}
		if err := g.write(ctx, recs); err != nil {
			return nil // ctx ended
		}
		if err := g.c.Commit(ctx, recs); err != nil && ctx.Err() == nil {
			// The batch is written; it will be replayed, harmlessly.
			g.log.Warn("grader: committing offsets", "err", err)
		}
	}
}

// write writes one batch, retrying until it succeeds or ctx ends.
func (g *Grader) write(ctx context.Context, recs []kafka.Record) (err error) {
	ctx, end := g.startBatch(ctx, recs)
	defer func() { end(err) }()
	bs := g.toBatches(recs)
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		start := time.Now()
		_, err := g.db.WriteBatches(ctx, bs)
		if err == nil {
			if g.cfg.Observer != nil {
				g.cfg.Observer.Batch(len(recs), time.Since(start))
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		g.log.Warn("grader: writing a batch failed; retrying", "records", len(recs), "err", err)
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// toBatches sorts records into what the database keeps, in batches
// written in order in one transaction: a reopen starts a new batch, which
// applies it first, so that it comes after the records before it and
// before those after it (reopens are rare: most polls make one batch). A
// record that is none of them (it did not decode, or names no kind the
// grader knows) is counted, logged and skipped: it is never in the
// database, and an operator must look at it.
func (g *Grader) toBatches(recs []kafka.Record) []*postgres.Batch {
	b := &postgres.Batch{}
	bs := []*postgres.Batch{b}
	for _, r := range recs {
		switch {
		case r.Event != nil && r.Event.Kind == kafka.KindReopen:
			ev := r.Event
			if len(b.Saves)+len(b.Submissions)+len(b.Events) > 0 {
				b = &postgres.Batch{}
				bs = append(bs, b)
			}
			b.Reopens = append(b.Reopens, postgres.LogReopen{Attempt: ev.Attempt, At: ev.At, Generation: ev.Generation, Deadline: ev.Deadline, Due: ev.Due})
		case r.Audit != nil:
			b.Events = append(b.Events, postgres.LogEvent{Part: r.Partition + auditPartitionBase, Offset: r.Offset, Event: *r.Audit})
		case r.Event != nil && r.Event.Kind == kafka.KindSave:
			b.Saves = append(b.Saves, postgres.LogSave{Part: r.Partition, Offset: r.Offset, Attempt: r.Event.Attempt, At: r.Event.At, Answers: r.Event.Answers})
		case r.Event != nil && r.Event.Kind == kafka.KindSubmit:
			ev := r.Event
			answers := make(map[string]examhall.Answer, len(ev.Answers))
			for _, a := range ev.Answers {
				answers[a.Question] = a
			}
			b.Submissions = append(b.Submissions, postgres.LogSubmission{Exam: ev.Exam, Generation: ev.Generation, Submission: examhall.Submission{
				Attempt: ev.Attempt, SubmittedAt: ev.At, Auto: ev.Auto, Receipt: ev.Receipt, Answers: answers}})
		default:
			if g.cfg.Observer != nil {
				g.cfg.Observer.Undecodable(r.Topic)
			}
			g.log.Error("skipping an undecodable event log record", "topic", r.Topic, "partition", r.Partition, "offset", r.Offset)
		}
	}
	return bs
}

// auditPartitionBase keeps the positions of audit records apart from those
// of the events topic in the tables keyed by position.
const auditPartitionBase = 1 << 20

package kafka

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"examhall"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.opentelemetry.io/otel/trace"
)

// DefaultGroup is the grader's consumer group.
const DefaultGroup = "examhall-grader"

// Consumer reads the events and audit topics as a member of a consumer
// group. Offsets are committed only when the caller says the records are
// durable elsewhere (Commit), so a crash replays them.
type Consumer struct {
	cfg Config
	cl  *kgo.Client
}

// NewConsumer joins group on the topics of cfg.
func NewConsumer(ctx context.Context, cfg Config, group string) (*Consumer, error) {
	cfg.defaults()
	if group == "" {
		group = DefaultGroup
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(cfg.EventsTopic, cfg.AuditTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
		// A grader that died holds its partitions until its session times
		// out; 10 s (Kafka's default is 45 s) bounds how long its share of
		// the log waits for another grader.
		kgo.SessionTimeout(10*time.Second),
		kgo.HeartbeatInterval(time.Second),
		kgo.BlockRebalanceOnPoll(),
		kgo.FetchMaxWait(50*time.Millisecond), // the grader lags the log by little more
		kgo.FetchMaxBytes(32<<20),
	)
	if err != nil {
		return nil, fmt.Errorf("kafka: %w", err)
	}
	if cfg.CreateTopics {
		l := &Log{cfg: cfg, cl: cl}
		if err := l.createTopics(ctx); err != nil {
			cl.Close()
			return nil, err
		}
	}
	return &Consumer{cfg: cfg, cl: cl}, nil
}

// Record is one consumed record, decoded: exactly one of Event and Audit
// is set.
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
	Event     *Event
	Audit     *examhall.Event
	// Trace is the span that produced the record, when it was traced.
	Trace trace.SpanContext
	raw   *kgo.Record
}

// Poll waits for records, at most max of them, and returns them in log
// order per partition. Until Commit, the group does not rebalance.
// Undecodable records are returned with neither field set, to be skipped
// and committed.
func (c *Consumer) Poll(ctx context.Context, max int) ([]Record, error) {
	fs := c.cl.PollRecords(ctx, max)
	if err := ctx.Err(); err != nil {
		c.cl.AllowRebalance()
		return nil, err
	}
	var firstErr error
	fs.EachError(func(topic string, p int32, err error) {
		if firstErr == nil {
			firstErr = fmt.Errorf("kafka: fetching %s/%d: %w", topic, p, err)
		}
	})
	var out []Record
	fs.EachPartition(func(p kgo.FetchTopicPartition) {
		for _, r := range p.Records {
			rec := Record{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Trace: extract(r), raw: r}
			if r.Topic == c.cfg.EventsTopic {
				var ev Event
				if json.Unmarshal(r.Value, &ev) == nil {
					rec.Event = &ev
				}
			} else {
				var ev examhall.Event
				if json.Unmarshal(r.Value, &ev) == nil {
					rec.Audit = &ev
				}
			}
			out = append(out, rec)
		}
		if len(p.Records) > 0 {
			last := p.Records[len(p.Records)-1].Offset
			c.cfg.Observer.Lag(p.Topic, p.Partition, p.HighWatermark-last-1)
		}
	})
	if len(out) == 0 {
		c.cl.AllowRebalance()
		return nil, firstErr
	}
	return out, nil
}

// Commit commits the offsets of records (after they are durable
// elsewhere) and lets the group rebalance.
func (c *Consumer) Commit(ctx context.Context, recs []Record) error {
	defer c.cl.AllowRebalance()
	raw := make([]*kgo.Record, len(recs))
	for i, r := range recs {
		raw[i] = r.raw
	}
	return c.cl.CommitRecords(ctx, raw...)
}

// Close leaves the group.
func (c *Consumer) Close() {
	c.cl.AllowRebalance() // a poll interrupted by shutdown holds it
	c.cl.Close()
}

// WaitConsumed waits until group has committed every record written to the
// log before the call, or until ctx ends; it reports whether it caught up.
// Staff reads use it so that results include every acknowledged answer.
func (l *Log) WaitConsumed(ctx context.Context, group string) (bool, error) {
	if group == "" {
		group = DefaultGroup
	}
	adm := kadm.NewClient(l.cl)
	ends, err := adm.ListEndOffsets(ctx, l.cfg.EventsTopic, l.cfg.AuditTopic)
	if err != nil {
		return false, err
	}
	for {
		committed, err := adm.FetchOffsets(ctx, group)
		if err == nil {
			behind := false
			ends.Each(func(o kadm.ListedOffset) {
				if o.Err != nil || o.Offset == 0 {
					return
				}
				c, ok := committed.Lookup(o.Topic, o.Partition)
				if !ok || c.At < o.Offset {
					behind = true
				}
			})
			if !behind {
				return true, nil
			}
		}
		select {
		case <-ctx.Done():
			return false, nil
		case <-time.After(20 * time.Millisecond):
		}
	}
}

package kafka_test

import (
	"context"
	"strings"
	"testing"

	"examhall/kafka"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

func cluster(t *testing.T, brokers int) []string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(brokers))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// TestTopicsAreDurable: on three brokers, examhall creates its topics with
// three replicas and min.insync.replicas 2; topics someone made weaker are
// refused at start (or reported, when allowed), since acks=all on them
// could mean one copy.
func TestTopicsAreDurable(t *testing.T) {
	ctx := context.Background()
	addrs := cluster(t, 3)
	l, err := kafka.Open(ctx, kafka.Config{Brokers: addrs, CreateTopics: true, Partitions: 2})
	if err != nil {
		t.Fatalf("creating the topics on three brokers: %v", err)
	}
	if w := l.Weak(); w != "" {
		t.Errorf("topics it created itself are weak: %s", w)
	}
	l.Close()
	cl, _ := kgo.NewClient(kgo.SeedBrokers(addrs...))
	defer cl.Close()
	adm := kadm.NewClient(cl)
	details, err := adm.ListTopics(ctx, "examhall.events")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range details["examhall.events"].Partitions {
		if len(p.Replicas) != 3 {
			t.Errorf("partition %d has %d replicas, want 3", p.Partition, len(p.Replicas))
		}
	}

	// Topics made elsewhere with one replica.
	weak := kafka.Config{Brokers: addrs, EventsTopic: "weak.events", AuditTopic: "weak.audit", Partitions: 2}
	if _, err := adm.CreateTopics(ctx, 2, 1, nil, "weak.events", "weak.audit"); err != nil {
		t.Fatal(err)
	}
	_, err = kafka.Open(ctx, weak)
	if err == nil || !strings.Contains(err.Error(), "weak.events has replication factor 1") {
		t.Fatalf("opening weak topics on three brokers: %v, want a refusal naming the topic", err)
	}
	weak.AllowWeakTopics = true
	l, err = kafka.Open(ctx, weak)
	if err != nil {
		t.Fatalf("opening weak topics when allowed: %v", err)
	}
	defer l.Close()
	if !strings.Contains(l.Weak(), "replication factor 1") {
		t.Errorf("Weak() = %q, want the reason", l.Weak())
	}
}

// TestOneBrokerIsReportedWeak: a one-broker cluster (development) starts,
// and says that acknowledged writes are on one broker.
func TestOneBrokerIsReportedWeak(t *testing.T) {
	l, err := kafka.Open(context.Background(), kafka.Config{Brokers: cluster(t, 1), CreateTopics: true, Partitions: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if !strings.Contains(l.Weak(), "cluster of 1 broker") {
		t.Errorf("Weak() = %q, want a note about the single broker", l.Weak())
	}
}

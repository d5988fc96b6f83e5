package scale_test

import (
	"context"
	"testing"
	"time"

	"examhall/examhalltest"
	"examhall/examhalltest/storetest"
	"examhall/kafka"
	"examhall/scale"
)

// TestStoreContract runs the store contract suite on scale mode, with a
// grader carrying the log into PostgreSQL.
func TestStoreContract(t *testing.T) {
	t.Parallel()
	d := examhalltest.NewScaleDeps(t)
	d.StartGrader(t)
	log, err := kafka.Open(context.Background(), d.KafkaConfig)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(log.Close)
	st := scale.New(d.PG, d.Redis, log, scale.Config{SyncWait: 10 * time.Second})
	storetest.Run(t, st.Backend(), storetest.Options{Lease: 30 * time.Second})
}

package examhalltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/rueidis"
)

// service returns the URL in the environment variable name, or skips the
// test with a one-line reason (fails it when EXAMHALL_TEST_REQUIRE=1).
func service(tb testing.TB, name string) string {
	tb.Helper()
	url := os.Getenv(name)
	if url == "" {
		if os.Getenv("EXAMHALL_TEST_REQUIRE") == "1" {
			tb.Fatalf("%s is not set and EXAMHALL_TEST_REQUIRE=1", name)
		}
		tb.Skipf("%s not set: skipping a test that needs it", name)
	}
	return url
}

// PostgresURL returns EXAMHALL_TEST_POSTGRES or skips the test.
func PostgresURL(tb testing.TB) string { return service(tb, "EXAMHALL_TEST_POSTGRES") }

// RedisURL returns EXAMHALL_TEST_REDIS or skips the test.
func RedisURL(tb testing.TB) string { return service(tb, "EXAMHALL_TEST_REDIS") }

// RedisClusterURL returns EXAMHALL_TEST_REDIS_CLUSTER, the addresses of a
// Redis Cluster (as .ci/redis-cluster starts it), or skips the test.
func RedisClusterURL(tb testing.TB) string { return service(tb, "EXAMHALL_TEST_REDIS_CLUSTER") }

// UniqueName returns prefix and a random suffix: a PostgreSQL schema or a
// Redis key prefix of this test alone.
func UniqueName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// PostgresSchema returns a fresh schema name in the test database and drops
// the schema when the test ends.
func PostgresSchema(tb testing.TB) (url, schema string) {
	tb.Helper()
	url = PostgresURL(tb)
	schema = UniqueName("t_")
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			tb.Logf("dropping schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			tb.Logf("dropping schema %s: %v", schema, err)
		}
	})
	return url, schema
}

// DeleteRedisPrefix deletes every key that starts with prefix: for a
// deployment under one prefix, the same as FLUSHALL, without touching other
// tests' keys. On a Redis Cluster it scans every node.
func DeleteRedisPrefix(tb testing.TB, c rueidis.Client, prefix string) {
	tb.Helper()
	ctx := context.Background()
	nodes := map[string]rueidis.Client{"": c}
	if c.Mode() == rueidis.ClientModeCluster {
		nodes = c.Nodes()
	}
	for addr, n := range nodes {
		var cursor uint64
		for {
			// A node a test killed would be retried forever.
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			e, err := n.Do(sctx, n.B().Scan().Cursor(cursor).Match(prefix+"*").Count(1000).Build()).AsScanEntry()
			if err != nil {
				cancel()
				tb.Logf("scanning redis %s: %v", addr, err)
				break
			}
			cancel()
			// One UNLINK a key: the keys of a scan span slots.
			cmds := make(rueidis.Commands, len(e.Elements))
			for i, k := range e.Elements {
				cmds[i] = c.B().Unlink().Key(k).Build()
			}
			for _, r := range c.DoMulti(ctx, cmds...) {
				if err := r.Error(); err != nil {
					tb.Logf("deleting redis keys: %v", err)
					break
				}
			}
			if cursor = e.Cursor; cursor == 0 {
				break
			}
		}
	}
}

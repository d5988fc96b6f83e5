package main

import (
	"context"
	"strings"
	"testing"

	"examhall/examhalltest"
	"examhall/postgres"
)

func TestMigratePostgres(t *testing.T) {
	url, schema := examhalltest.PostgresSchema(t)
	env := map[string]string{"EXAMHALL_POSTGRES": url}
	for i, want := range []string{"migrations applied", "(0 migrations applied)"} {
		stdout, stderr, _, done := runMain(t, context.Background(), env, "migrate", "--postgres-schema", schema)
		if err := <-done; err != nil {
			t.Fatalf("migrate #%d: %v\n%s", i+1, err, stderr)
		}
		if !strings.Contains(stdout.String(), want) {
			t.Fatalf("migrate #%d said %q, want %q", i+1, stdout, want)
		}
	}
	db, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(context.Background()); err != nil || v != postgres.Latest() {
		t.Fatalf("schema version %d, %v; want %d", v, err, postgres.Latest())
	}
}

package sqlite_test

import (
	"context"
	"testing"

	"examhall/examhalltest/storetest"
	"examhall/sqlite"
)

// TestStoreContract runs the store contract suite on embedded mode.
func TestStoreContract(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(context.Background(), t.TempDir(), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.Run(t, db.Backend(), storetest.Options{})
}

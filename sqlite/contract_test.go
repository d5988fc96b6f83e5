package sqlite_test

import (
	"testing"

	"examhall/examhalltest"
	"examhall/examhalltest/contract"
)

func TestContract(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T) *examhalltest.Server {
		return examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	})
}

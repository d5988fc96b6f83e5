package examhall

import (
	"errors"
	"sort"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }

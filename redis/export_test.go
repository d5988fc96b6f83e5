package redis

// DraftsKey is the key of an attempt's drafts hash, for the tests of
// package redis_test that lose it on purpose.
func (s *Store) DraftsKey(id string) string { return s.draftsKey(id) }

package examhall

// The seq rule is the heart of the durability promise: every answer
// carries the client's counter for its question (seq), and an answer
// replaces the stored one only when its seq is newer. Saves are therefore
// idempotent (a retried save changes nothing) and never go backwards (a
// late, older save loses), in whatever order the network and the event
// log deliver them. Every store applies it through the functions of this
// file; the Redis adapter, which applies it inside Redis, runs the same
// cases in its tests (examhalltest's TestSeqRule).

// Newer is the seq rule: whether an answer with seq replaces a stored one
// with stored; has is false when nothing is stored.
func Newer(seq, stored int64, has bool) bool { return !has || seq > stored }

// Apply applies a batch of answers with the seq rule over the answers
// stored (by question), without changing anything. It returns the answers
// that change something, in batch order (an answer is measured against
// what is stored and against the earlier answers of the batch), and, for
// each question in the order first named, the seq stored once they are
// applied.
func Apply(stored map[string]Answer, batch []Answer) (fresh []Answer, saved []Saved) {
	saved = make([]Saved, 0, len(batch))
	var pos map[string]int // question -> index in saved, for long batches
	if len(batch) > 8 {
		pos = make(map[string]int, len(batch))
	}
	for _, a := range batch {
		i := named(saved, pos, a.Question)
		var cur int64
		var has bool
		if i >= 0 {
			// Once named, the question has a seq: what was stored, or the
			// answer that replaced it.
			cur, has = saved[i].Seq, true
		} else {
			var s Answer
			s, has = stored[a.Question]
			cur = s.Seq
		}
		seq := cur
		if Newer(a.Seq, cur, has) {
			fresh = append(fresh, a)
			seq = a.Seq
		}
		if i >= 0 {
			saved[i].Seq = seq
			continue
		}
		if pos != nil {
			pos[a.Question] = len(saved)
		}
		saved = append(saved, Saved{Question: a.Question, Seq: seq})
	}
	return fresh, saved
}

// named returns the index of question in saved, or -1.
func named(saved []Saved, pos map[string]int, question string) int {
	if pos != nil {
		if i, ok := pos[question]; ok {
			return i
		}
		return -1
	}
	for i := range saved {
		if saved[i].Question == question {
			return i
		}
	}
	return -1
}

// Merge applies answers to drafts with the seq rule and returns, for each
// question in the order first named, the seq stored afterwards. Drafts may
// be nil only when answers is empty.
func Merge(drafts map[string]Answer, answers []Answer) []Saved {
	fresh, saved := Apply(drafts, answers)
	for _, a := range fresh {
		drafts[a.Question] = a
	}
	return saved
}

// Keep applies answers to drafts with the seq rule, as Merge does, for
// callers that need no seqs back (it allocates nothing).
func Keep(drafts map[string]Answer, answers ...Answer) {
	for _, a := range answers {
		if cur, ok := drafts[a.Question]; Newer(a.Seq, cur.Seq, ok) {
			drafts[a.Question] = a
		}
	}
}

// KeepSet is Keep for a set of answers by question, as stores keep them.
func KeepSet(drafts, set map[string]Answer) {
	for _, a := range set {
		Keep(drafts, a)
	}
}

package storetest

import (
	"fmt"

	"examhall"
)

// SeqCase is one case of the seq rule: answers stored first, then a
// batch, what the batch reports and what is kept afterwards ("seq
// response" by question).
type SeqCase struct {
	Name   string
	Stored []examhall.Answer
	Batch  []examhall.Answer
	Saved  []examhall.Saved
	Final  map[string]string
}

// SeqCases are the cases every implementation of the seq rule passes: the
// stores' Save (this suite) and the Go functions, Redis's script and the
// grader's batches (examhalltest's TestSeqRule).
var SeqCases = []SeqCase{
	{"first save", nil, []examhall.Answer{ans("q1", `"a"`, 1)},
		[]examhall.Saved{{Question: "q1", Seq: 1}}, map[string]string{"q1": `1 "a"`}},
	{"seq 0 is a seq", nil, []examhall.Answer{ans("q1", `"a"`, 0)},
		[]examhall.Saved{{Question: "q1", Seq: 0}}, map[string]string{"q1": `0 "a"`}},
	{"newer replaces", []examhall.Answer{ans("q1", `"a"`, 1)}, []examhall.Answer{ans("q1", `"b"`, 2)},
		[]examhall.Saved{{Question: "q1", Seq: 2}}, map[string]string{"q1": `2 "b"`}},
	{"a repeat changes nothing", []examhall.Answer{ans("q1", `"a"`, 3)}, []examhall.Answer{ans("q1", `"b"`, 3)},
		[]examhall.Saved{{Question: "q1", Seq: 3}}, map[string]string{"q1": `3 "a"`}},
	{"older loses and reports the stored seq", []examhall.Answer{ans("q1", `"a"`, 5)}, []examhall.Answer{ans("q1", `"b"`, 4)},
		[]examhall.Saved{{Question: "q1", Seq: 5}}, map[string]string{"q1": `5 "a"`}},
	{"a newer answer later in the batch wins", nil, []examhall.Answer{ans("q1", `"a"`, 1), ans("q1", `"b"`, 2)},
		[]examhall.Saved{{Question: "q1", Seq: 2}}, map[string]string{"q1": `2 "b"`}},
	{"an older answer later in the batch loses", nil, []examhall.Answer{ans("q1", `"a"`, 2), ans("q1", `"b"`, 1)},
		[]examhall.Saved{{Question: "q1", Seq: 2}}, map[string]string{"q1": `2 "a"`}},
	{"equal seqs in one batch: the first stays", nil, []examhall.Answer{ans("q1", `"a"`, 1), ans("q1", `"b"`, 1)},
		[]examhall.Saved{{Question: "q1", Seq: 1}}, map[string]string{"q1": `1 "a"`}},
	{"saved lists questions in the order first named", []examhall.Answer{ans("q2", `"x"`, 9)},
		[]examhall.Answer{ans("q3", `"a"`, 1), ans("q2", `"y"`, 1), ans("q3", `"b"`, 2), ans("q1", `"c"`, 1)},
		[]examhall.Saved{{Question: "q3", Seq: 2}, {Question: "q2", Seq: 9}, {Question: "q1", Seq: 1}}, map[string]string{"q1": `1 "c"`, "q2": `9 "x"`, "q3": `2 "b"`}},
	{"null clears, by the same rule", []examhall.Answer{ans("q1", `"a"`, 1)}, []examhall.Answer{ans("q1", `null`, 2)},
		[]examhall.Saved{{Question: "q1", Seq: 2}}, map[string]string{"q1": `2 null`}},
	{"the largest seq", []examhall.Answer{ans("q1", `"a"`, examhall.MaxSeq-1)}, []examhall.Answer{ans("q1", `"b"`, examhall.MaxSeq)},
		[]examhall.Saved{{Question: "q1", Seq: examhall.MaxSeq}}, map[string]string{"q1": fmt.Sprintf(`%d "b"`, int64(examhall.MaxSeq))}},
}

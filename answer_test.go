package examhall_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"examhall"
)

func TestCheckAnswer(t *testing.T) {
	e := mustExam(t, gradeExam)
	tests := []struct {
		name     string
		question string
		response string
		seq      int64
		want     string // canonical response, or "" when an error is expected
		wantErr  string
	}{
		{"single", "single", ` "b" `, 1, `"b"`, ""},
		{"single unknown option", "single", `"z"`, 1, "", `"z" is not one of its options`},
		{"single as a list", "single", `["b"]`, 1, "", "takes an option id"},
		{"multiple", "multi", `[ "c","a" ]`, 1, `["c","a"]`, ""},
		{"multiple empty clears", "multi", `[]`, 1, `[]`, ""},
		{"multiple duplicate", "multi", `["a","a"]`, 1, "", "listed twice"},
		{"multiple as a string", "multi", `"a"`, 1, "", "takes a list of option ids"},
		{"true_false", "tf", `true`, 1, `true`, ""},
		{"true_false as a string", "tf", `"true"`, 1, "", "takes true or false"},
		{"numeric", "num", `3.140`, 1, `3.14`, ""},
		{"numeric as a string", "num", `"3.14"`, 1, "", "takes a number"},
		{"short_text", "text", `"Paris"`, 1, `"Paris"`, ""},
		{"short_text as a number", "text", `42`, 1, "", "takes a string"},
		{"short_text too long", "text", `"` + strings.Repeat("x", examhall.MaxShortTextBytes+1) + `"`, 1, "", "longer than"},
		{"essay", "essay", `"<b>words</b>"`, 1, `"<b>words</b>"`, ""},
		{"null clears any type", "num", `null`, 3, `null`, ""},
		{"missing response", "num", ``, 3, "", "response is missing"},
		{"negative seq", "tf", `true`, -1, "", "seq must be a whole number"},
		{"seq beyond 2^53", "tf", `true`, 1 << 54, "", "seq must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := e.Question(tt.question)
			got, err := examhall.CheckAnswer(q, examhall.Answer{Question: tt.question, Response: json.RawMessage(tt.response), Seq: tt.seq})
			if tt.wantErr != "" {
				if err == nil || examhall.ErrorCode(err) != examhall.EBadRequest || !strings.Contains(examhall.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("CheckAnswer error = %v, want bad_request containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckAnswer: %v", err)
			}
			if string(got.Response) != tt.want || got.Seq != tt.seq {
				t.Errorf("CheckAnswer = %s seq %d, want %s seq %d", got.Response, got.Seq, tt.want, tt.seq)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	ans := func(q string, seq int64, r string) examhall.Answer {
		return examhall.Answer{Question: q, Seq: seq, Response: json.RawMessage(r)}
	}
	drafts := map[string]examhall.Answer{"q1": ans("q1", 5, `"a"`)}
	saved := examhall.Merge(drafts, []examhall.Answer{
		ans("q1", 4, `"old"`),  // older: ignored
		ans("q2", 0, `true`),   // first answer: any seq
		ans("q1", 5, `"same"`), // equal: ignored
		ans("q3", 2, `1`),
		ans("q3", 7, `2`), // newer within the batch
		ans("q3", 6, `3`), // older than the one before it
	})
	want := []examhall.Saved{{Question: "q1", Seq: 5}, {Question: "q2", Seq: 0}, {Question: "q3", Seq: 7}}
	if diff := cmp.Diff(want, saved); diff != "" {
		t.Errorf("Merge saved (-want +got):\n%s", diff)
	}
	for q, r := range map[string]string{"q1": `"a"`, "q2": `true`, "q3": `2`} {
		if string(drafts[q].Response) != r {
			t.Errorf("drafts[%s] = %s, want %s", q, drafts[q].Response, r)
		}
	}
}

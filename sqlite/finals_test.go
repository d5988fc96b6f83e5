package sqlite

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"examhall"
)

func TestFinalRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		answers map[string]examhall.Answer
	}{
		{"empty", map[string]examhall.Answer{}},
		{"every shape", map[string]examhall.Answer{
			"q1": {Question: "q1", Response: json.RawMessage(`"a"`), Seq: 3},
			"q2": {Question: "q2", Response: json.RawMessage(`["a","c"]`), Seq: 1 << 40},
			"q3": {Question: "q3", Response: json.RawMessage(`null`), Seq: 0},
			"q4": {Question: "q4", Response: json.RawMessage(`{"fr":"paris"}`), Seq: 7},
			"q5": {Question: "q5", Response: json.RawMessage(`"ünïcode \"quoted\""`), Seq: 9},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeFinal(encodeFinal(tt.answers))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.answers, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeFinalRejectsDamage(t *testing.T) {
	good := encodeFinal(map[string]examhall.Answer{"q1": {Question: "q1", Response: json.RawMessage(`"a"`), Seq: 3}})
	for _, b := range [][]byte{nil, {}, {9}, good[:len(good)-1], append(append([]byte{}, good...), 0xff)} {
		if _, err := decodeFinal(b); err == nil {
			t.Errorf("decodeFinal(%x) accepted damaged input", b)
		}
	}
}

func FuzzDecodeFinal(f *testing.F) {
	f.Add(encodeFinal(map[string]examhall.Answer{"q1": {Question: "q1", Response: json.RawMessage(`"a"`), Seq: 3}}))
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeFinal(b)
		if err != nil {
			return
		}
		again, err := decodeFinal(encodeFinal(got))
		if err != nil || !cmp.Equal(got, again) {
			t.Fatalf("re-encoding %x changed it: %v", b, err)
		}
	})
}

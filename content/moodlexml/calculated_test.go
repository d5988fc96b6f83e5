package moodlexml

import (
	"math"
	"strings"
	"testing"
)

func TestEvalFormula(t *testing.T) {
	vars := map[string]float64{"a": 3, "b": 4, "x_1": 0.5}
	tests := []struct {
		src  string
		want float64
		err  string
	}{
		{"{a} + {b}", 7, ""},
		{"sqrt(pow({a},2) + {b}^2)", 5, ""},
		{"-{a}**2", -9, ""},
		{"2^3^2", 512, ""},
		{"{b} / 2 * 3 - 1", 5, ""},
		{"round(pi(), 2) + sin(0) + max(1, {x_1}, 2)", 5.14, ""},
		{"1.5e3 / 10", 150, ""},
		{"log10(100) % 3", 2, ""},
		{"{c} + 1", 0, "no value for {c}"},
		{"foo(1)", 0, "not a function"},
		{"(1 + 2", 0, "not closed"},
		{"1 / 0", 0, "no finite value"},
		{"1 2", 0, "unexpected"},
	}
	for _, tt := range tests {
		got, err := evalFormula(tt.src, vars)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: err %v, want %q", tt.src, err, tt.err)
		case tt.err == "" && (err != nil || math.Abs(got-tt.want) > 1e-9):
			t.Errorf("%s = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
}

func FuzzEvalFormula(f *testing.F) {
	for _, s := range []string{"{a}+1", "pow(2,{b})", "((((1))))", "-+-1", "1e", "sin(", "{a", "2**3**4", "round(1.234,2)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := evalFormula(s, map[string]float64{"a": 1, "b": 2})
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("%q = %v without an error", s, v)
		}
	})
}

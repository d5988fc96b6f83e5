package qti

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"examhall/content"
)

// points is the item's maximum score: its MAXSCORE outcome, or the
// normalMaximum of SCORE; else what its response processing can award:
// the most the mappings of the interactions' responses sum to, or the
// largest score it sets; else 1 for each interaction.
func points(root *node, ins []*node) float64 {
	for _, o := range root.elems("outcomeDeclaration") {
		switch o.attr("identifier") {
		case "MAXSCORE":
			if dv := o.first("defaultValue"); dv != nil {
				if v := dv.first("value"); v != nil {
					if f, ok := positive(v.text()); ok {
						return f
					}
				}
			}
		case "SCORE":
			if f, ok := positive(o.attr("normalMaximum")); ok {
				return f
			}
		}
	}
	sum, mapped := 0.0, false
	for _, in := range ins {
		if d := declaration(root, in.attr("responseIdentifier")); d != nil {
			if f, ok := mappedMax(d, in); ok {
				sum += f
				mapped = true
				continue
			}
		}
		sum++
	}
	if mapped || len(ins) > 1 {
		return round(sum)
	}
	if f, ok := setScoreMax(root); ok {
		return f
	}
	return float64(max(1, len(ins)))
}

func positive(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil && f > 0 && !math.IsInf(f, 0)
}

func round(f float64) float64 { return math.Round(f*1e6) / 1e6 }

// mappedMax is the most a response's mapping (or area mapping) can give:
// the best entry for a single response, else the best entries an
// interaction allows (its maxChoices or maxAssociations), bounded by the
// mapping's upperBound.
func mappedMax(decl, in *node) (float64, bool) {
	m := decl.first("mapping")
	if m == nil {
		m = decl.first("areaMapping")
	}
	if m == nil {
		return 0, false
	}
	var vals []float64
	for _, e := range m.elems("mapEntry", "areaMapEntry") {
		if f, err := strconv.ParseFloat(e.attr("mappedValue"), 64); err == nil && f > 0 && !math.IsInf(f, 0) {
			vals = append(vals, f)
		}
	}
	if len(vals) == 0 {
		return 0, false
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(vals)))
	n := len(vals)
	if decl.attr("cardinality") == "single" {
		n = 1
	}
	for _, a := range []string{"maxChoices", "maxAssociations"} {
		if k, err := strconv.Atoi(in.attr(a)); err == nil && k > 0 && k < n {
			n = k
		}
	}
	sum := 0.0
	for _, v := range vals[:n] {
		sum += v
	}
	if ub, err := strconv.ParseFloat(m.attr("upperBound"), 64); err == nil && ub > 0 && ub < sum {
		sum = ub
	}
	return sum, sum > 0
}

// setScoreMax is the largest constant the response processing sets SCORE
// to (items that score with their own rules rather than a mapping).
func setScoreMax(root *node) (float64, bool) {
	rp := root.first("responseProcessing")
	if rp == nil {
		return 0, false
	}
	best := 0.0
	for _, s := range rp.find("setOutcomeValue") {
		if s.attr("identifier") != "SCORE" {
			continue
		}
		if bv := s.first("baseValue"); bv != nil {
			if f, ok := positive(bv.text()); ok && f > best {
				best = f
			}
		}
	}
	return best, best > 0
}

// numericKey sets a numeric question's answer and tolerance from the
// item's comparison of the response with the correct value c: equal
// with an absolute or relative tolerance (a percentage of c), which may
// differ below and above; or equalRounded to significant figures or
// decimal places, which becomes the tolerance of that rounding.
func (r *reader) numericKey(c float64) {
	mid, tol := r.numericRange(c)
	setAnswer(r.q, mid)
	r.q.Tolerance = tol
}

// numericRange is the key and tolerance of a numeric response whose
// correct value is c (see numericKey).
func (r *reader) numericRange(c float64) (mid, tol float64) {
	lo, hi, cmp := c, c, r.comparison()
	switch {
	case cmp == nil:
	case cmp.name == "equal":
		t := strings.Fields(cmp.attr("tolerance"))
		t0, t1 := 0.0, 0.0
		if len(t) > 0 {
			t0, _ = strconv.ParseFloat(t[0], 64)
			t1 = t0
		}
		if len(t) > 1 {
			t1, _ = strconv.ParseFloat(t[1], 64)
		}
		if !(t0 >= 0 && t1 >= 0 && !math.IsInf(t0+t1, 0)) {
			r.it.Change(content.ToleranceChanged, "the tolerance %q is not a pair of numbers; the answer must be exact", cmp.attr("tolerance"))
			break
		}
		switch cmp.attr("toleranceMode") {
		case "absolute":
			lo, hi = c-t0, c+t1
		case "relative":
			lo, hi = c-math.Abs(c)*t0/100, c+math.Abs(c)*t1/100
		}
		if cmp.attr("includeLowerBound") == "false" || cmp.attr("includeUpperBound") == "false" {
			r.it.Change(content.ToleranceChanged, "the bounds of the accepted range are included (the item excludes them)")
		}
	case cmp.name == "equalRounded":
		n, err := strconv.Atoi(strings.TrimSpace(cmp.attr("figures")))
		if err != nil || n < 0 || n > 15 {
			r.it.Change(content.ToleranceChanged, "the rounding to %q figures could not be read; the answer must be exact", cmp.attr("figures"))
			break
		}
		half := 0.5 * math.Pow(10, -float64(n))
		if cmp.attr("roundingMode") != "decimalPlaces" && c != 0 {
			half = 0.5 * math.Pow(10, math.Floor(math.Log10(math.Abs(c)))-float64(n)+1)
		}
		lo, hi = c-half, c+half
		r.it.Change(content.ToleranceChanged, "the comparison after rounding became a tolerance of ±%g", half)
	}
	mid, tol = (lo+hi)/2, (hi-lo)/2
	if math.Abs(mid-c) <= 1e-12*math.Max(1, math.Abs(c)) {
		mid = c // else an asymmetric range: examhall's key is its middle
	}
	return round12(mid), round12(tol)
}

// round12 drops the floating-point noise of a computed tolerance.
func round12(f float64) float64 {
	if f == 0 {
		return 0
	}
	p := math.Pow(10, 12-math.Ceil(math.Log10(math.Abs(f))))
	return math.Round(f*p) / p
}

// comparison is the element of the response processing that compares
// the interaction's response with its correct value (equal or
// equalRounded), nil when there is none.
func (r *reader) comparison() *node {
	rp := r.root.first("responseProcessing")
	if rp == nil {
		return nil
	}
	id := r.in.attr("responseIdentifier")
	for _, e := range rp.walkAll() {
		if e.name != "equal" && e.name != "equalRounded" {
			continue
		}
		for _, v := range e.find("variable") {
			if v.attr("identifier") == id {
				return e
			}
		}
		for _, v := range e.find("correct") {
			if v.attr("identifier") == id {
				return e
			}
		}
	}
	return nil
}

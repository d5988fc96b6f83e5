package moodlexml

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// evalFormula computes a Moodle calculated question's formula, its
// variables {name} given: numbers, + - * / and ^ or ** (power),
// parentheses, pi() and the functions Moodle allows (sqrt, pow, sin, log,
// ...).
func evalFormula(src string, vars map[string]float64) (float64, error) {
	e := &evaluator{src: []rune(src), vars: vars}
	v, err := e.sum()
	if err != nil {
		return 0, err
	}
	e.space()
	if e.pos < len(e.src) {
		return 0, fmt.Errorf("unexpected %q", string(e.src[e.pos:]))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("the formula has no finite value")
	}
	return v, nil
}

type evaluator struct {
	src   []rune
	pos   int
	vars  map[string]float64
	depth int
}

func (e *evaluator) space() {
	for e.pos < len(e.src) && unicode.IsSpace(e.src[e.pos]) {
		e.pos++
	}
}

func (e *evaluator) peek(s string) bool {
	e.space()
	return strings.HasPrefix(string(e.src[e.pos:min(len(e.src), e.pos+len(s))]), s)
}

func (e *evaluator) sum() (float64, error) {
	v, err := e.product()
	for err == nil {
		switch {
		case e.peek("+"):
			e.pos++
			var w float64
			w, err = e.product()
			v += w
		case e.peek("-"):
			e.pos++
			var w float64
			w, err = e.product()
			v -= w
		default:
			return v, nil
		}
	}
	return v, err
}

func (e *evaluator) product() (float64, error) {
	v, err := e.unary()
	for err == nil {
		switch {
		case e.peek("**"):
			return v, nil
		case e.peek("*"):
			e.pos++
			var w float64
			w, err = e.unary()
			v *= w
		case e.peek("/"):
			e.pos++
			var w float64
			w, err = e.unary()
			v /= w
		case e.peek("%"):
			e.pos++
			var w float64
			w, err = e.unary()
			v = math.Mod(v, w)
		default:
			return v, nil
		}
	}
	return v, err
}

// power binds tighter than a sign, as in PHP: -2**2 is -4.
func (e *evaluator) power() (float64, error) {
	v, err := e.atom()
	if err != nil {
		return 0, err
	}
	switch {
	case e.peek("**"):
		e.pos += 2
	case e.peek("^"):
		e.pos++
	default:
		return v, nil
	}
	w, err := e.unary()
	return math.Pow(v, w), err
}

func (e *evaluator) unary() (float64, error) {
	if e.depth++; e.depth > 200 {
		return 0, fmt.Errorf("the formula is nested too deep")
	}
	defer func() { e.depth-- }()
	switch {
	case e.peek("-"):
		e.pos++
		v, err := e.unary()
		return -v, err
	case e.peek("+"):
		e.pos++
		return e.unary()
	}
	return e.power()
}

func (e *evaluator) atom() (float64, error) {
	e.space()
	if e.pos >= len(e.src) {
		return 0, fmt.Errorf("the formula ends too early")
	}
	r := e.src[e.pos]
	switch {
	case r == '(':
		e.pos++
		v, err := e.sum()
		if err != nil {
			return 0, err
		}
		if !e.peek(")") {
			return 0, fmt.Errorf("a ( is not closed")
		}
		e.pos++
		return v, nil
	case r == '{':
		end := slices.Index(e.src[e.pos:], '}') // in runes, as pos counts
		if end < 0 {
			return 0, fmt.Errorf("a { is not closed")
		}
		name := string(e.src[e.pos+1 : e.pos+end])
		e.pos += end + 1
		v, ok := e.vars[name]
		if !ok {
			return 0, fmt.Errorf("no value for {%s}", name)
		}
		return v, nil
	case unicode.IsDigit(r) || r == '.':
		start := e.pos
		for e.pos < len(e.src) && (unicode.IsDigit(e.src[e.pos]) || e.src[e.pos] == '.' ||
			(e.src[e.pos] == 'e' || e.src[e.pos] == 'E') && e.pos+1 < len(e.src) && (unicode.IsDigit(e.src[e.pos+1]) || e.src[e.pos+1] == '-' || e.src[e.pos+1] == '+')) {
			if e.src[e.pos] == 'e' || e.src[e.pos] == 'E' {
				e.pos++
			}
			e.pos++
		}
		return strconv.ParseFloat(string(e.src[start:e.pos]), 64)
	case unicode.IsLetter(r):
		start := e.pos
		for e.pos < len(e.src) && (unicode.IsLetter(e.src[e.pos]) || unicode.IsDigit(e.src[e.pos])) {
			e.pos++
		}
		return e.call(string(e.src[start:e.pos]))
	}
	return 0, fmt.Errorf("unexpected %q", string(r))
}

var funcs1 = map[string]func(float64) float64{
	"abs": math.Abs, "acos": math.Acos, "asin": math.Asin, "atan": math.Atan, "ceil": math.Ceil, "cos": math.Cos,
	"cosh": math.Cosh, "exp": math.Exp, "expm1": math.Expm1, "floor": math.Floor, "log": math.Log, "log10": math.Log10,
	"log1p": math.Log1p, "sin": math.Sin, "sinh": math.Sinh, "sqrt": math.Sqrt, "tan": math.Tan, "tanh": math.Tanh,
	"acosh": math.Acosh, "asinh": math.Asinh, "atanh": math.Atanh,
	"deg2rad": func(x float64) float64 { return x * math.Pi / 180 }, "rad2deg": func(x float64) float64 { return x * 180 / math.Pi },
}

var funcs2 = map[string]func(a, b float64) float64{"pow": math.Pow, "atan2": math.Atan2, "fmod": math.Mod}

// call reads the arguments of a function and applies it.
func (e *evaluator) call(name string) (float64, error) {
	if !e.peek("(") {
		return 0, fmt.Errorf("%s is not a number", name)
	}
	e.pos++
	var args []float64
	for !e.peek(")") {
		v, err := e.sum()
		if err != nil {
			return 0, err
		}
		args = append(args, v)
		if e.peek(",") {
			e.pos++
		} else if !e.peek(")") {
			return 0, fmt.Errorf("the arguments of %s are not closed", name)
		}
	}
	e.pos++
	switch f1, f2 := funcs1[name], funcs2[name]; {
	case name == "pi" && len(args) == 0:
		return math.Pi, nil
	case f1 != nil && len(args) == 1:
		return f1(args[0]), nil
	case f2 != nil && len(args) == 2:
		return f2(args[0], args[1]), nil
	case name == "round" && len(args) >= 1:
		p := 1.0
		if len(args) == 2 {
			p = math.Pow(10, args[1])
		}
		return math.Round(args[0]*p) / p, nil
	case (name == "min" || name == "max") && len(args) > 0:
		v := args[0]
		for _, a := range args[1:] {
			if name == "min" {
				v = math.Min(v, a)
			} else {
				v = math.Max(v, a)
			}
		}
		return v, nil
	}
	return 0, fmt.Errorf("%s is not a function Moodle's formulas have, with %d arguments", name, len(args))
}

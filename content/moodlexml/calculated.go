package moodlexml

import (
	"encoding/json"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// dataset is a variable of a calculated question and its values.
type dataset struct {
	Name  string `xml:"name>text"`
	Items []struct {
		Number int    `xml:"number"`
		Value  string `xml:"value"`
	} `xml:"dataset_items>dataset_item"`
}

var (
	inlineFormula = regexp.MustCompile(`\{=([^{}]*(?:\{[A-Za-z0-9_]+\}[^{}]*)*)\}`)
	variable      = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9_]*)\}`)
)

// calculated reads Moodle's calculated questions (calculated,
// calculatedsimple: a number; calculatedmulti: a choice) with the values
// of their first dataset item: examhall gives every candidate the same
// question, which the report says.
func (p *parser) calculated(it *content.Item, q *examhall.Question, mq *question) {
	vars, raw, variants := map[string]float64{}, map[string]string{}, 0
	for _, d := range mq.Datasets {
		if len(d.Items) == 0 {
			continue
		}
		first := d.Items[0]
		for _, item := range d.Items {
			if item.Number < first.Number {
				first = item
			}
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(first.Value), 64)
		if err != nil {
			it.Skip(content.Malformed, "the value %q of {%s} is not a number", first.Value, d.Name)
			return
		}
		name := strings.TrimSpace(d.Name)
		vars[name], raw[name] = v, strings.TrimSpace(first.Value)
		if variants == 0 || len(d.Items) < variants {
			variants = len(d.Items)
		}
	}
	fill := func(s string) (string, bool) {
		ok := true
		s = inlineFormula.ReplaceAllStringFunc(s, func(m string) string {
			v, err := evalFormula(inlineFormula.FindStringSubmatch(m)[1], vars)
			if err != nil {
				ok = false
				return m
			}
			return strconv.FormatFloat(v, 'g', 10, 64)
		})
		return variable.ReplaceAllStringFunc(s, func(m string) string {
			if v, found := raw[variable.FindStringSubmatch(m)[1]]; found {
				return v
			}
			return m
		}), ok
	}
	var ok bool
	if q.Prompt, ok = fill(q.Prompt); !ok {
		it.Skip(content.Malformed, "a formula in the text cannot be computed")
		return
	}
	if variants > 1 {
		it.Change(content.VariantsReduced, "the question's %d variants became one: every candidate gets the values of the first (%s)", variants, values(raw))
	}
	if mq.Type == "calculatedmulti" {
		for i := range mq.Answers {
			if mq.Answers[i].Text, ok = fill(mq.Answers[i].Text); !ok {
				it.Skip(content.Malformed, "the formula of answer %d cannot be computed", i+1)
				return
			}
		}
		p.choice(it, q, mq)
		return
	}
	p.calculatedNumber(it, q, mq, vars)
}

func values(raw map[string]string) string {
	var parts []string
	for _, k := range sortedKeys(raw) {
		parts = append(parts, k+" = "+raw[k])
	}
	return strings.Join(parts, ", ")
}

// calculatedNumber keys a calculated question with its full-credit
// formula's value and tolerance.
func (p *parser) calculatedNumber(it *content.Item, q *examhall.Question, mq *question, vars map[string]float64) {
	q.Type = examhall.Numeric
	for _, a := range mq.Answers {
		f := fraction(a.Fraction)
		if f < 100 {
			if f > 0 {
				it.Change(content.PartialCreditDropped, "the partial credit (%g%%) for %s was left out", f, strings.TrimSpace(a.Text))
			}
			continue
		}
		v, err := evalFormula(examhall.StripHTML(a.Text), vars)
		if err != nil {
			it.Skip(content.Malformed, "the answer's formula %q cannot be computed: %v", strings.TrimSpace(a.Text), err)
			return
		}
		tol, _ := strconv.ParseFloat(strings.TrimSpace(orZero(a.Tolerance)), 64)
		tol = math.Abs(tol)
		switch strings.TrimSpace(a.ToleranceType) {
		case "", "1": // relative
			tol *= math.Abs(v)
		case "3": // geometric: v/(1+t) .. v*(1+t), nearly relative
			it.Change(content.ToleranceChanged, "the geometric tolerance became a relative one of ±%g", tol*math.Abs(v))
			tol *= math.Abs(v)
		}
		q.Answer, _ = json.Marshal(v)
		q.Tolerance = math.Round(tol*1e12) / 1e12
		q.CorrectFeedback = p.texts(it, a.Feedback.Text, a.Feedback.Files)
		if mq.Units != nil {
			it.Change(content.UnitsDropped, "units were left out: the answer is the number alone")
		}
		return
	}
	it.Skip(content.NoCorrectAnswer, "no answer gets full credit")
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

package examhall

import (
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"sort"
)

// Stats is the classical item analysis of an exam and its score
// distribution, computed over submitted attempts with no response awaiting
// a person's mark; the others are counted, never silently left out.
type Stats struct {
	Exam            string  `json:"exam"`
	Attempts        int     `json:"attempts"`         // analysed: submitted, fully marked
	AwaitingMarking int     `json:"awaiting_marking"` // submitted, some response unmarked
	InProgress      int     `json:"in_progress"`
	NotStarted      int     `json:"not_started"`
	MaxScore        float64 `json:"max_score"`
	Mean            float64 `json:"mean"`
	SD              float64 `json:"sd"` // population standard deviation
	Median          float64 `json:"median"`
	Min             float64 `json:"min"`
	Max             float64 `json:"max"`
	// Reliability is KR-20 when every item scores 0 or full points, else
	// Cronbach's alpha; nil when papers differ (pools) or there are fewer
	// than two items or attempts.
	Reliability       *float64    `json:"reliability"`
	ReliabilityMethod string      `json:"reliability_method,omitempty"`
	SEM               *float64    `json:"sem"` // SD × √(1 − reliability)
	Distribution      []Bin       `json:"distribution"`
	Items             []ItemStats `json:"items"`
}

// Bin counts the scores in [From, To) (the last bin includes To).
type Bin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// ItemStats is the analysis of one question.
type ItemStats struct {
	Question string       `json:"question"`
	Type     QuestionType `json:"type"`
	N        int          `json:"n"` // analysed attempts whose paper had it
	// Facility is the mean share of the points scored (the p-value).
	Facility float64 `json:"facility"`
	// Discrimination is the point-biserial correlation of the item with
	// the rest of the test (total minus the item), nil when undefined.
	Discrimination *float64 `json:"discrimination"`
	// UpperLower is the facility in the top 27% by total minus that in the
	// bottom 27%.
	UpperLower *float64 `json:"upper_lower"`
	Omitted    float64  `json:"omitted"` // share with no response
	// Right, Partial, Wrong and Blank count the analysed responses by
	// outcome (Blank: none, or a cleared one); under negative marking a
	// wrong response costs points, and the facility counts it as none.
	Right   int `json:"right"`
	Partial int `json:"partial"`
	Wrong   int `json:"wrong"`
	Blank   int `json:"blank"`
	// Section is the question's section, when the exam has sections.
	Section string        `json:"section,omitempty"`
	Options []OptionStats `json:"options,omitempty"`
	Flags   []string      `json:"flags"`
}

// OptionStats is the distractor analysis of one option: the share of each
// group that chose it.
type OptionStats struct {
	Option string  `json:"option"`
	Key    bool    `json:"key"`
	All    float64 `json:"all"`
	Upper  float64 `json:"upper"`
	Lower  float64 `json:"lower"`
}

// Review flags.
const (
	FlagNegativeDiscrimination = "negative_discrimination"
	FlagTooHard                = "too_hard" // facility < 0.2
	FlagTooEasy                = "too_easy" // facility > 0.95
)

// Analyze computes the item analysis of an exam from its results.
func Analyze(e *Exam, results []*Result) *Stats {
	an := NewAnalysis(e)
	for _, r := range results {
		an.Add(r)
	}
	return an.Stats()
}

// Analysis gathers results one at a time and keeps only what the item
// analysis needs (a score and a few bits per item), so that the results of
// a large exam need not be in memory together.
type Analysis struct {
	e      *Exam
	k      int
	counts Stats // the counts of attempts by state
	maxSet bool
	totals []float64
	// Per analysed attempt i and question j, at i*k+j: the points (NaN
	// when the paper did not have the question), whether the response was
	// omitted, and for choice questions the options chosen as a bit set
	// of words[j] words.
	points  []float64
	counted []float64 // the points the total holds (0 when not counted)
	omitted []bool
	outcome []Outcome
	chosen  [][]uint64 // per question; nil when not a choice question
	words   []int
	optIdx  []map[string]int
	buf     []int
}

// NewAnalysis starts the analysis of e's results.
func NewAnalysis(e *Exam) *Analysis {
	k := len(e.Questions)
	an := &Analysis{e: e, k: k, chosen: make([][]uint64, k), words: make([]int, k), optIdx: make([]map[string]int, k)}
	an.counts.MaxScore = e.MaxScore("")
	for j := range e.Questions {
		q := &e.Questions[j]
		if q.Type == Single || q.Type.choosesOptions() {
			an.words[j] = (len(q.Options) + 63) / 64
			an.optIdx[j] = make(map[string]int, len(q.Options))
			for oi, o := range q.Options {
				an.optIdx[j][o.ID] = oi
			}
		}
	}
	return an
}

// Reserve makes room for n more analysed results.
func (an *Analysis) Reserve(n int) {
	an.totals = slices.Grow(an.totals, n)
	an.points = slices.Grow(an.points, n*an.k)
	an.omitted = slices.Grow(an.omitted, n*an.k)
	an.outcome = slices.Grow(an.outcome, n*an.k)
	an.counted = slices.Grow(an.counted, n*an.k)
	for j, w := range an.words {
		if w > 0 {
			an.chosen[j] = slices.Grow(an.chosen[j], n*w)
		}
	}
}

// Add counts one result; only submitted results with nothing awaiting a
// person's mark are analysed. r is not kept.
func (an *Analysis) Add(r *Result) {
	switch {
	case r.Status == NotStarted:
		an.counts.NotStarted++
		return
	case r.Status != Submitted:
		an.counts.InProgress++
		return
	case r.Pending > 0:
		an.counts.AwaitingMarking++
		return
	}
	if len(an.e.Pools) > 0 && !an.maxSet {
		an.counts.MaxScore, an.maxSet = r.MaxScore, true
	}
	an.counts.Attempts++
	an.totals = append(an.totals, r.Score)
	i := len(an.totals) - 1
	for range an.k {
		an.points = append(an.points, math.NaN())
		an.omitted = append(an.omitted, false)
		an.outcome = append(an.outcome, "")
		an.counted = append(an.counted, 0)
	}
	for j := range an.chosen {
		if an.words[j] > 0 {
			for range an.words[j] {
				an.chosen[j] = append(an.chosen[j], 0)
			}
		}
	}
	qn := 0
	for j := range an.e.Questions {
		q := &an.e.Questions[j]
		var qr *QuestionResult
		// Results list their questions in exam order.
		if qn < len(r.Questions) && r.Questions[qn].Question == q.ID {
			qr = &r.Questions[qn]
			qn++
		} else if qr = findQuestion(r, q.ID); qr == nil {
			continue
		}
		an.points[i*an.k+j] = qr.Points
		if !qr.NotCounted {
			an.counted[i*an.k+j] = qr.Points
		}
		an.outcome[i*an.k+j] = qr.Outcome
		null := Blank(qr.Response)
		an.omitted[i*an.k+j] = null
		if w := an.words[j]; w > 0 && !null {
			bits := an.chosen[j][i*w : (i+1)*w]
			an.buf = chosenIndexes(q, qr.Response, an.optIdx[j], an.buf[:0])
			for _, oi := range an.buf {
				bits[oi/64] |= 1 << (oi % 64)
			}
		}
	}
}

// Stats returns the analysis of what was added.
func (an *Analysis) Stats() *Stats {
	e := an.e
	s := &Stats{Exam: e.ID, Distribution: []Bin{}, Items: []ItemStats{},
		Attempts: an.counts.Attempts, AwaitingMarking: an.counts.AwaitingMarking,
		InProgress: an.counts.InProgress, NotStarted: an.counts.NotStarted, MaxScore: an.counts.MaxScore}
	if len(an.totals) == 0 {
		for _, q := range e.Questions {
			s.Items = append(s.Items, ItemStats{Question: q.ID, Type: q.Type, Flags: []string{}})
		}
		return s
	}
	s.describe(an.totals)
	s.Distribution = histogram(an.totals, s.MaxScore, 10)
	upper, lower := groups(an.totals)
	s.Items = an.items(upper, lower)
	s.reliability(an)
	return s
}

func (s *Stats) describe(totals []float64) {
	n := float64(len(totals))
	sorted := append([]float64(nil), totals...)
	sort.Float64s(sorted)
	s.Min, s.Max = sorted[0], sorted[len(sorted)-1]
	if len(sorted)%2 == 1 {
		s.Median = sorted[len(sorted)/2]
	} else {
		s.Median = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	var sum float64
	for _, t := range totals {
		sum += t
	}
	s.Mean = sum / n
	s.SD = math.Sqrt(variance(totals))
}

// variance is the population variance.
func variance(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var sum, sq float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	for _, x := range xs {
		sq += (x - mean) * (x - mean)
	}
	return sq / float64(len(xs))
}

func histogram(totals []float64, max float64, bins int) []Bin {
	if max <= 0 {
		max = 1
	}
	out := make([]Bin, bins)
	w := max / float64(bins)
	for i := range out {
		out[i] = Bin{From: round6(float64(i) * w), To: round6(float64(i+1) * w)}
	}
	for _, t := range totals {
		i := int(t / w)
		if i >= bins {
			i = bins - 1
		}
		if i < 0 {
			i = 0
		}
		out[i].Count++
	}
	return out
}

// groups marks the top and bottom 27% of attempts by total.
func groups(totals []float64) (upper, lower []bool) {
	idx := make([]int, len(totals))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return totals[idx[a]] > totals[idx[b]] })
	k := int(math.Ceil(0.27 * float64(len(totals))))
	upper, lower = make([]bool, len(totals)), make([]bool, len(totals))
	for i := 0; i < k; i++ {
		upper[idx[i]] = true
		lower[idx[len(idx)-1-i]] = true
	}
	return upper, lower
}

func (an *Analysis) items(upper, lower []bool) []ItemStats {
	e, n, k := an.e, len(an.totals), an.k
	items := make([]ItemStats, 0, k)
	xs := make([]float64, 0, n)
	rest := make([]float64, 0, n)
	for j := range e.Questions {
		q := &e.Questions[j]
		it := ItemStats{Question: q.ID, Type: q.Type, Flags: []string{}}
		if si := e.SectionOf(q.ID); si >= 0 {
			it.Section = e.Sections[si].ID
		}
		xs, rest = xs[:0], rest[:0]
		var upSum, loSum float64
		var upN, loN, omitted int
		chosen := make([][3]int, len(q.Options)) // counts in all, upper, lower
		w := an.words[j]
		for i := 0; i < n; i++ {
			p := an.points[i*k+j]
			if math.IsNaN(p) {
				continue
			}
			share := 0.0
			if q.Points > 0 && p > 0 {
				share = p / q.Points
			}
			xs = append(xs, share)
			rest = append(rest, an.totals[i]-an.counted[i*k+j])
			switch an.outcome[i*k+j] {
			case Right:
				it.Right++
			case Partial:
				it.Partial++
			case Wrong:
				it.Wrong++
			default:
				it.Blank++
			}
			if an.omitted[i*k+j] {
				omitted++
			}
			if upper[i] {
				upSum, upN = upSum+share, upN+1
			}
			if lower[i] {
				loSum, loN = loSum+share, loN+1
			}
			if w == 0 {
				continue
			}
			for wi, word := range an.chosen[j][i*w : (i+1)*w] {
				for word != 0 {
					b := bits.TrailingZeros64(word)
					word &^= 1 << b
					c := &chosen[wi*64+b]
					c[0]++
					if upper[i] {
						c[1]++
					}
					if lower[i] {
						c[2]++
					}
				}
			}
		}
		it.N = len(xs)
		if it.N > 0 {
			it.Facility = round6(mean(xs))
			it.Omitted = round6(float64(omitted) / float64(it.N))
			it.Discrimination = correlation(xs, rest)
			if upN > 0 && loN > 0 {
				d := round6(upSum/float64(upN) - loSum/float64(loN))
				it.UpperLower = &d
			}
			if w > 0 {
				for oi, o := range q.Options {
					c := chosen[oi]
					it.Options = append(it.Options, OptionStats{
						Option: o.ID, Key: q.keyOption(o.ID),
						All: ratio(c[0], it.N), Upper: ratio(c[1], upN), Lower: ratio(c[2], loN),
					})
				}
			}
			it.flag()
		}
		items = append(items, it)
	}
	return items
}

func (it *ItemStats) flag() {
	if it.Discrimination != nil && *it.Discrimination < 0 {
		it.Flags = append(it.Flags, FlagNegativeDiscrimination)
	}
	if it.Facility < 0.2 {
		it.Flags = append(it.Flags, FlagTooHard)
	}
	if it.Facility > 0.95 {
		it.Flags = append(it.Flags, FlagTooEasy)
	}
}

// reliability sets KR-20 or Cronbach's alpha and the SEM.
func (s *Stats) reliability(an *Analysis) {
	e, n, k := an.e, len(an.totals), an.k
	if len(e.Pools) > 0 || k < 2 || n < 2 {
		return
	}
	varTotal := variance(an.totals)
	if varTotal == 0 {
		return
	}
	dichotomous := true
	var sumVar float64
	xs := make([]float64, n)
	for j := range e.Questions {
		q := &e.Questions[j]
		for i := 0; i < n; i++ {
			p := an.points[i*k+j]
			if math.IsNaN(p) {
				return
			}
			if p != 0 && p != q.Points {
				dichotomous = false
			}
			xs[i] = p
		}
		sumVar += variance(xs)
	}
	alpha := round6(float64(k) / float64(k-1) * (1 - sumVar/varTotal))
	s.Reliability = &alpha
	s.ReliabilityMethod = "cronbach_alpha"
	if dichotomous {
		s.ReliabilityMethod = "kr20"
	}
	if alpha <= 1 {
		sem := round6(s.SD * math.Sqrt(math.Max(0, 1-alpha)))
		s.SEM = &sem
	}
}

func findQuestion(r *Result, id string) *QuestionResult {
	for i := range r.Questions {
		if r.Questions[i].Question == id {
			return &r.Questions[i]
		}
	}
	return nil
}

// chosenIndexes appends to buf the positions of the options a response
// chose.
func chosenIndexes(q *Question, r json.RawMessage, index map[string]int, buf []int) []int {
	switch q.Type {
	case Single:
		for j, o := range q.Options {
			if eq, ok := isJSONString(r, o.ID); !ok {
				break
			} else if eq {
				return append(buf, j)
			}
		}
		if id, ok := jsonString(r); ok {
			if j, ok := index[id]; ok {
				return append(buf, j)
			}
		}
	case Multiple, HotText, Hotspot:
		if ids, ok := jsonStrings(r); ok {
			for _, id := range ids {
				if j, ok := index[id]; ok {
					buf = append(buf, j)
				}
			}
		}
	}
	return buf
}

// keyOption reports whether option id is (part of) the key.
func (q *Question) keyOption(id string) bool {
	return q.key.option == id || q.key.options[id]
}

// correlation is Pearson's r, nil when either side has no variance.
func correlation(xs, ys []float64) *float64 {
	if len(xs) < 2 {
		return nil
	}
	mx, my := mean(xs), mean(ys)
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return nil
	}
	r := round6(sxy / math.Sqrt(sxx*syy))
	return &r
}

func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round6(float64(a) / float64(b))
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

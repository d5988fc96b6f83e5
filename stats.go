package examhall

import (
	"encoding/json"
	"math"
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
	UpperLower *float64      `json:"upper_lower"`
	Omitted    float64       `json:"omitted"` // share with no response
	Options    []OptionStats `json:"options,omitempty"`
	Flags      []string      `json:"flags"`
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
	s := &Stats{Exam: e.ID, Distribution: []Bin{}, Items: []ItemStats{}}
	var done []*Result
	for _, r := range results {
		switch {
		case r.Status == NotStarted:
			s.NotStarted++
		case r.Status != Submitted:
			s.InProgress++
		case r.Pending > 0:
			s.AwaitingMarking++
		default:
			done = append(done, r)
		}
	}
	s.Attempts = len(done)
	for _, q := range e.Questions {
		s.MaxScore += q.Points
	}
	if len(e.Pools) > 0 && len(done) > 0 {
		s.MaxScore = done[0].MaxScore
	}
	if len(done) == 0 {
		for _, q := range e.Questions {
			s.Items = append(s.Items, ItemStats{Question: q.ID, Type: q.Type, Flags: []string{}})
		}
		return s
	}
	totals := make([]float64, len(done))
	for i, r := range done {
		totals[i] = r.Score
	}
	s.describe(totals)
	s.Distribution = histogram(totals, s.MaxScore, 10)
	upper, lower := groups(totals)
	s.Items = analyzeItems(e, done, totals, upper, lower)
	s.reliability(e, done, totals)
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

// grid is the item scores of the analysed attempts: row i is attempt i,
// column j question j of the exam, nil where the paper did not have it.
type grid [][]*QuestionResult

func newGrid(e *Exam, done []*Result) grid {
	g := make(grid, len(done))
	cells := make([]*QuestionResult, len(done)*len(e.Questions))
	for i, r := range done {
		row := cells[i*len(e.Questions) : (i+1)*len(e.Questions)]
		j := 0
		for qi := range e.Questions {
			// Results list their questions in exam order.
			if j < len(r.Questions) && r.Questions[j].Question == e.Questions[qi].ID {
				row[qi] = &r.Questions[j]
				j++
			} else if p := findQuestion(r, e.Questions[qi].ID); p != nil {
				row[qi] = p
			}
		}
		g[i] = row
	}
	return g
}

func analyzeItems(e *Exam, done []*Result, totals []float64, upper, lower []bool) []ItemStats {
	g := newGrid(e, done)
	items := make([]ItemStats, 0, len(e.Questions))
	xs := make([]float64, 0, len(done))
	rest := make([]float64, 0, len(done))
	for qi := range e.Questions {
		q := &e.Questions[qi]
		it := ItemStats{Question: q.ID, Type: q.Type, Flags: []string{}}
		xs, rest = xs[:0], rest[:0]
		var upSum, loSum float64
		var upN, loN, omitted int
		optIndex := make(map[string]int, len(q.Options))
		for j, o := range q.Options {
			optIndex[o.ID] = j
		}
		chosen := make([][3]int, len(q.Options)) // counts in all, upper, lower
		countOptions := q.Type == Single || q.Type == Multiple
		for i := range done {
			qr := g[i][qi]
			if qr == nil {
				continue
			}
			share := 0.0
			if q.Points > 0 {
				share = qr.Points / q.Points
			}
			xs = append(xs, share)
			rest = append(rest, totals[i]-qr.Points)
			if isNull(qr.Response) {
				omitted++
			}
			if upper[i] {
				upSum, upN = upSum+share, upN+1
			}
			if lower[i] {
				loSum, loN = loSum+share, loN+1
			}
			if countOptions && !isNull(qr.Response) {
				for _, o := range chosenOptions(q, qr.Response) {
					j, ok := optIndex[o]
					if !ok {
						continue
					}
					chosen[j][0]++
					if upper[i] {
						chosen[j][1]++
					}
					if lower[i] {
						chosen[j][2]++
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
			if countOptions {
				for j, o := range q.Options {
					c := chosen[j]
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
func (s *Stats) reliability(e *Exam, done []*Result, totals []float64) {
	k := len(e.Questions)
	if len(e.Pools) > 0 || k < 2 || len(done) < 2 {
		return
	}
	varTotal := variance(totals)
	if varTotal == 0 {
		return
	}
	g := newGrid(e, done)
	dichotomous := true
	var sumVar float64
	xs := make([]float64, len(done))
	for qi := range e.Questions {
		q := &e.Questions[qi]
		for i := range done {
			qr := g[i][qi]
			if qr == nil {
				return
			}
			if qr.Points != 0 && qr.Points != q.Points {
				dichotomous = false
			}
			xs[i] = qr.Points
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

// chosenOptions returns the options a response chose.
func chosenOptions(q *Question, r json.RawMessage) []string {
	switch q.Type {
	case Single:
		if id, ok := jsonString(r); ok {
			return []string{id}
		}
	case Multiple:
		if ids, ok := jsonStrings(r); ok {
			return ids
		}
	}
	return nil
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

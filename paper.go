package examhall

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// PaperQuestion is a question as a candidate sees it: never with its key.
type PaperQuestion struct {
	ID      string       `json:"id"`
	Type    QuestionType `json:"type"`
	Prompt  string       `json:"prompt"`
	Points  float64      `json:"points"`
	Format  string       `json:"format,omitempty"`
	Options []Option     `json:"options,omitempty"`
	Targets []Option     `json:"targets,omitempty"`
	// Gaps of cloze and gap_match questions, without their answers.
	Gaps       []PaperGap      `json:"gaps,omitempty"`
	MaxChoices int             `json:"max_choices,omitempty"`
	Image      *Image          `json:"image,omitempty"`
	Upload     *UploadRules    `json:"upload,omitempty"`
	Parts      []PaperQuestion `json:"parts,omitempty"`
	// Section is the id of the question's section, when the exam has
	// sections; Marking the scheme that governs it, when there is one.
	Section string   `json:"section,omitempty"`
	Marking *Marking `json:"marking,omitempty"`
}

// PaperGap is a gap as a candidate sees it: its id, its kind and, for a
// choice gap, its options.
type PaperGap struct {
	ID      string   `json:"id"`
	Type    string   `json:"type,omitempty"`
	Options []Option `json:"options,omitempty"`
}

// paperOptions copies options for a paper, without their feedback.
func paperOptions(os []Option) []Option {
	out := make([]Option, len(os))
	for i, o := range os {
		out[i] = Option{ID: o.ID, Text: o.Text, Shape: o.Shape, Coords: o.Coords}
	}
	return out
}

// Paper returns the questions of one attempt's paper, in the order the
// candidate sees them. The paper is derived from seed alone (the attempt id),
// so it needs no storage and is the same on every server and every reload:
// pools draw their questions, then questions and options are shuffled if the
// exam says so. Each question's options get their own stream, so one
// candidate sees the same option order however the questions are ordered.
func (e *Exam) Paper(seed string) []PaperQuestion {
	ids := e.PaperQuestionIDs(seed)
	out := make([]PaperQuestion, len(ids))
	for i, id := range ids {
		q, _ := e.Question(id)
		out[i] = q.paper(seed, q.ID, e.ShuffleOptions)
		if si := e.SectionOf(id); si >= 0 {
			out[i].Section = e.Sections[si].ID
		}
		out[i].Marking = e.MarkingOf(q)
	}
	return out
}

// paper is q as the candidate of seed sees it; sid names q's random
// streams (a part's is "question.part").
func (q *Question) paper(seed, sid string, shuffle bool) PaperQuestion {
	pq := PaperQuestion{ID: q.ID, Type: q.Type, Prompt: q.Prompt, Points: q.Points, Format: q.Format,
		MaxChoices: q.MaxChoices, Image: q.Image, Upload: q.Upload}
	mix := func(purpose string, os []Option) {
		r := stream(seed, purpose, sid)
		r.Shuffle(len(os), func(i, j int) { os[i], os[j] = os[j], os[i] })
	}
	// The options of hot_text and hotspot questions stand in the prompt
	// and on the image: their order means nothing.
	if len(q.Options) > 0 {
		pq.Options = paperOptions(q.Options)
		if q.shuffles(shuffle) && q.Type != HotText && q.Type != Hotspot {
			mix("options", pq.Options)
		}
	}
	if len(q.Targets) > 0 {
		pq.Targets = paperOptions(q.Targets)
		if q.shuffles(shuffle) {
			mix("targets", pq.Targets)
		}
	}
	for _, g := range q.Gaps {
		pg := PaperGap{ID: g.ID, Type: g.Type}
		if len(g.Options) > 0 {
			pg.Options = paperOptions(g.Options)
			if q.shuffles(shuffle) {
				r := stream(seed, "gap", sid+"\x00"+g.ID)
				r.Shuffle(len(pg.Options), func(i, j int) { pg.Options[i], pg.Options[j] = pg.Options[j], pg.Options[i] })
			}
		}
		pq.Gaps = append(pq.Gaps, pg)
	}
	for i := range q.Parts {
		p := &q.Parts[i]
		pp := p.paper(seed, sid+"."+p.ID, shuffle)
		pp.Format = q.Format
		pq.Parts = append(pq.Parts, pp)
	}
	return pq
}

// PaperQuestionIDs returns the ids of the questions on the paper of seed, in
// order.
func (e *Exam) PaperQuestionIDs(seed string) []string {
	if len(e.Sections) > 0 {
		var ids []string
		for _, sec := range e.PaperSections(seed) {
			ids = append(ids, sec...)
		}
		return ids
	}
	drawn := e.drawn(seed)
	ids := make([]string, 0, len(e.Questions))
	for _, q := range e.Questions {
		if in, pooled := drawn[q.ID]; !pooled || in {
			ids = append(ids, q.ID)
		}
	}
	if e.ShuffleQuestions {
		r := stream(seed, "order", "")
		r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	}
	return ids
}

// PaperSections returns, for each section of the exam in order, the ids
// of its questions on the paper of seed, in order: the section's own
// order, shuffled within the section when it (or else the exam) says so.
func (e *Exam) PaperSections(seed string) [][]string {
	drawn := e.drawn(seed)
	out := make([][]string, len(e.Sections))
	for i, s := range e.Sections {
		ids := make([]string, 0, len(s.Questions))
		for _, id := range s.Questions {
			if in, pooled := drawn[id]; !pooled || in {
				ids = append(ids, id)
			}
		}
		shuffle := e.ShuffleQuestions
		if s.ShuffleQuestions != nil {
			shuffle = *s.ShuffleQuestions
		}
		if shuffle {
			r := stream(seed, "order", s.ID)
			r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		}
		out[i] = ids
	}
	return out
}

// OnPaper reports whether question id is on the paper of seed.
func (e *Exam) OnPaper(seed, id string) bool {
	if _, ok := e.Question(id); !ok {
		return false
	}
	if len(e.Pools) == 0 {
		return true
	}
	in, pooled := e.drawn(seed)[id]
	return !pooled || in
}

// drawn maps every pooled question id to whether seed's paper drew it.
func (e *Exam) drawn(seed string) map[string]bool {
	if len(e.Pools) == 0 {
		return nil
	}
	m := make(map[string]bool)
	for _, p := range e.Pools {
		ids := append([]string(nil), p.Questions...)
		r := stream(seed, "pool", p.ID)
		r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		for i, id := range ids {
			m[id] = i < p.Draw
		}
	}
	return m
}

// stream returns a random stream determined by its three parts.
func stream(seed, purpose, id string) *rand.Rand {
	h := sha256.New()
	for _, s := range []string{seed, purpose, id} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
}

// shuffles reports whether q's options are shown shuffled when the exam's
// setting is exam. The options of an order question always are: in their
// stored order they would give the key away. Any order may come out, the
// keyed one too: an order that never could be the key would tell which one
// is (with two options, the key would be the reverse of what is shown).
func (q *Question) shuffles(exam bool) bool {
	switch {
	case q.Type == Order:
		return true
	case q.Shuffle != nil:
		return *q.Shuffle
	}
	return exam
}

package examhall

import "encoding/json"

// QuestionType names how a question is answered and graded.
type QuestionType string

// The core question types of API.md.
const (
	Single    QuestionType = "single"     // one option; response "<option id>"
	Multiple  QuestionType = "multiple"   // several options; response ["<id>", ...]
	TrueFalse QuestionType = "true_false" // response true or false
	Numeric   QuestionType = "numeric"    // response a number
	ShortText QuestionType = "short_text" // response a string
	Essay     QuestionType = "essay"      // response a string, graded by a person
	// Match pairs each option (a premise) with one of the targets;
	// response {"<option id>": "<target id>", ...}.
	Match QuestionType = "match"
	// Order puts the options in a sequence; response ["<option id>", ...].
	Order QuestionType = "order"
	// Cloze is a text with gaps, each a text entry, a number or an inline
	// choice; response {"<gap id>": "<text>" | <number> | "<option id>"}.
	Cloze QuestionType = "cloze"
	// GapMatch fills the gaps of a text with the options (words);
	// response {"<gap id>": "<option id>", ...}.
	GapMatch QuestionType = "gap_match"
	// HotText chooses words or phrases (the options) in a passage;
	// response ["<option id>", ...].
	HotText QuestionType = "hot_text"
	// Hotspot chooses areas (the options) of an image; response
	// ["<option id>", ...].
	Hotspot QuestionType = "hotspot"
	// SelectPoint places points on an image; response [{"x": 12, "y": 34}].
	SelectPoint QuestionType = "select_point"
	// Upload attaches a file; response the reference the upload returned.
	// Graded by a person.
	Upload QuestionType = "upload"
	// Multipart has parts, each a question of its own; response
	// {"<part id>": <the part's response>, ...}.
	Multipart QuestionType = "multipart"
)

// QuestionTypes lists every supported type, in documentation order.
var QuestionTypes = []QuestionType{Single, Multiple, TrueFalse, Numeric, ShortText, Essay, Match, Order,
	Cloze, GapMatch, HotText, Hotspot, SelectPoint, Upload, Multipart}

// Prompt formats.
const (
	FormatText = "text" // the default: shown as written, never as markup
	FormatHTML = "html" // sanitised HTML (see SanitizeHTML)
)

// Question is one question of an exam, with its key.
type Question struct {
	ID     string       `json:"id"`
	Type   QuestionType `json:"type"`
	Prompt string       `json:"prompt,omitempty"`
	// Points is the score of a correct response; ParseExam sets 1 when the
	// document names none.
	Points  float64  `json:"points"`
	Options []Option `json:"options,omitempty"`
	// Answer is the key, in the JSON shape of a response for the type
	// (short_text: a list of accepted answers). Essays have none.
	Answer json.RawMessage `json:"answer,omitempty"`
	// Tolerance is the accepted absolute error of a numeric response.
	Tolerance float64 `json:"tolerance,omitempty"`
	// Format is how Prompt, option and target texts are written: "text"
	// (the default) or "html", sanitised when the exam is validated.
	Format string `json:"format,omitempty"`
	// Targets are the right-hand column of a match question.
	Targets []Option `json:"targets,omitempty"`
	// PartialCredit awards a share of the points to partly right responses
	// of multiple, match and order questions (see Grade).
	PartialCredit bool `json:"partial_credit,omitempty"`
	// Feedback is shown to staff, and to candidates with released results.
	Feedback string `json:"feedback,omitempty"`
	// CorrectFeedback, PartialFeedback and IncorrectFeedback are shown
	// for a response that scores full, partial or no points; like
	// Feedback, never on a candidate's paper.
	CorrectFeedback   string `json:"correct_feedback,omitempty"`
	PartialFeedback   string `json:"partially_correct_feedback,omitempty"`
	IncorrectFeedback string `json:"incorrect_feedback,omitempty"`
	// Gaps are the gaps of a cloze or gap_match question, each marked in
	// the prompt as [[id]].
	Gaps []Gap `json:"gaps,omitempty"`
	// MaxChoices bounds how many options (hot_text, hotspot) or points
	// (select_point) a response may hold; 0 means no bound.
	MaxChoices int `json:"max_choices,omitempty"`
	// Image is the picture of a hotspot or select_point question.
	Image *Image `json:"image,omitempty"`
	// Upload sets the files an upload question takes.
	Upload *UploadRules `json:"upload,omitempty"`
	// Parts are the questions of a multipart question; its points are
	// the sum of theirs.
	Parts []Question `json:"parts,omitempty"`
	// Shuffle, when set, overrides the exam's shuffle_options for this
	// question: false keeps its options in the written order (for "all
	// of the above"), true shuffles them.
	Shuffle *bool `json:"shuffle,omitempty"`
	// Marking overrides the section's or exam's marking scheme for this
	// question (extension).
	Marking *Marking `json:"marking,omitempty"`

	key       key    // Answer, decoded by validation
	reviewKey string // its state key of "marked for review", set by validation
}

// Option is one choice of a single or multiple question, a word of a
// gap_match, a phrase of a hot_text or an area of a hotspot question.
type Option struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// Shape and Coords place a hotspot's area on its image (see Area).
	Shape  string    `json:"shape,omitempty"`
	Coords []float64 `json:"coords,omitempty"`
	// Feedback on choosing the option; never on a candidate's paper.
	Feedback string `json:"feedback,omitempty"`
}

// key is a question's answer key in decoded form.
type key struct {
	option  string            // single
	options map[string]bool   // multiple
	truth   bool              // true_false
	number  float64           // numeric
	texts   []string          // short_text, normalized
	pairs   map[string]string // match: option -> target
	order   []string          // order: option ids in sequence
	areas   []Area            // select_point
}

// HasOptions reports whether responses to the type name options.
func (t QuestionType) HasOptions() bool {
	return t == Single || t == Multiple || t == Match || t == Order || t == GapMatch || t == HotText || t == Hotspot
}

// choosesOptions reports whether a response to the type is a list of
// chosen options, graded as multiple questions are.
func (t QuestionType) choosesOptions() bool { return t == Multiple || t == HotText || t == Hotspot }

// Valid reports whether t is a supported type.
func (t QuestionType) Valid() bool {
	for _, v := range QuestionTypes {
		if t == v {
			return true
		}
	}
	return false
}

// HumanGraded reports whether responses to the type wait for a person.
func (t QuestionType) HumanGraded() bool { return t == Essay || t == Upload }

// hasTarget reports whether a match question q offers a target with the id.
func (q *Question) hasTarget(id string) bool {
	for _, o := range q.Targets {
		if o.ID == id {
			return true
		}
	}
	return false
}

// hasOption reports whether q offers an option with the id.
func (q *Question) hasOption(id string) bool {
	for _, o := range q.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

// EachText calls fn with a pointer to every text of q written in its
// Format: the prompt, the feedback, and the texts and feedback of options
// and targets. Importers use it to rewrite texts in place.
func (q *Question) EachText(fn func(s *string)) {
	for _, s := range []*string{&q.Prompt, &q.Feedback, &q.CorrectFeedback, &q.PartialFeedback, &q.IncorrectFeedback} {
		fn(s)
	}
	for _, os := range [][]Option{q.Options, q.Targets} {
		for i := range os {
			fn(&os[i].Text)
			fn(&os[i].Feedback)
		}
	}
	for i := range q.Gaps {
		for j := range q.Gaps[i].Options {
			fn(&q.Gaps[i].Options[j].Text)
			fn(&q.Gaps[i].Options[j].Feedback)
		}
	}
	for i := range q.Parts {
		q.Parts[i].EachText(fn)
	}
}

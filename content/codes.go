package content

// Code is the stable, machine-readable kind of a change made to an
// imported item, or of the reason it was skipped. The import report
// carries it next to each sentence, so that a script can tell an item
// imported exactly from one imported with changes, and why.
type Code string

// Kinds of change: what of the source an imported item does not carry, or
// carries differently.
const (
	// ScoringChanged: the source's scores (weights, a mapping) became
	// examhall's partial-credit rule, which gives other shares.
	ScoringChanged Code = "scoring_changed"
	// PartialCreditDropped: an answer worth part of the points counts as
	// wrong.
	PartialCreditDropped Code = "partial_credit_dropped"
	// PenaltyDropped: a negative score for a wrong answer is not applied.
	PenaltyDropped Code = "penalty_dropped"
	// AnswerDropped: an accepted answer, or a graded wrong answer, was
	// left out.
	AnswerDropped Code = "answer_dropped"
	// FeedbackDropped: feedback the source shows was left out.
	FeedbackDropped Code = "feedback_dropped"
	// FeedbackConditionLost: feedback shown under a condition examhall
	// cannot tell was kept as general feedback.
	FeedbackConditionLost Code = "feedback_condition_lost"
	// HintsDropped: hints for further tries were left out (an exam gives
	// one try).
	HintsDropped Code = "hints_dropped"
	// ImageMissing: an image the text shows is not in the input.
	ImageMissing Code = "image_missing"
	// FileInvalid: a file embedded in the source could not be read.
	FileInvalid Code = "file_invalid"
	// MarkupRemoved: markup that is not safe to show (scripts, styles,
	// frames, forms, handlers) was removed from a text.
	MarkupRemoved Code = "markup_removed"
	// FormatChanged: text written in a format examhall does not render
	// (Markdown) is shown as plain text.
	FormatChanged Code = "format_changed"
	// IDChanged: the item's id was taken or unusable and it got another.
	IDChanged Code = "id_changed"
	// UnitsDropped: the units of a numeric answer were left out.
	UnitsDropped Code = "units_dropped"
	// CaseIgnored: answers the source compares case-sensitively are
	// compared without regard to case.
	CaseIgnored Code = "case_ignored"
	// WildcardLiteral: a wildcard in an accepted answer is compared
	// literally.
	WildcardLiteral Code = "wildcard_literal"
	// ShuffleChanged: options the source keeps in place are shuffled.
	ShuffleChanged Code = "shuffle_changed"
	// RubricDropped: notes for markers were left out.
	RubricDropped Code = "rubric_dropped"
	// InteractionChanged: the source's kind of interaction became a
	// similar examhall question type that looks or works differently.
	InteractionChanged Code = "interaction_changed"
	// ToleranceChanged: a numeric comparison (rounding, an open bound)
	// became examhall's tolerance, which accepts slightly different
	// numbers.
	ToleranceChanged Code = "tolerance_changed"
	// MathUnconverted: some TeX could not be turned into MathML and is
	// shown as its source.
	MathUnconverted Code = "math_unconverted"
	// VariantsReduced: a question with variants (Moodle's calculated
	// questions and their datasets) became one question, with the values of
	// its first variant.
	VariantsReduced Code = "variants_reduced"
	// ConstraintDropped: a limit on the response (such as a minimum
	// number of choices or a pattern) is not enforced.
	ConstraintDropped Code = "constraint_dropped"
)

// Kinds of reason an item was skipped.
const (
	// NotAQuestion: the item asks nothing (a description, text only).
	NotAQuestion Code = "not_a_question"
	// UnsupportedType: the source's question type or interaction has no
	// examhall counterpart.
	UnsupportedType Code = "unsupported_type"
	// NoCorrectAnswer: the item has no right answer to grade against.
	NoCorrectAnswer Code = "no_correct_answer"
	// TooFewChoices: a choice item has too few options, pairs or items.
	TooFewChoices Code = "too_few_choices"
	// Malformed: the item is broken (bad syntax, references to nothing).
	Malformed Code = "malformed"
	// Invalid: the item breaks a rule of the exam document.
	Invalid Code = "invalid"
	// UnusedItem: the package lists the item but its test does not use it.
	UnusedItem Code = "unused_item"
	// MissingFile: the item's file is not in the input.
	MissingFile Code = "missing_file"
)

// Kinds of change to the exam as a whole.
const (
	// DefaultTitle and DefaultDuration: the source has no title or time
	// limit, and the exam got examhall's. Nothing of the source is lost.
	DefaultTitle    Code = "default_title"
	DefaultDuration Code = "default_duration"
	// SelectionChanged: a section's random selection could not be kept
	// as the source has it (not a number, or with replacement).
	SelectionChanged Code = "selection_changed"
	// PoolChanged: a pool draws fewer questions than the source asks, as
	// some of its items were skipped.
	PoolChanged Code = "pool_changed"
	// SectionChanged: a section (a QTI test part) could not be kept as
	// the source has it: none of its items was imported, its answer-any
	// rule counts more than remain, or its time limits disagree with the
	// test's.
	SectionChanged Code = "section_changed"
)

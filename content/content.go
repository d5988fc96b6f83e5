// Package content holds what every importer of exam content produces: a
// bank of items, each an examhall question or the reason it could not be
// one, with what had to change, and the images the items use. The format
// packages (gift, aiken, moodlexml, qti) read one format each into a Bank;
// package importer detects the format, reads files, directories and zips,
// and turns a bank into an exam with a per-item report.
package content

import (
	"fmt"
	"regexp"
	"strings"

	"examhall"
)

// Item is one question of the source, as imported.
type Item struct {
	// Source says where the item is: "file.gift:12" or "items/q1.xml".
	Source string `json:"source"`
	// Question is the imported question; nil when the item was skipped.
	Question *examhall.Question `json:"-"`
	// Changes lists what examhall changed or left out, in sentences, and
	// Codes the kind of each change (Codes[i] is that of Changes[i]).
	Changes []string `json:"changes,omitempty"`
	Codes   []Code   `json:"change_codes,omitempty"`
	// Skipped says why the item was not imported, and SkipCode the kind
	// of reason; both are empty when it was imported.
	Skipped  string `json:"skipped,omitempty"`
	SkipCode Code   `json:"reason_code,omitempty"`
	// Shuffle is the source's own wish to shuffle the item's options, or
	// keep them in order; nil when it says nothing.
	Shuffle *bool `json:"-"`
}

// Change records a change to an imported item: code is its kind, the rest
// a sentence saying what changed. The same sentence is recorded once.
func (it *Item) Change(code Code, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, c := range it.Changes {
		if c == msg {
			return
		}
	}
	it.Changes = append(it.Changes, msg)
	it.Codes = append(it.Codes, code)
}

// Skip marks the item as skipped, for the reason given; code is the kind
// of reason.
func (it *Item) Skip(code Code, format string, args ...any) {
	it.Question = nil
	it.Skipped = fmt.Sprintf(format, args...)
	it.SkipCode = code
}

// Asset is a file that items refer to, such as an image.
type Asset = examhall.Asset

// Bank is the content of one source: a file, a directory or a package.
type Bank struct {
	Title  string
	Items  []*Item
	Assets []Asset
	// Settings found in the source (QTI assessmentTest): zero when absent.
	DurationSeconds  int
	ShuffleQuestions bool
	ShuffleOptions   bool
	ID               string // a valid exam id the source gives, or ""
	Instructions     string
	// Pools draw some of their items for each candidate.
	Pools []Pool
	// Sections divide the items (QTI test parts); AllowNegativeTotal
	// keeps a negative total score.
	Sections           []Section
	AllowNegativeTotal bool
	// Notes say what of the source as a whole was changed or left out,
	// and NoteCodes the kind of each.
	Notes     []string
	NoteCodes []Code
}

// Note records a change to the source as a whole.
func (b *Bank) Note(code Code, format string, args ...any) {
	b.Notes = append(b.Notes, fmt.Sprintf(format, args...))
	b.NoteCodes = append(b.NoteCodes, code)
}

// Section is a part of the exam with its own items, instructions and
// rules (a QTI test part).
type Section struct {
	ID, Title, Instructions string
	DurationSeconds         int
	ForwardOnly             bool
	AnswerAny               int
	AnswerAnyRule           string
	Items                   []*Item
}

// Pool draws Draw of its items for each candidate (a QTI section with a
// selection).
type Pool struct {
	ID    string
	Draw  int
	Items []*Item
}

// Add appends the items and assets of other to b.
func (b *Bank) Add(other *Bank) {
	if b.Title == "" {
		b.Title = other.Title
	}
	b.Items = append(b.Items, other.Items...)
	b.Assets = append(b.Assets, other.Assets...)
	if b.DurationSeconds == 0 {
		b.DurationSeconds = other.DurationSeconds
	}
	b.ShuffleQuestions = b.ShuffleQuestions || other.ShuffleQuestions
	b.ShuffleOptions = b.ShuffleOptions || other.ShuffleOptions
	if b.Instructions == "" {
		b.Instructions = other.Instructions
	}
	b.Notes = append(b.Notes, other.Notes...)
	b.NoteCodes = append(b.NoteCodes, other.NoteCodes...)
	b.Pools = append(b.Pools, other.Pools...)
}

// Error is a malformed source: what is wrong and where (a line, or an XML
// element).
type Error struct {
	Source string // file name, may be empty
	Line   int    // 1-based; 0 when unknown
	Where  string // element path or other position, may be empty
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteString(":")
		} else {
			b.WriteString("line ")
		}
		fmt.Fprintf(&b, "%d", e.Line)
	}
	if e.Where != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(e.Where)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

var notID = regexp.MustCompile(`[^A-Za-z0-9._:-]+`)

// IDFrom makes a valid examhall id out of a name from the source, or
// returns "" when nothing of it is usable.
func IDFrom(name string) string {
	id := strings.Trim(notID.ReplaceAllString(strings.TrimSpace(name), "-"), "-._:")
	if len(id) > 64 {
		id = strings.TrimRight(id[:64], "-._:")
	}
	if !examhall.ValidID(id) {
		return ""
	}
	return id
}

// OptionID returns the id of the i-th option: a, b, ..., z, aa, ab, ...
func OptionID(i int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	if i < 26 {
		return letters[i : i+1]
	}
	return OptionID(i/26-1) + letters[i%26:i%26+1]
}

// Package qti reads IMS QTI 2.1 and 3.0 items, assessment tests and
// content packages (a zip with imsmanifest.xml) into a content.Bank, and
// writes an examhall exam as a QTI 3.0 content package that reads back to
// the same exam.
//
// Mapping: choiceInteraction → single (one choice) or multiple;
// textEntryInteraction → numeric (float or integer responses, tolerance
// from an absolute qti-equal) or short_text (correct response and
// full-credit mapping entries); extendedTextInteraction → essay;
// matchInteraction and associateInteraction → match; orderInteraction →
// order. A mapping with partial scores becomes partial credit. Other
// interactions, and items with several, are skipped with the reason.
package qti

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// interactions examhall reads, and those it knows but cannot take.
var (
	readable = []string{"choiceInteraction", "textEntryInteraction", "extendedTextInteraction",
		"matchInteraction", "associateInteraction", "orderInteraction", "gapMatchInteraction", "hotspotInteraction",
		"hottextInteraction", "inlineChoiceInteraction", "sliderInteraction", "graphicOrderInteraction",
		"selectPointInteraction", "uploadInteraction", "endAttemptInteraction"}
	unreadable = []string{"graphicAssociateInteraction", "graphicGapMatchInteraction",
		"positionObjectInteraction", "drawingInteraction", "mediaInteraction", "customInteraction", "portableCustomInteraction"}
)

// resolver finds the files an item refers to: it returns the asset name
// and data of an image path relative to the item, or "" when the image is
// not in the package.
type resolver func(itemPath, src string) (string, []byte)

// readItem reads one assessmentItem into it. file is the item's path in
// the package (for images).
func readItem(it *content.Item, root *node, file string, resolve resolver) {
	if root.name != "assessmentItem" {
		it.Skip(content.Malformed, "the root element is <%s>, not an assessment item", root.name)
		return
	}
	body := root.first("itemBody")
	if body == nil {
		it.Skip(content.Malformed, "the item has no itemBody")
		return
	}
	var found []*node
	body.walk(func(e *node) bool {
		if oneOf(e.name, readable) || oneOf(e.name, unreadable) {
			found = append(found, e)
			return false
		}
		return true
	})
	found = dropEndAttempt(it, found)
	for _, in := range found {
		if oneOf(in.name, unreadable) {
			it.Skip(content.UnsupportedType, "<%s> (line %d) is not a kind of question examhall has", in.name, in.line)
			return
		}
	}
	switch {
	case len(found) == 0:
		it.Skip(content.NotAQuestion, "the item has no interaction")
	case isCloze(found):
		readCloze(it, root, body, found, file, resolve)
	case len(found) == 1:
		q := &examhall.Question{ID: content.IDFrom(root.attr("identifier")), Points: points(root, found)}
		it.Question = q
		marks := innerMarks(found[0])
		q.Prompt, q.Format = promptOf(it, body, found[0], marks, file, resolve)
		readOne(it, root, q, found[0], marks, file, resolve)
		if it.Question != nil && penaltyTypes[q.Type] {
			q.Marking = readPenalty(root)
		}
	default:
		readMultipart(it, root, body, found, file, resolve)
	}
}

// readOne reads one interaction into q (a question, or a part of one).
func readOne(it *content.Item, root *node, q *examhall.Question, in *node, marks map[*node]string, file string, resolve resolver) {
	decl := declaration(root, in.attr("responseIdentifier"))
	if decl == nil && in.name != "endAttemptInteraction" {
		it.Skip(content.Malformed, "<%s> (line %d) has no responseDeclaration %q", in.name, in.line, in.attr("responseIdentifier"))
		return
	}
	r := &reader{it: it, q: q, in: in, decl: decl, file: file, resolve: resolve, root: root, marks: marks}
	switch in.name {
	case "choiceInteraction":
		r.choice()
	case "textEntryInteraction":
		r.textEntry()
	case "extendedTextInteraction":
		q.Type = examhall.Essay
	case "matchInteraction":
		r.match()
	case "associateInteraction":
		r.associate()
	case "orderInteraction":
		r.order()
	case "inlineChoiceInteraction":
		r.inlineChoice()
	case "gapMatchInteraction":
		r.gapMatch()
	case "hottextInteraction":
		r.hottext()
	case "hotspotInteraction", "graphicOrderInteraction":
		r.hotspot()
	case "selectPointInteraction":
		r.selectPoint()
	case "uploadInteraction":
		r.upload()
	case "sliderInteraction":
		r.slider()
	}
	if it.Question == nil {
		return
	}
	if in.attr("data-examhall-partial-credit") == "true" {
		q.PartialCredit = true
	}
	switch v := in.attr("data-examhall-shuffle"); {
	case v != "":
		b := v == "true"
		q.Shuffle = &b
	case in.attr("shuffle") != "" && !r.exported() && in.name != "orderInteraction" && q.Type.HasOptions():
		b := in.attr("shuffle") == "true"
		it.Shuffle = &b
	}
	oneFormat(q, r.optsHTML)
	if q == it.Question {
		r.modalFeedback()
	}
}

// oneFormat makes every text of q HTML when any of them is.
func oneFormat(q *examhall.Question, optsHTML bool) {
	switch {
	case q.Format == examhall.FormatHTML && !optsHTML:
		for _, os := range [][]examhall.Option{q.Options, q.Targets} {
			for i := range os {
				os[i].Text = html.EscapeString(os[i].Text)
			}
		}
	case q.Format != examhall.FormatHTML && optsHTML:
		q.Prompt = html.EscapeString(q.Prompt)
		q.Format = examhall.FormatHTML
	}
}

// reader reads one interaction into q.
type reader struct {
	it      *content.Item
	q       *examhall.Question
	in      *node
	decl    *node
	root    *node
	file    string
	resolve resolver
	// optsHTML is set when an option or target has markup.
	optsHTML bool
	// marks are the examhall ids of gaps and hot texts, idents the QTI
	// identifiers of the options read, in order.
	marks  map[*node]string
	idents []string
}

// exported reports whether examhall wrote the item, whose texts are then
// kept exactly.
func (r *reader) exported() bool { return r.root.attr("toolName") == toolName }

func declaration(root *node, id string) *node {
	for _, d := range root.elems("responseDeclaration") {
		if d.attr("identifier") == id {
			return d
		}
	}
	return nil
}

// values returns the correct response values of a declaration.
func values(decl *node) []string {
	var out []string
	if cr := decl.first("correctResponse"); cr != nil {
		for _, v := range cr.elems("value") {
			out = append(out, strings.TrimSpace(v.text()))
		}
	}
	return out
}

// mapping returns the mapping entries of a declaration, key → value.
func mapping(decl *node) (map[string]float64, []string) {
	m := decl.first("mapping")
	if m == nil {
		return nil, nil
	}
	out := map[string]float64{}
	var keys []string
	for _, e := range m.elems("mapEntry") {
		f, err := strconv.ParseFloat(e.attr("mappedValue"), 64)
		if err != nil {
			continue
		}
		k := strings.TrimSpace(e.attr("mapKey"))
		out[k] = f
		keys = append(keys, k)
	}
	return out, keys
}

// prompt renders the item body, without the interaction but with its
// prompt, as the question's prompt. A body that is only the prompt of the
// interaction, in plain text, stays plain text.
func prompt(it *content.Item, body, in *node, file string, resolve resolver) (string, string) {
	return promptOf(it, body, in, nil, file, resolve)
}

// promptOf renders the item body as a prompt. single is the item's one
// interaction (nil for a cloze): it is left out but for its prompt, or,
// for a gap_match or hot_text interaction, gives its text. The elements
// in marks (a cloze's interactions, gaps and hot texts) become [[id]].
// A text examhall exported is read exactly.
func promptOf(it *content.Item, body, single *node, marks map[*node]string, file string, resolve resolver) (string, string) {
	mark := func(e *node, b *strings.Builder) bool {
		if id, ok := marks[e]; ok {
			b.WriteString("[[" + id + "]]")
			return true
		}
		return false
	}
	d := marked(body)
	if d == nil && single != nil {
		for _, e := range single.elems() {
			if e.attr("data-examhall-prompt") != "" {
				d = e
			}
		}
	}
	if d != nil {
		if d.attr("data-examhall-prompt") == examhall.FormatHTML {
			img := imgReplace(it, file, resolve)
			return d.innerHTML(nil, func(e *node, b *strings.Builder) bool { return mark(e, b) || img(e, b) }), examhall.FormatHTML
		}
		return rawTextMarks(d, marks), ""
	}
	plainBody := single != nil && single.name != "gapMatchInteraction" && single.name != "hottextInteraction"
	p := (*node)(nil)
	if single != nil {
		p = single.first("prompt")
	}
	rest := body.innerHTML(func(e *node) bool { return e == single }, nil)
	if plainBody && strings.TrimSpace(rest) == "" && p != nil && !p.hasElements() {
		return p.text(), ""
	}
	img := imgReplace(it, file, resolve)
	var replace func(e *node, b *strings.Builder) bool
	replace = func(e *node, b *strings.Builder) bool {
		switch {
		case mark(e, b):
			return true
		case e == single && !plainBody:
			b.WriteString(e.innerHTML(nil, replace))
			return true
		case e == single && single.name == "textEntryInteraction":
			b.WriteString("_____")
			return true
		case e.name == "prompt" || e == single:
			if pp := e.first("prompt"); e == single && pp != nil {
				e = pp
			} else if e == single {
				return true
			}
			b.WriteString("<div>" + e.innerHTML(nil, replace) + "</div>")
			return true
		case e.name == "img":
			return img(e, b)
		case e.name == "object" && strings.HasPrefix(e.attr("type"), "image/"):
			return img(&node{name: "img", attrs: []xml.Attr{{Name: xml.Name{Local: "src"}, Value: e.attr("data")}, {Name: xml.Name{Local: "alt"}, Value: e.text()}}}, b)
		case strings.HasSuffix(e.name, "Interaction") || e.name == "feedbackInline" || e.name == "feedbackBlock" ||
			e.name == "rubricBlock" || e.name == "gapText" || e.name == "gapImg" || e.name == "templateBlock" || e.name == "templateInline":
			return true
		}
		return false
	}
	h := body.innerHTML(nil, replace)
	if len(body.find("rubricBlock")) > 0 {
		it.Change(content.RubricDropped, "the rubric (notes for markers) was left out")
	}
	return h, examhall.FormatHTML
}

// rawTextMarks is the text of n exactly as written, the elements in marks
// as [[id]].
func rawTextMarks(n *node, marks map[*node]string) string {
	var b strings.Builder
	for _, c := range n.children {
		switch v := c.(type) {
		case string:
			b.WriteString(v)
		case *node:
			if id, ok := marks[v]; ok {
				b.WriteString("[[" + id + "]]")
			} else {
				b.WriteString(rawTextMarks(v, marks))
			}
		}
	}
	return b.String()
}

// imgReplace points images at the exam's assets, or leaves them out with a
// change when the package does not have them.
func imgReplace(it *content.Item, file string, resolve resolver) func(*node, *strings.Builder) bool {
	return func(e *node, b *strings.Builder) bool {
		if e.name != "img" {
			return false
		}
		src := e.attr("src")
		name := ""
		if resolve != nil && !strings.Contains(src, ":") {
			name, _ = resolve(file, src)
		}
		if name == "" {
			if !strings.HasPrefix(src, "https://") {
				it.Change(content.ImageMissing, "the image %q is not in the package and was left out", src)
				return true
			}
			fmt.Fprintf(b, `<img src="%s" alt="%s">`, attrEscape(src), attrEscape(e.attr("alt")))
			return true
		}
		fmt.Fprintf(b, `<img src="assets/%s" alt="%s">`, name, attrEscape(e.attr("alt")))
		return true
	}
}

func attrEscape(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// marked returns the first child element of n when it holds a text that
// examhall exported (data-examhall-prompt names its format), else nil.
func marked(n *node) *node {
	if cb := n.first("contentBody"); cb != nil {
		n = cb
	}
	if es := n.elems(); len(es) > 0 && es[0].attr("data-examhall-prompt") != "" {
		return es[0]
	}
	return nil
}

// rawText is the text of n exactly as written.
func rawText(n *node) string {
	var b strings.Builder
	for _, c := range n.children {
		switch v := c.(type) {
		case string:
			b.WriteString(v)
		case *node:
			b.WriteString(rawText(v))
		}
	}
	return b.String()
}

// choiceText renders a choice's content, taking inline feedback out as the
// option's feedback.
func (r *reader) choiceText(c *node) (text, feedback string, html bool) {
	var fb []string
	for _, f := range c.find("feedbackInline") {
		fb = append(fb, f.innerHTML(nil, nil))
	}
	skip := func(e *node) bool { return e.name == "feedbackInline" }
	markup := false
	for _, e := range c.elems() {
		markup = markup || e.name != "feedbackInline"
	}
	if !markup {
		var b strings.Builder
		for _, ch := range c.children {
			if s, ok := ch.(string); ok {
				b.WriteString(s)
			}
		}
		var plainFB []string
		for _, f := range c.find("feedbackInline") {
			if r.exported() {
				plainFB = append(plainFB, rawText(f))
			} else {
				plainFB = append(plainFB, f.text())
			}
		}
		if r.exported() {
			return b.String(), strings.Join(plainFB, " "), false
		}
		return strings.Join(strings.Fields(b.String()), " "), strings.Join(plainFB, " "), false
	}
	return c.innerHTML(skip, imgReplace(r.it, r.file, r.resolve)), strings.Join(fb, " "), true
}

// optionID keeps a QTI identifier as the option id when it is a valid id.
func optionID(ident string, i int, used map[string]bool) string {
	id := ident
	if !examhall.ValidID(id) || used[id] {
		id = content.OptionID(i)
	}
	used[id] = true
	return id
}

func (r *reader) choices(parent *node, name string) (opts []examhall.Option, ids map[string]string) {
	ids = map[string]string{}
	used := map[string]bool{}
	var plain []bool
	for i, c := range parent.elems(name) {
		id := optionID(c.attr("identifier"), i, used)
		ids[c.attr("identifier")] = id
		text, fb, h := r.choiceText(c)
		plain = append(plain, !h)
		r.optsHTML = r.optsHTML || h
		opts = append(opts, examhall.Option{ID: id, Text: text, Feedback: fb})
	}
	if r.optsHTML {
		for i := range opts {
			if plain[i] {
				opts[i].Text = html.EscapeString(opts[i].Text)
			}
		}
	}
	return opts, ids
}

func setAnswer(q *examhall.Question, v any) { q.Answer, _ = json.Marshal(v) }

func (r *reader) choice() {
	q := r.q
	opts, ids := r.choices(r.in, "simpleChoice")
	q.Options = opts
	correct := values(r.decl)
	m, _ := mapping(r.decl)
	if len(correct) == 0 {
		for k, v := range m {
			if v > 0 {
				correct = append(correct, k)
			}
		}
		sort.Strings(correct)
	}
	var key []string
	for _, c := range correct {
		id, ok := ids[c]
		if !ok {
			r.it.Skip(content.Malformed, "the correct response %q names no choice", c)
			return
		}
		key = append(key, id)
	}
	if len(key) == 0 {
		r.it.Skip(content.NoCorrectAnswer, "the item has no correct response")
		return
	}
	single := r.decl.attr("cardinality") == "single" || (r.in.attr("maxChoices") == "1" && len(key) == 1)
	if single && len(key) == 1 && trueFalse(r.in, q.Options) {
		q.Type = examhall.TrueFalse
		setAnswer(q, strings.EqualFold(optionText(q.Options, key[0]), "true"))
		// The feedback on the right choice shows on a right response, that
		// on the other on a wrong one.
		for _, o := range q.Options {
			if o.ID == key[0] {
				q.CorrectFeedback = join(q.CorrectFeedback, o.Feedback)
			} else {
				q.IncorrectFeedback = join(q.IncorrectFeedback, o.Feedback)
			}
		}
		q.Options = nil
		r.optsHTML = false
		return
	}
	if single && len(key) == 1 {
		q.Type = examhall.Single
		setAnswer(q, key[0])
		if len(m) > 0 && partialMapping(m) {
			r.it.Change(content.PartialCreditDropped, "the partial scores of the mapping were left out: one choice is right")
		}
	} else {
		q.Type = examhall.Multiple
		if n, _ := strconv.Atoi(r.in.attr("maxChoices")); n > 0 && n < len(q.Options) && !r.exported() {
			r.it.Change(content.ConstraintDropped, "the limit of %d choices is not enforced", n)
		}
		if n, _ := strconv.Atoi(r.in.attr("minChoices")); n > 1 {
			r.it.Change(content.ConstraintDropped, "the minimum of %d choices is not enforced", n)
		}
		setAnswer(q, key)
		if len(m) > 0 {
			q.PartialCredit = true
			if !sameAsPartialCredit(m, correct, r.in.elems("simpleChoice")) {
				r.it.Change(content.ScoringChanged, "the mapping's scores became examhall's partial credit (keyed choices chosen minus others, over keyed choices)")
			}
		}
	}
	r.shuffleNote()
}

// partialMapping reports whether a mapping gives any score between 0 and
// the best.
func partialMapping(m map[string]float64) bool {
	best := 0.0
	for _, v := range m {
		best = math.Max(best, v)
	}
	for _, v := range m {
		if v != 0 && v != best {
			return true
		}
	}
	return false
}

func (r *reader) shuffleNote() {
	for _, c := range r.in.walkAll() {
		if c.attr("fixed") == "true" && r.in.attr("shuffle") == "true" {
			r.it.Change(content.ShuffleChanged, "choices fixed in place are shuffled with the others when the exam shuffles options")
			return
		}
	}
}

func (n *node) walkAll() []*node {
	var out []*node
	n.walk(func(e *node) bool { out = append(out, e); return true })
	return out
}

func (r *reader) textEntry() {
	q := r.q
	base := r.decl.attr("baseType")
	correct := values(r.decl)
	if base == "float" || base == "integer" {
		q.Type = examhall.Numeric
		if len(correct) == 0 {
			r.it.Skip(content.NoCorrectAnswer, "the item has no correct response")
			return
		}
		f, err := strconv.ParseFloat(correct[0], 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			r.it.Skip(content.Malformed, "the correct response %q is not a number", correct[0])
			return
		}
		r.numericKey(f)
		return
	}
	q.Type = examhall.ShortText
	if r.in.attr("patternMask") != "" {
		r.it.Change(content.ConstraintDropped, "the pattern %q the answer must match is not enforced", r.in.attr("patternMask"))
	}
	accepted := r.accepted()
	if len(accepted) == 0 {
		r.it.Skip(content.NoCorrectAnswer, "the item has no correct response")
		return
	}
	setAnswer(q, accepted)
}

// accepted is the text answers a text entry accepts: its correct
// responses and the mapping's best-scored entries (others are reported).
func (r *reader) accepted() []string {
	correct := values(r.decl)
	m, keys := mapping(r.decl)
	best := 0.0
	for _, v := range m {
		best = math.Max(best, v)
	}
	accepted := append([]string(nil), correct...)
	seen := map[string]bool{}
	// Answers are compared without regard to case: a case variant of an
	// accepted answer adds nothing, unless examhall wrote it.
	same := strings.ToLower
	if r.exported() {
		same = func(s string) string { return s }
	}
	for _, a := range accepted {
		seen[same(a)] = true
	}
	for _, k := range keys {
		switch v := m[k]; {
		case v >= best && v > 0 && !seen[same(k)]:
			accepted = append(accepted, k)
			seen[same(k)] = true
		case v < best && v > 0:
			r.it.Change(content.PartialCreditDropped, "the partial score (%g) for %q was left out: it counts as wrong", v, k)
		}
	}
	if mm := r.decl.first("mapping"); mm != nil && mm.attr("caseSensitive") == "true" && len(accepted) > 0 {
		r.it.Change(content.CaseIgnored, "answers are compared without regard to case")
	}
	return accepted
}

func (r *reader) pairs() [][2]string {
	var out [][2]string
	for _, v := range values(r.decl) {
		f := strings.Fields(v)
		if len(f) == 2 {
			out = append(out, [2]string{f[0], f[1]})
		}
	}
	if len(out) == 0 {
		m, keys := mapping(r.decl)
		for _, k := range keys {
			if f := strings.Fields(k); len(f) == 2 && m[k] > 0 {
				out = append(out, [2]string{f[0], f[1]})
			}
		}
	}
	return out
}

func (r *reader) match() {
	q := r.q
	q.Type = examhall.Match
	sets := r.in.elems("simpleMatchSet")
	if len(sets) != 2 {
		r.it.Skip(content.Malformed, "a match interaction needs two simpleMatchSets, this one has %d", len(sets))
		return
	}
	var left, right map[string]string
	q.Options, left = r.choices(sets[0], "simpleAssociableChoice")
	q.Targets, right = r.choices(sets[1], "simpleAssociableChoice")
	r.setPairs(left, right, false)
}

func (r *reader) associate() {
	q := r.q
	q.Type = examhall.Match
	all, ids := r.choices(r.in, "simpleAssociableChoice")
	pairs := r.pairs()
	isLeft := map[string]bool{}
	for _, p := range pairs {
		isLeft[p[0]] = true
	}
	left, right := map[string]string{}, map[string]string{}
	for _, c := range r.in.elems("simpleAssociableChoice") {
		ident := c.attr("identifier")
		for _, o := range all {
			if o.ID != ids[ident] {
				continue
			}
			if isLeft[ident] {
				q.Options = append(q.Options, o)
				left[ident] = o.ID
			} else {
				q.Targets = append(q.Targets, o)
				right[ident] = o.ID
			}
		}
	}
	r.it.Change(content.InteractionChanged, "the associate interaction became a match question: the first choice of each correct pair is on the left")
	r.setPairs(left, right, true)
}

func (r *reader) setPairs(left, right map[string]string, undirected bool) {
	key := map[string]string{}
	for _, p := range r.pairs() {
		l, okL := left[p[0]]
		t, okR := right[p[1]]
		if !okL || !okR {
			if undirected {
				l, okL = left[p[1]]
				t, okR = right[p[0]]
			}
			if !okL || !okR {
				r.it.Skip(content.Malformed, "the correct pair %q names unknown choices", p[0]+" "+p[1])
				return
			}
		}
		if prev, ok := key[l]; ok && prev != t {
			r.it.Skip(content.UnsupportedType, "choice %q pairs with more than one target; examhall matches each option with one", l)
			return
		}
		key[l] = t
	}
	if len(key) == 0 {
		r.it.Skip(content.NoCorrectAnswer, "the item has no correct pairs")
		return
	}
	setAnswer(r.q, key)
	if m, _ := mapping(r.decl); len(m) > 0 {
		r.q.PartialCredit = true
		if !equalValues(m) {
			r.it.Change(content.ScoringChanged, "the pairs' scores became equal shares of the points (partial credit)")
		}
	}
}

func equalValues(m map[string]float64) bool {
	first, set := 0.0, false
	for _, v := range m {
		if v <= 0 {
			continue
		}
		if set && v != first {
			return false
		}
		first, set = v, true
	}
	return true
}

func (r *reader) order() {
	q := r.q
	q.Type = examhall.Order
	var ids map[string]string
	q.Options, ids = r.choices(r.in, "simpleChoice")
	var key []string
	for _, v := range values(r.decl) {
		id, ok := ids[v]
		if !ok {
			r.it.Skip(content.Malformed, "the correct order names an unknown choice %q", v)
			return
		}
		key = append(key, id)
	}
	if len(key) != len(q.Options) {
		r.it.Skip(content.Malformed, "the correct order lists %d of the %d choices", len(key), len(q.Options))
		return
	}
	setAnswer(q, key)
	r.shuffleNote()
}

// itemDir is the folder of an item file in its package.
func itemDir(file string) string { return path.Dir(file) }

// trueFalse reports whether a choice interaction offers just True and
// False.
func trueFalse(in *node, opts []examhall.Option) bool {
	if in.attr("data-examhall-type") == "true_false" {
		return true
	}
	if len(opts) != 2 {
		return false
	}
	a, b := strings.ToLower(opts[0].Text), strings.ToLower(opts[1].Text)
	return a == "true" && b == "false" || a == "false" && b == "true"
}

func optionText(opts []examhall.Option, id string) string {
	for _, o := range opts {
		if o.ID == id {
			return o.Text
		}
	}
	return ""
}

// sameAsPartialCredit reports whether a mapping scores as examhall's
// partial credit does: 1/n for each of the n keyed choices, −1/n for any
// other.
func sameAsPartialCredit(m map[string]float64, keyed []string, choices []*node) bool {
	isKey := map[string]bool{}
	for _, k := range keyed {
		isKey[k] = true
	}
	share := 1 / float64(len(keyed))
	for _, c := range choices {
		id := c.attr("identifier")
		want := -share
		if isKey[id] {
			want = share
		}
		if math.Abs(m[id]-want) > 1e-9 {
			return false
		}
	}
	return true
}

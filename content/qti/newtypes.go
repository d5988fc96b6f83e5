package qti

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"image"
	_ "image/gif"  // image sizes of hotspot pictures
	_ "image/jpeg" // image sizes of hotspot pictures
	_ "image/png"  // image sizes of hotspot pictures
	"math"
	"sort"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// dropEndAttempt leaves out end-attempt buttons beside other interactions
// (an exam has one attempt), and reports it.
func dropEndAttempt(it *content.Item, found []*node) []*node {
	var out []*node
	for _, in := range found {
		if in.name != "endAttemptInteraction" {
			out = append(out, in)
		}
	}
	if len(out) < len(found) && len(out) > 0 {
		it.Change(content.InteractionChanged, "the end-attempt button was left out: an exam gives one try")
	}
	return out
}

// isCloze reports whether the interactions are gaps in a text: text
// entries and inline choices only, more than one or an inline choice.
func isCloze(found []*node) bool {
	inline := false
	for _, in := range found {
		switch in.name {
		case "inlineChoiceInteraction":
			inline = true
		case "textEntryInteraction":
		default:
			return false
		}
	}
	return inline || len(found) > 1
}

// markIDs gives each element an examhall id from its QTI identifier
// (attr), or a made-up one when that is not a valid id.
func markIDs(els []*node, attr string, used map[string]bool, marks map[*node]string) {
	for i, e := range els {
		marks[e] = optionID(e.attr(attr), i, used)
	}
}

// readCloze reads an item whose interactions are text entries and inline
// choices in its text: a cloze question, one gap per interaction.
func readCloze(it *content.Item, root, body *node, found []*node, file string, resolve resolver) {
	q := &examhall.Question{ID: content.IDFrom(root.attr("identifier")), Type: examhall.Cloze, Points: points(root, found), PartialCredit: true}
	it.Question = q
	marks := map[*node]string{}
	markIDs(found, "responseIdentifier", map[string]bool{}, marks)
	q.Prompt, q.Format = promptOf(it, body, nil, marks, file, resolve)
	exported := root.attr("toolName") == toolName
	for _, in := range found {
		decl := declaration(root, in.attr("responseIdentifier"))
		if decl == nil {
			it.Skip(content.Malformed, "<%s> (line %d) has no responseDeclaration %q", in.name, in.line, in.attr("responseIdentifier"))
			return
		}
		r := &reader{it: it, q: q, in: in, decl: decl, file: file, resolve: resolve, root: root}
		g := examhall.Gap{ID: marks[in], Weight: 1}
		if w, ok := mappedMax(decl, in); ok {
			g.Weight = w
		}
		if w, err := strconv.ParseFloat(in.attr("data-examhall-weight"), 64); err == nil && w > 0 {
			g.Weight = w
		}
		if exported {
			q.PartialCredit = in.attr("data-examhall-partial-credit") == "true"
		}
		if !r.gap(&g) {
			return
		}
		q.Gaps = append(q.Gaps, g)
	}
	if q.Format == examhall.FormatHTML {
		for i := range q.Gaps {
			for j := range q.Gaps[i].Options {
				if o := &q.Gaps[i].Options[j]; !strings.Contains(o.Text, "<") {
					o.Text = htmlEscape(o.Text)
				}
			}
		}
	}
	r := &reader{it: it, q: q, root: root, file: file, resolve: resolve}
	r.modalFeedback()
}

// gap reads the key of one cloze gap from its interaction; false when the
// item was skipped.
func (r *reader) gap(g *examhall.Gap) bool {
	correct := values(r.decl)
	switch base := r.decl.attr("baseType"); {
	case r.in.name == "inlineChoiceInteraction":
		g.Type = examhall.GapChoice
		var ids map[string]string
		g.Options, ids = r.choices(r.in, "inlineChoice")
		key := ""
		if len(correct) > 0 {
			key = ids[correct[0]]
		}
		if key == "" {
			key = bestMapped(r.decl, ids)
		}
		if key == "" {
			r.it.Skip(content.NoCorrectAnswer, "the inline choice %q has no correct response", r.in.attr("responseIdentifier"))
			return false
		}
		g.Answer = jsonOf(key)
	case base == "float" || base == "integer":
		g.Type = examhall.GapNumeric
		if len(correct) == 0 {
			r.it.Skip(content.NoCorrectAnswer, "the gap %q has no correct response", r.in.attr("responseIdentifier"))
			return false
		}
		c, err := strconv.ParseFloat(correct[0], 64)
		if err != nil || math.IsInf(c, 0) || math.IsNaN(c) {
			r.it.Skip(content.Malformed, "the correct response %q is not a number", correct[0])
			return false
		}
		mid, tol := r.numericRange(c)
		g.Answer, g.Tolerance = jsonOf(mid), tol
	default:
		g.Type = examhall.GapText
		accepted := r.accepted()
		if len(accepted) == 0 {
			r.it.Skip(content.NoCorrectAnswer, "the gap %q has no correct response", r.in.attr("responseIdentifier"))
			return false
		}
		g.Answer = jsonOf(accepted)
	}
	return true
}

// bestMapped is the choice the mapping scores best, "" when none scores.
func bestMapped(decl *node, ids map[string]string) string {
	m, keys := mapping(decl)
	best, key := 0.0, ""
	for _, k := range keys {
		if m[k] > best && ids[k] != "" {
			best, key = m[k], ids[k]
		}
	}
	return key
}

// inlineChoice reads an inline choice that is a part of its own: a single
// choice question.
func (r *reader) inlineChoice() {
	q := r.q
	q.Type = examhall.Single
	var ids map[string]string
	q.Options, ids = r.choices(r.in, "inlineChoice")
	key := ""
	if c := values(r.decl); len(c) > 0 {
		key = ids[c[0]]
	}
	if key == "" {
		key = bestMapped(r.decl, ids)
	}
	if key == "" {
		r.it.Skip(content.NoCorrectAnswer, "the inline choice has no correct response")
		return
	}
	setAnswer(q, key)
	r.it.Change(content.InteractionChanged, "an inline choice on its own is shown as a list of options")
}

// gapMatch reads a gap match: its gap texts are the options, its gaps the
// question's gaps, its pairs (gap text, gap) the key.
func (r *reader) gapMatch() {
	q := r.q
	q.Type = examhall.GapMatch
	var ids map[string]string
	q.Options, ids = r.choices(r.in, "gapText")
	for _, gi := range r.in.elems("gapImg") {
		id := optionID(gi.attr("identifier"), len(q.Options), map[string]bool{})
		ids[gi.attr("identifier")] = id
		label := gi.attr("objectLabel")
		if label == "" {
			label = "[" + gi.attr("identifier") + "]"
		}
		q.Options = append(q.Options, examhall.Option{ID: id, Text: label})
		r.it.Change(content.InteractionChanged, "the picture to drag, %q, is shown as its label", label)
	}
	gapIDs := map[string]string{}
	for g, id := range r.marks {
		if g.name == "gap" {
			gapIDs[g.attr("identifier")] = id
		}
	}
	for _, g := range r.in.find("gap") {
		q.Gaps = append(q.Gaps, examhall.Gap{ID: gapIDs[g.attr("identifier")]})
	}
	key := map[string]string{}
	for _, p := range r.pairs() {
		o, g := ids[p[0]], gapIDs[p[1]]
		if o == "" || g == "" { // some tools write (gap, text)
			o, g = ids[p[1]], gapIDs[p[0]]
		}
		if o == "" || g == "" {
			r.it.Skip(content.Malformed, "the correct pair %q names unknown gaps or texts", p[0]+" "+p[1])
			return
		}
		key[g] = o
	}
	if len(key) == 0 {
		r.it.Skip(content.NoCorrectAnswer, "the item has no correct pairs")
		return
	}
	setAnswer(q, key)
	if m, _ := mapping(r.decl); len(m) > 0 {
		q.PartialCredit = true
		if !equalValues(m) && !r.exported() {
			r.it.Change(content.ScoringChanged, "the pairs' scores became equal shares of the points (partial credit)")
		}
	}
}

// hottext reads a hot text interaction: its hot texts are the options.
func (r *reader) hottext() {
	q := r.q
	q.Type = examhall.HotText
	for _, h := range r.in.find("hottext") {
		text, _, isHTML := r.choiceText(h)
		r.optsHTML = r.optsHTML || isHTML
		q.Options = append(q.Options, examhall.Option{ID: r.marks[h], Text: text})
		r.idents = append(r.idents, h.attr("identifier"))
	}
	r.chosenKey(1)
}

// chosenKey reads the key of an interaction whose response is a list of
// the options chosen (hot text, hotspot): the correct response or the
// choices the mapping scores, and its bound on choices (def when the
// item sets none).
func (r *reader) chosenKey(def int) {
	q := r.q
	ids := map[string]string{}
	for i, o := range q.Options {
		ids[r.idents[i]] = o.ID
	}
	correct := values(r.decl)
	m, keys := mapping(r.decl)
	if len(correct) == 0 {
		for _, k := range keys {
			if m[k] > 0 {
				correct = append(correct, k)
			}
		}
	}
	var key []string
	for _, c := range correct {
		if id := ids[c]; id != "" {
			key = append(key, id)
		}
	}
	if len(key) == 0 {
		r.it.Skip(content.NoCorrectAnswer, "the item has no correct response")
		return
	}
	setAnswer(q, key)
	q.MaxChoices = def
	if n, err := strconv.Atoi(r.in.attr("maxChoices")); err == nil && n >= 0 {
		q.MaxChoices = n
	}
	if q.MaxChoices > 0 && q.MaxChoices < len(key) {
		q.MaxChoices = len(key)
	}
	if q.MaxChoices > len(q.Options) {
		q.MaxChoices = 0
	}
	if n, _ := strconv.Atoi(r.in.attr("minChoices")); n > 1 {
		r.it.Change(content.ConstraintDropped, "the minimum of %d choices is not enforced", n)
	}
	if len(m) > 0 {
		q.PartialCredit = true
		if !r.exported() && !sameAsPartialCredit(m, correct, r.in.find(r.choiceName())) {
			r.it.Change(content.ScoringChanged, "the mapping's scores became examhall's partial credit (keyed choices chosen minus others, over keyed choices)")
		}
	}
}

func (r *reader) choiceName() string {
	if r.in.name == "hottextInteraction" {
		return "hottext"
	}
	return "hotspotChoice"
}

// image reads the picture of a graphic interaction (an <img>, or QTI
// 2.1's <object>) into the question; false when the item was skipped.
func (r *reader) image() bool {
	var src, alt string
	var w, h float64
	for _, e := range r.in.walkAll() {
		if e.name == "img" || e.name == "object" {
			src, alt = e.attr("src"), e.attr("alt")
			if e.name == "object" {
				src, alt = e.attr("data"), e.text()
			}
			w, _ = strconv.ParseFloat(e.attr("width"), 64)
			h, _ = strconv.ParseFloat(e.attr("height"), 64)
			break
		}
	}
	im := &examhall.Image{Src: src, Width: w, Height: h, Alt: alt}
	if !strings.HasPrefix(src, "https://") {
		name, data := "", []byte(nil)
		if r.resolve != nil && src != "" && !strings.Contains(src, ":") {
			name, data = r.resolve(r.file, src)
		}
		if name == "" {
			r.it.Skip(content.MissingFile, "the picture %q of <%s> is not in the package", src, r.in.name)
			return false
		}
		im.Src = "assets/" + name
		if w == 0 || h == 0 {
			if c, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
				im.Width, im.Height = float64(c.Width), float64(c.Height)
			}
		}
	}
	if im.Width <= 0 || im.Height <= 0 {
		r.it.Skip(content.Malformed, "the size of the picture %q is unknown", src)
		return false
	}
	r.q.Image = im
	return true
}

// coords reads QTI's "x,y,r" coordinates; shape default is the whole
// image.
func coords(shape, s string, im *examhall.Image) (string, []float64) {
	if shape == "default" {
		return "rect", []float64{0, 0, im.Width, im.Height}
	}
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		v, err := strconv.ParseFloat(strings.TrimSuffix(f, "%"), 64)
		if err != nil {
			return shape, nil
		}
		out = append(out, v)
	}
	return shape, out
}

// hotspot reads a hotspot interaction (areas of a picture to choose), or a
// graphic order interaction as an order question of the areas' labels.
func (r *reader) hotspot() {
	q := r.q
	if !r.image() {
		return
	}
	used := map[string]bool{}
	for i, c := range r.in.elems("hotspotChoice") {
		label := strings.TrimSpace(c.attr("hotspotLabel"))
		if label == "" {
			label = c.text()
		}
		if label == "" {
			label = fmt.Sprintf("Area %d", i+1)
		}
		shape, cs := coords(c.attr("shape"), c.attr("coords"), q.Image)
		q.Options = append(q.Options, examhall.Option{ID: optionID(c.attr("identifier"), i, used), Text: label, Shape: shape, Coords: cs})
		r.idents = append(r.idents, c.attr("identifier"))
	}
	if r.in.name == "hotspotInteraction" {
		q.Type = examhall.Hotspot
		r.chosenKey(1)
		return
	}
	// A graphic order: the picture goes in the prompt, the areas become
	// options to put in order by their labels.
	q.Type = examhall.Order
	im := q.Image
	q.Image = nil
	q.Prompt = fmt.Sprintf(`<p><img src="%s" alt="%s"></p>`, attrEscape(im.Src), attrEscape(im.Alt)) + htmlOf(q.Prompt, q.Format)
	q.Format = examhall.FormatHTML
	ids := map[string]string{}
	for i := range q.Options {
		ids[r.idents[i]] = q.Options[i].ID
		q.Options[i].Shape, q.Options[i].Coords = "", nil
		q.Options[i].Text = htmlEscape(q.Options[i].Text)
	}
	var key []string
	for _, v := range values(r.decl) {
		if id := ids[v]; id != "" {
			key = append(key, id)
		}
	}
	if len(key) != len(q.Options) {
		r.it.Skip(content.NoCorrectAnswer, "the correct order lists %d of the %d areas", len(key), len(q.Options))
		return
	}
	setAnswer(q, key)
	r.it.Change(content.InteractionChanged, "the areas of the picture to put in order became a list of their labels")
}

// selectPoint reads a select point interaction: the areas of its area
// mapping that score are the key; a correct point alone becomes a small
// circle around it.
func (r *reader) selectPoint() {
	q := r.q
	q.Type = examhall.SelectPoint
	if !r.image() {
		return
	}
	var areas []examhall.Area
	if am := r.decl.first("areaMapping"); am != nil {
		for _, e := range am.elems("areaMapEntry") {
			if v, err := strconv.ParseFloat(e.attr("mappedValue"), 64); err == nil && v > 0 {
				shape, cs := coords(e.attr("shape"), e.attr("coords"), q.Image)
				areas = append(areas, examhall.Area{Shape: shape, Coords: cs})
			}
		}
	}
	if len(areas) == 0 {
		radius := math.Round(math.Max(q.Image.Width, q.Image.Height) / 50)
		for _, v := range values(r.decl) {
			f := strings.Fields(v)
			if len(f) != 2 {
				continue
			}
			x, err1 := strconv.ParseFloat(f[0], 64)
			y, err2 := strconv.ParseFloat(f[1], 64)
			if err1 == nil && err2 == nil {
				areas = append(areas, examhall.Area{Shape: "circle", Coords: []float64{x, y, radius}})
			}
		}
		if len(areas) > 0 {
			r.it.Change(content.ToleranceChanged, "the correct point became a circle of radius %g pixels around it", radius)
		}
	}
	if len(areas) == 0 {
		r.it.Skip(content.NoCorrectAnswer, "the item has no correct point or scoring area")
		return
	}
	setAnswer(q, areas)
	q.MaxChoices = len(areas)
	if n, err := strconv.Atoi(r.in.attr("maxChoices")); err == nil && n >= 0 {
		q.MaxChoices = n
	}
	if q.MaxChoices > examhall.MaxOptions {
		q.MaxChoices = 0
	}
	q.PartialCredit = len(areas) > 1
	if v := r.in.attr("data-examhall-partial-credit"); v != "" {
		q.PartialCredit = v == "true"
	}
}

// upload reads an upload interaction: its media type, or examhall's own
// rules.
func (r *reader) upload() {
	q := r.q
	q.Type = examhall.Upload
	q.Upload = &examhall.UploadRules{}
	if a := r.in.attr("data-examhall-accept"); a != "" {
		q.Upload.Accept = strings.Fields(a)
	} else if t := strings.TrimSpace(r.in.attr("type")); t != "" {
		q.Upload.Accept = []string{t}
	}
	if n, err := strconv.ParseInt(r.in.attr("data-examhall-max-bytes"), 10, 64); err == nil && n > 0 {
		q.Upload.MaxBytes = n
	}
}

// slider reads a slider as a numeric question.
func (r *reader) slider() {
	q := r.q
	q.Type = examhall.Numeric
	c := values(r.decl)
	if len(c) == 0 {
		r.it.Skip(content.NoCorrectAnswer, "the slider has no correct response")
		return
	}
	f, err := strconv.ParseFloat(c[0], 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		r.it.Skip(content.Malformed, "the correct response %q is not a number", c[0])
		return
	}
	r.numericKey(f)
	r.it.Change(content.InteractionChanged, "the slider (from %s to %s) is a number field", r.in.attr("lowerBound"), r.in.attr("upperBound"))
}

// innerMarks gives the gaps of a gap match and the hot texts of a hot
// text interaction their examhall ids, to be marked [[id]] in the prompt.
func innerMarks(in *node) map[*node]string {
	marks := map[*node]string{}
	switch in.name {
	case "gapMatchInteraction":
		markIDs(in.find("gap"), "identifier", map[string]bool{}, marks)
	case "hottextInteraction":
		markIDs(in.find("hottext"), "identifier", map[string]bool{}, marks)
	}
	return marks
}

func htmlEscape(s string) string { return html.EscapeString(s) }

func jsonOf(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// htmlOf is a text as HTML.
func htmlOf(s, format string) string {
	if format == examhall.FormatHTML {
		return s
	}
	return htmlEscape(s)
}

// sortedIDs lists a map's keys in order.
func sortedIDs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

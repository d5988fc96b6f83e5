package qti

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"examhall"
)

// withRID gives the declaration, interaction and rules written for the
// response "RESPONSE" another response identifier (a part's or a gap's).
func withRID(s, rid string) string {
	for _, p := range []string{`<qti-response-declaration identifier="`, `response-identifier="`, `<qti-variable identifier="`,
		`<qti-correct identifier="`, `<qti-map-response identifier="`, `<qti-map-response-point identifier="`} {
		s = strings.ReplaceAll(s, p+`RESPONSE"`, p+rid+`"`)
	}
	return s
}

// sub writes a part of the question (with the same format) into a
// builder of its own.
func (w *itemWriter) sub(q *examhall.Question) *itemWriter {
	return &itemWriter{q: q, html: w.html}
}

// declarations writes the response declarations: one for most questions,
// one per gap of a cloze, one per part of a multipart question.
func (w *itemWriter) declarations() error {
	switch w.q.Type {
	case examhall.Cloze:
		for _, g := range w.q.Gaps {
			w.b.WriteString(withRID(gapDeclaration(g), g.ID))
		}
		return nil
	case examhall.Multipart:
		for i := range w.q.Parts {
			p := &w.q.Parts[i]
			sw := w.sub(p)
			if err := sw.declaration(); err != nil {
				return fmt.Errorf("part %s: %w", p.ID, err)
			}
			w.b.WriteString(withRID(sw.b.String(), p.ID))
		}
		return nil
	}
	return w.declaration()
}

func gapDeclaration(g examhall.Gap) string {
	var b strings.Builder
	switch g.Type {
	case examhall.GapText:
		accepted := strings0(g.Answer)
		fmt.Fprintf(&b, `  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"><qti-correct-response><qti-value>%s</qti-value></qti-correct-response><qti-mapping default-value="0">`, xmlAttr(accepted[0]))
		for _, a := range accepted {
			fmt.Fprintf(&b, `<qti-map-entry map-key="%s" mapped-value="1" case-sensitive="false"/>`, xmlAttr(a))
		}
		b.WriteString("</qti-mapping></qti-response-declaration>\n")
	case examhall.GapNumeric:
		fmt.Fprintf(&b, `  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float"><qti-correct-response><qti-value>%s</qti-value></qti-correct-response></qti-response-declaration>`+"\n", strings.TrimSpace(string(g.Answer)))
	case examhall.GapChoice:
		fmt.Fprintf(&b, `  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>%s</qti-value></qti-correct-response></qti-response-declaration>`+"\n", xmlAttr(unquote(string(g.Answer))))
	}
	return b.String()
}

// strings0 decodes accepted answers: a string or a list.
func strings0(r []byte) []string {
	var list []string
	if err := jsonUnmarshal(r, &list); err != nil {
		var one string
		jsonUnmarshal(r, &one)
		list = []string{one}
	}
	return list
}

func unquote(s string) string {
	var v string
	if jsonUnmarshal([]byte(s), &v) == nil {
		return v
	}
	return s
}

// body writes the item body: the prompt, then the interaction; a cloze's
// interactions stand in its prompt where its gaps are, a gap match's and
// a hot text's prompt stands inside its interaction, and a multipart
// question's parts follow its prompt, each with its own prompt.
func (w *itemWriter) body(shuffle bool) {
	q := w.q
	format := orDefault(q.Format, examhall.FormatText)
	prompt := func(extra string) string {
		return fmt.Sprintf(`<div data-examhall-prompt="%s"%s>%s</div>`, format, extra, w.text(q.Prompt))
	}
	switch q.Type {
	case examhall.Cloze:
		p := prompt("")
		for _, g := range q.Gaps {
			p = strings.Replace(p, "[["+g.ID+"]]", w.gapInteraction(g, shuffle), 1)
		}
		w.b.WriteString("    " + p + "\n")
	case examhall.GapMatch, examhall.HotText:
		sw := w.sub(q)
		sw.interaction(shuffle)
		p := prompt("")
		if q.Type == examhall.HotText {
			p = w.hotTextPrompt(p)
		} else {
			for _, g := range q.Gaps {
				p = strings.Replace(p, "[["+g.ID+"]]", fmt.Sprintf(`<qti-gap identifier="%s"/>`, xmlAttr(g.ID)), 1)
			}
		}
		w.b.WriteString(strings.Replace(sw.b.String(), "{{prompt}}", p, 1))
	case examhall.Multipart:
		w.b.WriteString("    " + prompt("") + "\n")
		for i := range q.Parts {
			p := &q.Parts[i]
			sw := w.sub(p)
			sw.interaction(shuffle)
			pd := fmt.Sprintf(`<div data-examhall-part="%s" data-examhall-prompt="%s">%s</div>`, xmlAttr(p.ID), format, w.text(p.Prompt))
			if p.Type == examhall.HotText {
				pd = sw.hotTextPrompt(pd)
			}
			for _, g := range p.Gaps {
				pd = strings.Replace(pd, "[["+g.ID+"]]", fmt.Sprintf(`<qti-gap identifier="%s"/>`, xmlAttr(g.ID)), 1)
			}
			in := sw.b.String()
			if strings.Contains(in, "{{prompt}}") {
				in = strings.Replace(in, "{{prompt}}", pd, 1)
			} else {
				in = "    " + pd + "\n" + in
			}
			in = strings.Replace(in, `response-identifier="RESPONSE"`, fmt.Sprintf(`response-identifier="RESPONSE" data-examhall-points="%s"`, num(p.Points)), 1)
			w.b.WriteString(withRID(in, p.ID))
		}
	default:
		w.b.WriteString("    " + prompt("") + "\n")
		w.interaction(shuffle)
	}
}

// gapInteraction is the interaction of one cloze gap.
func (w *itemWriter) gapInteraction(g examhall.Gap, shuffle bool) string {
	extra := fmt.Sprintf(` data-examhall-weight="%s" data-examhall-partial-credit="%t"`, num(g.Weight), w.q.PartialCredit)
	if g.Type != examhall.GapChoice {
		return fmt.Sprintf(`<qti-text-entry-interaction response-identifier="%s"%s/>`, xmlAttr(g.ID), extra)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<qti-inline-choice-interaction response-identifier="%s" shuffle="%t"%s>`, xmlAttr(g.ID), shuffle, extra)
	for _, o := range g.Options {
		fmt.Fprintf(&b, `<qti-inline-choice identifier="%s">%s</qti-inline-choice>`, xmlAttr(o.ID), w.text(o.Text))
	}
	b.WriteString("</qti-inline-choice-interaction>")
	return b.String()
}

// moreInteractions writes the interactions of the types beyond the core;
// the gap match's and hot text's hold "{{prompt}}" where the prompt goes.
func (w *itemWriter) moreInteractions(shuffle bool, extra string) {
	q, b := w.q, &w.b
	max := ""
	if q.Type == examhall.HotText || q.Type == examhall.Hotspot || q.Type == examhall.SelectPoint {
		max = fmt.Sprintf(` max-choices="%d"`, q.MaxChoices)
	}
	switch q.Type {
	case examhall.GapMatch:
		fmt.Fprintf(b, "    <qti-gap-match-interaction response-identifier=\"RESPONSE\" shuffle=\"%t\"%s>\n", shuffle, extra)
		for _, o := range q.Options {
			fmt.Fprintf(b, "      <qti-gap-text identifier=\"%s\" match-max=\"0\">%s</qti-gap-text>\n", xmlAttr(o.ID), w.text(o.Text))
		}
		p := "{{prompt}}"
		b.WriteString("      " + p + "\n    </qti-gap-match-interaction>\n")
	case examhall.HotText:
		fmt.Fprintf(b, "    <qti-hottext-interaction response-identifier=\"RESPONSE\"%s%s>\n      {{prompt}}\n    </qti-hottext-interaction>\n", max, extra)
	case examhall.Hotspot:
		fmt.Fprintf(b, "    <qti-hotspot-interaction response-identifier=\"RESPONSE\"%s%s>\n      %s\n", max, extra, imageXML(q.Image))
		for _, o := range q.Options {
			fmt.Fprintf(b, "      <qti-hotspot-choice identifier=\"%s\" shape=\"%s\" coords=\"%s\" hotspot-label=\"%s\"/>\n", xmlAttr(o.ID), o.Shape, coordsText(o.Coords), xmlAttr(o.Text))
		}
		b.WriteString("    </qti-hotspot-interaction>\n")
	case examhall.SelectPoint:
		fmt.Fprintf(b, "    <qti-select-point-interaction response-identifier=\"RESPONSE\"%s data-examhall-partial-credit=\"%t\">\n      %s\n    </qti-select-point-interaction>\n", max, q.PartialCredit, imageXML(q.Image))
	case examhall.Upload:
		accept := strings.Join(q.Upload.Accept, " ")
		typ := ""
		if len(q.Upload.Accept) == 1 && !strings.HasPrefix(accept, ".") {
			typ = fmt.Sprintf(` type="%s"`, xmlAttr(accept))
		}
		fmt.Fprintf(b, "    <qti-upload-interaction response-identifier=\"RESPONSE\"%s data-examhall-accept=\"%s\" data-examhall-max-bytes=\"%d\"/>\n", typ, xmlAttr(accept), q.Upload.MaxBytes)
	}
}

// hotText renders a hot text question's prompt with its options in place.
func (w *itemWriter) hotTextPrompt(p string) string {
	for _, o := range w.q.Options {
		p = strings.Replace(p, "[["+o.ID+"]]", fmt.Sprintf(`<qti-hottext identifier="%s">%s</qti-hottext>`, xmlAttr(o.ID), w.text(o.Text)), 1)
	}
	return p
}

func imageXML(im *examhall.Image) string {
	src := im.Src
	if strings.HasPrefix(src, "assets/") {
		src = "../" + src
	}
	return fmt.Sprintf(`<img src="%s" width="%s" height="%s" alt="%s"/>`, xmlAttr(src), num(im.Width), num(im.Height), xmlAttr(im.Alt))
}

func coordsText(cs []float64) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strconv.FormatFloat(c, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// moreDeclaration writes the response declaration of the types beyond the
// core; false for the others.
func (w *itemWriter) moreDeclaration() bool {
	q, b := w.q, &w.b
	switch q.Type {
	case examhall.Upload:
		b.WriteString(`  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="file"/>` + "\n")
	case examhall.GapMatch:
		var pairs map[string]string
		jsonUnmarshal(q.Answer, &pairs)
		b.WriteString(`  <qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair"><qti-correct-response>`)
		gs := sortedIDs(pairs)
		for _, g := range gs {
			fmt.Fprintf(b, "<qti-value>%s %s</qti-value>", xmlAttr(pairs[g]), xmlAttr(g))
		}
		b.WriteString("</qti-correct-response>")
		if q.PartialCredit {
			b.WriteString(`<qti-mapping lower-bound="0" upper-bound="1" default-value="0">`)
			for _, g := range gs {
				fmt.Fprintf(b, `<qti-map-entry map-key="%s %s" mapped-value="%s"/>`, xmlAttr(pairs[g]), xmlAttr(g), num(1/float64(len(gs))))
			}
			b.WriteString("</qti-mapping>")
		}
		b.WriteString("</qti-response-declaration>\n")
	case examhall.SelectPoint:
		var areas []examhall.Area
		jsonUnmarshal(q.Answer, &areas)
		card := "multiple"
		if q.MaxChoices == 1 {
			card = "single"
		}
		fmt.Fprintf(b, `  <qti-response-declaration identifier="RESPONSE" cardinality="%s" base-type="point"><qti-area-mapping default-value="0" lower-bound="0" upper-bound="1">`, card)
		for _, a := range areas {
			fmt.Fprintf(b, `<qti-area-map-entry shape="%s" coords="%s" mapped-value="%s"/>`, a.Shape, coordsText(a.Coords), num(1/float64(len(areas))))
		}
		b.WriteString("</qti-area-mapping></qti-response-declaration>\n")
	default:
		return false
	}
	return true
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// addScore is the rule that adds to SCORE the score of q's response rid,
// out of max (an expression), for players other than examhall.
func addScore(q *examhall.Question, rid, max string) string {
	add := func(v string) string {
		return `<qti-set-outcome-value identifier="SCORE"><qti-sum><qti-variable identifier="SCORE"/>` + v + `</qti-sum></qti-set-outcome-value>`
	}
	when := func(cond, v string) string {
		return `<qti-response-condition><qti-response-if>` + cond + add(v) + `</qti-response-if></qti-response-condition>`
	}
	v, c := `<qti-variable identifier="`+rid+`"/>`, `<qti-correct identifier="`+rid+`"/>`
	switch {
	case q.Type == examhall.Essay || q.Type == examhall.Upload:
		return ""
	case q.Type == examhall.Numeric:
		return when(fmt.Sprintf(`<qti-equal tolerance-mode="absolute" tolerance="%s %s">%s%s</qti-equal>`, num(q.Tolerance), num(q.Tolerance), v, c), max)
	case q.Type == examhall.SelectPoint:
		return when(`<qti-not><qti-is-null>`+v+`</qti-is-null></qti-not>`, `<qti-product><qti-map-response-point identifier="`+rid+`"/>`+max+`</qti-product>`)
	case q.Type == examhall.ShortText:
		return when(`<qti-not><qti-is-null>`+v+`</qti-is-null></qti-not>`, `<qti-product><qti-map-response identifier="`+rid+`"/>`+max+`</qti-product>`)
	case q.PartialCredit && q.Type != examhall.Order:
		return when(`<qti-not><qti-is-null>`+v+`</qti-is-null></qti-not>`, `<qti-product><qti-map-response identifier="`+rid+`"/>`+max+`</qti-product>`)
	}
	return when(`<qti-match>`+v+c+`</qti-match>`, max)
}

func baseValue(f float64) string {
	return `<qti-base-value base-type="float">` + num(f) + `</qti-base-value>`
}

// moreRules is the scoring of the types beyond the core, "" for others.
func (w *itemWriter) moreRules() string {
	q := w.q
	zero := `<qti-set-outcome-value identifier="SCORE">` + baseValue(0) + `</qti-set-outcome-value>`
	switch q.Type {
	case examhall.Cloze:
		total := 0.0
		for _, g := range q.Gaps {
			total += g.Weight
		}
		rules := zero
		if !q.PartialCredit {
			var conds []string
			for _, g := range q.Gaps {
				conds = append(conds, gapCondition(g))
			}
			return rules + `<qti-response-condition><qti-response-if><qti-and>` + strings.Join(conds, "") + `</qti-and><qti-set-outcome-value identifier="SCORE"><qti-variable identifier="MAXSCORE"/></qti-set-outcome-value></qti-response-if></qti-response-condition>`
		}
		for _, g := range q.Gaps {
			rules += `<qti-response-condition><qti-response-if>` + gapCondition(g) + `<qti-set-outcome-value identifier="SCORE"><qti-sum><qti-variable identifier="SCORE"/>` +
				baseValue(round(q.Points*g.Weight/total)) + `</qti-sum></qti-set-outcome-value></qti-response-if></qti-response-condition>`
		}
		return rules
	case examhall.Multipart:
		rules := zero
		for i := range q.Parts {
			rules += addScore(&q.Parts[i], q.Parts[i].ID, baseValue(q.Parts[i].Points))
		}
		return rules
	case examhall.GapMatch, examhall.HotText, examhall.Hotspot, examhall.SelectPoint:
		return zero + addScore(q, "RESPONSE", `<qti-variable identifier="MAXSCORE"/>`)
	}
	return ""
}

// gapCondition is true when a cloze gap is filled right.
func gapCondition(g examhall.Gap) string {
	v, c := `<qti-variable identifier="`+g.ID+`"/>`, `<qti-correct identifier="`+g.ID+`"/>`
	switch g.Type {
	case examhall.GapNumeric:
		return fmt.Sprintf(`<qti-equal tolerance-mode="absolute" tolerance="%s %s">%s%s</qti-equal>`, num(g.Tolerance), num(g.Tolerance), v, c)
	case examhall.GapText:
		return `<qti-gt><qti-map-response identifier="` + g.ID + `"/>` + baseValue(0) + `</qti-gt>`
	}
	return `<qti-match>` + v + c + `</qti-match>`
}

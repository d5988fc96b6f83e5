package qti

import (
	"fmt"
	"html"
	"path"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// sectionsTestXML writes the test of an exam with sections: one test part
// per section (navigation linear for a forward-only section, its time
// limit when it is timed), holding one visible section with the section's
// title and instructions (whose div carries examhall's answer-any rule as
// data attributes, as QTI has none), its pools as invisible sub-sections
// with a selection, and its items. The exam's own time limit and the
// scores' outcome processing are at the test level.
func sectionsTestXML(e *examhall.Exam) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-test xmlns="%s" identifier="%s" title="%s" tool-name="%s">
`, nsItem, xmlAttr(orDefault(e.ID, "exam")), xmlAttr(e.Title), toolName)
	writeOutcomeDeclarations(&b, e)
	if e.DurationSeconds > 0 {
		fmt.Fprintf(&b, "  <qti-time-limits max-time=\"%d\"/>\n", e.DurationSeconds)
	}
	poolOf := map[string]*examhall.Pool{}
	for i := range e.Pools {
		for _, id := range e.Pools[i].Questions {
			poolOf[id] = &e.Pools[i]
		}
	}
	ref := func(indent, id string) {
		fmt.Fprintf(&b, "%s<qti-assessment-item-ref identifier=\"%s\" href=\"items/%s.xml\"/>\n", indent, xmlAttr(id), xmlAttr(id))
	}
	for _, s := range e.Sections {
		nav := "nonlinear"
		if s.ForwardOnly() {
			nav = "linear"
		}
		fmt.Fprintf(&b, "  <qti-test-part identifier=\"section-%s\" navigation-mode=\"%s\" submission-mode=\"simultaneous\">\n", xmlAttr(s.ID), nav)
		if s.DurationSeconds > 0 {
			fmt.Fprintf(&b, "    <qti-time-limits max-time=\"%d\"/>\n", s.DurationSeconds)
		}
		fmt.Fprintf(&b, "    <qti-assessment-section identifier=\"%s\" title=\"%s\" visible=\"true\">\n", xmlAttr(s.ID), xmlAttr(orDefault(s.Title, s.ID)))
		shuffle := e.ShuffleQuestions
		if s.ShuffleQuestions != nil {
			shuffle = *s.ShuffleQuestions
		}
		if shuffle {
			b.WriteString("      <qti-ordering shuffle=\"true\"/>\n")
		}
		extra := ""
		if s.AnswerAny > 0 {
			extra = fmt.Sprintf(` data-examhall-answer-any="%d" data-examhall-answer-any-rule="%s"`, s.AnswerAny, s.Rule())
		}
		if s.Instructions != "" || extra != "" {
			fmt.Fprintf(&b, "      <qti-rubric-block view=\"candidate\"><qti-content-body><div data-examhall-prompt=\"text\"%s>%s</div></qti-content-body></qti-rubric-block>\n", extra, html.EscapeString(s.Instructions))
		}
		done := map[*examhall.Pool]bool{}
		for _, id := range s.Questions {
			p := poolOf[id]
			switch {
			case p == nil:
				ref("      ", id)
			case !done[p]:
				done[p] = true
				fmt.Fprintf(&b, "      <qti-assessment-section identifier=\"pool-%s\" title=\"%s\" visible=\"false\">\n        <qti-selection select=\"%d\"/>\n", xmlAttr(p.ID), xmlAttr(p.ID), p.Draw)
				for _, q := range p.Questions {
					ref("        ", q)
				}
				b.WriteString("      </qti-assessment-section>\n")
			}
		}
		b.WriteString("    </qti-assessment-section>\n  </qti-test-part>\n")
	}
	writeOutcomeProcessing(&b, e)
	b.WriteString("</qti-assessment-test>\n")
	return []byte(b.String())
}

// scored reports whether the test states how its score is summed: when
// the exam has sections or negative marking.
func scored(e *examhall.Exam) bool {
	if len(e.Sections) > 0 || e.Marking != nil || e.AllowNegativeTotal {
		return true
	}
	for i := range e.Questions {
		if e.Questions[i].Marking != nil {
			return true
		}
	}
	return false
}

func writeOutcomeDeclarations(b *strings.Builder, e *examhall.Exam) {
	if !scored(e) {
		return
	}
	b.WriteString("  <qti-outcome-declaration identifier=\"SCORE\" cardinality=\"single\" base-type=\"float\"/>\n")
	for _, s := range e.Sections {
		fmt.Fprintf(b, "  <qti-outcome-declaration identifier=\"SCORE_%s\" cardinality=\"single\" base-type=\"float\"/>\n", xmlAttr(s.ID))
	}
}

// writeOutcomeProcessing sums the items' scores by section and in all; the
// total stops at 0 unless the exam allows a negative total. (Answer-any
// rules are examhall's: QTI's sum counts every item.)
func writeOutcomeProcessing(b *strings.Builder, e *examhall.Exam) {
	if !scored(e) {
		return
	}
	b.WriteString("  <qti-outcome-processing>\n")
	for _, s := range e.Sections {
		fmt.Fprintf(b, "    <qti-set-outcome-value identifier=\"SCORE_%s\"><qti-sum><qti-test-variables variable-identifier=\"SCORE\" section-identifier=\"%s\"/></qti-sum></qti-set-outcome-value>\n", xmlAttr(s.ID), xmlAttr(s.ID))
	}
	sum := `<qti-sum><qti-test-variables variable-identifier="SCORE"/></qti-sum>`
	if !e.AllowNegativeTotal {
		sum = `<qti-max>` + sum + `<qti-base-value base-type="float">0</qti-base-value></qti-max>`
	}
	b.WriteString("    <qti-set-outcome-value identifier=\"SCORE\">" + sum + "</qti-set-outcome-value>\n  </qti-outcome-processing>\n")
}

// penaltyRules returns the response rules that apply marking scheme m
// after the score is set: no response scores m's unanswered points, and
// one that scores nothing (or no score at all) m's wrong points. Empty
// when m costs nothing or q's type has no single response to test.
func penaltyRules(q *examhall.Question, m *examhall.Marking) string {
	if m == nil {
		return ""
	}
	wrong, unanswered := m.WrongPoints(q.Points), 0.0
	if m.Unanswered != nil {
		unanswered = *m.Unanswered
	}
	if wrong == 0 && unanswered == 0 || !penaltyTypes[q.Type] {
		return ""
	}
	set := func(v float64) string {
		return `<qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">` + num(v) + `</qti-base-value></qti-set-outcome-value>`
	}
	return `<qti-response-condition><qti-response-if><qti-is-null><qti-variable identifier="RESPONSE"/></qti-is-null>` + set(unanswered) +
		`</qti-response-if><qti-response-else-if><qti-or><qti-is-null><qti-variable identifier="SCORE"/></qti-is-null><qti-lte><qti-variable identifier="SCORE"/><qti-base-value base-type="float">0</qti-base-value></qti-lte></qti-or>` + set(wrong) +
		`</qti-response-else-if></qti-response-condition>`
}

// penaltyTypes are the types whose item has one RESPONSE, which the
// penalty rules test.
var penaltyTypes = map[examhall.QuestionType]bool{examhall.Single: true, examhall.Multiple: true, examhall.TrueFalse: true,
	examhall.Numeric: true, examhall.ShortText: true, examhall.Match: true, examhall.Order: true}

// readPenalty reads back the rules penaltyRules writes: the marking scheme
// of an item, or nil when it has none.
func readPenalty(root *node) *examhall.Marking {
	rp := root.first("responseProcessing")
	if rp == nil {
		return nil
	}
	value := func(n *node) (float64, bool) {
		for _, set := range n.elems("setOutcomeValue") {
			if set.attr("identifier") == "SCORE" {
				if bv := set.first("baseValue"); bv != nil {
					var f float64
					if _, err := fmt.Sscan(bv.text(), &f); err == nil {
						return f, true
					}
				}
			}
		}
		return 0, false
	}
	for _, rc := range rp.elems("responseCondition") {
		elseIf := rc.first("responseElseIf")
		ifn := rc.first("responseIf")
		if elseIf == nil || ifn == nil || len(elseIf.find("lte")) == 0 || ifn.first("isNull") == nil {
			continue
		}
		w, ok1 := value(elseIf)
		u, ok2 := value(ifn)
		if !ok1 || !ok2 || w > 0 || u > 0 {
			continue
		}
		m := &examhall.Marking{Wrong: &w}
		if u != 0 {
			m.Unanswered = &u
		}
		return m
	}
	return nil
}

// readSections reads a test of several test parts (or one named as
// examhall's export names them, "section-ID") as sections: each part's
// items, time limit and navigation, its first section's title, and the
// instructions and answer-any rule of that section's rubric. A test of
// examhall's own export also says whether a total may be negative.
func (p *pkg) readSections(root *node, file string) {
	parts := root.elems("testPart")
	if len(parts) == 0 || len(parts) == 1 && !strings.HasPrefix(parts[0].attr("identifier"), "section-") {
		return
	}
	if len(root.elems("timeLimits")) == 0 {
		// The parts' limits are the sections'; the test sets none of its own.
		p.bank.DurationSeconds = 0
	}
	for _, tp := range parts {
		s := content.Section{ID: strings.TrimPrefix(tp.attr("identifier"), "section-"), ForwardOnly: tp.attr("navigationMode") == "linear"}
		if tl := tp.first("timeLimits"); tl != nil {
			if f, err := strconv.ParseFloat(tl.attr("maxTime"), 64); err == nil && f >= 1 && f < 1e7 {
				s.DurationSeconds = int(f)
			}
		}
		if sec := tp.first("assessmentSection"); sec != nil {
			s.Title = sec.attr("title")
			for _, rb := range sec.elems("rubricBlock") {
				if d := marked(rb); d != nil {
					s.Instructions = rawText(d)
					s.AnswerAny, _ = strconv.Atoi(d.attr("data-examhall-answer-any"))
					s.AnswerAnyRule = d.attr("data-examhall-answer-any-rule")
				} else {
					s.Instructions = rb.text()
				}
			}
		}
		for _, ref := range tp.find("assessmentItemRef") {
			if it := p.itemOf[path.Join(path.Dir(file), ref.attr("href"))]; it != nil {
				s.Items = append(s.Items, it)
			}
		}
		p.bank.Sections = append(p.bank.Sections, s)
	}
	if root.attr("toolName") == toolName {
		if op := root.first("outcomeProcessing"); op != nil && len(op.find("sum")) > 0 && len(op.find("max")) == 0 {
			p.bank.AllowNegativeTotal = true
		}
	}
}

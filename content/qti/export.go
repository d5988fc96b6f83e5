package qti

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"examhall"
)

// Namespaces and names of QTI 3.0 packages.
const (
	nsItem     = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
	nsManifest = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
	toolName   = "examhall"
)

// Export writes e and its assets as a QTI 3.0 content package (a zip):
// imsmanifest.xml, assessment.xml (the test: time limit, ordering, one
// section per pool with its selection, then one section of the other
// questions), items/ID.xml per question and assets/NAME per asset. The
// package reads back, with ParsePackage, to the same questions; the
// sitting's logistics (window, grace, candidates) are not QTI's and stay
// behind.
func Export(e *examhall.Exam, assets []examhall.Asset) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// Entries carry the exam's creation time (or now): without one, zip
	// writes the DOS epoch, which unzip tools show as an invalid 1980 date.
	modified := e.CreatedAt
	if modified.IsZero() {
		modified = time.Now()
	}
	modified = modified.UTC().Truncate(2 * time.Second)
	write := func(name string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	var resources []string
	for i := range e.Questions {
		q := &e.Questions[i]
		item, err := itemXML(q, e.ShuffleOptions, e.MarkingOf(q))
		if err != nil {
			return nil, fmt.Errorf("question %s: %w", q.ID, err)
		}
		file := "items/" + q.ID + ".xml"
		if err := write(file, item); err != nil {
			return nil, err
		}
		resources = append(resources, fmt.Sprintf(`    <resource identifier="item-%s" type="imsqti_item_xmlv3p0" href="%s"><file href="%s"/></resource>`, xmlAttr(q.ID), xmlAttr(file), xmlAttr(file)))
	}
	var files []string
	for _, a := range assets {
		f := "assets/" + a.Name
		if err := write(f, a.Data); err != nil {
			return nil, err
		}
		files = append(files, fmt.Sprintf(`<file href="%s"/>`, xmlAttr(f)))
	}
	test := testXML(e)
	if len(e.Sections) > 0 {
		test = sectionsTestXML(e)
	}
	if err := write("assessment.xml", test); err != nil {
		return nil, err
	}
	id := e.ID
	if id == "" {
		id = "exam"
	}
	manifest := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="%s" identifier="manifest-%s">
  <metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion></metadata>
  <organizations/>
  <resources>
    <resource identifier="test-%s" type="imsqti_test_xmlv3p0" href="assessment.xml"><file href="assessment.xml"/>%s</resource>
%s
  </resources>
</manifest>
`, nsManifest, xmlAttr(id), xmlAttr(id), strings.Join(files, ""), strings.Join(resources, "\n"))
	if err := write("imsmanifest.xml", []byte(manifest)); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func xmlAttr(s string) string { return html.EscapeString(s) }

func testXML(e *examhall.Exam) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-test xmlns="%s" identifier="%s" title="%s" tool-name="%s">
`, nsItem, xmlAttr(orDefault(e.ID, "exam")), xmlAttr(e.Title), toolName)
	writeOutcomeDeclarations(&b, e)
	b.WriteString(`  <qti-test-part identifier="part" navigation-mode="nonlinear" submission-mode="simultaneous">
`)
	if e.DurationSeconds > 0 {
		fmt.Fprintf(&b, "    <qti-time-limits max-time=\"%d\"/>\n", e.DurationSeconds)
	}
	if e.Instructions != "" {
		fmt.Fprintf(&b, "    <qti-rubric-block view=\"candidate\"><qti-content-body><div data-examhall-prompt=\"text\">%s</div></qti-content-body></qti-rubric-block>\n", html.EscapeString(e.Instructions))
	}
	// Sections follow the questions' order: a pool's section where its
	// first question is, runs of other questions between them.
	poolOf := map[string]*examhall.Pool{}
	for i := range e.Pools {
		for _, id := range e.Pools[i].Questions {
			poolOf[id] = &e.Pools[i]
		}
	}
	ordering := ""
	if e.ShuffleQuestions {
		ordering = "      <qti-ordering shuffle=\"true\"/>\n"
	}
	ref := func(id string) {
		fmt.Fprintf(&b, "      <qti-assessment-item-ref identifier=\"%s\" href=\"items/%s.xml\"/>\n", xmlAttr(id), xmlAttr(id))
	}
	done := map[*examhall.Pool]bool{}
	open, run := false, 0
	for _, q := range e.Questions {
		p := poolOf[q.ID]
		switch {
		case p == nil && !open:
			run++
			fmt.Fprintf(&b, "    <qti-assessment-section identifier=\"questions-%d\" title=\"%s\" visible=\"true\">\n%s", run, xmlAttr(e.Title), ordering)
			open = true
			ref(q.ID)
		case p == nil:
			ref(q.ID)
		case done[p]:
		default:
			if open {
				b.WriteString("    </qti-assessment-section>\n")
				open = false
			}
			done[p] = true
			fmt.Fprintf(&b, "    <qti-assessment-section identifier=\"pool-%s\" title=\"%s\" visible=\"false\">\n      <qti-selection select=\"%d\"/>\n%s", xmlAttr(p.ID), xmlAttr(p.ID), p.Draw, ordering)
			for _, q2 := range e.Questions {
				if poolOf[q2.ID] == p {
					ref(q2.ID)
				}
			}
			b.WriteString("    </qti-assessment-section>\n")
		}
	}
	if open {
		b.WriteString("    </qti-assessment-section>\n")
	}
	b.WriteString("  </qti-test-part>\n")
	writeOutcomeProcessing(&b, e)
	b.WriteString("</qti-assessment-test>\n")
	return []byte(b.String())
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// itemWriter builds one item document.
type itemWriter struct {
	q       *examhall.Question
	b       strings.Builder
	html    bool
	penalty string // the rules of the marking scheme's penalties, if any
}

func itemXML(q *examhall.Question, shuffle bool, m *examhall.Marking) ([]byte, error) {
	w := &itemWriter{q: q, html: q.Format == examhall.FormatHTML, penalty: penaltyRules(q, m)}
	fmt.Fprintf(&w.b, `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="%s" identifier="%s" title="%s" adaptive="false" time-dependent="false" tool-name="%s">
`, nsItem, xmlAttr(q.ID), xmlAttr(q.ID), toolName)
	if err := w.declarations(); err != nil {
		return nil, err
	}
	fmt.Fprintf(&w.b, `  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-outcome-declaration identifier="MAXSCORE" cardinality="single" base-type="float"><qti-default-value><qti-value>%s</qti-value></qti-default-value></qti-outcome-declaration>
  <qti-outcome-declaration identifier="FEEDBACK" cardinality="single" base-type="identifier"/>
  <qti-item-body>
`, num(q.Points))
	w.body(shuffle)
	w.b.WriteString("  </qti-item-body>\n")
	w.processing()
	for _, f := range []struct{ id, text string }{{fbGeneral, q.Feedback}, {fbCorrect, q.CorrectFeedback}, {fbPartial, q.PartialFeedback}, {fbIncorrect, q.IncorrectFeedback}} {
		if f.text != "" {
			fmt.Fprintf(&w.b, "  <qti-modal-feedback outcome-identifier=\"FEEDBACK\" identifier=\"%s\" show-hide=\"show\"><qti-content-body><div data-examhall-prompt=\"%s\">%s</div></qti-content-body></qti-modal-feedback>\n",
				f.id, orDefault(q.Format, examhall.FormatText), w.text(f.text))
		}
	}
	w.b.WriteString("</qti-assessment-item>\n")
	return []byte(w.b.String()), nil
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// text renders a text of the question as XML content: escaped plain text,
// or HTML re-serialised as well-formed markup.
func (w *itemWriter) text(s string) string {
	if !w.html {
		return html.EscapeString(s)
	}
	return xhtmlOf(s)
}

// xhtmlOf parses HTML and renders it as well-formed XML: void elements
// closed, attributes quoted, text escaped.
func xhtmlOf(s string) string {
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), &xhtml.Node{Type: xhtml.ElementNode, DataAtom: atom.Div, Data: "div"})
	if err != nil {
		return html.EscapeString(s)
	}
	var b strings.Builder
	for _, n := range nodes {
		renderXML(&b, n)
	}
	return b.String()
}

func renderXML(b *strings.Builder, n *xhtml.Node) {
	switch n.Type {
	case xhtml.TextNode:
		b.WriteString(html.EscapeString(n.Data))
	case xhtml.ElementNode:
		b.WriteString("<" + n.Data)
		if n.Data == "math" && (n.Parent == nil || n.Parent.Namespace != "math") {
			b.WriteString(` xmlns="http://www.w3.org/1998/Math/MathML"`)
		}
		for _, a := range n.Attr {
			if a.Namespace != "" || !validXMLName(a.Key) {
				continue
			}
			v := a.Val
			if n.Data == "img" && a.Key == "src" && strings.HasPrefix(v, "assets/") {
				v = "../" + v // items/ID.xml refers to assets/NAME
			}
			fmt.Fprintf(b, ` %s="%s"`, a.Key, html.EscapeString(v))
		}
		if n.FirstChild == nil {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			renderXML(b, c)
		}
		b.WriteString("</" + n.Data + ">")
	}
}

func validXMLName(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.')) {
			return false
		}
	}
	return s != ""
}

func (w *itemWriter) declaration() error {
	q := w.q
	b := &w.b
	if w.moreDeclaration() {
		return nil
	}
	switch q.Type {
	case examhall.Essay:
		b.WriteString(`  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"/>` + "\n")
		return nil
	case examhall.Single, examhall.TrueFalse:
		var key string
		if q.Type == examhall.TrueFalse {
			var v bool
			json.Unmarshal(q.Answer, &v)
			key = strconv.FormatBool(v)
		} else {
			json.Unmarshal(q.Answer, &key)
		}
		fmt.Fprintf(b, "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"identifier\"><qti-correct-response><qti-value>%s</qti-value></qti-correct-response></qti-response-declaration>\n", xmlAttr(key))
	case examhall.Multiple, examhall.Order, examhall.HotText, examhall.Hotspot:
		var keys []string
		json.Unmarshal(q.Answer, &keys)
		card := "multiple"
		if q.Type == examhall.Order {
			card = "ordered"
		}
		fmt.Fprintf(b, "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"%s\" base-type=\"identifier\"><qti-correct-response>", card)
		for _, k := range keys {
			fmt.Fprintf(b, "<qti-value>%s</qti-value>", xmlAttr(k))
		}
		b.WriteString("</qti-correct-response>")
		if q.Type != examhall.Order && q.PartialCredit {
			keyed := map[string]bool{}
			for _, k := range keys {
				keyed[k] = true
			}
			share := 1 / float64(len(keys))
			b.WriteString(`<qti-mapping lower-bound="0" upper-bound="1" default-value="0">`)
			for _, o := range q.Options {
				v := share
				if !keyed[o.ID] {
					v = -share
				}
				fmt.Fprintf(b, `<qti-map-entry map-key="%s" mapped-value="%s"/>`, xmlAttr(o.ID), num(v))
			}
			b.WriteString("</qti-mapping>")
		}
		b.WriteString("</qti-response-declaration>\n")
	case examhall.Match:
		var pairs map[string]string
		json.Unmarshal(q.Answer, &pairs)
		ks := make([]string, 0, len(pairs))
		for k := range pairs {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		b.WriteString(`  <qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair"><qti-correct-response>`)
		for _, k := range ks {
			fmt.Fprintf(b, "<qti-value>%s %s</qti-value>", xmlAttr(k), xmlAttr(pairs[k]))
		}
		b.WriteString("</qti-correct-response>")
		if q.PartialCredit {
			b.WriteString(`<qti-mapping lower-bound="0" upper-bound="1" default-value="0">`)
			for _, k := range ks {
				fmt.Fprintf(b, `<qti-map-entry map-key="%s %s" mapped-value="%s"/>`, xmlAttr(k), xmlAttr(pairs[k]), num(1/float64(len(ks))))
			}
			b.WriteString("</qti-mapping>")
		}
		b.WriteString("</qti-response-declaration>\n")
	case examhall.Numeric:
		var v float64
		json.Unmarshal(q.Answer, &v)
		fmt.Fprintf(b, "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"float\"><qti-correct-response><qti-value>%s</qti-value></qti-correct-response></qti-response-declaration>\n", num(v))
	case examhall.ShortText:
		var accepted []string
		if json.Unmarshal(q.Answer, &accepted) != nil {
			var one string
			json.Unmarshal(q.Answer, &one)
			accepted = []string{one}
		}
		fmt.Fprintf(b, "  <qti-response-declaration identifier=\"RESPONSE\" cardinality=\"single\" base-type=\"string\"><qti-correct-response><qti-value>%s</qti-value></qti-correct-response><qti-mapping default-value=\"0\">", html.EscapeString(accepted[0]))
		for _, a := range accepted {
			fmt.Fprintf(b, `<qti-map-entry map-key="%s" mapped-value="1" case-sensitive="false"/>`, xmlAttr(a))
		}
		b.WriteString("</qti-mapping></qti-response-declaration>\n")
	default:
		return fmt.Errorf("type %s cannot be exported", q.Type)
	}
	return nil
}

func (w *itemWriter) choices(tag string, os []examhall.Option) {
	for _, o := range os {
		fmt.Fprintf(&w.b, `      <%s identifier="%s">%s`, tag, xmlAttr(o.ID), w.text(o.Text))
		if o.Feedback != "" {
			fmt.Fprintf(&w.b, `<qti-feedback-inline outcome-identifier="FEEDBACK" identifier="%s" show-hide="show">%s</qti-feedback-inline>`, xmlAttr(o.ID), w.text(o.Feedback))
		}
		fmt.Fprintf(&w.b, "</%s>\n", tag)
	}
}

func (w *itemWriter) interaction(shuffle bool) {
	q := w.q
	b := &w.b
	extra := ""
	if q.PartialCredit {
		extra = ` data-examhall-partial-credit="true"`
	}
	if q.Shuffle != nil {
		extra += fmt.Sprintf(` data-examhall-shuffle="%t"`, *q.Shuffle)
	}
	sh := strconv.FormatBool(shuffle)
	switch q.Type {
	case examhall.Single, examhall.Multiple:
		max := 1
		if q.Type == examhall.Multiple {
			max = 0
		}
		fmt.Fprintf(b, "    <qti-choice-interaction response-identifier=\"RESPONSE\" max-choices=\"%d\" shuffle=\"%s\"%s>\n", max, sh, extra)
		w.choices("qti-simple-choice", q.Options)
		b.WriteString("    </qti-choice-interaction>\n")
	case examhall.TrueFalse:
		fmt.Fprintf(b, "    <qti-choice-interaction response-identifier=\"RESPONSE\" max-choices=\"1\" shuffle=\"false\" data-examhall-type=\"true_false\">\n")
		b.WriteString("      <qti-simple-choice identifier=\"true\">True</qti-simple-choice>\n      <qti-simple-choice identifier=\"false\">False</qti-simple-choice>\n")
		b.WriteString("    </qti-choice-interaction>\n")
	case examhall.Numeric, examhall.ShortText:
		fmt.Fprintf(b, "    <p><qti-text-entry-interaction response-identifier=\"RESPONSE\"/></p>\n")
	case examhall.Essay:
		fmt.Fprintf(b, "    <qti-extended-text-interaction response-identifier=\"RESPONSE\"/>\n")
	case examhall.Order:
		fmt.Fprintf(b, "    <qti-order-interaction response-identifier=\"RESPONSE\" shuffle=\"true\"%s>\n", extra)
		w.choices("qti-simple-choice", q.Options)
		b.WriteString("    </qti-order-interaction>\n")
	case examhall.Match:
		fmt.Fprintf(b, "    <qti-match-interaction response-identifier=\"RESPONSE\" shuffle=\"%s\" max-associations=\"%d\"%s>\n      <qti-simple-match-set>\n", sh, len(q.Options), extra)
		w.choices("qti-simple-associable-choice", q.Options)
		b.WriteString("      </qti-simple-match-set>\n      <qti-simple-match-set>\n")
		w.choices("qti-simple-associable-choice", q.Targets)
		b.WriteString("      </qti-simple-match-set>\n    </qti-match-interaction>\n")
	default:
		w.moreInteractions(shuffle, extra)
	}
}

// processing writes the response processing: the score, then, when the
// question has feedback by outcome, which of it shows (by the score).
func (w *itemWriter) processing() {
	q := w.q
	byOutcome := q.CorrectFeedback != "" || q.PartialFeedback != "" || q.IncorrectFeedback != ""
	const (
		mapTemplate   = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"
		matchTemplate = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"
	)
	var rules string
	switch {
	case w.moreRules() != "":
		rules = w.moreRules()
	case q.Type == examhall.Essay || q.Type == examhall.Upload:
		if !byOutcome {
			return
		}
	case q.Type == examhall.Numeric:
		rules = fmt.Sprintf(`<qti-response-condition><qti-response-if><qti-equal tolerance-mode="absolute" tolerance="%s %s"><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-equal><qti-set-outcome-value identifier="SCORE"><qti-variable identifier="MAXSCORE"/></qti-set-outcome-value></qti-response-if></qti-response-condition>`, num(q.Tolerance), num(q.Tolerance))
	case q.Type == examhall.ShortText || q.PartialCredit && q.Type != examhall.Order:
		if !byOutcome && w.penalty == "" {
			w.b.WriteString(`  <qti-response-processing template="` + mapTemplate + `"/>` + "\n")
			return
		}
		rules = `<qti-response-condition><qti-response-if><qti-is-null><qti-variable identifier="RESPONSE"/></qti-is-null><qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">0</qti-base-value></qti-set-outcome-value></qti-response-if><qti-response-else><qti-set-outcome-value identifier="SCORE"><qti-map-response identifier="RESPONSE"/></qti-set-outcome-value></qti-response-else></qti-response-condition>`
	default:
		if !byOutcome && w.penalty == "" {
			w.b.WriteString(`  <qti-response-processing template="` + matchTemplate + `"/>` + "\n")
			return
		}
		rules = `<qti-response-condition><qti-response-if><qti-match><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-match><qti-set-outcome-value identifier="SCORE"><qti-variable identifier="MAXSCORE"/></qti-set-outcome-value></qti-response-if><qti-response-else><qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">0</qti-base-value></qti-set-outcome-value></qti-response-else></qti-response-condition>`
	}
	rules += w.penalty
	if byOutcome {
		set := func(id string) string {
			return `<qti-set-outcome-value identifier="FEEDBACK"><qti-base-value base-type="identifier">` + id + `</qti-base-value></qti-set-outcome-value>`
		}
		rules += `<qti-response-condition><qti-response-if><qti-gte><qti-variable identifier="SCORE"/><qti-variable identifier="MAXSCORE"/></qti-gte>` + set(fbCorrect) +
			`</qti-response-if><qti-response-else-if><qti-gt><qti-variable identifier="SCORE"/><qti-base-value base-type="float">0</qti-base-value></qti-gt>` + set(fbPartial) +
			`</qti-response-else-if><qti-response-else>` + set(fbIncorrect) + `</qti-response-else></qti-response-condition>`
	}
	w.b.WriteString("  <qti-response-processing>" + rules + "</qti-response-processing>\n")
}

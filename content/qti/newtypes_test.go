package qti_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall"
	"examhall/content/qti"
)

// TestParseMoreTypes reads the interactions beyond the core as other tools
// write them, QTI 2.1 and 3.0, into examhall's types.
func TestParseMoreTypes(t *testing.T) {
	const v2 = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i" title="t">`
	tests := []struct {
		name, src string
		want      map[string]string // JSON fields of the question
		codes     string
	}{
		{"cloze of text entries and an inline choice", v2 + `
  <responseDeclaration identifier="R1" cardinality="single" baseType="string"><correctResponse><value>York</value></correctResponse></responseDeclaration>
  <responseDeclaration identifier="R2" cardinality="single" baseType="integer"><correctResponse><value>1485</value></correctResponse></responseDeclaration>
  <responseDeclaration identifier="R3" cardinality="single" baseType="identifier"><correctResponse><value>K</value></correctResponse></responseDeclaration>
  <itemBody><p>The house of <textEntryInteraction responseIdentifier="R1"/> lost in <textEntryInteraction responseIdentifier="R2"/>; Richard was a
  <inlineChoiceInteraction responseIdentifier="R3" shuffle="false"><inlineChoice identifier="K">king</inlineChoice><inlineChoice identifier="D">duke</inlineChoice></inlineChoiceInteraction>.</p></itemBody>
  <responseProcessing><responseCondition><responseIf><equal toleranceMode="absolute" tolerance="1 1"><variable identifier="R2"/><correct identifier="R2"/></equal><setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue></responseIf></responseCondition></responseProcessing>
</assessmentItem>`, map[string]string{"type": `"cloze"`, "points": "3", "partial_credit": "true",
			"prompt": `"<p>The house of [[R1]] lost in [[R2]]; Richard was a\n  [[R3]].</p>"`,
			"gaps":   `[{"id":"R1","type":"text","answer":["York"],"weight":1},{"id":"R2","type":"numeric","answer":1485,"tolerance":1,"weight":1},{"id":"R3","type":"choice","options":[{"id":"K","text":"king"},{"id":"D","text":"duke"}],"answer":"K","weight":1}]`}, ""},
		{"hot text", `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="h">
  <qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier"><qti-correct-response><qti-value>V1</qti-value><qti-value>V2</qti-value></qti-correct-response></qti-response-declaration>
  <qti-item-body><qti-hottext-interaction response-identifier="RESPONSE" max-choices="3"><qti-prompt>Pick the verbs.</qti-prompt>
  <p>The cat <qti-hottext identifier="V1">sat</qti-hottext> on the <qti-hottext identifier="N1">mat</qti-hottext> and <qti-hottext identifier="V2">slept</qti-hottext>.</p></qti-hottext-interaction></qti-item-body>
</qti-assessment-item>`, map[string]string{"type": `"hot_text"`, "answer": `["V1","V2"]`, "max_choices": "3",
			"prompt": `"<div>Pick the verbs.</div>\n  <p>The cat [[V1]] on the [[N1]] and [[V2]].</p>"`}, ""},
		{"select point by a correct point", v2 + `
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="point"><correctResponse><value>102 113</value></correctResponse></responseDeclaration>
  <itemBody><selectPointInteraction responseIdentifier="RESPONSE" maxChoices="1"><prompt>Mark Edinburgh.</prompt><object type="image/png" width="206" height="280" data="https://example.org/uk.png">UK</object></selectPointInteraction></itemBody>
</assessmentItem>`, map[string]string{"type": `"select_point"`, "answer": `[{"shape":"circle","coords":[102,113,6]}]`,
			"image": `{"src":"https://example.org/uk.png","width":206,"height":280,"alt":"UK"}`, "max_choices": "1"}, "tolerance_changed"},
		{"select point by areas", v2 + `
  <responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="point"><areaMapping defaultValue="0"><areaMapEntry shape="circle" coords="102,113,16" mappedValue="1"/><areaMapEntry shape="rect" coords="0,0,10,10" mappedValue="1"/></areaMapping></responseDeclaration>
  <itemBody><selectPointInteraction responseIdentifier="RESPONSE" maxChoices="2"><object type="image/png" width="206" height="280" data="https://example.org/uk.png"/></selectPointInteraction></itemBody>
</assessmentItem>`, map[string]string{"answer": `[{"shape":"circle","coords":[102,113,16]},{"shape":"rect","coords":[0,0,10,10]}]`, "partial_credit": "true", "max_choices": "2"}, ""},
		{"upload", v2 + `<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="file"/>
  <itemBody><uploadInteraction responseIdentifier="RESPONSE" type="application/pdf"><prompt>Your report.</prompt></uploadInteraction></itemBody></assessmentItem>`,
			map[string]string{"type": `"upload"`, "upload": `{"accept":["application/pdf"]}`, "prompt": `"Your report."`}, ""},
		{"slider", v2 + `<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="integer"><correctResponse><value>42</value></correctResponse></responseDeclaration>
  <itemBody><sliderInteraction responseIdentifier="RESPONSE" lowerBound="0" upperBound="100" step="1"><prompt>How many?</prompt></sliderInteraction></itemBody></assessmentItem>`,
			map[string]string{"type": `"numeric"`, "answer": "42"}, "interaction_changed"},
		{"two interactions and an end-attempt button", v2 + `
  <responseDeclaration identifier="A" cardinality="single" baseType="identifier"><correctResponse><value>y</value></correctResponse></responseDeclaration>
  <responseDeclaration identifier="B" cardinality="single" baseType="string"/>
  <responseDeclaration identifier="HINT" cardinality="single" baseType="boolean"/>
  <itemBody><p>Read the poem.</p>
  <choiceInteraction responseIdentifier="A" maxChoices="1"><prompt>Is it a sonnet?</prompt><simpleChoice identifier="y">Yes</simpleChoice><simpleChoice identifier="n">No</simpleChoice></choiceInteraction>
  <p>Explain why:</p><extendedTextInteraction responseIdentifier="B"/>
  <endAttemptInteraction responseIdentifier="HINT" title="Hint"/></itemBody></assessmentItem>`,
			map[string]string{"type": `"multipart"`, "prompt": `"<p>Read the poem.</p>"`,
				"parts": `[{"id":"A","type":"single","prompt":"Is it a sonnet?","points":1,"options":[{"id":"y","text":"Yes"},{"id":"n","text":"No"}],"answer":"y"},{"id":"B","type":"essay","prompt":"<p>Explain why:</p>","points":1}]`}, "interaction_changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := qti.Parse("i.xml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			it := b.Items[0]
			if it.Question == nil {
				t.Fatalf("skipped: %s", it.Skipped)
			}
			raw, _ := json.Marshal(it.Question)
			var got map[string]json.RawMessage
			json.Unmarshal(raw, &got)
			for k, want := range tt.want {
				g := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(got[k]))
				if g != want {
					t.Errorf("%s = %s\n want %s", k, g, want)
				}
			}
			var codes []string
			for _, c := range it.Codes {
				codes = append(codes, string(c))
			}
			if g := strings.Join(codes, ","); g != tt.codes {
				t.Errorf("change codes %q, want %q (%q)", g, tt.codes, it.Changes)
			}
			e := &examhall.Exam{Title: "t", DurationSeconds: 60, Questions: []examhall.Question{*it.Question}}
			if err := e.Validate(); err != nil {
				t.Errorf("not a valid question: %v\n%s", err, raw)
			}
		})
	}
}

package qti_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall/content/qti"
)

// TestParseFidelity checks constructs of real items that must not be lost:
// tolerances, feedback by outcome, and points from the response mapping.
func TestParseFidelity(t *testing.T) {
	const head = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i" title="t">`
	choice := `<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>
  <outcomeDeclaration identifier="FEEDBACK" cardinality="single" baseType="identifier"/>
  <itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1"><prompt>Pick</prompt><simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction></itemBody>`
	numeric := func(cmp string) string {
		return `<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float"><correctResponse><value>4.136</value></correctResponse></responseDeclaration>
  <itemBody><p>Value: <textEntryInteraction responseIdentifier="RESPONSE"/></p></itemBody>
  <responseProcessing><responseCondition><responseIf>` + cmp + `<setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue></responseIf></responseCondition></responseProcessing>`
	}
	tests := []struct {
		name, body string
		want       map[string]string // JSON field -> value
		codes      string
	}{
		{"relative tolerance", numeric(`<equal toleranceMode="relative" tolerance="5"><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></equal>`),
			map[string]string{"answer": "4.136", "tolerance": "0.2068"}, ""},
		{"asymmetric absolute tolerance", numeric(`<equal toleranceMode="absolute" tolerance="0.136 0.064"><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></equal>`),
			map[string]string{"answer": "4.1", "tolerance": "0.1"}, ""},
		{"rounded to decimal places", numeric(`<equalRounded roundingMode="decimalPlaces" figures="1"><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></equalRounded>`),
			map[string]string{"answer": "4.136", "tolerance": "0.05"}, "tolerance_changed"},
		{"feedback by the branch that sets it", choice + `<responseProcessing><responseCondition><responseIf><match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match>
    <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue><setOutcomeValue identifier="FEEDBACK"><baseValue baseType="identifier">fb1</baseValue></setOutcomeValue></responseIf>
    <responseElse><setOutcomeValue identifier="FEEDBACK"><baseValue baseType="identifier">fb2</baseValue></setOutcomeValue></responseElse></responseCondition></responseProcessing>
  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="fb1" showHide="show">Richtig!</modalFeedback>
  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="fb2" showHide="show">Leider falsch!</modalFeedback>`,
			map[string]string{"correct_feedback": `"Richtig!"`, "incorrect_feedback": `"Leider falsch!"`, "feedback": ""}, ""},
		{"feedback by its name", choice + `<modalFeedback outcomeIdentifier="FEEDBACK" identifier="CORRECT" showHide="show">Yes</modalFeedback>
  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="INCORRECT" showHide="show">No</modalFeedback>`,
			map[string]string{"correct_feedback": `"Yes"`, "incorrect_feedback": `"No"`}, ""},
		{"feedback per choice, not repeated", `<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>
  <itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1"><simpleChoice identifier="A">a<feedbackInline outcomeIdentifier="FEEDBACK" identifier="A" showHide="show">Good</feedbackInline></simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction></itemBody>
  <responseProcessing><setOutcomeValue identifier="FEEDBACK"><variable identifier="RESPONSE"/></setOutcomeValue></responseProcessing>
  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="A" showHide="show">Good</modalFeedback>
  <modalFeedback outcomeIdentifier="FEEDBACK" identifier="B" showHide="show">Bad</modalFeedback>`,
			map[string]string{"options": `[{"id":"A","text":"a","feedback":"Good"},{"id":"B","text":"b","feedback":"Bad"}]`}, ""},
		{"feedback under an unknown condition", choice + `<modalFeedback outcomeIdentifier="FEEDBACK" identifier="x7" showHide="show">Hmm</modalFeedback>`,
			map[string]string{"feedback": `"Hmm"`}, "feedback_condition_lost"},
		{"mathml in the prompt", `<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float"><correctResponse><value>1</value></correctResponse></responseDeclaration>
  <itemBody><p>Six times <m:math xmlns:m="http://www.w3.org/1998/Math/MathML"><m:mfrac><m:mn>1</m:mn><m:mn>6</m:mn></m:mfrac></m:math>? <textEntryInteraction responseIdentifier="RESPONSE"/></p></itemBody>`,
			map[string]string{"prompt": `"<p>Six times <math><mfrac><mn>1</mn><mn>6</mn></mfrac></math>? _____</p>"`}, ""},
		{"points from the mapping", `<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="directedPair"><correctResponse><value>a x</value><value>b y</value></correctResponse>
  <mapping defaultValue="0"><mapEntry mapKey="a x" mappedValue="2"/><mapEntry mapKey="b y" mappedValue="2"/></mapping></responseDeclaration>
  <itemBody><matchInteraction responseIdentifier="RESPONSE" maxAssociations="2"><simpleMatchSet><simpleAssociableChoice identifier="a" matchMax="1">A</simpleAssociableChoice><simpleAssociableChoice identifier="b" matchMax="1">B</simpleAssociableChoice></simpleMatchSet>
  <simpleMatchSet><simpleAssociableChoice identifier="x" matchMax="1">X</simpleAssociableChoice><simpleAssociableChoice identifier="y" matchMax="1">Y</simpleAssociableChoice></simpleMatchSet></matchInteraction></itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>`,
			map[string]string{"points": "4", "partial_credit": "true"}, ""},
		{"points from a mapping bounded above", `<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier"><correctResponse><value>A</value><value>B</value></correctResponse>
  <mapping defaultValue="0" upperBound="3"><mapEntry mapKey="A" mappedValue="2"/><mapEntry mapKey="B" mappedValue="2"/><mapEntry mapKey="C" mappedValue="-1"/></mapping></responseDeclaration>
  <itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="0"><simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice><simpleChoice identifier="C">c</simpleChoice></choiceInteraction></itemBody>`,
			map[string]string{"points": "3"}, "scoring_changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := qti.Parse("i.xml", []byte(head+tt.body+"</assessmentItem>"))
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
				if g := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(got[k])); g != want {
					t.Errorf("%s = %s, want %s (question %s)", k, g, want, raw)
				}
			}
			var codes []string
			for _, c := range it.Codes {
				codes = append(codes, string(c))
			}
			if g := strings.Join(codes, ","); g != tt.codes {
				t.Errorf("change codes %q, want %q (%q)", g, tt.codes, it.Changes)
			}
		})
	}
}

package qti_test

import (
	"strings"
	"testing"

	"examhall/content/qti"
)

func FuzzParse(f *testing.F) {
	f.Add(`<assessmentItem identifier="i"><responseDeclaration identifier="R" cardinality="single"><correctResponse><value>A</value></correctResponse></responseDeclaration><itemBody><choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction></itemBody></assessmentItem>`)
	f.Add(`<qti-assessment-item identifier="x"><qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair"><qti-correct-response><qti-value>a 1</qti-value></qti-correct-response></qti-response-declaration><qti-item-body><qti-match-interaction response-identifier="RESPONSE"><qti-simple-match-set><qti-simple-associable-choice identifier="a">A</qti-simple-associable-choice></qti-simple-match-set><qti-simple-match-set><qti-simple-associable-choice identifier="1">1</qti-simple-associable-choice></qti-simple-match-set></qti-match-interaction></qti-item-body></qti-assessment-item>`)
	f.Add(`<assessmentItem><itemBody><p>x<textEntryInteraction responseIdentifier="R"/></p></itemBody></assessmentItem>`)
	f.Add(`<a><b>`)
	f.Add(`<assessmentItem identifier="c"><responseDeclaration identifier="A" cardinality="single" baseType="string"><correctResponse><value>x</value></correctResponse></responseDeclaration><responseDeclaration identifier="B" cardinality="single" baseType="identifier"><correctResponse><value>k</value></correctResponse></responseDeclaration><itemBody><p>a <textEntryInteraction responseIdentifier="A"/> b <inlineChoiceInteraction responseIdentifier="B"><inlineChoice identifier="k">k</inlineChoice><inlineChoice identifier="d">d</inlineChoice></inlineChoiceInteraction></p></itemBody></assessmentItem>`)
	f.Add(`<assessmentItem identifier="g"><responseDeclaration identifier="R" cardinality="multiple" baseType="directedPair"><correctResponse><value>W G1</value></correctResponse></responseDeclaration><itemBody><gapMatchInteraction responseIdentifier="R"><gapText identifier="W" matchMax="1">w</gapText><p>x <gap identifier="G1"/></p></gapMatchInteraction></itemBody></assessmentItem>`)
	f.Add(`<assessmentItem identifier="h"><responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration><itemBody><hotspotInteraction responseIdentifier="R" maxChoices="1"><object data="https://x/y.png" width="10" height="10"/><hotspotChoice identifier="A" shape="circle" coords="5,5,2"/><hotspotChoice identifier="B" shape="default" coords=""/></hotspotInteraction></itemBody></assessmentItem>`)
	f.Add(`<assessmentItem identifier="p"><responseDeclaration identifier="R" cardinality="multiple" baseType="point"><areaMapping><areaMapEntry shape="poly" coords="1,1,5,1,3,4" mappedValue="1"/></areaMapping></responseDeclaration><itemBody><selectPointInteraction responseIdentifier="R"><img src="https://x/y.png" width="9" height="9"/></selectPointInteraction></itemBody></assessmentItem>`)
	f.Add(`<assessmentItem identifier="m"><responseDeclaration identifier="A" cardinality="single" baseType="string"/><responseDeclaration identifier="B" cardinality="multiple" baseType="identifier"><correctResponse><value>x</value></correctResponse></responseDeclaration><itemBody><p>s</p><extendedTextInteraction responseIdentifier="A"/><hottextInteraction responseIdentifier="B"><p><hottext identifier="x">x</hottext> <hottext identifier="y">y</hottext></p></hottextInteraction><uploadInteraction responseIdentifier="C"/></itemBody></assessmentItem>`)
	f.Fuzz(func(t *testing.T, s string) {
		b, err := qti.Parse("f.xml", []byte(s))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.xml") {
				t.Fatalf("error without its file: %v", err)
			}
			return
		}
		for _, it := range b.Items {
			if (it.Question == nil) == (it.Skipped == "") {
				t.Fatalf("%s: question %v, skipped %q", it.Source, it.Question, it.Skipped)
			}
		}
	})
}

func TestParseErrorsName(t *testing.T) {
	tests := []struct{ src, want string }{
		{`<assessmentItem><itemBody></assessmentItem>`, "f.xml:1: malformed XML"},
		{"<assessmentItem>\n<itemBody>\n<p></b>", "f.xml:3: malformed XML"},
		{`<html/>`, "f.xml:1: <html> is neither an assessment item nor a test"},
		{`<assessmentTest/>`, "import the whole content package"},
		{`<?xml version="1.0" encoding="ISO-8859-1"?><assessmentItem/>`, "encoding"},
	}
	for _, tt := range tests {
		_, err := qti.Parse("f.xml", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %q", tt.src, err, tt.want)
		}
	}
}

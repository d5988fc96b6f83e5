package importer_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"examhall"
	"examhall/content/importer"
	"examhall/content/qti"
)

// sectionsRoundTrip has timed and untimed sections, a pool inside a section,
// negative marking at three levels and an answer-any rule.
const sectionsRoundTrip = `{"id": "rt-sec", "title": "Entrance", "duration_seconds": 1500, "allow_negative_total": true,
 "marking": {"correct": 4, "wrong": -1},
 "questions": [
  {"id": "p1", "type": "single", "prompt": "P1", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "a"},
  {"id": "p2", "type": "true_false", "prompt": "P2", "answer": true},
  {"id": "p3", "type": "true_false", "prompt": "P3", "answer": false},
  {"id": "c1", "type": "numeric", "prompt": "C1", "answer": 2, "marking": {"wrong": -2, "unanswered": -0.5}},
  {"id": "c2", "type": "multiple", "prompt": "C2", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}], "answer": ["a", "b"]},
  {"id": "c3", "type": "short_text", "prompt": "C3", "answer": ["x"]}],
 "pools": [{"id": "tf", "draw": 1, "questions": ["p2", "p3"]}],
 "sections": [
  {"id": "phys", "title": "Physics", "instructions": "Timed.", "questions": ["p1", "p2", "p3"], "duration_seconds": 600, "navigation": "forward_only"},
  {"id": "chem", "title": "Chemistry", "questions": ["c1", "c2", "c3"], "answer_any": 2, "answer_any_rule": "first",
   "marking": {"wrong_fraction": -0.5}}]}`

func TestQTIRoundTripSections(t *testing.T) {
	want, err := examhall.ParseExam([]byte(sectionsRoundTrip))
	if err != nil {
		t.Fatal(err)
	}
	zip, err := qti.Export(want, nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := importer.Read("rt.zip", zip)
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Import(files, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Exam
	if res.Report.WithChanges+res.Report.Skipped != 0 || len(res.Report.ExamChanges) != 0 {
		t.Errorf("report %+v", res.Report)
	}
	// Schemes travel with each item (QTI has them in response processing),
	// so the section's and exam's own come back on the questions.
	if diff := cmp.Diff(want.Sections, got.Sections, cmpopts.IgnoreFields(examhall.Section{}, "Marking")); diff != "" {
		t.Errorf("sections differ (-exported +imported):\n%s", diff)
	}
	if got.DurationSeconds != want.DurationSeconds || !got.AllowNegativeTotal || len(got.Pools) != 1 {
		t.Errorf("duration %d, allow negative %v, pools %+v", got.DurationSeconds, got.AllowNegativeTotal, got.Pools)
	}
	// The same responses score the same in both.
	attempt := &examhall.Attempt{ID: "a1", Candidate: "c", Status: examhall.Submitted}
	for _, responses := range []map[string]string{
		{},
		{"p1": `"a"`, "p2": "true", "p3": "true", "c1": "2", "c2": `["a","b"]`, "c3": `"x"`},
		{"p1": `"b"`, "p2": "false", "p3": "true", "c1": "3", "c2": `["c"]`, "c3": `"y"`},
		{"p1": `"b"`, "c2": `["a"]`},
	} {
		answers := map[string]examhall.Answer{}
		for q, r := range responses {
			answers[q] = examhall.Answer{Question: q, Response: json.RawMessage(r), Seq: 1}
		}
		w, g := examhall.Score(want, attempt, answers, nil), examhall.Score(got, attempt, answers, nil)
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("responses %v score differently (-exported +imported):\n%s", responses, diff)
		}
	}
}

// TestQTITestPartsBecomeSections reads a QTI 2.1 test of two test parts,
// the second linear and timed, as an exam of two sections.
func TestQTITestPartsBecomeSections(t *testing.T) {
	item := func(id string) importer.File {
		return importer.File{Name: "items/" + id + ".xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="` + id + `" title="` + id + `" adaptive="false" timeDependent="false">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>a</value></correctResponse></responseDeclaration>
<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
<itemBody><choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="1"><prompt>Pick a</prompt>
<simpleChoice identifier="a">A</simpleChoice><simpleChoice identifier="b">B</simpleChoice></choiceInteraction></itemBody>
<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>`)}
	}
	files := []importer.File{
		{Name: "imsmanifest.xml", Data: []byte(`<?xml version="1.0"?><manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><organizations/><resources>
<resource identifier="t" type="imsqti_test_xmlv2p1" href="test.xml"/>
<resource identifier="i1" type="imsqti_item_xmlv2p1" href="items/i1.xml"/>
<resource identifier="i2" type="imsqti_item_xmlv2p1" href="items/i2.xml"/>
<resource identifier="i3" type="imsqti_item_xmlv2p1" href="items/i3.xml"/></resources></manifest>`)},
		{Name: "test.xml", Data: []byte(`<?xml version="1.0"?><assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="Two parts">
<testPart identifier="verbal" navigationMode="nonlinear" submissionMode="simultaneous">
 <assessmentSection identifier="s1" title="Verbal ability" visible="true">
  <rubricBlock view="candidate"><p>Read each passage.</p></rubricBlock>
  <assessmentItemRef identifier="i1" href="items/i1.xml"/></assessmentSection></testPart>
<testPart identifier="quant" navigationMode="linear" submissionMode="individual">
 <timeLimits maxTime="1200"/>
 <assessmentSection identifier="s2" title="Quantitative" visible="true">
  <assessmentItemRef identifier="i2" href="items/i2.xml"/><assessmentItemRef identifier="i3" href="items/i3.xml"/></assessmentSection></testPart>
</assessmentTest>`)},
		item("i1"), item("i2"), item("i3"),
	}
	res, err := importer.Import(files, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []examhall.Section{
		{ID: "verbal", Title: "Verbal ability", Instructions: "Read each passage.", Questions: []string{"i1"}},
		{ID: "quant", Title: "Quantitative", Questions: []string{"i2", "i3"}, DurationSeconds: 1200, Navigation: examhall.NavForward},
	}
	if diff := cmp.Diff(want, res.Exam.Sections); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if res.Exam.DurationSeconds <= 1200 {
		t.Errorf("duration %d: the untimed section needs time of its own", res.Exam.DurationSeconds)
	}
}

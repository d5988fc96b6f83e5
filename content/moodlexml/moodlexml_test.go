package moodlexml_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"examhall"
	"examhall/content/moodlexml"
)

const sample = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Geography</text></category></question>
  <question type="multichoice">
    <name><text>capital</text></name>
    <questiontext format="html"><text><![CDATA[<p>Capital of France? <img src="@@PLUGINFILE@@/map.png"></p>]]></text>
      <file name="map.png" path="/" encoding="base64">iVBORw0K</file></questiontext>
    <generalfeedback format="html"><text>Paris it is.</text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <single>true</single>
    <answer fraction="100" format="html"><text>Paris</text><feedback format="html"><text>Yes</text></feedback></answer>
    <answer fraction="0" format="html"><text>Lyon</text><feedback format="html"><text></text></feedback></answer>
  </question>
  <question type="multichoice">
    <name><text>continents</text></name>
    <questiontext format="html"><text>Continents?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>Africa</text></answer>
    <answer fraction="50"><text>Asia</text></answer>
    <answer fraction="-100"><text>Paris</text></answer>
  </question>
  <question type="truefalse">
    <name><text>tf</text></name>
    <questiontext format="plain_text"><text>The sun is a star.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>short</text></name>
    <questiontext format="plain_text"><text>Largest planet?</text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100"><text>Jupiter</text></answer>
    <answer fraction="50"><text>Saturn</text></answer>
  </question>
  <question type="numerical">
    <name><text>pi</text></name>
    <questiontext format="plain_text"><text>Pi?</text></questiontext>
    <answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer>
  </question>
  <question type="essay">
    <name><text>essay</text></name>
    <questiontext format="plain_text"><text>Discuss.</text></questiontext>
  </question>
  <question type="matching">
    <name><text>match</text></name>
    <questiontext format="plain_text"><text>Match.</text></questiontext>
    <subquestion format="plain_text"><text>Canada</text><answer><text>Ottawa</text></answer></subquestion>
    <subquestion format="plain_text"><text>Italy</text><answer><text>Rome</text></answer></subquestion>
    <subquestion format="plain_text"><text></text><answer><text>Paris</text></answer></subquestion>
  </question>
  <question type="ordering">
    <name><text>order</text></name>
    <questiontext format="plain_text"><text>Sort.</text></questiontext>
    <answer fraction="1"><text>one</text></answer>
    <answer fraction="2"><text>two</text></answer>
  </question>
  <question type="calculated">
    <name><text>calc</text></name>
    <questiontext format="plain_text"><text>{a}+{b}?</text></questiontext>
  </question>
  <question type="description">
    <name><text>desc</text></name>
    <questiontext format="plain_text"><text>Read this.</text></questiontext>
  </question>
</quiz>`

func TestParse(t *testing.T) {
	b, err := moodlexml.Parse("quiz.xml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"id":"capital","type":"single","prompt":"<p>Capital of France? <img src=\"assets/map.png\"></p>","points":2,"options":[{"id":"a","text":"Paris","feedback":"Yes"},{"id":"b","text":"Lyon"}],"answer":"a","format":"html","feedback":"Paris it is."}`,
		`{"id":"continents","type":"multiple","prompt":"Continents?","points":1,"options":[{"id":"a","text":"Africa"},{"id":"b","text":"Asia"},{"id":"c","text":"Paris"}],"answer":["a","b"],"format":"html","partial_credit":true}`,
		`{"id":"tf","type":"true_false","prompt":"The sun is a star.","points":1,"answer":true}`,
		`{"id":"short","type":"short_text","prompt":"Largest planet?","points":1,"answer":["Jupiter"]}`,
		`{"id":"pi","type":"numeric","prompt":"Pi?","points":1,"answer":3.14,"tolerance":0.01}`,
		`{"id":"essay","type":"essay","prompt":"Discuss.","points":1}`,
		`{"id":"match","type":"match","prompt":"Match.","points":1,"options":[{"id":"a","text":"Canada"},{"id":"b","text":"Italy"}],"answer":{"a":"1","b":"2"},"targets":[{"id":"1","text":"Ottawa"},{"id":"2","text":"Rome"},{"id":"3","text":"Paris"}]}`,
		`{"id":"order","type":"order","prompt":"Sort.","points":1,"options":[{"id":"a","text":"one"},{"id":"b","text":"two"}],"answer":["a","b"]}`,
		`skip: no answer gets full credit`,
		`skip: a description is not a question`,
	}
	if b.Title != "Geography" || len(b.Assets) != 1 || b.Assets[0].Name != "map.png" || b.Assets[0].Type != "image/png" {
		t.Errorf("title %q, assets %+v", b.Title, b.Assets)
	}
	if len(b.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(b.Items), len(want))
	}
	for i, w := range want {
		it := b.Items[i]
		if reason, ok := strings.CutPrefix(w, "skip: "); ok {
			if it.Question != nil || !strings.Contains(it.Skipped, reason) {
				t.Errorf("%s: skipped %q, want %q", it.Source, it.Skipped, reason)
			}
			continue
		}
		if it.Question == nil {
			t.Errorf("%s: skipped: %s", it.Source, it.Skipped)
			continue
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(it.Question)
		if got := strings.TrimSpace(buf.String()); got != w {
			t.Errorf("%s:\ngot  %s\nwant %s", it.Source, got, w)
		}
	}
	if b.Items[3].Source != "quiz.xml:28" || len(b.Items[3].Changes) != 1 {
		t.Errorf("short answer: source %s, changes %v", b.Items[3].Source, b.Items[3].Changes)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"<quiz>\n<question type=\"essay\">\n<name><text>x</name>\n</question></quiz>", "q.xml:3: malformed XML"},
		{"<html><question/></html>", "q.xml:1: the root element is <html>, not <quiz>"},
		{"", "no <quiz> element"},
	}
	for _, tt := range tests {
		_, err := moodlexml.Parse("q.xml", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %q", tt.src, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add(`<quiz><question type="numerical"><answer fraction="100"><text>1e400</text></answer></question></quiz>`)
	f.Fuzz(func(t *testing.T, s string) {
		b, err := moodlexml.Parse("f.xml", []byte(s))
		if err != nil {
			return
		}
		for _, it := range b.Items {
			if (it.Question == nil) == (it.Skipped == "") {
				t.Fatalf("%s: question %v, skipped %q", it.Source, it.Question, it.Skipped)
			}
		}
	})
}

// TestParseFidelity checks that what Moodle exports beside the answers is
// carried or reported: a Moodle 1.9 picture, feedback by outcome, hints,
// the per-question shuffle and the feedback of true/false answers.
func TestParseFidelity(t *testing.T) {
	tests := []struct {
		name, xml string
		want      string // JSON of the question
		codes     string // change codes, joined by ","
	}{
		{"1.9 picture with its data", `<question type="truefalse"><name><text>old</text></name>
  <questiontext format="html"><text>Is it red?</text></questiontext>
  <image>pics/dot.png</image><image_base64>iVBORw0K</image_base64>
  <answer fraction="100"><text>true</text><feedback><text>Yes, red.</text></feedback></answer>
  <answer fraction="0"><text>false</text><feedback><text>Look again.</text></feedback></answer></question>`,
			`{"id":"old","type":"true_false","prompt":"Is it red?<p><img src=\"assets/dot.png\" alt=\"\"></p>","points":1,"answer":true,"format":"html","correct_feedback":"Yes, red.","incorrect_feedback":"Look again."}`, ""},
		{"1.9 picture by path", `<question type="essay"><name><text>p</text></name>
  <questiontext format="html"><text>Describe:</text></questiontext><image>pics/cell.png</image></question>`,
			`{"id":"p","type":"essay","prompt":"Describe:<p><img src=\"pics/cell.png\" alt=\"\"></p>","points":1,"format":"html"}`, ""},
		{"feedback by outcome, hints, no shuffle", `<question type="multichoice"><name><text>fb</text></name>
  <questiontext format="html"><text>Pick</text></questiontext>
  <shuffleanswers>0</shuffleanswers><single>true</single>
  <correctfeedback format="html"><text>Well done.</text></correctfeedback>
  <partiallycorrectfeedback format="html"><text>Partly.</text></partiallycorrectfeedback>
  <incorrectfeedback format="html"><text>No.</text></incorrectfeedback>
  <hint format="html"><text>Think.</text></hint><hint format="html"><text>Harder.</text></hint>
  <answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>`,
			`{"id":"fb","type":"single","prompt":"Pick","points":1,"options":[{"id":"a","text":"a"},{"id":"b","text":"b"}],"answer":"a","format":"html","correct_feedback":"Well done.","partially_correct_feedback":"Partly.","incorrect_feedback":"No."}`, "hints_dropped"},
		{"numerical feedback", `<question type="numerical"><name><text>n</text></name>
  <questiontext format="plain_text"><text>2+2?</text></questiontext>
  <answer fraction="100"><text>4</text><tolerance>0</tolerance><feedback><text>Right.</text></feedback></answer>
  <answer fraction="0"><text>*</text><feedback><text>No.</text></feedback></answer></question>`,
			`{"id":"n","type":"numeric","prompt":"2+2?","points":1,"answer":4,"correct_feedback":"Right.","incorrect_feedback":"No."}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := moodlexml.Parse("q.xml", []byte("<quiz>"+tt.xml+"</quiz>"))
			if err != nil {
				t.Fatal(err)
			}
			it := b.Items[0]
			if it.Question == nil {
				t.Fatalf("skipped: %s", it.Skipped)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(it.Question)
			if got := strings.TrimSpace(buf.String()); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			var codes []string
			for _, c := range it.Codes {
				codes = append(codes, string(c))
			}
			if got := strings.Join(codes, ","); got != tt.codes {
				t.Errorf("change codes %q, want %q (%q)", got, tt.codes, it.Changes)
			}
		})
	}
	b, _ := moodlexml.Parse("q.xml", []byte(`<quiz><question type="multichoice"><name><text>s</text></name><questiontext><text>Q</text></questiontext>
  <shuffleanswers>false</shuffleanswers><answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question></quiz>`))
	if s := b.Items[0].Shuffle; s == nil || *s {
		t.Errorf("shuffleanswers false: item shuffle %v, want false", s)
	}
}

// TestParseGapTypes reads Moodle's cloze (multianswer), select missing
// words (gapselect) and drag and drop into text (ddwtos) questions.
func TestParseGapTypes(t *testing.T) {
	tests := []struct {
		name, xml string
		want      string // JSON of the question, or "skip: reason"
		codes     string
	}{
		{"multianswer", `<question type="multianswer"><name><text>cl</text></name>
  <questiontext format="html"><text><![CDATA[<p>Capital: {2:SHORTANSWER:=Paris#Yes~%50%Lyon} sum: {1:NUMERICAL:=4:0.1} colour: {1:MULTICHOICE:=blue~red~gr\}een}</p>]]></text></questiontext>
  <defaultgrade>4</defaultgrade></question>`,
			`{"id":"cl","type":"cloze","prompt":"<p>Capital: [[g1]] sum: [[g2]] colour: [[g3]]</p>","points":4,"format":"html","partial_credit":true,"gaps":[{"id":"g1","type":"text","answer":["Paris"],"weight":2},{"id":"g2","type":"numeric","answer":4,"tolerance":0.1,"weight":1},{"id":"g3","type":"choice","options":[{"id":"a","text":"blue"},{"id":"b","text":"red"},{"id":"c","text":"gr}een"}],"answer":"a","weight":1}]}`,
			"feedback_dropped,partial_credit_dropped"},
		{"multiresponse gap", `<question type="multianswer"><name><text>mr</text></name>
  <questiontext format="html"><text>Pick {1:MULTIRESPONSE:=a~=b~c}</text></questiontext></question>`,
			"skip: gap 1: an embedded MULTIRESPONSE question has no examhall counterpart", ""},
		{"gapselect", `<question type="gapselect"><name><text>gs</text></name>
  <questiontext format="html"><text>The [[1]] sat on the [[2]].</text></questiontext>
  <selectoption><text>cat</text><group>1</group></selectoption><selectoption><text>mat</text><group>2</group></selectoption>
  <selectoption><text>dog</text><group>1</group></selectoption><selectoption><text>hat</text><group>2</group></selectoption></question>`,
			`{"id":"gs","type":"cloze","prompt":"The [[g1]] sat on the [[g2]].","points":1,"format":"html","partial_credit":true,"gaps":[{"id":"g1","type":"choice","options":[{"id":"c1","text":"cat"},{"id":"c3","text":"dog"}],"answer":"c1","weight":1},{"id":"g2","type":"choice","options":[{"id":"c2","text":"mat"},{"id":"c4","text":"hat"}],"answer":"c2","weight":1}]}`, ""},
		{"ddwtos", `<question type="ddwtos"><name><text>dd</text></name>
  <questiontext format="html"><text>[[1]] is red, [[2]] is yellow.</text></questiontext>
  <dragbox><text>A cherry</text><group>1</group></dragbox><dragbox><text>A banana</text><group>1</group></dragbox><dragbox><text>The sky</text><group>1</group></dragbox></question>`,
			`{"id":"dd","type":"gap_match","prompt":"[[g1]] is red, [[g2]] is yellow.","points":1,"options":[{"id":"c1","text":"A cherry"},{"id":"c2","text":"A banana"},{"id":"c3","text":"The sky"}],"answer":{"g1":"c1","g2":"c2"},"format":"html","partial_credit":true,"gaps":[{"id":"g1"},{"id":"g2"}]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := moodlexml.Parse("q.xml", []byte("<quiz>"+tt.xml+"</quiz>"))
			if err != nil {
				t.Fatal(err)
			}
			it := b.Items[0]
			if reason, ok := strings.CutPrefix(tt.want, "skip: "); ok {
				if it.Question != nil || it.Skipped != reason {
					t.Errorf("skipped %q, want %q", it.Skipped, reason)
				}
				return
			}
			if it.Question == nil {
				t.Fatalf("skipped: %s", it.Skipped)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(it.Question)
			if got := strings.TrimSpace(buf.String()); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			var codes []string
			for _, c := range it.Codes {
				codes = append(codes, string(c))
			}
			if got := strings.Join(codes, ","); got != tt.codes {
				t.Errorf("codes %q, want %q", got, tt.codes)
			}
		})
	}
}

func FuzzMultianswer(f *testing.F) {
	for _, s := range []string{`{1:SA:=a~b}`, `x {2:NUMERICAL:=3:0.1#ok} {1:MC:=a~b\}c~%50%d}`, `{:MCV:~=x}`, `{1:MULTIRESPONSE:=a}`, `{1:SA:}`, `{{1:SA:=a}}`, `\{1:SA:=a\}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := `<quiz><question type="multianswer"><name><text>f</text></name><questiontext format="html"><text><![CDATA[` + strings.ReplaceAll(s, "]]>", "") + `]]></text></questiontext></question></quiz>`
		b, err := moodlexml.Parse("f.xml", []byte(doc))
		if err != nil {
			return
		}
		it := b.Items[0]
		if (it.Question == nil) == (it.Skipped == "") {
			t.Fatalf("question %v, skipped %q", it.Question, it.Skipped)
		}
		if q := it.Question; q != nil {
			e := &examhall.Exam{Title: "t", DurationSeconds: 60, Questions: []examhall.Question{*q}}
			if err := e.Validate(); err != nil && !strings.Contains(err.Error(), "gaps") && !strings.Contains(err.Error(), "prompt") && !strings.Contains(err.Error(), "answer") {
				t.Fatalf("invalid question from %q: %v", s, err)
			}
		}
	})
}

// TestParseCalculated keeps the first variant of Moodle's calculated
// questions, and says so.
func TestParseCalculated(t *testing.T) {
	b, err := moodlexml.Parse("q.xml", []byte(`<quiz><question type="calculated"><name><text>calc</text></name>
  <questiontext format="html"><text>A rectangle is {a} m by {b} m. Its area ({=2*2} sides?) in m²?</text></questiontext>
  <answer fraction="100"><text>{a} * {b}</text><tolerance>0.01</tolerance><tolerancetype>1</tolerancetype><feedback><text>Right.</text></feedback></answer>
  <dataset_definitions>
   <dataset_definition><name><text>a</text></name><dataset_items><dataset_item><number>2</number><value>7</value></dataset_item><dataset_item><number>1</number><value>2.5</value></dataset_item></dataset_items></dataset_definition>
   <dataset_definition><name><text>b</text></name><dataset_items><dataset_item><number>1</number><value>4</value></dataset_item><dataset_item><number>2</number><value>3</value></dataset_item></dataset_items></dataset_definition>
  </dataset_definitions></question>
  <question type="calculatedmulti"><name><text>cm</text></name><questiontext format="html"><text>{x} squared?</text></questiontext>
  <single>1</single><answer fraction="100"><text>{={x}*{x}}</text></answer><answer fraction="0"><text>{={x}*2}</text></answer>
  <dataset_definitions><dataset_definition><name><text>x</text></name><dataset_items><dataset_item><number>1</number><value>3</value></dataset_item></dataset_items></dataset_definition></dataset_definitions></question></quiz>`))
	if err != nil {
		t.Fatal(err)
	}
	q := b.Items[0].Question
	if q == nil || q.Type != "numeric" || string(q.Answer) != "10" || q.Tolerance != 0.1 || q.Prompt != "A rectangle is 2.5 m by 4 m. Its area (4 sides?) in m²?" {
		t.Fatalf("calculated: %+v (%s)", q, b.Items[0].Skipped)
	}
	if c := b.Items[0].Codes; len(c) != 1 || c[0] != "variants_reduced" {
		t.Errorf("codes %v", c)
	}
	m := b.Items[1].Question
	if m == nil || m.Type != "single" || m.Options[0].Text != "9" || m.Options[1].Text != "6" || string(m.Answer) != `"a"` {
		t.Errorf("calculatedmulti: %+v (%s)", m, b.Items[1].Skipped)
	}
}

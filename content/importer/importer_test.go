package importer_test

import (
	"strings"
	"testing"

	"examhall/content/importer"
)

func TestDetect(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"examhall", `{"title": "T", "questions": []}`, importer.Examhall},
		{"gift", "::t::Q{T}", importer.GIFT},
		{"gift comment first", "// c\nQ{=a ~b}", importer.GIFT},
		{"aiken", "Q?\nA. x\nB) y\nANSWER: A\n", importer.Aiken},
		{"moodle xml", `<?xml version="1.0"?><quiz><question type="truefalse"/></quiz>`, importer.MoodleXML},
		{"qti 2.1 item", `<?xml version="1.0"?><assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"/>`, importer.QTI},
		{"qti 3 item", `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"/>`, importer.QTI},
		{"manifest", `<manifest/>`, importer.QTI},
		{"other xml", `<html/>`, ""},
		{"text", "hello", ""},
		{"empty", "  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := importer.Detect([]byte(tt.data)); got != tt.want {
				t.Errorf("Detect = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestImportReportsEveryItem(t *testing.T) {
	files := []importer.File{
		{Name: "a.gift", Data: []byte("::dup::Q1{T}\n\n::dup::Q2{F}\n\n::bad id!::Q3{=x ~y}\n\nQ4 {#1..}\n")},
	}
	res, err := importer.Import(files, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if r.Imported != 2 || r.WithChanges != 1 || r.Skipped != 1 || len(r.Items) != 4 || len(res.Exam.Questions) != 3 {
		t.Fatalf("report %+v", r)
	}
	ids := []string{}
	for _, q := range res.Exam.Questions {
		ids = append(ids, q.ID)
	}
	if strings.Join(ids, ",") != "dup,q2,bad-id" {
		t.Errorf("ids %v", ids)
	}
	if c := r.Items[1].Changes; len(c) != 1 || !strings.Contains(c[0], `id "dup" is used by another item; this one is "q2"`) {
		t.Errorf("changes of the duplicate: %v", c)
	}
	if r.Items[3].Status != importer.Skipped || !strings.Contains(r.Items[3].Reason, `"1.." is not a number`) {
		t.Errorf("skipped item: %+v", r.Items[3])
	}
	if r.Title != "a" || r.ExamChanges[0] != "duration_seconds: 3600 (the source sets no time limit)" {
		t.Errorf("title %q, exam changes %v", r.Title, r.ExamChanges)
	}
}

var pngData = []byte("\x89PNG\r\n\x1a\n{binary}\x00\xff")

// TestImportFolders reads folders and zips whose content files sit beside
// images: images are kept and texts that show them point at them, QTI
// files without a manifest are read together, and the format flag never
// makes an image parse as content.
func TestImportFolders(t *testing.T) {
	qtiItem := func(id, img string) string {
		return `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="` + id + `" title="` + id + `">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>
<itemBody><p>See <img src="` + img + `" alt="dot"/></p><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1"><simpleChoice identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice></choiceInteraction></itemBody></assessmentItem>`
	}
	tests := []struct {
		name   string
		format string
		files  []importer.File
		want   []string // per question: its prompt contains this
		assets []string
		codes  []string // change codes of the items, joined by "," per item
	}{
		{"gift beside an image", "", []importer.File{
			{Name: "bank/q.gift", Data: []byte(`[html]<p>Which? <img src="img/dot.png" alt="a dot"></p>{=a ~b}` + "\n\n" + `[html]<p>Gone <img src="missing.png" alt="lost"></p>{=a ~b}`)},
			{Name: "bank/img/dot.png", Data: pngData}},
			[]string{`<img src="assets/bank-img-dot.png" alt="a dot">`, "[lost]"}, []string{"bank-img-dot.png"}, []string{"", "image_missing"}},
		{"format named, image ignored by it", "gift", []importer.File{
			{Name: "q.gift", Data: []byte(`Q{T}`)}, {Name: "pic.jpg", Data: pngData}},
			[]string{"Q"}, []string{"pic.jpg"}, []string{""}},
		{"qti items without a manifest", "", []importer.File{
			{Name: "items/a.xml", Data: []byte(qtiItem("a", "../media/dot.png"))},
			{Name: "items/b.xml", Data: []byte(qtiItem("b", "../media/dot.png"))},
			{Name: "media/dot.png", Data: pngData}},
			[]string{`assets/media-dot.png`, `assets/media-dot.png`}, []string{"media-dot.png"}, []string{"", ""}},
		{"qti test without a manifest", "", []importer.File{
			{Name: "test.xml", Data: []byte(`<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="Folder test"><testPart identifier="p" navigationMode="linear" submissionMode="individual">
<assessmentSection identifier="s" title="s" visible="true"><assessmentItemRef identifier="b" href="items/b.xml"/><assessmentItemRef identifier="a" href="items/a.xml"/></assessmentSection></testPart></assessmentTest>`)},
			{Name: "items/a.xml", Data: []byte(qtiItem("a", "../media/dot.png"))},
			{Name: "items/b.xml", Data: []byte(qtiItem("b", "../media/gone.png"))},
			{Name: "items/c.xml", Data: []byte(qtiItem("c", "../media/dot.png"))},
			{Name: "media/dot.png", Data: pngData}},
			[]string{"See", `assets/media-dot.png`}, []string{"media-dot.png"}, []string{"image_missing", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := importer.Import(tt.files, importer.Options{Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Exam.Questions) != len(tt.want) {
				t.Fatalf("%d questions, want %d: %+v", len(res.Exam.Questions), len(tt.want), res.Report)
			}
			for i, w := range tt.want {
				if p := res.Exam.Questions[i].Prompt; !strings.Contains(p, w) {
					t.Errorf("question %d prompt %q lacks %q", i, p, w)
				}
			}
			var names []string
			for _, a := range res.Assets {
				names = append(names, a.Name)
			}
			if strings.Join(names, ",") != strings.Join(tt.assets, ",") {
				t.Errorf("assets %v, want %v", names, tt.assets)
			}
			for i, w := range tt.codes {
				var got []string
				for _, c := range res.Report.Items[i].ChangeCodes {
					got = append(got, string(c))
				}
				if g := strings.Join(got, ","); g != w && !(res.Report.Items[i].Status == importer.Skipped && w == "unused_item") {
					t.Errorf("item %d (%s) codes %q, want %q", i, res.Report.Items[i].Source, g, w)
				}
			}
		})
	}
}

// TestImportUnusedItem reports an item file a folder's test does not use.
func TestImportUnusedItem(t *testing.T) {
	files := []importer.File{
		{Name: "test.xml", Data: []byte(`<assessmentTest identifier="t" title="T"><testPart identifier="p"><assessmentSection identifier="s" title="s"><assessmentItemRef identifier="a" href="a.xml"/></assessmentSection></testPart></assessmentTest>`)},
		{Name: "a.xml", Data: []byte(`<assessmentItem identifier="a"><itemBody><extendedTextInteraction responseIdentifier="R"/></itemBody><responseDeclaration identifier="R" cardinality="single" baseType="string"/></assessmentItem>`)},
		{Name: "b.xml", Data: []byte(`<assessmentItem identifier="b"><itemBody><extendedTextInteraction responseIdentifier="R"/></itemBody><responseDeclaration identifier="R" cardinality="single" baseType="string"/></assessmentItem>`)},
	}
	res, err := importer.Import(files, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if r.Title != "T" || r.Imported != 1 || r.Skipped != 1 || r.Items[1].ReasonCode != "unused_item" {
		t.Errorf("report %+v", r)
	}
}

// TestReportCodes checks the report's machine-readable side: a code for
// every change and skip, markup the sanitiser removes named, and exact
// true only when nothing of the source was changed or left out.
func TestReportCodes(t *testing.T) {
	tests := []struct {
		name, src string
		codes     []string // per item: change codes joined by ",", or "skip:CODE"
		exact     bool
	}{
		{"exact", "::a::Q1{T}\n\n::b::Q2{=x ~y}\n", []string{"", ""}, true},
		{"markup removed", `[html]<p style="color:red" onclick="x()">Q<script>alert(1)</script></p>{=a ~b}`,
			[]string{"markup_removed"}, false},
		{"skipped and changed", "Text only.\n\nQ{=x =%50%y}\n", []string{"skip:not_a_question", "partial_credit_dropped"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := importer.Import([]importer.File{{Name: "t.gift", Data: []byte(tt.src)}}, importer.Options{Format: "gift"})
			if err != nil {
				t.Fatal(err)
			}
			r := res.Report
			for i, w := range tt.codes {
				it := r.Items[i]
				got := ""
				if it.Status == importer.Skipped {
					got = "skip:" + string(it.ReasonCode)
				} else {
					var cs []string
					for _, c := range it.ChangeCodes {
						cs = append(cs, string(c))
					}
					got = strings.Join(cs, ",")
					if len(it.ChangeCodes) != len(it.Changes) {
						t.Errorf("item %d: %d codes for %d changes", i, len(it.ChangeCodes), len(it.Changes))
					}
				}
				if got != w {
					t.Errorf("item %d: %q, want %q (%+v)", i, got, w, it)
				}
			}
			if r.Exact != tt.exact {
				t.Errorf("exact %v, want %v", r.Exact, tt.exact)
			}
			if len(r.ExamChangeCodes) != len(r.ExamChanges) || r.ExamChangeCodes[0] != "default_duration" {
				t.Errorf("exam changes %q codes %q", r.ExamChanges, r.ExamChangeCodes)
			}
		})
	}
	res, _ := importer.Import([]importer.File{{Name: "t.gift", Data: []byte(`[html]<p style="x" onclick="y">Q<script>z</script></p>{=a ~b}`)}}, importer.Options{})
	if c := res.Report.Items[0].Changes; len(c) != 1 || !strings.Contains(c[0], "<script>, event handlers, style attributes") {
		t.Errorf("markup change %q", c)
	}
}

// TestImportTeX turns TeX in GIFT, Aiken and Moodle XML into MathML.
func TestImportTeX(t *testing.T) {
	tests := []struct{ name, file, src, want, code string }{
		{"gift text", "q.gift", `What is \(\frac\{1\}\{6\}\) of 6?{#1}`, `<mfrac><mn>1</mn><mn>6</mn></mfrac>`, ""},
		{"gift unknown command", "q.gift", `Is $$\weird x$$ ok?{T}`, `<merror><mtext>\weird</mtext></merror>`, "math_unconverted"},
		{"aiken", "q.txt", "Which is \\(\\sqrt{4}\\)?\nA. 2\nB. 3\nANSWER: A\n", `<msqrt><mn>4</mn></msqrt>`, ""},
		{"moodle html", "q.xml", `<quiz><question type="truefalse"><name><text>m</text></name><questiontext format="html"><text><![CDATA[<p>\( x &lt; 1 \)</p>]]></text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`, `<mi>x</mi><mo>&lt;</mo><mn>1</mn>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := importer.Import([]importer.File{{Name: tt.file, Data: []byte(tt.src)}}, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			q := res.Exam.Questions[0]
			if q.Format != "html" || !strings.Contains(q.Prompt, tt.want) {
				t.Errorf("format %q prompt %s, want %s", q.Format, q.Prompt, tt.want)
			}
			if c := res.Report.Items[0].ChangeCodes; tt.code == "" && len(c) > 0 || tt.code != "" && (len(c) != 1 || string(c[0]) != tt.code) {
				t.Errorf("codes %v, want %q", c, tt.code)
			}
		})
	}
}

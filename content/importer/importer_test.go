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

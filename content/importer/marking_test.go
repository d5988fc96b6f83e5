package importer_test

import (
	"encoding/json"
	"strings"
	"testing"

	"examhall"
	"examhall/content/importer"
)

// TestImportMarking gives a GIFT or Aiken bank a marking scheme, and reads
// Moodle's negative fractions as a question's penalty.
func TestImportMarking(t *testing.T) {
	m, err := examhall.ParseMarking("4,-1,0")
	if err != nil {
		t.Fatal(err)
	}
	gift := importer.File{Name: "q.gift", Data: []byte("::q1:: 2+2? {=4 ~3 ~5}\n")}
	res, err := importer.Import([]importer.File{gift}, importer.Options{Marking: m})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Exam.Marking; got == nil || *got.Correct != 4 || *got.Wrong != -1 || res.Exam.Questions[0].Points != 4 {
		t.Errorf("GIFT with --marking: marking %+v, points %v", got, res.Exam.Questions[0].Points)
	}
	aiken := importer.File{Name: "q.txt", Data: []byte("Two plus two?\nA. 3\nB. 4\nANSWER: B\n")}
	if res, err = importer.Import([]importer.File{aiken}, importer.Options{Format: importer.Aiken, Marking: m}); err != nil || res.Exam.Marking == nil {
		t.Errorf("Aiken with --marking: %v %+v", err, res)
	}
	doc := importer.File{Name: "e.json", Data: []byte(`{"title": "t", "duration_seconds": 60, "questions": [{"id": "q", "type": "true_false", "answer": true}]}`)}
	if _, err := importer.Import([]importer.File{doc}, importer.Options{Marking: m}); examhall.ErrorCode(err) != examhall.EBadRequest {
		t.Errorf("an examhall document with --marking: %v, want bad_request", err)
	}

	moodle := `<quiz><question type="multichoice"><name><text>neg</text></name><questiontext><text>Q</text></questiontext>
<single>true</single>
<answer fraction="100"><text>right</text></answer>
<answer fraction="-25"><text>wrong 1</text></answer>
<answer fraction="-50"><text>wrong 2</text></answer></question></quiz>`
	res, err = importer.Import([]importer.File{{Name: "q.xml", Data: []byte(moodle)}}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := res.Exam.Questions[0]
	if q.Marking == nil || q.Marking.WrongFraction == nil || *q.Marking.WrongFraction != -0.5 {
		t.Errorf("Moodle negative fractions: marking %+v", q.Marking)
	}
	b, _ := json.Marshal(res.Report.Items[0])
	if !strings.Contains(string(b), "costs 50%") {
		t.Errorf("the report does not tell the penalty changed: %s", b)
	}

	for _, bad := range []string{"4", "4,1", "x,-1", "4,-1,0,0", "4,-200%"} {
		if _, err := examhall.ParseMarking(bad); examhall.ErrorCode(err) != examhall.EBadRequest {
			t.Errorf("ParseMarking(%q) = %v, want bad_request", bad, err)
		}
	}
	if m, err := examhall.ParseMarking("1,-25%"); err != nil || *m.WrongFraction != -0.25 {
		t.Errorf("ParseMarking(1,-25%%) = %+v, %v", m, err)
	}
}

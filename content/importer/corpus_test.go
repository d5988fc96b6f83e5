package importer_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"examhall"
	"examhall/content"
	"examhall/content/importer"
	"examhall/content/qti"
)

// corpus are the banks of testdata/corpus, written for these tests in the
// ways real banks are written (see docs/content.md), with the report each
// must give: items imported exactly, with changes, skipped.
var corpus = []struct {
	dir                        string
	imported, changed, skipped int
}{
	{"gift", 23, 8, 1},
	{"aiken", 6, 0, 2},
	{"moodle", 8, 8, 3},
	{"qti21", 11, 7, 1},
	{"qti3", 6, 1, 1},
}

// TestCorpus imports each bank of the corpus: every item is imported,
// or skipped with a reason code; every change has a code; fewer than one
// item in ten is skipped over the corpus; and each imported exam exports
// to QTI 3.0 and back to the same exam.
func TestCorpus(t *testing.T) {
	var total, skipped int
	for _, c := range corpus {
		t.Run(c.dir, func(t *testing.T) {
			files, err := importer.ReadPath(filepath.Join("testdata", "corpus", c.dir))
			if err != nil {
				t.Fatal(err)
			}
			res, err := importer.Import(files, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := res.Report
			total += len(r.Items)
			skipped += r.Skipped
			if r.Imported != c.imported || r.WithChanges != c.changed || r.Skipped != c.skipped {
				t.Errorf("%d imported, %d with changes, %d skipped; want %d, %d, %d", r.Imported, r.WithChanges, r.Skipped, c.imported, c.changed, c.skipped)
			}
			for _, it := range r.Items {
				switch {
				case it.Status == importer.Skipped && (it.ReasonCode == "" || it.Reason == ""):
					t.Errorf("%s: skipped without a reason code: %+v", it.Source, it)
				case len(it.ChangeCodes) != len(it.Changes):
					t.Errorf("%s: %d changes, %d codes", it.Source, len(it.Changes), len(it.ChangeCodes))
				}
			}
			roundTrip(t, res)
		})
	}
	if skipped*10 >= total {
		t.Errorf("%d of %d items skipped: not fewer than one in ten", skipped, total)
	}
	t.Logf("corpus: %d items, %d skipped", total, skipped)
}

// roundTrip exports an imported exam and imports it again.
func roundTrip(t *testing.T, res *importer.Result) {
	t.Helper()
	zip, err := qti.Export(res.Exam, res.Assets)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	files, _ := importer.Read("x.zip", zip)
	again, err := importer.Import(files, importer.Options{})
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	want, _ := json.Marshal(res.Exam.Questions)
	got, _ := json.Marshal(again.Exam.Questions)
	if string(got) != string(want) || !again.Report.Exact {
		t.Errorf("the exported exam does not import back the same:\n got  %s\n want %s\n report %+v", got, want, again.Report)
	}
}

// TestCorpusFidelity checks constructs of the corpus that were lost or
// changed without a word before: each is carried now.
func TestCorpusFidelity(t *testing.T) {
	load := func(dir string) *examhall.Exam {
		files, _ := importer.ReadPath(filepath.Join("testdata", "corpus", dir))
		res, err := importer.Import(files, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Exam
	}
	q21, q3, gift, moodle := load("qti21"), load("qti3"), load("gift"), load("moodle")
	grade := func(e *examhall.Exam, id, response string) float64 {
		q, ok := e.Question(id)
		if !ok {
			t.Fatalf("no question %s", id)
		}
		a, err := examhall.CheckAnswer(q, examhall.Answer{Question: id, Response: json.RawMessage(response)})
		if err != nil {
			t.Fatalf("%s %s: %v", id, response, err)
		}
		p, _ := examhall.Grade(q, a.Response)
		return p
	}
	question := func(e *examhall.Exam, id string) *examhall.Question {
		q, ok := e.Question(id)
		if !ok {
			t.Fatalf("no question %s", id)
		}
		return q
	}
	if grade(q21, "numeric-relative", "4.1") != 1 || grade(q21, "numeric-relative", "4.5") != 0 {
		t.Error("the relative tolerance of 5% was not kept")
	}
	if q := question(q21, "choice-onyx"); !strings.Contains(q.CorrectFeedback, "Richtig") || !strings.Contains(q.IncorrectFeedback, "Leider") || q.Feedback != "" {
		t.Errorf("feedback kinds were merged: %+v", q)
	}
	if q := question(q21, "mathml-choice"); !strings.Contains(q.Prompt, "<math><mfrac><mn>1</mn><mn>6</mn></mfrac></math>") || !strings.Contains(q.Options[1].Text, "<msqrt>") {
		t.Errorf("MathML was not kept: %s %+v", q.Prompt, q.Options)
	}
	if q := question(q21, "match-points"); q.Points != 4 {
		t.Errorf("the match worth 4 by its mapping is worth %v", q.Points)
	}
	if q := question(gift, "frac"); !strings.Contains(q.Prompt, "<mfrac><mn>1</mn><mn>2</mn></mfrac>") {
		t.Errorf("GIFT TeX was not converted: %s", q.Prompt)
	}
	if q := question(gift, "diagram"); !strings.Contains(q.Prompt, `src="assets/img-atom.png"`) {
		t.Errorf("the image beside the GIFT file was not used: %s", q.Prompt)
	}
	if q := question(gift, "boil"); q.CorrectFeedback != "Exactly." || q.Feedback != "Water boils at 100 °C at 1 atm." {
		t.Errorf("GIFT numeric feedback: %+v", q)
	}
	if q := question(moodle, "old-picture"); !strings.Contains(q.Prompt, `<img src="assets/africa.png"`) {
		t.Errorf("the Moodle 1.9 picture was lost: %s", q.Prompt)
	}
	if q := question(moodle, "all-above"); q.Shuffle == nil || *q.Shuffle {
		t.Errorf("shuffleanswers 0 was lost: %v", q.Shuffle)
	}
	if q := question(moodle, "cloze-europe"); q.Type != examhall.Cloze || len(q.Gaps) != 3 || q.Gaps[1].Weight != 2 {
		t.Errorf("Moodle cloze: %+v", q)
	}
	if grade(q3, "q-rounded", "2.74") != 1 {
		t.Error("the answer rounded to two figures was not accepted")
	}
	if q := question(q3, "q-hotspot"); q.Image == nil || q.Image.Src != "assets/cell.png" || len(q.Options) != 2 {
		t.Errorf("QTI 3 hotspot: %+v", q)
	}
}

// TestSharedCorpora imports the real banks kept beside the repository
// (../shared/corpora): fewer than one item in ten skipped, every skip and
// change with a code.
func TestSharedCorpora(t *testing.T) {
	dir := content.CorporaDir()
	if dir == "" {
		t.Skip("corpora folder not found (set EXAMHALL_CORPORA); skipping the shared corpora")
	}
	var total, skipped, changed int
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".gift") || strings.HasSuffix(p, ".xml") && !strings.Contains(p, "test_qti")) {
			return nil
		}
		files, _ := importer.ReadPath(p)
		res, err := importer.Import(files, importer.Options{})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		for _, it := range res.Report.Items {
			total++
			if it.Status == importer.Skipped {
				skipped++
				if it.ReasonCode == "" {
					t.Errorf("%s: skipped without a code", it.Source)
				}
			}
			if len(it.ChangeCodes) > 0 {
				changed++
			}
		}
		return nil
	})
	t.Logf("shared corpora: %d items, %d with changes, %d skipped", total, changed, skipped)
	if total == 0 || skipped*10 >= total {
		t.Errorf("%d of %d items skipped: not fewer than one in ten", skipped, total)
	}
}

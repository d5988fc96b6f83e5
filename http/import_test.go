package http_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/content/importer"
	"examhall/examhalltest"
)

const importGIFT = `$CATEGORY: Geography

::capital::What is the capital of France?{=Paris =paris city}

::pair::Match the countries with their capitals.{
  =Canada -> Ottawa
  =Italy -> Rome
  = -> Paris
}

::pick::[html]<p>Pick the <b>continents</b><script>x()</script> <img src="assets/map.png"></p>{
  ~%50%Africa ~%50%Asia ~%-100%China
}

A description, not a question.

::tf::The sun is a star.{T}
`

type importAnswer struct {
	ID     string           `json:"id"`
	Report *importer.Report `json:"report"`
}

func TestImportGIFTThenSit(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	r := srv.Do(t, "POST", "/api/v1/admin/import?name=geo.gift&id=geo", staff.Token, importGIFT)
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var out importAnswer
	r.Decode(t, &out)
	rep := out.Report
	if out.ID != "geo" || rep.Format != "gift" || rep.Title != "Geography" || rep.Imported != 3 || rep.WithChanges != 1 || rep.Skipped != 1 {
		t.Fatalf("report: %s", r.Body)
	}
	statuses := []string{}
	for _, it := range rep.Items {
		statuses = append(statuses, it.Source+" "+it.Status)
	}
	want := []string{"geo.gift:3 imported", "geo.gift:5 imported", "geo.gift:11 imported_with_changes", "geo.gift:15 skipped", "geo.gift:17 imported"}
	if strings.Join(statuses, ", ") != strings.Join(want, ", ") {
		t.Errorf("items: %v\nwant %v", statuses, want)
	}
	if got := rep.Items[3].Reason; !strings.Contains(got, "description") {
		t.Errorf("skipped reason %q", got)
	}

	// The exam is stored, sanitised, and a candidate can sit it.
	var doc examhall.Exam
	srv.Do(t, "GET", "/api/v1/admin/exams/geo", staff.Token, nil).Decode(t, &doc)
	pick := doc.Questions[2]
	if pick.Format != "html" || strings.Contains(pick.Prompt, "script") || !strings.Contains(pick.Prompt, `src="assets/map.png"`) {
		t.Errorf("html prompt %q", pick.Prompt)
	}
	codes := examhalltest.MustIssue(t, staff, "geo", 1)
	// An import is a draft, closed until staff open it.
	r = srv.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": "geo", "candidate": codes[0].Candidate, "code": codes[0].Code})
	if r.Status != http.StatusForbidden || r.Code() != examhall.EExamNotOpen {
		t.Fatalf("login to a draft: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "PUT", "/api/v1/admin/exams/geo/window", staff.Token, map[string]any{"opens_at": nil, "closes_at": nil}); r.Status != http.StatusOK {
		t.Fatalf("opening: %d %s", r.Status, r.Body)
	}
	c, login := srv.MustLogin(t, "geo", codes[0])
	paper, err := c.Paper(context.Background(), login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range paper.Questions {
		if q.ID == "pair" && len(q.Targets) != 3 {
			t.Errorf("match question on the paper has targets %v", q.Targets)
		}
	}
	answers := []examhall.Answer{
		{Question: "capital", Response: json.RawMessage(`"Paris"`), Seq: 1},
		{Question: "pair", Response: json.RawMessage(`{"a": "1", "b": "3"}`), Seq: 1},
		{Question: "pick", Response: json.RawMessage(`["a"]`), Seq: 1},
		{Question: "tf", Response: json.RawMessage(`true`), Seq: 1},
	}
	if _, err := c.Submit(context.Background(), login.Attempt, answers); err != nil {
		t.Fatal(err)
	}
	res, err := staff.Results(context.Background(), "geo")
	if err != nil {
		t.Fatal(err)
	}
	// capital 1 + pair 0 (one pair wrong, no partial credit) + pick 0.5
	// (one of two keyed options) + tf 1.
	if got := res.Results[0].Score; got != 2.5 {
		t.Errorf("score %v, want 2.5: %+v", got, res.Results[0].Questions)
	}
}

func TestImportDryRunStoresNothing(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	r := srv.Do(t, "POST", "/api/v1/admin/import?dry_run=1&id=dry", staff.Token, "Q1?\nA. yes\nB. no\nANSWER: A\n")
	if r.Status != http.StatusOK {
		t.Fatalf("dry run: %d %s", r.Status, r.Body)
	}
	var out importAnswer
	r.Decode(t, &out)
	if out.ID != "" || !out.Report.DryRun || out.Report.Format != "aiken" || out.Report.Imported != 1 {
		t.Errorf("dry run answer %s", r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/exams/dry", staff.Token, nil); r.Status != http.StatusNotFound {
		t.Errorf("dry run stored the exam: %d", r.Status)
	}
}

func TestImportBadInput(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	tests := []struct {
		name, query, body string
		status            int
		code, msg         string
	}{
		{"empty", "", "", 400, "bad_request", "body is empty"},
		{"unknown format", "?format=docx", "x", 400, "bad_request", `"docx" is not a format`},
		{"undetectable", "", "just some words", 400, "bad_request", "format could not be told"},
		{"malformed gift", "?name=bad.gift", "Q1{=a ~b}\n\nQ2{=a\n", 400, "bad_request", "bad.gift:3: the answer block opened here is never closed"},
		{"bad dry_run", "?dry_run=maybe", "Q{T}", 400, "bad_request", "dry_run"},
		{"nothing importable", "", "Just text {~a ~b}", 400, "bad_request", "No item could be imported"},
		{"bad id", "?id=no%20spaces", "Q{T}", 400, "bad_request", "not a valid id"},
		{"bad zip", "", "PK\x03\x04garbage", 400, "bad_request", "zip archive cannot be read"},
		{"bad exam document", "", `{"title": "T", "questions": [{"id": "q", "type": "single", "answr": 1}]}`, 400, "bad_request", "questions[0].answr: unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := srv.Do(t, "POST", "/api/v1/admin/import"+tt.query, staff.Token, tt.body)
			var e struct {
				Error struct{ Code, Message string }
			}
			json.Unmarshal(r.Body, &e)
			if r.Status != tt.status || e.Error.Code != tt.code || !strings.Contains(e.Error.Message, tt.msg) {
				t.Errorf("%d %s, want %d %s containing %q", r.Status, r.Body, tt.status, tt.code, tt.msg)
			}
		})
	}
	if r := srv.Do(t, "POST", "/api/v1/admin/import", "", "Q{T}"); r.Status != 401 || r.Code() != "unauthorized" {
		t.Errorf("import without a token: %d %s", r.Status, r.Body)
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportZipWithImage(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	png := "\x89PNG\r\n\x1a\nfake image"
	body := zipOf(t, map[string]string{
		"quiz/geo.gift":    "::q1::[html]<p>Where?</p><img src=\"assets/quiz-map.png\">{=Here ~There}",
		"quiz/more.txt":    "Which?\nA. this\nB. that\nANSWER: B\n",
		"quiz/map.png":     png,
		"quiz/notes.bin":   "\x00\x01",
		".hidden/ignored":  "x",
		"__MACOSX/foo.png": "x",
	})
	r := srv.Do(t, "POST", "/api/v1/admin/import?id=zipped&title=Zipped", staff.Token, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var out importAnswer
	r.Decode(t, &out)
	if out.Report.Format != "gift+aiken" || out.Report.Imported != 2 || len(out.Report.Files) != 2 {
		t.Errorf("report %s", r.Body)
	}
	// Not open yet: only staff see the image.
	when := srv.Clock.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	if r := srv.Do(t, "PUT", "/api/v1/admin/exams/zipped/window", staff.Token, `{"opens_at": "`+when+`"}`); r.Status != 200 {
		t.Fatalf("window: %d %s", r.Status, r.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/exams/zipped/assets/quiz-map.png", "", nil); r.Status != 403 || r.Code() != "forbidden" {
		t.Errorf("asset before opening, no token: %d %s", r.Status, r.Body)
	}
	r = srv.Do(t, "GET", "/api/v1/exams/zipped/assets/quiz-map.png", staff.Token, nil)
	if r.Status != 200 || string(r.Body) != png || r.Header.Get("Content-Type") != "image/png" {
		t.Errorf("asset for staff: %d %q %s", r.Status, r.Body, r.Header.Get("Content-Type"))
	}
	srv.Clock.Advance(2 * time.Hour)
	if r := srv.Do(t, "GET", "/api/v1/exams/zipped/assets/quiz-map.png", "", nil); r.Status != 200 {
		t.Errorf("asset once open: %d %s", r.Status, r.Body)
	}
	for _, p := range []string{"/api/v1/exams/zipped/assets/nope.png", "/api/v1/exams/zipped/assets/..%2Fsecret", "/api/v1/exams/none/assets/quiz-map.png"} {
		if r := srv.Do(t, "GET", p, "", nil); r.Status != 404 || r.Code() != "not_found" {
			t.Errorf("GET %s: %d %s", p, r.Status, r.Body)
		}
	}
}

// TestExportReimport exports an imported exam with its image as QTI 3.0
// and imports the package again: the same questions and image come back.
func TestExportReimport(t *testing.T) {
	t.Parallel()
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	body := zipOf(t, map[string]string{
		"q.gift":  "::q1::[html]<p>Where?<img src=\"assets/map.png\" alt=\"map\"></p>{=Here#yes ~There}\n\n::q2::Order?{=a -> 1 =b -> 2}\n",
		"map.png": "\x89PNG map",
	})
	if r := srv.Do(t, "POST", "/api/v1/admin/import?id=orig", staff.Token, body); r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	r := srv.Do(t, "GET", "/api/v1/admin/exams/orig/export", staff.Token, nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/zip" || !bytes.HasPrefix(r.Body, []byte("PK")) {
		t.Fatalf("export: %d %s %.100q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	r = srv.Do(t, "POST", "/api/v1/admin/import?id=copy", staff.Token, r.Body)
	if r.Status != http.StatusCreated {
		t.Fatalf("re-import: %d %s", r.Status, r.Body)
	}
	var orig, cp examhall.Exam
	srv.Do(t, "GET", "/api/v1/admin/exams/orig", staff.Token, nil).Decode(t, &orig)
	srv.Do(t, "GET", "/api/v1/admin/exams/copy", staff.Token, nil).Decode(t, &cp)
	a, _ := json.Marshal(orig.Questions)
	b, _ := json.Marshal(cp.Questions)
	if !bytes.Equal(a, b) || orig.Title != cp.Title || orig.DurationSeconds != cp.DurationSeconds {
		t.Errorf("re-imported exam differs:\n%s\n%s", a, b)
	}
	img := srv.Do(t, "GET", "/api/v1/exams/copy/assets/map.png", "", nil)
	if img.Status != 200 || string(img.Body) != "\x89PNG map" {
		t.Errorf("image of the copy: %d %q", img.Status, img.Body)
	}
	if r := srv.Do(t, "GET", "/api/v1/admin/exams/none/export", staff.Token, nil); r.Status != 404 || r.Code() != "not_found" {
		t.Errorf("export of no exam: %d %s", r.Status, r.Body)
	}
}

// TestImportNothingImportable answers a dry run as the import: 400, with
// the report saying why each item was skipped.
func TestImportNothingImportable(t *testing.T) {
	srv := examhalltest.New(t, examhalltest.Options{})
	staff := srv.Staff(t)
	for _, dry := range []string{"1", "0"} {
		r := srv.Do(t, "POST", "/api/v1/admin/import?format=gift&dry_run="+dry, staff.Token, "Only text.\n\nMore text.\n")
		var out struct {
			importAnswer
			Error struct{ Code string }
		}
		r.Decode(t, &out)
		if r.Status != http.StatusBadRequest || out.Error.Code != "bad_request" || out.Report.Skipped != 2 || out.Report.Items[0].ReasonCode != "not_a_question" {
			t.Errorf("dry_run=%s: %d %s", dry, r.Status, r.Body)
		}
	}
}

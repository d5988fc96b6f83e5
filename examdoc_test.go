package examhall_test

import (
	"strings"
	"testing"
	"time"

	"examhall"
)

func TestParseExamDefaults(t *testing.T) {
	e := mustExam(t, `{"title": "T", "duration_seconds": 600, "opens_at": "2030-06-01T09:00:00+02:00",
		"questions": [{"id": "q1", "type": "true_false", "answer": true}, {"id": "q2", "type": "essay", "points": 0}]}`)
	if e.ID != "" {
		t.Errorf("ID = %q, want empty (assigned by the server)", e.ID)
	}
	if e.GraceSeconds != examhall.DefaultGraceSeconds {
		t.Errorf("GraceSeconds = %d, want the default %d", e.GraceSeconds, examhall.DefaultGraceSeconds)
	}
	if e.Questions[0].Points != 1 {
		t.Errorf("absent points = %v, want 1", e.Questions[0].Points)
	}
	if e.Questions[1].Points != 0 {
		t.Errorf("explicit zero points = %v, want 0", e.Questions[1].Points)
	}
	if want := time.Date(2030, 6, 1, 7, 0, 0, 0, time.UTC); !e.OpensAt.Equal(want) || e.OpensAt.Location() != time.UTC {
		t.Errorf("OpensAt = %v, want %v in UTC", e.OpensAt, want)
	}
	e = mustExam(t, `{"title": "T", "duration_seconds": 600, "grace_seconds": 0, "questions": [{"id": "q1", "type": "true_false", "answer": true}]}`)
	if e.GraceSeconds != 0 {
		t.Errorf("explicit grace 0 became %d", e.GraceSeconds)
	}
}

func TestParseExamErrors(t *testing.T) {
	q := `{"id": "q1", "type": "single", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "a"}`
	exam := func(fields, questions string) string {
		if questions == "" {
			questions = q
		}
		return `{"title": "T", "duration_seconds": 60` + fields + `, "questions": [` + questions + `]}`
	}
	tests := []struct {
		name string
		doc  string
		want string // a part of the message
	}{
		{"not JSON", `{"title": `, "not valid JSON"},
		{"not an object", `[1, 2]`, "must be a JSON object"},
		{"trailing data", exam("", "") + `{}`, "after its end"},
		{"unknown top-level field", exam(`, "titel": "x"`, ""), "titel: unknown field"},
		{"unknown question field", exam("", `{"id": "q1", "type": "true_false", "answr": true}`), "questions[0].answr: unknown field"},
		{"unknown option field", exam("", `{"id": "q1", "type": "single", "options": [{"id": "a", "txt": "A"}, {"id": "b", "text": "B"}], "answer": "a"}`), "questions[0].options[0].txt: unknown field"},
		{"wrong kind", exam(`, "grace_seconds": "ten"`, ""), "grace_seconds: must be a whole number"},
		{"fractional whole number", exam(`, "grace_seconds": 1.5`, ""), "grace_seconds: must be a whole number"},
		{"bad time", exam(`, "opens_at": "tomorrow"`, ""), "opens_at: \"tomorrow\" is not a time"},
		{"missing title", `{"duration_seconds": 60, "questions": [` + q + `]}`, "title: is required"},
		{"no timing", `{"title": "T", "questions": [` + q + `]}`, "duration_seconds: is required"},
		{"bad language", exam(`, "language": "Bangla"`, ""), "language: \"Bangla\" is not a language tag"},
		{"negative grace", exam(`, "grace_seconds": -1`, ""), "grace_seconds: must not be negative"},
		{"window backwards", exam(`, "opens_at": "2030-01-02T00:00:00Z", "closes_at": "2030-01-01T00:00:00Z"`, ""), "closes_at: must be after opens_at"},
		{"no questions", `{"title": "T", "duration_seconds": 60, "questions": []}`, "at least one question"},
		{"duplicate question id", exam("", q+","+q), `"q1" is used by another question`},
		{"bad question id", exam("", `{"id": "q 1", "type": "essay"}`), "is not a valid id"},
		{"unknown type", exam("", `{"id": "q1", "type": "poem"}`), `"poem" is not a question type`},
		{"single without options", exam("", `{"id": "q1", "type": "single", "answer": "a"}`), "needs at least two options"},
		{"duplicate option", exam("", `{"id": "q1", "type": "single", "options": [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}], "answer": "a"}`), `"a" is used by another option`},
		{"key not an option", exam("", `{"id": "q1", "type": "single", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "c"}`), "questions[0] (q1).answer: must be the id of one of the question's options"},
		{"multiple key not a list", exam("", `{"id": "q1", "type": "multiple", "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}], "answer": "a"}`), "must be a non-empty list of option ids"},
		{"true_false key not a bool", exam("", `{"id": "q1", "type": "true_false", "answer": "yes"}`), "must be true or false"},
		{"numeric key not a number", exam("", `{"id": "q1", "type": "numeric", "answer": "3"}`), "must be a number"},
		{"tolerance on non-numeric", exam("", `{"id": "q1", "type": "true_false", "answer": true, "tolerance": 1}`), "only numeric questions have a tolerance"},
		{"missing key", exam("", `{"id": "q1", "type": "numeric"}`), "answer: is required"},
		{"essay with key", exam("", `{"id": "q1", "type": "essay", "answer": "x"}`), "take no answer key"},
		{"options on true_false", exam("", `{"id": "q1", "type": "true_false", "answer": true, "options": [{"id": "a", "text": "A"}]}`), "have no options"},
		{"empty accepted answer", exam("", `{"id": "q1", "type": "short_text", "answer": [" "]}`), "must be non-empty"},
		{"negative points", exam("", `{"id": "q1", "type": "essay", "points": -1}`), "points: must not be negative"},
		{"pool draws too many", exam(`, "pools": [{"id": "p", "draw": 2, "questions": ["q1"]}]`, ""), "pools[0].draw: must be between 1 and"},
		{"pool names unknown question", exam(`, "pools": [{"id": "p", "draw": 1, "questions": ["zz"]}]`, ""), `no question has the id "zz"`},
		{"question in two pools", exam(`, "pools": [{"id": "p", "draw": 1, "questions": ["q1"]}, {"id": "r", "draw": 1, "questions": ["q1"]}]`, ""), `already in pool "p"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := examhall.ParseExam([]byte(tt.doc))
			if err == nil {
				t.Fatalf("ParseExam accepted %s", tt.doc)
			}
			if code := examhall.ErrorCode(err); code != examhall.EBadRequest {
				t.Errorf("code = %q, want bad_request", code)
			}
			if msg := examhall.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
		})
	}
}

func TestMarshalExamRoundTrip(t *testing.T) {
	e := mustExam(t, gradeExam)
	e.ID = "round"
	doc, err := examhall.MarshalExam(e)
	if err != nil {
		t.Fatal(err)
	}
	again, err := examhall.ParseExam(doc)
	if err != nil {
		t.Fatalf("re-parsing the marshalled exam: %v\n%s", err, doc)
	}
	doc2, _ := examhall.MarshalExam(again)
	if string(doc) != string(doc2) {
		t.Errorf("round trip changed the document:\n%s\n---\n%s", doc, doc2)
	}
}

func TestDeadline(t *testing.T) {
	start := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	closes := start.Add(90 * time.Minute)
	tests := []struct {
		name     string
		duration int
		closes   *time.Time
		extra    time.Duration
		want     time.Time
	}{
		{"duration only", 3600, nil, 0, start.Add(time.Hour)},
		{"extra time", 3600, nil, 15 * time.Minute, start.Add(75 * time.Minute)},
		{"closes_at caps the duration", 3600, &closes, 45 * time.Minute, closes},
		{"closes_at later than the duration", 3600, &closes, 0, start.Add(time.Hour)},
		{"no duration: closes_at", 0, &closes, 0, closes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &examhall.Exam{DurationSeconds: tt.duration, ClosesAt: tt.closes}
			if got := e.Deadline(start, tt.extra); !got.Equal(tt.want) {
				t.Errorf("Deadline = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSanitizeMathML keeps MathML's presentation markup and removes what
// could link, load or run anything, including markup that browsers parse
// differently inside maths.
func TestSanitizeMathML(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<math display="block"><mfrac><mn>1</mn><mn>6</mn></mfrac></math>`, `<math display="block"><mfrac><mn>1</mn><mn>6</mn></mfrac></math>`},
		{`<math><semantics><msqrt><mn>2</mn></msqrt><annotation encoding="application/x-tex">\sqrt{2}</annotation></semantics></math>`,
			`<math><semantics><msqrt><mn>2</mn></msqrt><annotation encoding="application/x-tex">\sqrt{2}</annotation></semantics></math>`},
		{`<math><maction actiontype="toggle"><mi href="javascript:alert(1)">x</mi></maction></math>`, `<math><mi>x</mi></math>`},
		{`<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml></math>`, ""},
		{`<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">`, ""},
		{`<math><mi style="color:red" onclick="x()" mathvariant="normal">y</mi></math>`, `<math><mi mathvariant="normal">y</mi></math>`},
	}
	for _, tt := range tests {
		got := examhall.SanitizeHTML(tt.in)
		if strings.Contains(got, "onerror") || strings.Contains(got, "<style") || strings.Contains(got, "javascript") {
			t.Errorf("SanitizeHTML(%q) = %q: unsafe", tt.in, got)
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("SanitizeHTML(%q)\n got  %q\n want %q", tt.in, got, tt.want)
		}
	}
}

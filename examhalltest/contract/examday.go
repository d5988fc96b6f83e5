package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/examhalltest"
)

// The promises of exam day's staff actions: closing, moving a window,
// changing one candidate's time or sitting, and the list of attempts.

// staffTokens keeps one staff token per server: staff logins are rate
// limited.
var staffTokens sync.Map // *examhalltest.Server -> string

func staffDo(t *testing.T, s *examhalltest.Server, method, path string, body any) *examhalltest.Response {
	t.Helper()
	tok, ok := staffTokens.Load(s)
	if !ok {
		tok, _ = staffTokens.LoadOrStore(s, s.Staff(t).Token)
	}
	return s.Do(t, method, path, tok.(string), body)
}

func events(t *testing.T, s *examhalltest.Server, exam string) []examhall.Event {
	t.Helper()
	var evs examhall.EventList
	staffDo(t, s, "GET", "/api/v1/admin/exams/"+exam+"/events", nil).Decode(t, &evs)
	out := make([]examhall.Event, len(evs.Events))
	for i, e := range evs.Events {
		out[i] = *e
	}
	return out
}

func hasEvent(evs []examhall.Event, kind, actor, detail string) bool {
	for _, e := range evs {
		if e.Kind == kind && e.Actor == actor && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

// Close now ends every running attempt at the close time (plus grace):
// its deadline moves, a save after close + grace is attempt_closed, the
// sweeper submits it at the close time with what was saved, and nobody
// new signs in.
func testCloseNow(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 3600, 2)
	l := login(t, s, exam, codes[0])
	save(t, s, l, ans("q1", `"b"`, 1))
	s.Clock.Advance(time.Minute)
	closes := s.Clock.Now().UTC().Truncate(time.Millisecond)
	r := staffDo(t, s, "PUT", "/api/v1/admin/exams/"+exam+"/window", map[string]any{"closes_at": closes})
	if r.Status != 200 {
		t.Fatalf("close now: %d %s", r.Status, r.Body)
	}
	if v := paper(t, s, l); !v.Deadline.Equal(closes) {
		t.Fatalf("deadline after close now: %v, want the close time %v", v.Deadline, closes)
	}
	if r := save(t, s, l, ans("q3", `true`, 1)); r.Status != 200 {
		t.Fatalf("save in the grace after close: %d %s", r.Status, r.Body)
	} else {
		var res examhall.SaveResult
		r.Decode(t, &res)
		if !res.Deadline.Equal(closes) {
			t.Fatalf("save answers deadline %v, want %v", res.Deadline, closes)
		}
	}
	s.Clock.Advance(6 * time.Second) // past the 5 s grace
	wantCode(t, save(t, s, l, ans("q4", `3`, 1)), 409, examhall.EAttemptClosed)
	if _, err := s.Hall.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	v := paper(t, s, l)
	if v.Status != examhall.Submitted || !v.Auto || !v.SubmittedAt.Equal(closes) || len(v.Answers) != 2 {
		t.Fatalf("after close now: status %s auto %v at %v (closed %v), answers %v", v.Status, v.Auto, v.SubmittedAt, closes, v.Answers)
	}
	r = s.Do(t, "POST", "/api/v1/login", "", map[string]string{"exam": exam, "candidate": codes[1].Candidate, "code": codes[1].Code})
	wantCode(t, r, 403, examhall.EExamNotOpen)
	if !hasEvent(events(t, s, exam), "window_changed", examhalltest.AdminUser, "1 deadlines moved") {
		t.Fatalf("no audited window change by %s: %+v", examhalltest.AdminUser, events(t, s, exam))
	}
}

// Moving the closing time earlier shortens running attempts to it; moving
// it later, or removing it, gives back what the deadline rule allows and
// never less than an attempt has.
func testWindowLater(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 1)
	l := login(t, s, exam, codes[0])
	now := s.Clock.Now().UTC().Truncate(time.Millisecond)
	window := func(closes any) {
		t.Helper()
		r := staffDo(t, s, "PUT", "/api/v1/admin/exams/"+exam+"/window", map[string]any{"opens_at": nil, "closes_at": closes})
		if r.Status != 200 {
			t.Fatalf("window: %d %s", r.Status, r.Body)
		}
	}
	window(now.Add(5 * time.Minute))
	if got := paper(t, s, l).Deadline; !got.Equal(now.Add(5 * time.Minute)) {
		t.Fatalf("deadline after an earlier close: %v, want %v", got, now.Add(5*time.Minute))
	}
	window(now.Add(time.Hour))
	if got := paper(t, s, l).Deadline; !got.Equal(l.Deadline) {
		t.Fatalf("deadline after a later close: %v, want the full time %v", got, l.Deadline)
	}
	window(now.Add(9 * time.Minute))
	window(nil)
	if got := paper(t, s, l).Deadline; !got.Equal(l.Deadline) {
		t.Fatalf("deadline with no close: %v, want %v", got, l.Deadline)
	}
}

// One candidate's extra time and own sitting: the deadline moves, the
// paper and every save say so, and the change is audited with its author.
func testCandidateUpdate(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 3)
	base := "/api/v1/admin/exams/" + exam + "/candidates/"
	l := login(t, s, exam, codes[0])
	r := staffDo(t, s, "PUT", base+codes[0].Candidate, map[string]any{"extra_time_seconds": 300, "name": "Ada Lovelace"})
	var c examhall.Candidate
	r.Decode(t, &c)
	if r.Status != 200 || c.ExtraSeconds != 300 || c.Name != "Ada Lovelace" {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	want := l.Deadline.Add(5 * time.Minute)
	if got := paper(t, s, l).Deadline; !got.Equal(want) {
		t.Fatalf("paper deadline %v, want %v", got, want)
	}
	var res examhall.SaveResult
	save(t, s, l, ans("q1", `"a"`, 1)).Decode(t, &res)
	if !res.Deadline.Equal(want) {
		t.Fatalf("save deadline %v, want %v", res.Deadline, want)
	}
	if !hasEvent(events(t, s, exam), "candidate_changed", examhalltest.AdminUser, "extra_time_seconds=300 s") {
		t.Fatalf("extra time not audited: %+v", events(t, s, exam))
	}

	// A make-up sitting: the second candidate may sign in only from their
	// own opening, and their deadline is their own closing time.
	now := s.Clock.Now().UTC().Truncate(time.Millisecond)
	opens, closes := now.Add(time.Hour), now.Add(time.Hour+5*time.Minute)
	r = staffDo(t, s, "PUT", base+codes[1].Candidate, map[string]any{"opens_at": opens, "closes_at": closes})
	if r.Status != 200 {
		t.Fatalf("own window: %d %s", r.Status, r.Body)
	}
	body := map[string]string{"exam": exam, "candidate": codes[1].Candidate, "code": codes[1].Code}
	wantCode(t, s.Do(t, "POST", "/api/v1/login", "", body), 403, examhall.EExamNotOpen)
	s.Clock.Advance(time.Hour + time.Second)
	ml := login(t, s, exam, codes[1])
	if !ml.Deadline.Equal(closes) {
		t.Fatalf("make-up deadline %v, want their closing time %v", ml.Deadline, closes)
	}
	// Giving the exam's window back (null) gives the full duration.
	staffDo(t, s, "PUT", base+codes[1].Candidate, map[string]any{"closes_at": nil})
	if got := paper(t, s, ml).Deadline; !got.Equal(ml.StartedAt.Add(10 * time.Minute)) {
		t.Fatalf("deadline with the exam's window back: %v, want %v", got, ml.StartedAt.Add(10*time.Minute))
	}

	for name, tc := range map[string]struct {
		path   string
		body   any
		status int
		code   string
	}{
		"empty":         {base + codes[2].Candidate, map[string]any{}, 400, examhall.EBadRequest},
		"unknown field": {base + codes[2].Candidate, map[string]any{"extra": 1}, 400, examhall.EBadRequest},
		"negative":      {base + codes[2].Candidate, map[string]any{"extra_time_seconds": -1}, 400, examhall.EBadRequest},
		"closes first":  {base + codes[2].Candidate, map[string]any{"opens_at": closes, "closes_at": opens}, 400, examhall.EBadRequest},
		"bad time":      {base + codes[2].Candidate, map[string]any{"opens_at": "tomorrow"}, 400, examhall.EBadRequest},
		"bad email":     {base + codes[2].Candidate, map[string]any{"email": "nobody"}, 400, examhall.EBadRequest},
		"unknown":       {base + "nobody", map[string]any{"extra_time_seconds": 1}, 404, examhall.ENotFound},
		"unknown exam":  {"/api/v1/admin/exams/none/candidates/x", map[string]any{"extra_time_seconds": 1}, 404, examhall.ENotFound},
	} {
		t.Run(name, func(t *testing.T) {
			wantCode(t, staffDo(t, s, "PUT", tc.path, tc.body), tc.status, tc.code)
		})
	}
	var list examhall.CandidateList
	staffDo(t, s, "GET", "/api/v1/admin/exams/"+exam+"/candidates", nil).Decode(t, &list)
	byID := map[string]*examhall.Candidate{}
	for _, c := range list.Candidates {
		byID[c.ID] = c
	}
	if c0, c2 := byID[codes[0].Candidate], byID[codes[2].Candidate]; len(list.Candidates) != 3 || c0 == nil || c2 == nil || c0.Name != "Ada Lovelace" || c2.ExtraSeconds != 0 {
		t.Fatalf("candidates after the refused changes: %+v", list.Candidates)
	}
}

// The live list: one line per candidate, with their attempt's activity.
func testAttemptList(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 3)
	login(t, s, exam, codes[0])
	a := login(t, s, exam, codes[0]) // signed in twice: the first token is retired
	if r := save(t, s, a, ans("q1", `"b"`, 1)); r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	a = login(t, s, exam, codes[0])
	if r := save(t, s, a, ans("q3", `true`, 1), ans("q4", `null`, 1)); r.Status != 200 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	b := login(t, s, exam, codes[1])
	if r := s.Do(t, "POST", "/api/v1/attempts/"+b.Attempt+"/submit", b.Token, nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	path := "/api/v1/admin/exams/" + exam + "/attempts"
	var list examhall.AttemptList
	examhalltest.Eventually(t, 10*time.Second, func() error {
		list = examhall.AttemptList{}
		staffDo(t, s, "GET", path, nil).Decode(t, &list)
		first := slices.IndexFunc(list.Attempts, func(x examhall.AttemptInfo) bool { return x.Candidate == codes[0].Candidate })
		if len(list.Attempts) != 3 || first < 0 || list.Attempts[first].Saves != 2 || list.Attempts[first].Logins != 3 {
			return fmt.Errorf("want 3 lines, %s's with 2 saves and 3 logins: %+v", codes[0].Candidate, list.Attempts)
		}
		return nil
	})
	got := map[string]examhall.AttemptInfo{}
	for _, x := range list.Attempts {
		got[x.Candidate] = x
	}
	x := got[codes[0].Candidate]
	if x.Status != examhall.InProgress || x.Attempt != a.Attempt || x.Answered != 2 || x.Questions != 6 ||
		!x.Deadline.Equal(a.Deadline) || x.LastSaveAt.IsZero() || x.Overdue {
		t.Fatalf("in progress: %+v", x)
	}
	if y := got[codes[1].Candidate]; y.Status != examhall.Submitted || y.SubmittedAt.IsZero() || y.Auto {
		t.Fatalf("submitted: %+v", y)
	}
	if z := got[codes[2].Candidate]; z.Status != examhall.NotStarted || z.Attempt != "" {
		t.Fatalf("not started: %+v", z)
	}
	// Every line has every key, whatever the candidate's state.
	var raw struct {
		Attempts []map[string]json.RawMessage `json:"attempts"`
	}
	staffDo(t, s, "GET", path, nil).Decode(t, &raw)
	for _, line := range raw.Attempts {
		for _, k := range []string{"candidate", "name", "attempt", "status", "started_at", "deadline", "last_save_at",
			"answered", "questions", "saves", "logins", "submitted_at", "auto"} {
			if _, ok := line[k]; !ok {
				t.Errorf("a line of the attempt list has no %q: %v", k, line)
			}
		}
	}
	list = examhall.AttemptList{}
	staffDo(t, s, "GET", path+"?status=submitted", nil).Decode(t, &list)
	if len(list.Attempts) != 1 || list.Attempts[0].Candidate != codes[1].Candidate {
		t.Fatalf("?status=submitted: %+v", list.Attempts)
	}
	// Past the deadline the attempt is overdue until a sweeper submits it
	// (the server's own may be at it already).
	s.Clock.Advance(11 * time.Minute)
	list = examhall.AttemptList{}
	staffDo(t, s, "GET", path, nil).Decode(t, &list)
	i := slices.IndexFunc(list.Attempts, func(x examhall.AttemptInfo) bool { return x.Candidate == codes[0].Candidate })
	if i < 0 {
		t.Fatalf("past the deadline, %s is not listed: %+v", codes[0].Candidate, list.Attempts)
	}
	if x := list.Attempts[i]; !(x.Status == examhall.InProgress && x.Overdue) && !(x.Status == examhall.Submitted && x.Auto) {
		t.Fatalf("past the deadline: %+v", x)
	}
	wantCode(t, staffDo(t, s, "GET", path+"?status=lost", nil), 400, examhall.EBadRequest)
	wantCode(t, staffDo(t, s, "GET", "/api/v1/admin/exams/none/attempts", nil), 404, examhall.ENotFound)
	wantCode(t, s.Do(t, "GET", path, a.Token, nil), 403, examhall.EForbidden)
}

// postCSV sends a file of candidates as staff.
func postCSV(t *testing.T, s *examhalltest.Server, exam, body string) *examhalltest.Response {
	t.Helper()
	req, err := http.NewRequest("POST", s.URL+"/api/v1/admin/exams/"+exam+"/candidates", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	staffDo(t, s, "GET", "/api/v1/admin/exams/"+exam, nil) // caches the token
	tok, _ := staffTokens.Load(s)
	req.Header.Set("Authorization", "Bearer "+tok.(string))
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &examhalltest.Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// Candidates from a file: every row gets a code, with its name, extra
// time and own window; a bad file stores nothing and says where it is bad.
func testCandidatesCSV(t *testing.T, s *examhalltest.Server) {
	staff := s.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam(examhalltest.UniqueName("e"), 600))
	const n = 2000
	var b strings.Builder
	b.WriteString("\ufeffCandidate;Name;extra_time_seconds;email\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "s%05d;\"Student %d; the %dth\";%d;s%d@example.org\n", i, i, i, i%3*60, i)
	}
	b.WriteString("\nlate;Late Comer;0;\n")
	r := postCSV(t, s, exam, b.String())
	var issued examhall.IssuedCodes
	r.Decode(t, &issued)
	if r.Status != 200 || len(issued.Candidates) != n+1 {
		t.Fatalf("upload: %d, %d codes", r.Status, len(issued.Candidates))
	}
	if c := issued.Candidates[6]; c.Candidate != "s00007" || c.Name != "Student 7; the 7th" || c.ExtraSeconds != 60 || c.Code == "" {
		t.Fatalf("row 8 issued as %+v", c)
	}
	l := login(t, s, exam, issued.Candidates[1]) // 120 s extra
	if got := l.Deadline.Sub(l.StartedAt); got != 12*time.Minute {
		t.Fatalf("uploaded extra time: the attempt has %v, want 12m", got)
	}
	var list examhall.CandidateList
	staffDo(t, s, "GET", "/api/v1/admin/exams/"+exam+"/candidates", nil).Decode(t, &list)
	if len(list.Candidates) != n+1 || list.Candidates[0].Name != "Late Comer" || list.Candidates[1].Email != "s1@example.org" {
		t.Fatalf("candidates after the upload: %d, first %+v", len(list.Candidates), list.Candidates[0])
	}

	other := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam(examhalltest.UniqueName("e"), 600))
	for name, tc := range map[string]struct{ body, says string }{
		"unknown column": {"candidate,phone\na,1\n", "unknown column \\\"phone"},
		"no candidate":   {"name\nAda\n", "no column \\\"candidate"},
		"empty":          {"", "empty"},
		"header only":    {"candidate\n", "no candidates"},
		"bad extra":      {"candidate,extra_time_seconds\na,1\nb,ten\n", "Row 3, column extra_time_seconds"},
		"bad time":       {"candidate,opens_at\na,monday\n", "Row 2, column opens_at"},
		"bad id":         {"candidate\na\nb c\n", "row 3"},
		"twice":          {"candidate\na\n\nb\na\n", "row 5"},
		"too many":       {"candidate\na,b\n", "Row 2: 2 fields"},
		"window":         {"candidate,opens_at,closes_at\na,2030-01-02T00:00:00Z,2030-01-01T00:00:00Z\n", "row 2: closes_at"},
	} {
		t.Run(name, func(t *testing.T) {
			r := postCSV(t, s, other, tc.body)
			wantCode(t, r, 400, examhall.EBadRequest)
			if !strings.Contains(string(r.Body), tc.says) {
				t.Fatalf("error %s does not say %q", r.Body, tc.says)
			}
		})
	}
	var none examhall.CandidateList
	staffDo(t, s, "GET", "/api/v1/admin/exams/"+other+"/candidates", nil).Decode(t, &none)
	if len(none.Candidates) != 0 {
		t.Fatalf("refused files stored candidates: %+v", none.Candidates)
	}
}

// An imported bank is a draft: closed until staff open it, editable
// until an attempt starts.
func testImportDraft(t *testing.T, s *examhalltest.Server) {
	id := examhalltest.UniqueName("g")
	gift := "::q1:: 2 + 2 = {=4 ~3 ~5}\n\n::q2:: The sky is blue. {T}\n"
	r := staffDo(t, s, "POST", "/api/v1/admin/import?format=gift&id="+id+"&title=Draft", gift)
	if r.Status != 201 {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var list examhall.ExamList
	staffDo(t, s, "GET", "/api/v1/admin/exams", nil).Decode(t, &list)
	for _, e := range list.Exams {
		if e.ID == id && (e.Open || e.ClosesAt == nil) {
			t.Fatalf("the import is open: %+v", e)
		}
	}
	var issued examhall.IssuedCodes
	staffDo(t, s, "POST", "/api/v1/admin/exams/"+id+"/candidates", map[string]any{"count": 1}).Decode(t, &issued)
	code := issued.Candidates[0]
	body := map[string]string{"exam": id, "candidate": code.Candidate, "code": code.Code}
	wantCode(t, s.Do(t, "POST", "/api/v1/login", "", body), 403, examhall.EExamNotOpen)

	// Edit: a new title, duration, key and points.
	var doc map[string]any
	staffDo(t, s, "GET", "/api/v1/admin/exams/"+id, nil).Decode(t, &doc)
	delete(doc, "released")
	delete(doc, "created_at")
	doc["title"], doc["duration_seconds"] = "Arithmetic", 900
	qs := doc["questions"].([]any)
	q1 := qs[0].(map[string]any)
	q1["points"] = 2
	if r := staffDo(t, s, "PUT", "/api/v1/admin/exams/"+id, doc); r.Status != 200 {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	if r := staffDo(t, s, "PUT", "/api/v1/admin/exams/"+id+"/window", map[string]any{"opens_at": nil, "closes_at": nil}); r.Status != 200 {
		t.Fatalf("open: %d %s", r.Status, r.Body)
	}
	l := login(t, s, id, code)
	v := paper(t, s, l)
	if v.Exam.Title != "Arithmetic" || l.Deadline.Sub(l.StartedAt) != 15*time.Minute {
		t.Fatalf("the edited exam: %q, %v", v.Exam.Title, l.Deadline.Sub(l.StartedAt))
	}
	wantCode(t, staffDo(t, s, "PUT", "/api/v1/admin/exams/"+id, doc), 409, examhall.EConflict)
}

// A key corrected after the exam: every attempt's score follows, marks
// people gave stay, and the correction is audited.
func testRegrade(t *testing.T, s *examhalltest.Server) {
	exam, codes := setup(t, s, 600, 2)
	for i, resp := range []string{`"b"`, `"a"`} { // q1's key is "b"
		l := login(t, s, exam, codes[i])
		save(t, s, l, ans("q1", resp, 1), ans("q3", `true`, 1))
		if r := s.Do(t, "POST", "/api/v1/attempts/"+l.Attempt+"/submit", l.Token, nil); r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
	}
	path := "/api/v1/admin/exams/" + exam + "/regrade"
	r := staffDo(t, s, "POST", path, map[string]any{"question": "q1", "answer": "a"})
	var got examhall.Regraded
	r.Decode(t, &got)
	if r.Status != 200 || string(got.Answer) != `"a"` {
		t.Fatalf("regrade: %d %s", r.Status, r.Body)
	}
	scores := map[string]float64{}
	for _, res := range got.Results.Results {
		scores[res.Candidate] = res.Score
	}
	// q3 (true) scores 1 for both; q1 (1 point) now for the second.
	if scores[codes[0].Candidate] != 1 || scores[codes[1].Candidate] != 2 {
		t.Fatalf("scores after the correction: %v", scores)
	}
	var doc examhall.Exam
	staffDo(t, s, "GET", "/api/v1/admin/exams/"+exam, nil).Decode(t, &doc)
	if q, _ := doc.Question("q1"); string(q.Answer) != `"a"` {
		t.Fatalf("stored key %s", q.Answer)
	}
	if !hasEvent(events(t, s, exam), "key_corrected", examhalltest.AdminUser, `q1: "b" -> "a"`) {
		t.Fatalf("the correction is not audited: %+v", events(t, s, exam))
	}
	for name, tc := range map[string]struct {
		path string
		body any
		code string
	}{
		"unknown question": {path, map[string]any{"question": "q9", "answer": "a"}, examhall.EBadRequest},
		"not an option":    {path, map[string]any{"question": "q1", "answer": "z"}, examhall.EBadRequest},
		"essay":            {path, map[string]any{"question": "q6", "answer": "x"}, examhall.EBadRequest},
		"no answer":        {path, map[string]any{"question": "q1"}, examhall.EBadRequest},
		"unknown exam":     {"/api/v1/admin/exams/none/regrade", map[string]any{"question": "q1", "answer": "a"}, examhall.ENotFound},
	} {
		t.Run(name, func(t *testing.T) {
			status := 400
			if tc.code == examhall.ENotFound {
				status = 404
			}
			wantCode(t, staffDo(t, s, "POST", tc.path, tc.body), status, tc.code)
		})
	}
}

// What a released result shows is the exam's review policy: by default
// the score and points only; with a review, the responses, keys and
// feedback it allows. Staff always see everything.
func testReview(t *testing.T, s *examhalltest.Server) {
	staff := s.Staff(t)
	plain := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam(examhalltest.UniqueName("e"), 600))
	doc := examhalltest.AllTypesExam(examhalltest.UniqueName("e"), 600)
	doc["review"] = map[string]bool{"responses": true, "correct_answers": true, "feedback": true}
	q1 := doc["questions"].([]any)[0].(map[string]any)
	q1["feedback"], q1["incorrect_feedback"] = "b is the one.", "Not quite."
	open := examhalltest.MustCreateExam(t, staff, doc)
	result := func(exam string) map[string]examhall.QuestionResult {
		t.Helper()
		c := examhalltest.MustIssue(t, staff, exam, 1)[0]
		l := login(t, s, exam, c)
		save(t, s, l, ans("q1", `"a"`, 1))
		if r := s.Do(t, "POST", "/api/v1/attempts/"+l.Attempt+"/submit", l.Token, nil); r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		if err := staff.Release(context.Background(), exam); err != nil {
			t.Fatal(err)
		}
		var res examhall.Result
		r := s.Do(t, "GET", "/api/v1/attempts/"+l.Attempt+"/result", l.Token, nil)
		r.Decode(t, &res)
		if r.Status != 200 {
			t.Fatalf("result: %d %s", r.Status, r.Body)
		}
		out := map[string]examhall.QuestionResult{}
		for _, q := range res.Questions {
			out[q.Question] = q
		}
		return out
	}
	if q := result(plain)["q1"]; string(q.Response) != "null" || q.Answer != nil || q.Feedback != nil || q.MaxPoints != 1 {
		t.Fatalf("without a review, q1 shows %+v", q)
	}
	q := result(open)["q1"]
	if string(q.Response) != `"a"` || string(q.Answer) != `"b"` || strings.Join(q.Feedback, " ") != "b is the one. Not quite." {
		t.Fatalf("with a review, q1 shows %+v", q)
	}
	bad := examhalltest.AllTypesExam(examhalltest.UniqueName("e"), 600)
	bad["review"] = map[string]any{"responses": true, "keys": true}
	b, _ := json.Marshal(bad)
	wantCode(t, staffDo(t, s, "POST", "/api/v1/admin/exams", b), 400, examhall.EBadRequest)
}

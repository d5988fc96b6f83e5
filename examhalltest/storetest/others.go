package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"examhall"
	"examhall/examhalltest"
)

// MarkStore: PutMark replaces an earlier mark of the same response; Marks
// and AttemptMarks return them by attempt and question.
func testMarks(t *testing.T, s *suite) {
	e := s.mustExam(t)
	a, b := s.mustAttempt(t, e, time.Now()), s.mustAttempt(t, e, time.Now())
	at := time.Now().UTC().Truncate(time.Millisecond)
	for _, m := range []examhall.Mark{
		{Attempt: a.ID, Question: "q3", Points: 0.5, Comment: "first", By: "ada", At: at},
		{Attempt: a.ID, Question: "q3", Points: 1, Comment: "second", By: "bob", At: at},
		{Attempt: b.ID, Question: "q1", Points: 0, By: "ada", At: at},
	} {
		if err := s.Marks.PutMark(ctx, &m); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]map[string]examhall.Mark{
		a.ID: {"q3": {Attempt: a.ID, Question: "q3", Points: 1, Comment: "second", By: "bob", At: at}},
		b.ID: {"q1": {Attempt: b.ID, Question: "q1", Points: 0, By: "ada", At: at}},
	}
	got, err := s.Marks.Marks(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Marks (-want +got):\n%s", diff)
	}
	one, err := s.Marks.AttemptMarks(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want[a.ID], one); diff != "" {
		t.Errorf("AttemptMarks (-want +got):\n%s", diff)
	}
}

// Limiter allows limit events per key and window, then says how long to
// wait; keys are counted apart.
func testLimiter(t *testing.T, s *suite) {
	key, other := examhalltest.UniqueName("k"), examhalltest.UniqueName("k")
	for i := 0; i < 3; i++ {
		if ok, _, err := s.Limiter.Allow(ctx, key, 3, time.Minute); err != nil || !ok {
			t.Fatalf("event %d of 3: %v, %v", i+1, ok, err)
		}
	}
	ok, wait, err := s.Limiter.Allow(ctx, key, 3, time.Minute)
	if err != nil || ok || wait <= 0 || wait > time.Minute {
		t.Errorf("the fourth event: %v, wait %v, %v; want refused with a wait of at most the window", ok, wait, err)
	}
	if ok, _, err := s.Limiter.Allow(ctx, other, 3, time.Minute); err != nil || !ok {
		t.Errorf("another key: %v, %v; want allowed", ok, err)
	}
	// Blocked reads without counting.
	for i := 0; i < 3; i++ {
		if blocked, _, err := s.Limiter.Blocked(ctx, other, 2); err != nil || blocked {
			t.Fatalf("Blocked with 1 event of 2: %v, %v", blocked, err)
		}
	}
	if blocked, wait, err := s.Limiter.Blocked(ctx, key, 3); err != nil || !blocked || wait <= 0 || wait > time.Minute {
		t.Errorf("Blocked past the limit: %v, wait %v, %v; want blocked with a wait", blocked, wait, err)
	}
	if blocked, _, err := s.Limiter.Blocked(ctx, examhalltest.UniqueName("k"), 1); err != nil || blocked {
		t.Errorf("Blocked on a new key: %v, %v", blocked, err)
	}
	// Long keys are cut, never refused.
	long := examhalltest.UniqueName("k") + strings.Repeat("x", 16<<10)
	if ok, _, err := s.Limiter.Allow(ctx, long, 3, time.Minute); err != nil || !ok {
		t.Errorf("a 16 KiB key: %v, %v", ok, err)
	}
}

// AuditLog: recorded events come back oldest first, at most limit, by exam
// or by attempt. Record may return before the event is durable.
func testAudit(t *testing.T, s *suite) {
	e := s.mustExam(t)
	a := s.mustAttempt(t, e, time.Now())
	start := time.Now().UTC().Truncate(time.Millisecond)
	kinds := []string{"login", "exam_created", "marked"}
	for i, kind := range kinds {
		ev := &examhall.Event{At: start.Add(time.Duration(i) * time.Second), Kind: kind, Exam: e.ID, Actor: "ada"}
		if kind != "exam_created" {
			ev.Attempt, ev.Candidate = a.ID, a.Candidate
		}
		if err := s.Audit.Record(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var evs []*examhall.Event
	examhalltest.Eventually(t, 10*time.Second, func() error {
		var err error
		if evs, err = s.Audit.Events(ctx, e.ID, "", 10); err == nil && len(evs) < len(kinds) {
			err = errorf("%d events, want %d", len(evs), len(kinds))
		}
		return err
	})
	if got := eventKinds(evs); !slices.Equal(got, kinds) {
		t.Errorf("the exam's events = %v, want %v, oldest first", got, kinds)
	}
	if evs, err := s.Audit.Events(ctx, e.ID, "", 2); err != nil || len(evs) != 2 {
		t.Errorf("Events with limit 2: %d, %v", len(evs), err)
	}
	evs, err := s.Audit.Events(ctx, e.ID, a.ID, 10)
	if got := eventKinds(evs); err != nil || !slices.Equal(got, []string{"login", "marked"}) {
		t.Errorf("the attempt's events = %v, %v; want login and marked", got, err)
	}
}

func eventKinds(evs []*examhall.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Kind)
	}
	return out
}

// AssetStore (where the mode has one): PutAssets replaces assets of the
// same name; Asset is ENotFound for none; Assets are by name.
func testAssets(t *testing.T, s *suite) {
	if s.Assets == nil {
		t.Skip("the mode keeps no assets")
	}
	e := s.mustExam(t)
	put := func(as ...examhall.Asset) {
		t.Helper()
		if err := s.Assets.PutAssets(ctx, e.ID, as); err != nil {
			t.Fatal(err)
		}
	}
	put(examhall.Asset{Name: "b.png", Type: "image/png", Data: []byte("b")}, examhall.Asset{Name: "a.png", Type: "image/png", Data: []byte("a")})
	put(examhall.Asset{Name: "a.png", Type: "image/gif", Data: []byte("a2")})
	a, err := s.Assets.Asset(ctx, e.ID, "a.png")
	if err != nil || a.Type != "image/gif" || string(a.Data) != "a2" {
		t.Errorf("replaced asset = %+v, %v", a, err)
	}
	all, err := s.Assets.Assets(ctx, e.ID)
	if err != nil || len(all) != 2 || all[0].Name != "a.png" || all[1].Name != "b.png" {
		t.Errorf("Assets = %v, %v; want a.png, b.png", all, err)
	}
	_, err = s.Assets.Asset(ctx, e.ID, "c.png")
	wantCode(t, "Asset of none", err, examhall.ENotFound)
}

// Ready reports the dependencies reachable.
func testReady(t *testing.T, s *suite) {
	if s.Ready == nil {
		return
	}
	if err := s.Ready(ctx); err != nil {
		t.Errorf("Ready: %v", err)
	}
}

// UploadStore (where the mode has one): PutUpload stores a file, and the
// same file again changes nothing; Upload returns it by its SHA-256,
// ENotFound for none.
func testUploads(t *testing.T, s *suite) {
	if s.Uploads == nil {
		t.Skip("the mode keeps no uploads")
	}
	e := s.mustExam(t)
	a := s.mustAttempt(t, e, time.Now())
	f := examhall.UploadFile{Attempt: a.ID, Question: "q3", Name: "essay.pdf", Type: "application/pdf",
		Size: 3, SHA256: strings.Repeat("ab", 32), Data: []byte("pdf")}
	again := f
	again.Name = "renamed.pdf"
	for _, u := range []examhall.UploadFile{f, again} {
		if err := s.Uploads.PutUpload(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Uploads.Upload(ctx, a.ID, f.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, *got); diff != "" {
		t.Errorf("Upload (-want +got):\n%s", diff)
	}
	_, err = s.Uploads.Upload(ctx, a.ID, strings.Repeat("cd", 32))
	wantCode(t, "Upload of none", err, examhall.ENotFound)
}

package loadtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"examhall/examhalltest"
	"examhall/loadtest"
)

// shortRun is a bounded load test: a few hundred candidates for seconds.
func shortRun(url string, candidates int) *loadtest.Config {
	duration := 3 * time.Second
	if raceOn {
		duration = 10 * time.Second
	}
	return &loadtest.Config{
		URL: url, Candidates: candidates,
		Ramp: time.Second, Duration: duration, SaveEvery: 400 * time.Millisecond,
		NoSubmitShare: 0.1, ReloadShare: 0.2,
		AdminUser: examhalltest.AdminUser, AdminPassword: examhalltest.AdminPassword,
		// Margins for a loaded machine: a submit must reach the server
		// before the deadline and grace.
		CloseMargin: 2 * time.Second, Grace: 2 * time.Second, VerifyWait: 30 * time.Second,
	}
}

func TestRun(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{RealClock: true, Quiet: true})
	var progress []loadtest.Progress
	r, err := loadtest.Run(context.Background(), shortRun(srv.URL, 300), loadtest.Options{
		Conns:    50,
		Progress: func(p loadtest.Progress) { progress = append(progress, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.Print(&out)
	t.Log(out.String())
	if r.Candidates != 300 || r.Errors != 0 || r.LostAnswers != 0 || !r.OK() {
		t.Errorf("candidates %d, errors %d, lost %d, ok %v; want 300, 0, 0, true", r.Candidates, r.Errors, r.LostAnswers, r.OK())
	}
	v := r.Verdict
	// How many answers the sessions save depends on how busy the machine
	// is; that some are checked, and none lost, does not.
	if v.Attempts != 300 || v.Submitted+v.AutoSubmitted != 300 || v.AutoSubmitted == 0 || v.Answers == 0 {
		t.Errorf("verdict %+v: want 300 attempts, all submitted, some by the server, answers checked", v)
	}
	for _, name := range []string{"login", "paper", "save", "submit"} {
		e := r.Endpoints[name]
		if e.Count == 0 || e.P50 <= 0 || e.P50 > e.P95 || e.P95 > e.P99 || e.P99 > e.Max {
			t.Errorf("%s: %+v: want requests and ordered quantiles", name, e)
		}
	}
	if r.Endpoints["login"].Count <= 300 {
		t.Errorf("%d logins, want more than one per candidate (reloads)", r.Endpoints["login"].Count)
	}
	if got := r.Endpoints["submit"].Count; got >= 300 || got < 200 {
		t.Errorf("%d submits, want about 90%% of 300", got)
	}
	if r.ClientCPUSeconds <= 0 || r.ServerCPUSeconds <= 0 || r.ServerRSSBytes <= 0 {
		t.Errorf("client CPU %v, server CPU %v, RSS %v: want all measured", r.ClientCPUSeconds, r.ServerCPUSeconds, r.ServerRSSBytes)
	}
	if len(progress) == 0 || progress[len(progress)-1].Done != 300 {
		t.Errorf("progress %+v: want a last report of 300 done", progress)
	}
	// The JSON form has the documented fields.
	b, _ := json.Marshal(r)
	var doc map[string]any
	json.Unmarshal(b, &doc)
	for _, f := range []string{"candidates", "requests", "errors", "lost_answers"} {
		if _, ok := doc[f]; !ok {
			t.Errorf("JSON report lacks %q", f)
		}
	}
	for _, e := range []string{"login", "paper", "save", "submit"} {
		lat, _ := doc["latency_ms"].(map[string]any)[e].(map[string]any)
		for _, q := range []string{"p50", "p95", "p99", "max"} {
			if _, ok := lat[q].(float64); !ok {
				t.Errorf("JSON report lacks latency_ms.%s.%s", e, q)
			}
		}
	}
}

// dropSaves is a faulty server in front of a real one: it acknowledges
// every save of the first attempt it sees without passing it on.
type dropSaves struct {
	next    http.Handler
	mu      sync.Mutex
	victim  string
	dropped int
}

func (d *dropSaves) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == "PUT" && strings.HasSuffix(r.URL.Path, "/answers") {
		attempt := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/attempts/"), "/answers")
		d.mu.Lock()
		if d.victim == "" {
			d.victim = attempt
		}
		drop := d.victim == attempt
		if drop {
			d.dropped++
		}
		d.mu.Unlock()
		if drop {
			var body struct {
				Answers []struct {
					Question string `json:"question"`
					Seq      int64  `json:"seq"`
				} `json:"answers"`
			}
			data, _ := io.ReadAll(r.Body)
			json.Unmarshal(data, &body)
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"saved": body.Answers, "deadline": time.Now().Add(time.Hour), "server_time": time.Now()})
			return
		}
	}
	d.next.ServeHTTP(w, r)
}

func TestRunCatchesLostAnswers(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{RealClock: true, Quiet: true})
	target, _ := url.Parse(srv.URL)
	faulty := &dropSaves{next: httputil.NewSingleHostReverseProxy(target)}
	front := httptest.NewServer(faulty)
	defer front.Close()
	r, err := loadtest.Run(context.Background(), shortRun(front.URL, 20), loadtest.Options{Conns: 10})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.Print(&out)
	t.Log(out.String())
	if faulty.dropped == 0 {
		t.Fatal("no save was dropped")
	}
	if r.LostAnswers == 0 || r.OK() || !strings.Contains(out.String(), "verdict: FAIL") {
		t.Errorf("lost_answers %d, ok %v after %d dropped saves: want the verdict to catch them", r.LostAnswers, r.OK(), faulty.dropped)
	}
	if r.Errors != 0 {
		t.Errorf("%d errors: the faulty server answered every request", r.Errors)
	}
}

// TestRunScale runs the short load test against scale mode: two API pods
// on one PostgreSQL schema, one Redis prefix and one in-process Kafka, a
// grader, and the candidates spread over the pods by the client.
func TestRunScale(t *testing.T) {
	deps := examhalltest.NewScaleDeps(t) // skips without PostgreSQL and Redis
	deps.StartGrader(t)
	a := deps.StartPod(t, examhalltest.Options{RealClock: true, Quiet: true})
	b := deps.StartPod(t, examhalltest.Options{RealClock: true, Quiet: true})
	r, err := loadtest.Run(context.Background(), shortRun(a.URL+","+b.URL, 200), loadtest.Options{Conns: 50})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.Print(&out)
	t.Log(out.String())
	if r.Errors != 0 || r.LostAnswers != 0 || !r.OK() || r.Verdict.Attempts != 200 {
		t.Errorf("errors %d, lost %d, attempts %d, ok %v; want 0, 0, 200, true", r.Errors, r.LostAnswers, r.Verdict.Attempts, r.OK())
	}
}

// shedFirstLogin answers the first login of every candidate with 503 and
// Retry-After, as a server shedding a spike does, and passes the rest on.
type shedFirstLogin struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]bool
	shed int
}

func (s *shedFirstLogin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == "POST" && r.URL.Path == "/api/v1/login" {
		data, _ := io.ReadAll(r.Body)
		var in struct{ Candidate string }
		json.Unmarshal(data, &in)
		s.mu.Lock()
		first := !s.seen[in.Candidate]
		s.seen[in.Candidate] = true
		if first {
			s.shed++
		}
		s.mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(503)
			io.WriteString(w, `{"error":{"code":"unavailable","message":"busy"}}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
	}
	s.next.ServeHTTP(w, r)
}

// TestRunCountsShedApart checks that requests the server sheds are counted
// as shed, not as errors, that the run still passes when retries get in,
// and that a login's latency runs from its first try (here at least the
// second of Retry-After).
func TestRunCountsShedApart(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{RealClock: true, Quiet: true})
	target, _ := url.Parse(srv.URL)
	shedder := &shedFirstLogin{next: httputil.NewSingleHostReverseProxy(target), seen: map[string]bool{}}
	front := httptest.NewServer(shedder)
	defer front.Close()
	r, err := loadtest.Run(context.Background(), shortRun(front.URL, 30), loadtest.Options{Conns: 10})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.Print(&out)
	t.Log(out.String())
	login := r.Endpoints["login"]
	if shedder.shed != 30 || login.Shed != 30 || r.Shed != 30 {
		t.Errorf("shed: server %d, report %d (login) and %d (total); want 30 each", shedder.shed, login.Shed, r.Shed)
	}
	if r.Errors != 0 || login.Errors["unavailable"] != 0 || !r.OK() {
		t.Errorf("errors %d (%v), ok %v: shed-and-retried requests are not failures", r.Errors, login.Errors, r.OK())
	}
	if login.P50 < 1000 {
		t.Errorf("login p50 %.0f ms: a shed login waits its Retry-After (1 s), which its latency must include", login.P50)
	}
	if login.FirstTries != login.Count || login.Retries < 30 {
		t.Errorf("login: %d operations, %d first tries, %d retries; want a first try per operation and a retry per shed one", login.Count, login.FirstTries, login.Retries)
	}
}

// TestRunLobby runs the short load test with a lobby: the candidates sign
// in during the ramp, start together when the exam opens and run out of
// time together; nothing may be lost and every attempt must end submitted.
func TestRunLobby(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{RealClock: true, Quiet: true})
	cfg := shortRun(srv.URL, 200)
	cfg.Lobby = true
	r, err := loadtest.Run(context.Background(), cfg, loadtest.Options{Conns: 50})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.Print(&out)
	t.Log(out.String())
	if r.Errors != 0 || r.LostAnswers != 0 || !r.OK() || r.Verdict.Attempts != 200 {
		t.Errorf("errors %d, lost %d, attempts %d, ok %v; want 0, 0, 200, true", r.Errors, r.LostAnswers, r.Verdict.Attempts, r.OK())
	}
	// A candidate who signed in before the start asks for the paper twice:
	// in the lobby and at the start (one who signed in late, on a busy
	// machine, only once).
	if got := r.Endpoints["paper"].Count; got <= 200 {
		t.Errorf("%d papers fetched, want more than one per candidate", got)
	}
}

// TestRunSections runs the short load test on an exam in the format of
// entrance exams (--sections): every save goes through the section rules
// (the timed section A is open, B not yet), nothing may be lost, and the
// results are those of the exam's marking scheme.
func TestRunSections(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{RealClock: true, Quiet: true})
	cfg := shortRun(srv.URL, 100)
	cfg.Sections = true
	r, err := loadtest.Run(context.Background(), cfg, loadtest.Options{Conns: 30})
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 0 || r.LostAnswers != 0 || !r.OK() || r.Verdict.Attempts != 100 {
		t.Errorf("errors %d, lost %d, attempts %d, ok %v; want 0, 0, 100, true", r.Errors, r.LostAnswers, r.Verdict.Attempts, r.OK())
	}
	res, err := srv.Staff(t).Results(context.Background(), r.Exam)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Results {
		if len(a.Sections) != 2 || a.Sections[1].Score != 0 {
			t.Fatalf("a result without the two sections, or with answers in B: %+v", a.Sections)
		}
		for _, q := range a.Questions {
			if q.Section == "B" && q.Response != nil && string(q.Response) != "null" {
				t.Fatalf("%s of section B answered while it was not open: %s", q.Question, q.Response)
			}
		}
	}
}

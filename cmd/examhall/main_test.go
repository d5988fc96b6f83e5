package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"

	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// TestMain lets the test binary run as the examhall binary, so that tests
// can start real server processes and kill them.
func TestMain(m *testing.M) {
	if os.Getenv("EXAMHALL_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// syncBuffer is a buffer safe for a writing server and a reading test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runMain runs Main in process with the given environment.
func runMain(t testing.TB, ctx context.Context, env map[string]string, args ...string) (stdout, stderr *syncBuffer, ready chan string, done chan error) {
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ready = make(chan string, 1)
	done = make(chan error, 1)
	finished := make(chan struct{})
	m := &Main{Stdout: stdout, Stderr: stderr, Stdin: strings.NewReader(""), Getenv: func(k string) string { return env[k] }, Ready: ready}
	go func() { done <- m.Run(ctx, args); close(finished) }()
	// A command still running when the test ends (its ctx cancelled by
	// then) must stop before the test's temporary directories go.
	t.Cleanup(func() {
		select {
		case <-finished:
		case <-time.After(30 * time.Second):
			t.Errorf("examhall %v did not stop within 30 s of the test's end", args)
		}
	})
	return stdout, stderr, ready, done
}

func waitReady(t *testing.T, ready chan string, done chan error, stderr *syncBuffer) string {
	t.Helper()
	select {
	case addr := <-ready:
		return "http://" + addr
	case err := <-done:
		t.Fatalf("server stopped: %v\n%s", err, stderr)
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not start:\n%s", stderr)
	}
	return ""
}

var codeLine = regexp.MustCompile(`(?m)^\s+(demo-\d)\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})$`)
var staffLine = regexp.MustCompile(`(?m)staff\s+(\S+) / (\S+)`)

func TestServeDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr, ready, done := runMain(t, ctx, nil, "serve", "--demo", "--addr", "127.0.0.1:0", "--data", t.TempDir())
	url := waitReady(t, ready, done, stderr)
	codes := codeLine.FindAllStringSubmatch(stdout.String(), -1)
	staff := staffLine.FindStringSubmatch(stdout.String())
	if len(codes) != 5 || staff == nil {
		t.Fatalf("demo printed %d candidate codes and staff %v, want 5 and a login:\n%s", len(codes), staff, stdout)
	}
	c := client.New(url)
	login, err := c.Login(ctx, "demo", codes[0][1], codes[0][2])
	if err != nil {
		t.Fatalf("logging in with a printed code: %v", err)
	}
	paper, err := c.Paper(ctx, login.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, q := range paper.Questions {
		types[string(q.Type)] = true
	}
	for _, typ := range []string{"single", "multiple", "true_false", "numeric", "short_text", "essay", "match", "order",
		"cloze", "gap_match", "hot_text", "hotspot", "select_point", "upload", "multipart"} {
		if !types[typ] {
			t.Errorf("the demo exam has no %s question (it has %v)", typ, types)
		}
	}
	// The same exam in Bangla, with its own codes.
	bn := regexp.MustCompile(`(?m)^\s+(bn-\d)\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})$`).FindStringSubmatch(stdout.String())
	if bn == nil {
		t.Fatalf("no Bangla demo code printed:\n%s", stdout)
	}
	bc := client.New(url)
	bnLogin, err := bc.Login(ctx, "demo-bn", bn[1], bn[2])
	if err != nil {
		t.Fatalf("logging in to the Bangla demo: %v", err)
	}
	bnPaper, err := bc.Paper(ctx, bnLogin.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	if bnPaper.Exam.Language != "bn" || len(bnPaper.Questions) != len(paper.Questions) {
		t.Errorf("the Bangla demo: language %q, %d questions (English: %d)", bnPaper.Exam.Language, len(bnPaper.Questions), len(paper.Questions))
	}
	if left := login.Deadline.Sub(login.ServerTime); left <= 0 {
		t.Errorf("demo attempt has %v left", left)
	}
	// The second demo exam is an entrance test with sections.
	cbt := regexp.MustCompile(`(?m)^\s+(cbt-\d)\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})$`).FindAllStringSubmatch(stdout.String(), -1)
	if len(cbt) != 5 {
		t.Fatalf("demo printed %d codes for the sections exam, want 5:\n%s", len(cbt), stdout)
	}
	c2 := client.New(url)
	login2, err := c2.Login(ctx, "demo-sections", cbt[0][1], cbt[0][2])
	if err != nil {
		t.Fatalf("logging in to the sections demo: %v", err)
	}
	if p, err := c2.Paper(ctx, login2.Attempt); err != nil || len(p.Sections) != 2 || p.CurrentSection != "physics" || p.Exam.Marking == nil {
		t.Errorf("sections demo paper: %v, sections %+v", err, p)
	}
	if err := client.New(url).StaffLogin(ctx, staff[1], staff[2]); err != nil {
		t.Errorf("printed staff login %s/%s: %v", staff[1], staff[2], err)
	}
	// The web UI is served at the printed addresses.
	for _, page := range []string{"/", "/staff"} {
		resp, err := http.Get(url + page)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: %d %s, want the web UI", page, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("graceful shutdown returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop after its context ended")
	}
}

func TestAdminFromEnvironmentAndFlagPrecedence(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := map[string]string{
		"EXAMHALL_ADMIN_USER": "chief", "EXAMHALL_ADMIN_PASSWORD": "s3cret-password",
		"EXAMHALL_ADDR": "256.0.0.1:1", // invalid: the flag below must win
		"EXAMHALL_DATA": t.TempDir(),
	}
	_, stderr, ready, done := runMain(t, ctx, env, "serve", "--addr", "127.0.0.1:0")
	url := waitReady(t, ready, done, stderr)
	if err := client.New(url).StaffLogin(ctx, "chief", "s3cret-password"); err != nil {
		t.Fatalf("admin from EXAMHALL_ADMIN_USER/PASSWORD: %v", err)
	}
	if err := client.New(url).StaffLogin(ctx, "chief", "wrong"); client.Code(err) != "invalid_credentials" {
		t.Errorf("wrong password: %v", err)
	}
}

func TestCommandLineErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no command", nil, nil, "no command"},
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", nil, []string{"serve", "--colour"}, "flag provided but not defined"},
		{"bad env value", map[string]string{"EXAMHALL_MAX_BODY": "lots"}, []string{"serve"}, "EXAMHALL_MAX_BODY"},
		{"bad log level", nil, []string{"serve", "--log-level", "loud"}, "--log-level"},
		{"half an admin", map[string]string{"EXAMHALL_ADMIN_USER": "x"}, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, "EXAMHALL_ADMIN_PASSWORD"},
		{"public url with a path", nil, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--public-url", "https://exams.example.edu/exam"}, "--public-url"},
		{"public url without scheme", map[string]string{"EXAMHALL_PUBLIC_URL": "exams.example.edu"}, []string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, "--public-url"},
		{"import without file", nil, []string{"import"}, "one FILE"},
		{"loadtest without url", nil, []string{"loadtest"}, "--url"},
		{"loadtest without staff", nil, []string{"loadtest", "--url", "http://127.0.0.1:1"}, "--admin-user"},
		{"loadtest procs", nil, []string{"loadtest", "--url", "http://127.0.0.1:1", "--procs", "0"}, "--procs"},
		{"loadtest codes file", nil, []string{"loadtest", "--url", "http://127.0.0.1:1", "--exam", "e", "--codes", dir + "/none.csv"}, "none.csv"},
		{"plan without candidates", nil, []string{"plan", "--candidates", "0"}, "--candidates"},
		{"plan missing prices", nil, []string{"plan", "--prices", dir + "/prices.json"}, "prices.json"},
		{"plan two throughputs", nil, []string{"plan", "--from", "r.json", "--per-core", "5"}, "not both"},
		{"plan bad report", nil, []string{"plan", "--from", dir + "/none.json"}, "none.json"},
		{"plan opens-at without schedule", nil, []string{"plan", "--opens-at", "2026-06-01T09:00:00Z"}, "--schedule"},
		{"plan bad opens-at", nil, []string{"plan", "--schedule", "--opens-at", "9am"}, "--opens-at"},
		{"plan negative lead", nil, []string{"plan", "--schedule", "--lead", "-1m"}, "--lead"},
		{"loadtest bad share", nil, []string{"loadtest", "--url", "http://127.0.0.1:1", "--admin-user", "a", "--no-submit-share", "1.5"}, "fractions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, done := runMain(t, context.Background(), tt.env, tt.args...)
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %v, want one containing %q", err, tt.want)
				}
				var u usageError
				if !errors.As(err, &u) {
					t.Errorf("error %v is not a usage error (exit 2)", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("command did not stop")
			}
		})
	}
}

func TestImportExport(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	file := dir + "/exam.json"
	os.WriteFile(file, []byte(`{"id": "imp", "title": "Imported", "duration_seconds": 600, "questions": [
		{"id": "q1", "type": "true_false", "prompt": "Yes?", "answer": true}]}`), 0o600)
	out, stderr, _, done := runMain(t, ctx, nil, "import", "--data", dir, file)
	if err := <-done; err != nil {
		t.Fatalf("import: %v %s", err, stderr)
	}
	if !strings.Contains(out.String(), "imported exam imp") {
		t.Errorf("import printed %q", out)
	}
	out, _, _, done = runMain(t, ctx, nil, "export", "--data", dir, "imp")
	if err := <-done; err != nil {
		t.Fatalf("export: %v", err)
	}
	if !strings.Contains(out.String(), `"title": "Imported"`) || !strings.Contains(out.String(), `"answer": true`) {
		t.Errorf("export printed:\n%s", out)
	}
	bad := dir + "/bad.json"
	os.WriteFile(bad, []byte(`{"title": "x", "duration_seconds": 60, "questions": [{"id": "q1", "type": "essay", "pionts": 3}]}`), 0o600)
	_, _, _, done = runMain(t, ctx, nil, "import", "--data", dir, bad)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "questions[0].pionts: unknown field") {
		t.Errorf("importing a bad document: %v, want the field named", err)
	}
	out, _, _, done = runMain(t, ctx, nil, "admin", "codes", "--data", dir, "--count", "3", "imp")
	if err := <-done; err != nil {
		t.Fatalf("admin codes: %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 4 || lines[0] != "candidate,code,extra_time_seconds,name" {
		t.Errorf("admin codes printed:\n%s", out)
	}
}

// serverProcess is the test binary running as `examhall serve`.
type serverProcess struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer   // everything the process logged
	exited chan struct{} // closed when the process has exited
	err    error         // its exit status, once exited is closed
}

// startProcess starts the test binary as `examhall serve` in its own
// process, with extra arguments, and returns it once it listens.
func startProcess(t testing.TB, dir string, extra ...string) *serverProcess {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, extra...)
	addr := regexp.MustCompile(`examhall serving"?[ ,]"?addr"?[=:]"?([^"\s]+)`) // text or json
	return startBinary(t, []string{"EXAMHALL_ADMIN_USER=admin", "EXAMHALL_ADMIN_PASSWORD=kill-test-password"}, addr, args...)
}

// startBinary starts the test binary as `examhall args...` with env added
// to its environment, and returns it once a line of its log matches addr,
// whose first group is the address it listens on.
func startBinary(t testing.TB, env []string, addr *regexp.Regexp, args ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "EXAMHALL_TEST_RUN_MAIN=1"), env...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	t.Cleanup(func() { cmd.Process.Kill(); <-p.exited })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			p.stderr.Write(append(sc.Bytes(), '\n'))
			if m := addr.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, pipe)
		p.err = cmd.Wait()
		close(p.exited)
	}()
	select {
	case a := <-found:
		p.url = "http://" + a
	case <-p.exited:
		t.Fatalf("examhall %s exited: %v\n%s", args[0], p.err, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("examhall %s did not start:\n%s", args[0], p.stderr)
	}
	return p
}

// staffClient signs in as the admin of the server process at url.
func staffClient(t testing.TB, url, password string) *client.Client {
	t.Helper()
	staff := client.New(url)
	if err := staff.StaffLogin(context.Background(), "admin", password); err != nil {
		t.Fatal(err)
	}
	return staff
}

// processExam signs in as the admin of the server process at url, creates
// the exam doc and issues n access codes for it.
func processExam(t testing.TB, url, password string, doc any, n int) (staff *client.Client, exam string, codes []examhall.IssuedCode) {
	t.Helper()
	staff = staffClient(t, url, password)
	exam = examhalltest.MustCreateExam(t, staff, doc)
	return staff, exam, examhalltest.MustIssue(t, staff, exam, n)
}

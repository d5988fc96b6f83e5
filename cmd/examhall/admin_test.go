package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

// Exam day from the command line, on a data directory: a draft opened,
// candidates from a file, one candidate's extra time, the list, and
// closing.
func TestAdminExamDay(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	run := func(args ...string) string {
		t.Helper()
		out, stderr, _, done := runMain(t, ctx, nil, args...)
		if err := <-done; err != nil {
			t.Fatalf("%s: %v %s", strings.Join(args, " "), err, stderr)
		}
		return out.String()
	}
	file := dir + "/exam.json"
	os.WriteFile(file, []byte(`{"id": "day", "title": "Day", "duration_seconds": 600, "questions": [
		{"id": "q1", "type": "true_false", "prompt": "Yes?", "answer": true}]}`), 0o600)
	run("import", "--data", dir, file)
	if out := run("admin", "attempts", "--data", dir, "day"); strings.Count(out, "\n") != 1 {
		t.Fatalf("attempts of an exam without candidates:\n%s", out)
	}
	people := dir + "/people.csv"
	os.WriteFile(people, []byte("candidate;name;extra_time_seconds\nann;Ann Smith;60\nbob;Bob Jones;\n"), 0o600)
	out := run("admin", "codes", "--data", dir, "--file", people, "day")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.HasSuffix(lines[1], ",60,Ann Smith") {
		t.Fatalf("codes from a file:\n%s", out)
	}
	if out := run("admin", "candidate", "--data", dir, "--extra-time", "300", "day", "bob"); !strings.Contains(out, "extra time 300 s") {
		t.Fatalf("admin candidate printed %q", out)
	}
	out = run("admin", "attempts", "--data", dir, "--status", "not_started", "day")
	if !strings.Contains(out, "ann,Ann Smith,not_started") || !strings.Contains(out, "bob,Bob Jones,not_started") {
		t.Fatalf("attempts:\n%s", out)
	}
	if out := run("admin", "window", "--data", dir, "--closes", "now", "day"); !strings.Contains(out, "exam day: opens (no bound), closes 20") {
		t.Fatalf("admin window printed %q", out)
	}
	os.WriteFile(dir+"/phones.csv", []byte("candidate,phone\ncid,555\n"), 0o600)
	_, _, _, done := runMain(t, ctx, nil, "admin", "codes", "--data", dir, "--file", dir+"/phones.csv", "day")
	if err := <-done; err == nil || !strings.Contains(err.Error(), "unknown column") {
		t.Fatalf("codes from a file that is not a list of candidates: %v", err)
	}
	_, _, _, done = runMain(t, ctx, nil, "admin", "window", "--data", dir, "--closes", "tomorrow", "day")
	if err := <-done; err == nil || !strings.Contains(err.Error(), "RFC 3339") {
		t.Fatalf("a bad time: %v", err)
	}
}

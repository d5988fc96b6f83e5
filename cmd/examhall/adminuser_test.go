package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
)

// runOnce runs one command to its end.
func runOnce(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	out := &syncBuffer{}
	m := &Main{Stdout: out, Stderr: &syncBuffer{}, Stdin: strings.NewReader(stdin), Getenv: func(k string) string { return env[k] }}
	err := m.Run(context.Background(), args)
	return out.String(), err
}

// TestAdminUserThroughTheAPI manages staff accounts of a running server
// from the command line, with every password from the environment, a file
// or standard input, never from a flag.
func TestAdminUserThroughTheAPI(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	ctx := context.Background()
	api := []string{"--url", srv.URL, "--user", examhalltest.AdminUser}
	admin := map[string]string{"EXAMHALL_PASSWORD": examhalltest.AdminPassword}
	with := func(k, v string) map[string]string {
		env := map[string]string{k: v}
		for a, b := range admin {
			env[a] = b
		}
		return env
	}

	// A new marker, password from the environment.
	out, err := runOnce(t, with("EXAMHALL_NEW_PASSWORD", "marker-password"), "", append([]string{"admin", "user", "--role", "marker"}, append(api, "mara")...)...)
	if err != nil || !strings.Contains(out, "mara (marker) saved") {
		t.Fatalf("creating a marker: %v %q", err, out)
	}
	mara := client.New(srv.URL)
	if err := mara.StaffLogin(ctx, "mara", "marker-password"); err != nil {
		t.Fatalf("the marker's login: %v", err)
	}
	// Her password from a file: the old token ends.
	file := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(file, []byte("file-password\n"), 0o600)
	if out, err := runOnce(t, admin, "", append([]string{"admin", "user", "--new-password-file", file}, append(api, "mara")...)...); err != nil {
		t.Fatalf("a new password from a file: %v %q", err, out)
	}
	if err := mara.Do(ctx, "GET", "/api/v1/admin/exams", nil, nil); client.Code(err) != "unauthorized" {
		t.Errorf("the marker's token after the password change: %v, want unauthorized", err)
	}
	if err := client.New(srv.URL).StaffLogin(ctx, "mara", "file-password"); err != nil {
		t.Errorf("the password from the file: %v", err)
	}
	// A viewer, password from standard input.
	if out, err := runOnce(t, admin, "stdin-password\n", append([]string{"admin", "user", "--role", "viewer", "--new-password-file", "-"}, append(api, "vic")...)...); err != nil || !strings.Contains(out, "vic (viewer) saved") {
		t.Fatalf("a viewer with the password on standard input: %v %q", err, out)
	}
	vic := client.New(srv.URL)
	if err := vic.StaffLogin(ctx, "vic", "stdin-password"); err != nil {
		t.Fatalf("the viewer's login: %v", err)
	}
	// A viewer cannot manage accounts, through the command line either.
	_, err = runOnce(t, map[string]string{"EXAMHALL_PASSWORD": "stdin-password", "EXAMHALL_NEW_PASSWORD": "takeover-password"}, "", "admin", "user", "--url", srv.URL, "--user", "vic", "--role", "admin", "vic")
	if client.Code(err) != "forbidden" {
		t.Errorf("a viewer making themselves admin: %v, want forbidden", err)
	}
	// Unknown roles, passwords as flags and missing passwords are refused
	// before anything is sent.
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{with("EXAMHALL_NEW_PASSWORD", "some-password"), []string{"admin", "user", "--role", "superuser", "x"}, `--role "superuser"`},
		{admin, []string{"admin", "user", "--new-password", "visible-in-ps", "x"}, "EXAMHALL_NEW_PASSWORD"},
		{nil, []string{"import", "--url", srv.URL, "--user", "admin", "--password", "visible-in-ps", "x.gift"}, "EXAMHALL_PASSWORD"},
		{nil, []string{"serve", "--admin-user", "a", "--admin-password", "visible-in-ps"}, "EXAMHALL_ADMIN_PASSWORD"},
		{admin, append([]string{"admin", "user", "--role", "viewer"}, append(api, "nopass")...), "needs a password"},
	} {
		_, err := runOnce(t, tc.env, "", tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(err) != 2 {
			t.Errorf("%v: %v (exit %d), want a usage error mentioning %q", tc.args, err, exitCode(err), tc.want)
		}
	}
	// Deleting an account ends its sessions.
	if _, err := runOnce(t, admin, "", append([]string{"admin", "user", "--delete"}, append(api, "vic")...)...); err != nil {
		t.Fatal(err)
	}
	if err := vic.Do(ctx, "GET", "/api/v1/admin/exams", nil, nil); client.Code(err) != "unauthorized" {
		t.Errorf("the deleted viewer's token: %v, want unauthorized", err)
	}
}

// TestErrorsHideURLPasswords: a command that fails on a URL with a
// password in it says so without the password.
func TestErrorsHideURLPasswords(t *testing.T) {
	secret := "EXAMHALL_SECRET"
	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{map[string]string{"EXAMHALL_POSTGRES": "postgres://root:hunter2@127.0.0.1:1/x", "EXAMHALL_REDIS": "redis://:hunter2@127.0.0.1:1/0", "EXAMHALL_KAFKA": "127.0.0.1:1",
			secret: "3f9c0e17b2d84a65c1e0f7a9d3b25e8c4a71f06b9d2e3c58a0b7f146e9d2c3a8"}, []string{"serve", "--addr", "127.0.0.1:0"}},
		{map[string]string{"EXAMHALL_PASSWORD": "pw-pw-pw-pw"}, []string{"import", "--url", "http://admin:hunter2@127.0.0.1:1", "--user", "admin", "--format", "aiken", "-"}},
		{nil, []string{"migrate", "--postgres", "postgres://root:hunter2@127.0.0.1:1/x"}},
	} {
		_, err := runOnce(t, tc.env, "Q?\nA. yes\nB. no\nANSWER: A\n", tc.args...)
		if err == nil {
			t.Errorf("%v: no error", tc.args)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%v: the error shows the password: %v", tc.args, err)
		}
	}
}

// TestAdminReopenThroughTheAPI reopens a candidate's submitted attempt
// from the command line: it is in progress again with the minutes given,
// and the first receipt is printed.
func TestAdminReopenThroughTheAPI(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	ctx := context.Background()
	staff := srv.Staff(t)
	exam := examhalltest.MustCreateExam(t, staff, examhalltest.AllTypesExam(examhalltest.UniqueName("reopen"), 600))
	codes := examhalltest.MustIssue(t, staff, exam, 2)
	c, login := srv.MustLogin(t, exam, codes[0])
	sub, err := c.Submit(ctx, login.Attempt, examhalltest.CorrectAnswers(1))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"EXAMHALL_PASSWORD": examhalltest.AdminPassword}
	api := []string{"--url", srv.URL, "--user", examhalltest.AdminUser}
	out, err := runOnce(t, env, "", append(append([]string{"admin", "reopen", "--minutes", "15"}, api...), exam, codes[0].Candidate)...)
	if err != nil || !strings.Contains(out, "is in progress until") || !strings.Contains(out, sub.Receipt) {
		t.Fatalf("admin reopen: %v, printed %q", err, out)
	}
	v, err := c.Paper(ctx, login.Attempt)
	if left := v.Deadline.Sub(srv.Clock.Now()); err != nil || v.Status != examhall.InProgress || left > 15*time.Minute || left < 14*time.Minute {
		t.Fatalf("after reopen: %v, status %s, deadline in %v; want in progress for 15m", err, v.Status, v.Deadline.Sub(srv.Clock.Now()))
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--minutes", "15", exam, codes[1].Candidate}, "has no attempt"},
		{[]string{"--minutes", "15", exam, codes[0].Candidate}, "not submitted"},
		{[]string{"--minutes", "0", exam, codes[0].Candidate}, "--minutes"},
	} {
		_, err := runOnce(t, env, "", append(append([]string{"admin", "reopen"}, api...), tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("admin reopen %v: %v, want an error saying %q", tc.args, err, tc.want)
		}
	}
}

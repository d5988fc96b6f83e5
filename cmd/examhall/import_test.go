package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"examhall/examhalltest"
)

func TestImportDirectory(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "bank")
	os.MkdirAll(filepath.Join(src, "more"), 0o700)
	os.WriteFile(filepath.Join(src, "a.gift"), []byte("::g1::Sun hot?{T}\n\nJust a description.\n\n::g2::Pick{~%50%x ~%50%y ~z}\n"), 0o600)
	os.WriteFile(filepath.Join(src, "more", "b.txt"), []byte("Which?\nA. one\nB. two\nANSWER: B\n"), 0o600)
	data := filepath.Join(dir, "data")
	ctx := context.Background()

	out, stderr, _, done := runMain(t, ctx, nil, "import", "--data", data, "--dry-run", src)
	if err := <-done; err != nil {
		t.Fatalf("dry run: %v %s", err, stderr)
	}
	for _, want := range []string{
		"a.gift:3: skipped: a description",
		"a.gift:5: g2: changed: the answer weights became examhall's partial credit",
		"exam: duration_seconds: 3600",
		"(gift+aiken): 2 imported, 1 imported with changes, 1 skipped",
		"not stored (--dry-run)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr.String(), "importing: 2 of 2 files") || strings.Contains(stderr.String(), "\r") {
		t.Errorf("progress on a non-terminal should be plain lines:\n%q", stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "examhall.db")); err == nil {
		t.Errorf("--dry-run created a database")
	}

	out, stderr, _, done = runMain(t, ctx, nil, "import", "--data", data, "--id", "bank", "--title", "Bank", src)
	if err := <-done; err != nil {
		t.Fatalf("import: %v %s", err, stderr)
	}
	if !strings.Contains(out.String(), `imported exam bank: "Bank", 3 questions`) {
		t.Errorf("import printed:\n%s", out)
	}
	out, _, _, done = runMain(t, ctx, nil, "export", "--data", data, "bank")
	if err := <-done; err != nil {
		t.Fatalf("export: %v", err)
	}
	if !strings.Contains(out.String(), `"partial_credit": true`) {
		t.Errorf("export printed:\n%s", out)
	}

	zip := filepath.Join(dir, "bank.zip")
	_, stderr, _, done = runMain(t, ctx, nil, "export", "--data", data, "--format", "qti", "--out", zip, "bank")
	if err := <-done; err != nil {
		t.Fatalf("export qti: %v %s", err, stderr)
	}
	out, stderr, _, done = runMain(t, ctx, nil, "import", "--data", data, "--id", "bank2", zip)
	if err := <-done; err != nil {
		t.Fatalf("import of the export: %v %s", err, stderr)
	}
	if !strings.Contains(out.String(), "(qti): 3 imported, 0 imported with changes, 0 skipped") {
		t.Errorf("re-import printed:\n%s", out)
	}

	bad := filepath.Join(dir, "bad.gift")
	os.WriteFile(bad, []byte("Q1{T}\n\nQ2{=a ~b\n"), 0o600)
	_, _, _, done = runMain(t, ctx, nil, "import", "--data", data, bad)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "bad.gift:3: the answer block opened here is never closed") {
		t.Errorf("malformed file: %v", err)
	}
	_, _, _, done = runMain(t, ctx, nil, "import", "--format", "docx", bad)
	if err := <-done; err == nil || !strings.Contains(err.Error(), `--format "docx"`) {
		t.Errorf("bad format: %v", err)
	}
}

// TestImportExportAPI imports a directory and exports it as QTI through a
// running server's API (--url).
func TestImportExportAPI(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	dir := t.TempDir()
	src := filepath.Join(dir, "bank")
	os.MkdirAll(src, 0o700)
	os.WriteFile(filepath.Join(src, "a.gift"), []byte("::g1::[html]<p>Sun?<img src=\"assets/sun.png\"></p>{T}\n"), 0o600)
	os.WriteFile(filepath.Join(src, "sun.png"), []byte("\x89PNG sun"), 0o600)
	api := []string{"--url", srv.URL, "--user", examhalltest.AdminUser}
	env := map[string]string{"EXAMHALL_PASSWORD": examhalltest.AdminPassword}
	ctx := context.Background()
	out, stderr, _, done := runMain(t, ctx, env, append([]string{"import", "--id", "remote"}, append(api, src)...)...)
	if err := <-done; err != nil {
		t.Fatalf("import: %v %s", err, stderr)
	}
	if !strings.Contains(out.String(), `imported exam remote: "bank", 1 questions`) {
		t.Errorf("import printed:\n%s", out)
	}
	if r := srv.Do(t, "GET", "/api/v1/exams/remote/assets/sun.png", "", nil); r.Status != 200 || string(r.Body) != "\x89PNG sun" {
		t.Errorf("image on the server: %d %q", r.Status, r.Body)
	}
	zip := filepath.Join(dir, "remote.zip")
	_, stderr, _, done = runMain(t, ctx, env, append([]string{"export", "--format", "qti", "--out", zip}, append(api, "remote")...)...)
	if err := <-done; err != nil {
		t.Fatalf("export: %v %s", err, stderr)
	}
	if b, _ := os.ReadFile(zip); !strings.HasPrefix(string(b), "PK") {
		t.Errorf("export wrote %.20q, not a zip", b)
	}
}

// TestImportNothingImportable checks that a dry run ends as the import
// would: with an error when no item of the input can be imported.
func TestImportNothingImportable(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "desc.gift")
	os.WriteFile(src, []byte("Only a description.\n\nAnd another.\n"), 0o600)
	ctx := context.Background()
	for _, args := range [][]string{{"--dry-run"}, {}} {
		out, _, _, done := runMain(t, ctx, nil, append(append([]string{"import", "--format", "gift", "--data", filepath.Join(dir, "data")}, args...), src)...)
		err := <-done
		if err == nil || !strings.Contains(err.Error(), "no item could be imported") {
			t.Errorf("import %v: err %v, want no item could be imported", args, err)
		}
		if !strings.Contains(out.String(), "0 imported, 0 imported with changes, 2 skipped") {
			t.Errorf("import %v printed no report:\n%s", args, out)
		}
	}
}

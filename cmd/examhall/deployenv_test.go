package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDeployFilesNameRealSettings checks every EXAMHALL_* variable that the
// deployment files and the operations guide set: a misspelt one would be
// ignored without a word, so each must be a flag of the command that reads
// it (serve, grader or migrate) or a variable examhall reads itself.
func TestDeployFilesNameRealSettings(t *testing.T) {
	flags := map[string]bool{}
	flagLine := regexp.MustCompile(`(?m)^\s+-([a-z0-9-]+)`)
	for _, cmd := range []string{"serve", "grader", "migrate"} {
		_, stderr, _, done := runMain(t, context.Background(), nil, cmd, "-h")
		<-done
		found := flagLine.FindAllStringSubmatch(stderr.String(), -1)
		if len(found) < 3 {
			t.Fatalf("%s -h lists %d flags:\n%s", cmd, len(found), stderr)
		}
		for _, m := range found {
			flags[m[1]] = true
		}
	}
	// Secrets are read from the environment, never from flags.
	readByExamhall := map[string]bool{"EXAMHALL_SECRET": true, "EXAMHALL_ADMIN_PASSWORD": true, "EXAMHALL_PASSWORD": true, "EXAMHALL_NEW_PASSWORD": true}

	var files []string
	filepath.WalkDir("../../deploy", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return nil
	})
	files = append(files, "../../docs/operations.md")
	name := regexp.MustCompile(`EXAMHALL_[A-Z][A-Z0-9_]*[A-Z0-9]`)
	seen := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range name.FindAllString(string(data), -1) {
			seen++
			flag := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(v, "EXAMHALL_")), "_", "-")
			if !flags[flag] && !readByExamhall[v] {
				t.Errorf("%s sets %s, which no command reads (no flag -%s)", f, v, flag)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d EXAMHALL_ variables in the deployment files", seen)
	}
}

package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"examhall"
	"examhall/client"
	"examhall/examhalltest"
	"examhall/sqlite"

	"github.com/golang-jwt/jwt/v5"
)

// TestBackupWhileServing backs up the database of a running server
// process, then starts a server on the copy alone and finds every answer
// acknowledged before the backup, the submission and its receipt.
func TestBackupWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	proc := startProcess(t, dir)
	ctx := context.Background()
	_, exam, codes := processExam(t, proc.url, "kill-test-password", examhalltest.AllTypesExam("backup", 3600), 3)
	attempts := make([]string, len(codes))
	var receipt string
	for i, code := range codes {
		c := client.New(proc.url)
		login, err := c.Login(ctx, exam, code.Candidate, code.Code)
		if err != nil {
			t.Fatal(err)
		}
		attempts[i] = login.Attempt
		for seq := int64(1); seq <= 5; seq++ {
			ans := []examhall.Answer{{Question: "q5", Response: mustJSON(code.Candidate + "-" + string(rune('0'+seq))), Seq: seq}}
			if _, err := c.Save(ctx, login.Attempt, ans); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			r, err := c.Submit(ctx, login.Attempt, nil)
			if err != nil {
				t.Fatal(err)
			}
			receipt = r.Receipt
		}
	}

	file := filepath.Join(t.TempDir(), "copy.db")
	out, stderr, _, done := runMain(t, ctx, nil, "backup", "--data", dir, file)
	if err := <-done; err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	if !strings.Contains(out.String(), "backed up") {
		t.Errorf("backup printed %q", out)
	}
	_, _, _, done = runMain(t, ctx, nil, "backup", "--data", dir, file)
	if err := <-done; err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second backup to the same file: %v, want a refusal", err)
	}
	proc.cmd.Process.Signal(syscall.SIGTERM)
	<-proc.exited

	restored := t.TempDir()
	if err := os.Rename(file, filepath.Join(restored, sqlite.FileName)); err != nil {
		t.Fatal(err)
	}
	url := startProcess(t, restored).url
	for i, code := range codes {
		c := client.New(url)
		if _, err := c.Login(ctx, exam, code.Candidate, code.Code); err != nil {
			t.Fatalf("login on the restored copy: %v", err)
		}
		v, err := c.Paper(ctx, attempts[i])
		if err != nil {
			t.Fatal(err)
		}
		var resp string
		json.Unmarshal(v.Answers["q5"].Response, &resp)
		if want := code.Candidate + "-5"; v.Answers["q5"].Seq != 5 || resp != want {
			t.Errorf("candidate %d on the copy: q5 = %q seq %d, want %q seq 5", i, resp, v.Answers["q5"].Seq, want)
		}
		if i == 0 && (v.Status != examhall.Submitted || v.Receipt != receipt) {
			t.Errorf("submission on the copy: %s %q, want submitted with receipt %q", v.Status, v.Receipt, receipt)
		}
	}
}

// TestBackupForgesNothing attacks a backup as someone who got a copy of
// it: the file is private (0600), and everything in it (the master
// secret, the admin's password hash) does not make a staff token the
// server accepts.
func TestBackupForgesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	proc := startProcess(t, dir)
	file := filepath.Join(t.TempDir(), "copy.db")
	if _, stderr, _, done := runMain(t, context.Background(), nil, "backup", "--data", dir, file); <-done != nil {
		t.Fatalf("backup failed: %s", stderr)
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want -rw------- (it holds the access codes' key)", st.Mode().Perm())
	}
	db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var secretHex, hash string
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'secret'`).Scan(&secretHex); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT password_hash FROM staff WHERE username = 'admin'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	secret, _ := hex.DecodeString(secretHex)
	// The token key as it would be derived from the master secret alone.
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("examhall/token"))
	key := m.Sum(nil)
	pwv := sha256.Sum256(append(append([]byte(nil), key...), hash...))
	now := time.Now()
	forged, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"knd": "staff", "sub": "admin", "rol": "admin", "pwv": base64.RawURLEncoding.EncodeToString(pwv[:9]),
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	c := client.New(proc.url)
	c.Token = forged
	err = c.Do(context.Background(), "GET", "/api/v1/admin/exams", nil, nil)
	if client.Code(err) != examhall.EUnauthorized {
		t.Fatalf("a staff token forged from a backup: %v, want unauthorized", err)
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"

	"examhall/loadtest"
)

// errLoadFailed is the exit status of a load test that ran but failed its
// verdict.
var errLoadFailed = errors.New("load test failed: see the report")

func (m *Main) runLoadtest(ctx context.Context, args []string) error {
	fs := m.newFlagSet("loadtest", "loadtest --url URL [flags]")
	var c loadtest.Config
	fs.StringVar(&c.URL, "url", "", "the examhall server (or load balancer) to test; several, comma-separated, spread the candidates over them (staff requests go to the first)")
	fs.IntVar(&c.Candidates, "candidates", 1000, "simulated candidates (with --codes: at most this many of them; 0 = all)")
	fs.DurationVar(&c.Ramp, "ramp", 30*time.Second, "logins are spread over this time (the login spike)")
	fs.DurationVar(&c.Duration, "duration", 5*time.Minute, "each candidate's session, from login to submit")
	fs.DurationVar(&c.SaveEvery, "save-every", 15*time.Second, "mean time between a candidate's autosaves (±50% jitter)")
	fs.Float64Var(&c.NoSubmitShare, "no-submit-share", 0.05, "share of candidates that never submit (the server submits them at the deadline)")
	fs.Float64Var(&c.ReloadShare, "reload-share", 0.1, "share of candidates that reload once (log in again and fetch the paper)")
	fs.BoolVar(&c.Lobby, "lobby", false, "open the exam when the ramp ends: candidates sign in during the ramp, wait in the lobby, start together and run out of time together")
	fs.BoolVar(&c.Sections, "sections", false, "create the exam in the format of entrance exams: negative marking, a timed forward-only section, answer any 2 of 3")
	fs.StringVar(&c.AdminUser, "admin-user", "", "staff username, to create the exam and codes and to fetch results for the verdict")
	passwordFile := fs.String("admin-password-file", "", "file holding the password of --admin-user (- reads standard input; default: the EXAMHALL_ADMIN_PASSWORD variable)")
	fs.StringVar(&c.Exam, "exam", "", "use this existing exam (with --codes) instead of creating one")
	codes := fs.String("codes", "", "CSV file of candidate,code for --exam (as printed by examhall admin codes)")
	fs.DurationVar(&c.CloseMargin, "close-margin", 10*time.Second, "the created exam closes this long after the last session ends")
	fs.DurationVar(&c.Grace, "grace", 5*time.Second, "grace period of the created exam")
	fs.DurationVar(&c.VerifyWait, "verify-wait", 2*time.Minute, "longest wait for the exam to close before the verdict")
	fs.Uint64Var(&c.Seed, "seed", 0, "random seed (0: random)")
	conns := fs.Int("conns", 0, "cap on the connections the candidates share, in total (0: one per candidate)")
	procs := fs.Int("procs", 1, "split the candidates over this many processes")
	jsonFile := fs.String("json", "", "also write the report as JSON to this file")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("loadtest takes no arguments, got %q", fs.Arg(0))}
	}
	var err error
	if c.AdminPassword, err = m.password(*passwordFile, "EXAMHALL_ADMIN_PASSWORD"); err != nil {
		return usageError{"--admin-password-file: " + err.Error()}
	}
	if *procs < 1 || *procs > 64 {
		return usageError{"--procs must be from 1 to 64"}
	}
	if *conns < 0 {
		return usageError{"--conns must not be negative"}
	}
	if *codes != "" {
		f, err := os.Open(*codes)
		if err != nil {
			return usageError{err.Error()}
		}
		c.Codes, err = loadtest.ReadCodes(f)
		f.Close()
		if err != nil {
			return usageError{fmt.Sprintf("--codes %s: %v", *codes, err)}
		}
	}
	if err := c.Check(); err != nil {
		return usageError{err.Error()}
	}
	show := newProgressView(m.Stderr, c.Ramp+c.Duration)
	var r *loadtest.Report

	if *procs == 1 {
		r, err = loadtest.Run(ctx, &c, loadtest.Options{Conns: *conns, Progress: show.update})
	} else {
		exe, xerr := os.Executable()
		if xerr != nil {
			return xerr
		}
		r, err = loadtest.RunProcs(ctx, &c, loadtest.ProcOptions{Procs: *procs, Conns: *conns, Progress: show.update,
			Command: func() *exec.Cmd {
				cmd := exec.Command(exe, "loadtest-child")
				cmd.Stderr = m.Stderr
				return cmd
			}})
	}
	show.finish()
	if err != nil {
		return err
	}
	r.Print(m.Stdout)
	if *jsonFile != "" {
		b, _ := json.MarshalIndent(r, "", "  ")
		if err := os.WriteFile(*jsonFile, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if !r.OK() && r.Verdict != nil && r.Verdict.Checked {
		return errLoadFailed
	}
	return nil
}

// runLoadtestChild is a child process of "loadtest --procs": its input on
// stdin, its results on stdout.
func (m *Main) runLoadtestChild(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{"loadtest-child is started by loadtest --procs and takes no arguments"}
	}
	return loadtest.ServeChild(ctx, m.Stdin, m.Stdout)
}

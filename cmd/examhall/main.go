// Command examhall is the exam server: one binary for every role.
//
//	examhall serve      run the server (embedded mode by default)
//	examhall import     load exam content (GIFT, Aiken, Moodle XML, QTI, exam documents)
//	examhall export     print an exam document, or write a QTI 3.0 package
//	examhall admin      manage staff accounts and candidate codes
//	examhall migrate    bring the database schema up to date
//	examhall grader     scale mode: consume the event log into PostgreSQL
//	examhall backup     copy the embedded database while it serves
//	examhall loadtest   drive a deployment with simulated candidates and judge it
//	examhall plan       size and price a deployment from measured throughput
//	examhall version    print the version
//
// Run "examhall COMMAND -h" for a command's flags. Every flag can also be set
// with an environment variable EXAMHALL_<FLAG> (dashes become underscores);
// the flag wins.
package main

import (
	"context"
	"errors"
	"examhall/telemetry"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(m.Stderr, "examhall:", oneLine(err.Error()))
		}
		os.Exit(exitCode(err))
	}
}

// Main is the program: its streams and environment are fields so that tests
// can run it in process.
type Main struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string

	// Ready, if set, receives the serving address once the server listens.
	Ready chan<- string
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv}
}

// oneLine joins the lines of an error message (drivers list every address
// they tried on a line of its own), so that a failure is one log line.
func oneLine(msg string) string {
	lines := strings.FieldsFunc(msg, func(r rune) bool { return r == '\n' || r == '\r' })
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "; ")
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// Run runs the command named by args[0]. Its error quotes no password of a
// URL (a database URL in a connection error, say).
func (m *Main) Run(ctx context.Context, args []string) error {
	if err := m.run(ctx, args); err != nil {
		if msg := telemetry.RedactCredentials(err.Error()); msg != err.Error() {
			return &redactedError{msg: msg, err: err}
		}
		return err
	}
	return nil
}

// redactedError is an error shown without the passwords it quoted.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (m *Main) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		m.usage()
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return m.runServe(ctx, rest)
	case "import":
		return m.runImport(ctx, rest)
	case "export":
		return m.runExport(ctx, rest)
	case "admin":
		return m.runAdmin(ctx, rest)
	case "grader":
		return m.runGrader(ctx, rest)
	case "migrate":
		return m.runMigrate(ctx, rest)
	case "backup":
		return m.runBackup(ctx, rest)
	case "loadtest":
		return m.runLoadtest(ctx, rest)
	case "loadtest-child":
		return m.runLoadtestChild(ctx, rest)
	case "plan":
		return m.runPlan(ctx, rest)
	case "version":
		fmt.Fprintln(m.Stdout, "examhall", Version)
		return nil
	case "help", "-h", "-help", "--help":
		m.usage()
		return nil
	}
	m.usage()
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

func (m *Main) usage() {
	fmt.Fprint(m.Stderr, `examhall: an exam server for tens of thousands of candidates at once.

Usage: examhall COMMAND [flags]

Commands:
  serve     run the server (embedded mode with no configuration)
  import    load exam content: GIFT, Aiken, Moodle XML, QTI, exam documents
  export    print an exam document, or write a QTI 3.0 package
  admin     manage staff accounts and candidate codes
  migrate   bring the database schema up to date
  grader    scale mode: consume the event log into PostgreSQL
  backup    copy the embedded database, consistent, while it serves
  loadtest  drive a deployment with simulated candidates and judge it
  plan      size and price a deployment from measured throughput
  version   print the version

Run "examhall COMMAND -h" for the flags of a command. Every flag can also be
set as EXAMHALL_<FLAG>, e.g. EXAMHALL_ADDR=:9000; the flag wins.
`)
}

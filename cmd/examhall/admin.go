package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"

	"examhall"
	"examhall/postgres"
	"examhall/sqlite"
)

func (m *Main) runAdmin(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"admin needs a subcommand: user or codes (examhall admin user -h)"}
	}
	switch args[0] {
	case "user":
		return m.adminUser(ctx, args[1:])
	case "codes":
		return m.adminCodes(ctx, args[1:])
	}
	return usageError{fmt.Sprintf("unknown admin subcommand %q: use user or codes", args[0])}
}

// adminUser creates a staff account or resets its password.
func (m *Main) adminUser(ctx context.Context, args []string) error {
	fs := m.newFlagSet("admin user", "admin user [flags] USERNAME")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	password := fs.String("new-password", "", "the account's password, at least 8 characters (or EXAMHALL_NEW_PASSWORD)")
	role := fs.String("role", examhall.RoleAdmin, "the account's role")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"admin user takes one USERNAME"}
	}
	name := fs.Arg(0)
	if !examhall.ValidID(name) {
		return usageError{fmt.Sprintf("%q is not a valid username (letters, digits, '.', '_', ':' or '-')", name)}
	}
	if len(*password) < 8 {
		return usageError{"--new-password must be at least 8 characters"}
	}
	srv, err := openEmbedded(ctx, *data, false, nil)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.Hall.PutStaff(ctx, name, *password, *role); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "staff account %s (%s) saved\n", name, *role)
	return nil
}

// adminCodes issues access codes and prints them as CSV.
func (m *Main) adminCodes(ctx context.Context, args []string) error {
	fs := m.newFlagSet("admin codes", "admin codes [flags] EXAM")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	count := fs.Int("count", 0, "issue codes to this many new candidates")
	ids := fs.String("candidates", "", "comma-separated candidate ids to issue codes to")
	extra := fs.Int("extra-time", 0, "extra time in seconds for these candidates")
	var api apiFlags
	api.register(fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"admin codes takes one EXAM id"}
	}
	var specs []examhall.CandidateSpec
	for _, id := range strings.Split(*ids, ",") {
		if id = strings.TrimSpace(id); id != "" {
			specs = append(specs, examhall.CandidateSpec{ID: id, ExtraSeconds: *extra})
		}
	}
	var codes []examhall.IssuedCode
	if api.URL != "" {
		c, err := api.client(ctx)
		if err != nil {
			return err
		}
		body := map[string]any{"extra_time_seconds": *extra}
		if *count > 0 {
			body["count"] = *count
		} else {
			var names []string
			for _, s := range specs {
				names = append(names, s.ID)
			}
			body["candidates"] = names
		}
		var out struct{ Candidates []examhall.IssuedCode }
		if err := c.Do(ctx, "POST", "/api/v1/admin/exams/"+fs.Arg(0)+"/candidates", body, &out); err != nil {
			return err
		}
		codes = out.Candidates
	} else {
		srv, err := openEmbedded(ctx, *data, true, nil)
		if err != nil {
			return err
		}
		defer srv.Close()
		issued, err := srv.Hall.IssueCodes(operator(ctx, "cli"), fs.Arg(0), &examhall.IssueRequest{Candidates: specs, Count: *count})
		if err != nil {
			return err
		}
		codes = issued.Candidates
	}
	w := csv.NewWriter(m.Stdout)
	w.Write([]string{"candidate", "code", "extra_time_seconds"})
	for _, c := range codes {
		w.Write([]string{c.Candidate, c.Code, fmt.Sprint(c.ExtraSeconds)})
	}
	w.Flush()
	return w.Error()
}

func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := m.newFlagSet("migrate", "migrate [flags]")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	pgURL := fs.String("postgres", "", "scale mode: PostgreSQL URL (migrates it instead of the embedded database)")
	schema := fs.String("postgres-schema", "", "scale mode: PostgreSQL schema to use (created if missing; default: the URL's search path)")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if *pgURL != "" {
		return m.migratePostgres(ctx, *pgURL, *schema)
	}
	db, err := sqlite.Open(ctx, *data, sqlite.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "schema of %s is up to date\n", db.Path())
	return db.Close()
}

// migratePostgres brings a scale-mode database up to date.
func (m *Main) migratePostgres(ctx context.Context, url, schema string) error {
	db, err := postgres.Open(ctx, url, postgres.Options{Schema: schema})
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "postgres schema at version %d (%d migrations applied)\n", postgres.Latest(), n)
	return nil
}

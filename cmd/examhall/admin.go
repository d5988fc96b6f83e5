package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"examhall"
	"examhall/client"
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

// adminUser creates a staff account, or changes its password or role:
// through a running server's API with --url (as an admin), or on the data
// directory when no server holds it.
func (m *Main) adminUser(ctx context.Context, args []string) error {
	fs := m.newFlagSet("admin user", "admin user [flags] USERNAME")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	passwordFile := fs.String("new-password-file", "", "file holding the account's new password, at least 8 characters (- reads standard input; default: the EXAMHALL_NEW_PASSWORD variable)")
	role := fs.String("role", "", "the account's role: "+strings.Join(examhall.Roles, ", ")+" (a new account: admin if not given)")
	del := fs.Bool("delete", false, "delete the account (with --url)")
	var api apiFlags
	api.register(m, fs)
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
	if *role != "" && !examhall.ValidRole(*role) {
		return usageError{fmt.Sprintf("--role %q: use one of %s", *role, strings.Join(examhall.Roles, ", "))}
	}
	password, err := m.password(*passwordFile, "EXAMHALL_NEW_PASSWORD")
	if err != nil {
		return usageError{"--new-password-file: " + err.Error()}
	}
	if password != "" && len(password) < 8 {
		return usageError{"the new password must be at least 8 characters"}
	}
	if api.URL != "" {
		return m.adminUserAPI(ctx, &api, name, password, *role, *del)
	}
	if *del {
		return usageError{"--delete works through a server's API: add --url"}
	}
	if password == "" {
		return usageError{"a new password is needed: set EXAMHALL_NEW_PASSWORD or use --new-password-file"}
	}
	if *role == "" {
		*role = examhall.RoleAdmin
	}
	srv, err := openEmbedded(ctx, *data, false, nil)
	if err != nil {
		if errors.Is(err, sqlite.ErrLocked) {
			return fmt.Errorf("%w (admin user --url URL works through it)", err)
		}
		return err
	}
	defer srv.Close()
	if err := srv.Hall.PutStaff(ctx, name, password, *role); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "staff account %s (%s) saved\n", name, *role)
	return nil
}

// adminUserAPI manages an account through /api/v1/admin/staff: creates it
// when it does not exist, else changes what is given.
func (m *Main) adminUserAPI(ctx context.Context, api *apiFlags, name, password, role string, del bool) error {
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	path := "/api/v1/admin/staff/" + url.PathEscape(name)
	if del {
		if err := c.Do(ctx, "DELETE", path, nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "staff account %s deleted\n", name)
		return nil
	}
	var out examhall.Staff
	err = c.Do(ctx, "PUT", path, &examhall.StaffRequest{Password: password, Role: role}, &out)
	if client.Code(err) == examhall.ENotFound {
		if password == "" {
			return usageError{fmt.Sprintf("there is no account %s: a new one needs a password (EXAMHALL_NEW_PASSWORD or --new-password-file)", name)}
		}
		if role == "" {
			role = examhall.RoleAdmin
		}
		err = c.Do(ctx, "POST", "/api/v1/admin/staff", &examhall.StaffRequest{Username: name, Password: password, Role: role}, &out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "staff account %s (%s) saved\n", out.Username, out.Role)
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
	api.register(m, fs)
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

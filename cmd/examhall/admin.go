package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"examhall"
	"examhall/client"
	"examhall/postgres"
	"examhall/sqlite"
)

func (m *Main) runAdmin(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"admin needs a subcommand: user, codes, window, candidate, attempts or reopen (examhall admin user -h)"}
	}
	switch args[0] {
	case "user":
		return m.adminUser(ctx, args[1:])
	case "codes":
		return m.adminCodes(ctx, args[1:])
	case "window":
		return m.adminWindow(ctx, args[1:])
	case "candidate":
		return m.adminCandidate(ctx, args[1:])
	case "attempts":
		return m.adminAttempts(ctx, args[1:])
	case "reopen":
		return m.adminReopen(ctx, args[1:])
	}
	return usageError{fmt.Sprintf("unknown admin subcommand %q: use user, codes, window, candidate, attempts or reopen", args[0])}
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
	file := fs.String("file", "", "a CSV file of candidates (header: candidate, name, extra_time_seconds, opens_at, closes_at, email)")
	extra := fs.Int("extra-time", 0, "extra time in seconds for these candidates")
	var api apiFlags
	api.register(m, fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"admin codes takes one EXAM id"}
	}
	req := &examhall.IssueRequest{Count: *count}
	for _, id := range strings.Split(*ids, ",") {
		if id = strings.TrimSpace(id); id != "" {
			req.Candidates = append(req.Candidates, examhall.CandidateSpec{ID: id, ExtraSeconds: *extra})
		}
	}
	var raw []byte
	if *file != "" {
		var err error
		if raw, err = os.ReadFile(*file); err != nil {
			return err
		}
		if req, err = examhall.ParseCandidatesCSV(raw); err != nil {
			return fmt.Errorf("%s: %s", *file, examhall.ErrorMessage(err))
		}
	}
	var codes []examhall.IssuedCode
	if api.URL != "" {
		c, err := api.client(ctx)
		if err != nil {
			return err
		}
		var out struct{ Candidates []examhall.IssuedCode }
		path := "/api/v1/admin/exams/" + url.PathEscape(fs.Arg(0)) + "/candidates"
		if raw != nil {
			err = c.DoCSV(ctx, "POST", path, raw, &out)
		} else {
			body := map[string]any{"extra_time_seconds": *extra}
			if *count > 0 {
				body["count"] = *count
			} else {
				var names []string
				for _, s := range req.Candidates {
					names = append(names, s.ID)
				}
				body["candidates"] = names
			}
			err = c.Do(ctx, "POST", path, body, &out)
		}
		if err != nil {
			return err
		}
		codes = out.Candidates
	} else {
		srv, err := openEmbedded(ctx, *data, true, nil)
		if err != nil {
			return err
		}
		defer srv.Close()
		issued, err := srv.Hall.IssueCodes(operator(ctx, "cli"), fs.Arg(0), req)
		if err != nil {
			return err
		}
		codes = issued.Candidates
	}
	w := csv.NewWriter(m.Stdout)
	w.Write([]string{"candidate", "code", "extra_time_seconds", "name"})
	for _, c := range codes {
		w.Write([]string{c.Candidate, c.Code, fmt.Sprint(c.ExtraSeconds), c.Name})
	}
	w.Flush()
	return w.Error()
}

// staffCall runs one staff action on the server at --url, or on the
// embedded database in --data as the operator "cli".
func (m *Main) staffCall(ctx context.Context, api *apiFlags, data string, remote func(*client.Client) error, local func(context.Context, examhall.StaffService) error) error {
	if api.URL != "" {
		c, err := api.client(ctx)
		if err != nil {
			return err
		}
		return remote(c)
	}
	srv, err := openEmbedded(ctx, data, true, nil)
	if err != nil {
		return err
	}
	defer srv.Close()
	return local(operator(ctx, "cli"), srv.Hall)
}

// adminWindow opens or closes an exam, or sets its window. Closing moves
// the deadline of every attempt in progress to the close time.
func (m *Main) adminWindow(ctx context.Context, args []string) error {
	fs := m.newFlagSet("admin window", "admin window [flags] EXAM")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	opens := fs.String("opens", "", "opening time (RFC 3339), or \"now\"; empty: none")
	closes := fs.String("closes", "", "closing time (RFC 3339), or \"now\" to end every running attempt now; empty: none")
	var api apiFlags
	api.register(m, fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"admin window takes one EXAM id"}
	}
	w := &examhall.Window{}
	for _, f := range []struct {
		name, v string
		to      **time.Time
	}{{"--opens", *opens, &w.OpensAt}, {"--closes", *closes, &w.ClosesAt}} {
		switch f.v {
		case "":
		case "now":
			t := time.Now().UTC()
			*f.to = &t
		default:
			t, err := time.Parse(time.RFC3339, f.v)
			if err != nil {
				return usageError{fmt.Sprintf("%s %q: use an RFC 3339 time (2026-06-01T09:00:00Z) or now", f.name, f.v)}
			}
			*f.to = &t
		}
	}
	exam := fs.Arg(0)
	err := m.staffCall(ctx, &api, *data,
		func(c *client.Client) error {
			return c.Do(ctx, "PUT", "/api/v1/admin/exams/"+url.PathEscape(exam)+"/window", w, nil)
		},
		func(ctx context.Context, h examhall.StaffService) error { return h.SetWindow(ctx, exam, w) })
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "exam %s: opens %s, closes %s\n", exam, orNone(w.OpensAt), orNone(w.ClosesAt))
	return nil
}

func orNone(t *time.Time) string {
	if t == nil {
		return "(no bound)"
	}
	return t.Format(time.RFC3339)
}

// adminCandidate changes one candidate: extra time, own window, name.
func (m *Main) adminCandidate(ctx context.Context, args []string) error {
	fs := m.newFlagSet("admin candidate", "admin candidate [flags] EXAM CANDIDATE")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	extra := fs.Int("extra-time", -1, "extra time in seconds (moves the deadline of an attempt in progress)")
	name := fs.String("name", "", "the candidate's name")
	opens := fs.String("opens", "", "the candidate's own opening time (RFC 3339)")
	closes := fs.String("closes", "", "the candidate's own closing time (RFC 3339)")
	var api apiFlags
	api.register(m, fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError{"admin candidate takes an EXAM id and a CANDIDATE id"}
	}
	up := &examhall.CandidateUpdate{}
	if *extra >= 0 {
		up.ExtraSeconds = extra
	}
	if *name != "" {
		up.Name = name
	}
	for _, f := range []struct {
		flag, v string
		to      *examhall.OptionalTime
	}{{"--opens", *opens, &up.OpensAt}, {"--closes", *closes, &up.ClosesAt}} {
		if f.v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, f.v)
		if err != nil {
			return usageError{fmt.Sprintf("%s %q: use an RFC 3339 time", f.flag, f.v)}
		}
		*f.to = examhall.OptionalTime{Set: true, Time: &t}
	}
	exam, cand := fs.Arg(0), fs.Arg(1)
	var out *examhall.Candidate
	err := m.staffCall(ctx, &api, *data,
		func(c *client.Client) error {
			body := map[string]any{}
			if up.ExtraSeconds != nil {
				body["extra_time_seconds"] = *up.ExtraSeconds
			}
			if up.Name != nil {
				body["name"] = *up.Name
			}
			if up.OpensAt.Set {
				body["opens_at"] = up.OpensAt.Time
			}
			if up.ClosesAt.Set {
				body["closes_at"] = up.ClosesAt.Time
			}
			out = &examhall.Candidate{}
			return c.Do(ctx, "PUT", "/api/v1/admin/exams/"+url.PathEscape(exam)+"/candidates/"+url.PathEscape(cand), body, out)
		},
		func(ctx context.Context, h examhall.StaffService) (err error) {
			out, err = h.UpdateCandidate(ctx, exam, cand, up)
			return err
		})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "candidate %s of %s: extra time %d s, window %s to %s\n", out.ID, exam, out.ExtraSeconds, orNone(out.OpensAt), orNone(out.ClosesAt))
	return nil
}

// adminAttempts prints the live list of an exam's candidates as CSV.
func (m *Main) adminAttempts(ctx context.Context, args []string) error {
	fs := m.newFlagSet("admin attempts", "admin attempts [flags] EXAM")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	status := fs.String("status", "", "only in_progress, submitted or not_started")
	var api apiFlags
	api.register(m, fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"admin attempts takes one EXAM id"}
	}
	exam := fs.Arg(0)
	var list *examhall.AttemptList
	err := m.staffCall(ctx, &api, *data,
		func(c *client.Client) error {
			list = &examhall.AttemptList{}
			return c.Do(ctx, "GET", "/api/v1/admin/exams/"+url.PathEscape(exam)+"/attempts?status="+url.QueryEscape(*status), nil, list)
		},
		func(ctx context.Context, h examhall.StaffService) (err error) {
			list, err = h.AttemptList(ctx, exam, *status)
			return err
		})
	if err != nil {
		return err
	}
	w := csv.NewWriter(m.Stdout)
	w.Write([]string{"candidate", "name", "status", "deadline", "answered", "questions", "saves", "logins", "last_save_at", "submitted_at", "overdue"})
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	for _, a := range list.Attempts {
		w.Write([]string{a.Candidate, a.Name, string(a.Status), ts(a.Deadline), fmt.Sprint(a.Answered), fmt.Sprint(a.Questions),
			fmt.Sprint(a.Saves), fmt.Sprint(a.Logins), ts(a.LastSaveAt), ts(a.SubmittedAt), fmt.Sprint(a.Overdue)})
	}
	w.Flush()
	return w.Error()
}

// adminReopen puts a candidate's submitted attempt back in progress for
// some minutes (a crashed laptop, a fire alarm).
func (m *Main) adminReopen(ctx context.Context, args []string) error {
	fs := m.newFlagSet("admin reopen", "admin reopen --minutes N [flags] EXAM CANDIDATE")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	minutes := fs.Int("minutes", 0, "the time the candidate gets from now, in minutes (1 to 1440)")
	var api apiFlags
	api.register(m, fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError{"admin reopen takes an EXAM id and a CANDIDATE id"}
	}
	if *minutes < 1 || *minutes*60 > examhall.MaxReopenSeconds {
		return usageError{"--minutes: the time the candidate gets, from 1 to 1440 minutes"}
	}
	exam, cand := fs.Arg(0), fs.Arg(1)
	req := &examhall.ReopenRequest{ExtraSeconds: new(*minutes * 60)}
	attemptOf := func(list *examhall.AttemptList) (string, error) {
		for _, a := range list.Attempts {
			if a.Candidate == cand && a.Attempt != "" {
				return a.Attempt, nil
			}
		}
		return "", examhall.Errorf(examhall.ENotFound, "Candidate %q of exam %q has no attempt.", cand, exam)
	}
	var out *examhall.Reopened
	err := m.staffCall(ctx, &api, *data,
		func(c *client.Client) error {
			list := &examhall.AttemptList{}
			if err := c.Do(ctx, "GET", "/api/v1/admin/exams/"+url.PathEscape(exam)+"/attempts", nil, list); err != nil {
				return err
			}
			id, err := attemptOf(list)
			if err != nil {
				return err
			}
			out = &examhall.Reopened{}
			return c.Do(ctx, "POST", "/api/v1/admin/exams/"+url.PathEscape(exam)+"/attempts/"+url.PathEscape(id)+"/reopen", req, out)
		},
		func(ctx context.Context, h examhall.StaffService) error {
			list, err := h.AttemptList(ctx, exam, "")
			if err != nil {
				return err
			}
			id, err := attemptOf(list)
			if err != nil {
				return err
			}
			out, err = h.ReopenAttempt(ctx, exam, id, req)
			return err
		})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "attempt %s of %s is in progress until %s (first submitted %s, receipt %s)\n",
		out.Attempt, cand, out.Deadline.Format(time.RFC3339), out.Previous.SubmittedAt.Format(time.RFC3339), out.Previous.Receipt)
	return nil
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

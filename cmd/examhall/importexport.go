package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"examhall"
)

func (m *Main) runImport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("import", "import [flags] FILE   (FILE - reads standard input)")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	replace := fs.Bool("replace", false, "replace an existing exam of the same id (only before any attempt started)")
	dryRun := fs.Bool("dry-run", false, "check the document and report, without storing it")
	var api apiFlags
	api.register(fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"import takes one FILE"}
	}
	body, err := m.readInput(fs.Arg(0))
	if err != nil {
		return err
	}
	e, err := examhall.ParseExam(body)
	if err != nil {
		return fmt.Errorf("%s: %s", fs.Arg(0), examhall.ErrorMessage(err))
	}
	if *dryRun {
		fmt.Fprintf(m.Stdout, "%s: valid exam %q with %d questions (not stored: --dry-run)\n", fs.Arg(0), e.Title, len(e.Questions))
		return nil
	}
	var id string
	if api.URL != "" {
		id, err = api.importExam(ctx, body, e.ID, *replace)
	} else {
		id, err = importEmbedded(ctx, *data, e, *replace)
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if *replace {
		verb = "replaced"
	}
	fmt.Fprintf(m.Stdout, "%s exam %s: %q, %d questions\n", verb, id, e.Title, len(e.Questions))
	return nil
}

func importEmbedded(ctx context.Context, dir string, e *examhall.Exam, replace bool) (string, error) {
	db, h, err := openEmbedded(ctx, dir, false, nil)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if replace {
		if e.ID == "" {
			return "", usageError{"--replace needs a document with an id"}
		}
		return e.ID, h.ReplaceExam(ctx, "cli", e)
	}
	return h.CreateExam(ctx, "cli", e)
}

func (m *Main) readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(m.Stdin)
	}
	return os.ReadFile(name)
}

func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("export", "export [flags] EXAM")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	var api apiFlags
	api.register(fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"export takes one EXAM id"}
	}
	var e *examhall.Exam
	if api.URL != "" {
		body, err := api.exportExam(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		if e, err = examhall.ParseExam(body); err != nil {
			return err
		}
	} else {
		db, h, err := openEmbedded(ctx, *data, true, nil)
		if err != nil {
			return err
		}
		defer db.Close()
		if e, err = h.Exam(ctx, fs.Arg(0)); err != nil {
			return err
		}
	}
	out, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(m.Stdout, "%s\n", out)
	return err
}

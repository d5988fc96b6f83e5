package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"examhall"
	"examhall/content/importer"
	"examhall/content/qti"
)

func (m *Main) runImport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("import", "import [flags] FILE|DIR|ZIP   (FILE - reads standard input)")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	replace := fs.Bool("replace", false, "replace an existing exam of the same id (examhall documents only, before any attempt started)")
	dryRun := fs.Bool("dry-run", false, "read, check and report, without storing anything")
	format := fs.String("format", "", "format of the content: "+strings.Join(importer.Formats, ", ")+" (default: told from the content)")
	id := fs.String("id", "", "id of the new exam (default: the source's, or generated)")
	title := fs.String("title", "", "title of the new exam (default: the source's)")
	marking := fs.String("marking", "", "marking scheme of the new exam, correct,wrong[,unanswered] in points (4,-1,0) or with a share of each question's points (4,-25%)")
	var api apiFlags
	api.register(m, fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"import takes one FILE, DIR or ZIP"}
	}
	if *format != "" && !importer.ValidFormat(*format) {
		return usageError{fmt.Sprintf("--format %q: use one of %s", *format, strings.Join(importer.Formats, ", "))}
	}
	var scheme *examhall.Marking
	if *marking != "" {
		var err error
		if scheme, err = examhall.ParseMarking(*marking); err != nil {
			return usageError{"--" + examhall.ErrorMessage(err)}
		}
	}
	src := fs.Arg(0)
	files, err := m.readContent(src)
	if err != nil {
		return err
	}
	prog := m.importProgress(len(files))
	res, err := importer.Import(files, importer.Options{Format: *format, ID: *id, Title: *title, Name: filepath.Base(src), Marking: scheme, Progress: prog.update})
	prog.done()
	if err != nil {
		return fmt.Errorf("%s: %s", src, examhall.ErrorMessage(err))
	}
	res.Report.DryRun = *dryRun
	m.printReport(res.Report)
	// A dry run ends as the import would: with an error when nothing of
	// the input can be imported.
	if res.Exam == nil {
		return fmt.Errorf("%s: no item could be imported", src)
	}
	if *dryRun {
		fmt.Fprintf(m.Stdout, "%s: not stored (--dry-run)\n", src)
		return nil
	}
	e := res.Exam
	var stored string
	switch {
	case api.URL != "":
		stored, err = api.importContent(ctx, files, res, *format, *replace)
	case *replace:
		stored, err = importEmbedded(ctx, *data, e, true)
	default:
		stored, err = importWithAssets(ctx, *data, e, res.Assets)
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if *replace {
		verb = "replaced"
	}
	fmt.Fprintf(m.Stdout, "%s exam %s: %q, %d questions\n", verb, stored, e.Title, len(e.Questions))
	return nil
}

// readContent reads FILE, DIR or ZIP, or standard input for "-".
func (m *Main) readContent(src string) ([]importer.File, error) {
	if src == "-" {
		data, err := io.ReadAll(m.Stdin)
		if err != nil {
			return nil, err
		}
		return importer.Read("stdin", data)
	}
	files, err := importer.ReadPath(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", src, examhall.ErrorMessage(err))
	}
	return files, nil
}

// printReport prints one line per item that was changed or skipped, and
// the counts.
func (m *Main) printReport(r *importer.Report) {
	for _, it := range r.Items {
		switch it.Status {
		case importer.Skipped:
			fmt.Fprintf(m.Stdout, "%s: skipped: %s\n", it.Source, it.Reason)
		case importer.WithChanges:
			for _, c := range it.Changes {
				fmt.Fprintf(m.Stdout, "%s: %s: changed: %s\n", it.Source, it.Question, c)
			}
		}
	}
	for _, f := range r.Files {
		if f.Status == importer.Skipped {
			fmt.Fprintf(m.Stdout, "%s: skipped: %s\n", f.Name, f.Reason)
		}
	}
	for _, c := range r.ExamChanges {
		fmt.Fprintf(m.Stdout, "exam: %s\n", c)
	}
	fmt.Fprintf(m.Stdout, "%s (%s): %d imported, %d imported with changes, %d skipped\n",
		r.Title, r.Format, r.Imported, r.WithChanges, r.Skipped)
}

func importWithAssets(ctx context.Context, dir string, e *examhall.Exam, assets []examhall.Asset) (string, error) {
	srv, err := openEmbedded(ctx, dir, false, nil)
	if err != nil {
		return "", err
	}
	defer srv.Close()
	return srv.Hall.ImportExam(operator(ctx, "cli"), e, assets)
}

func importEmbedded(ctx context.Context, dir string, e *examhall.Exam, replace bool) (string, error) {
	srv, err := openEmbedded(ctx, dir, false, nil)
	if err != nil {
		return "", err
	}
	defer srv.Close()
	if replace {
		if e.ID == "" {
			return "", usageError{"--replace needs a document with an id"}
		}
		return e.ID, srv.Hall.ReplaceExam(operator(ctx, "cli"), e)
	}
	return srv.Hall.CreateExam(operator(ctx, "cli"), e)
}

func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("export", "export [flags] EXAM")
	data := fs.String("data", "./examhall-data", "embedded mode: directory of the database")
	format := fs.String("format", "json", "json (the exam document) or qti (a QTI 3.0 content package, a zip)")
	outFile := fs.String("out", "", "write to this file instead of standard output")
	var api apiFlags
	api.register(m, fs)
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"export takes one EXAM id"}
	}
	if *format != "json" && *format != "qti" {
		return usageError{fmt.Sprintf("--format %q: use json or qti", *format)}
	}
	var e *examhall.Exam
	var assets []examhall.Asset
	if api.URL != "" {
		if *format == "qti" {
			zip, err := api.exportQTI(ctx, fs.Arg(0))
			if err != nil {
				return err
			}
			return m.writeOut(*outFile, zip)
		}
		body, err := api.exportExam(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		if e, err = examhall.ParseExam(body); err != nil {
			return err
		}
	} else {
		srv, err := openEmbedded(ctx, *data, true, nil)
		if err != nil {
			return err
		}
		defer srv.Close()
		ctx := operator(ctx, "cli")
		if e, err = srv.Hall.Exam(ctx, fs.Arg(0)); err != nil {
			return err
		}
		if assets, err = srv.Hall.ExamAssets(ctx, fs.Arg(0)); err != nil {
			return err
		}
	}
	if *format == "qti" {
		zip, err := qti.Export(e, assets)
		if err != nil {
			return err
		}
		return m.writeOut(*outFile, zip)
	}
	out, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	return m.writeOut(*outFile, append(out, '\n'))
}

// writeOut writes data to the file, or to standard output when it is "".
func (m *Main) writeOut(file string, data []byte) error {
	if file == "" {
		_, err := m.Stdout.Write(data)
		return err
	}
	return os.WriteFile(file, data, 0o644)
}

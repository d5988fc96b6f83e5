package http

import (
	"cmp"
	"examhall"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"examhall/content/importer"
	"examhall/content/qti"
)

// importOut is the answer of an import: the exam's id (none on a dry run)
// and the per-item report.
type importOut struct {
	ID     string           `json:"id,omitempty"`
	Report *importer.Report `json:"report"`
}

// importContent imports exam content: the body is one file or a zip (a
// directory, a content package). ?format= names the format, ?dry_run=1
// checks and reports without storing, ?id= and ?title= override the
// source's, ?name= names the file (else Content-Disposition's filename).
func (s *Server) importContent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dryRun, err := flag(q.Get("dry_run"))
	if err != nil {
		writeError(w, r, badRequest("dry_run: must be 1, true, 0 or false."))
		return
	}
	body, err := readBody(w, r, s.cfg.MaxAdminBody)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if len(body) == 0 {
		writeError(w, r, badRequest("The request body is empty: send the file (or a zip) to import."))
		return
	}
	name := uploadName(r) // "" when the client names none
	files, err := importer.Read(cmp.Or(name, "upload"), body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	opt := importer.Options{Format: q.Get("format"), ID: q.Get("id"), Title: q.Get("title"), Name: name}
	if m := q.Get("marking"); m != "" {
		if opt.Marking, err = examhall.ParseMarking(m); err != nil {
			writeError(w, r, err)
			return
		}
	}
	res, err := importer.Import(files, opt)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res.Report.DryRun = dryRun
	if res.Exam == nil {
		// A dry run answers as the import would: nothing to import is an
		// error, with the report saying why.
		var body struct {
			examhall.ErrorBody
			Report *importer.Report `json:"report"`
		}
		body.Error.Code = "bad_request"
		body.Error.Message = fmt.Sprintf("No item could be imported (%d skipped); the report says why.", res.Report.Skipped)
		body.Report = res.Report
		writeJSON(w, http.StatusBadRequest, body)
		return
	}
	if dryRun {
		writeJSON(w, http.StatusOK, importOut{Report: res.Report})
		return
	}
	id, err := s.svc.ImportExam(r.Context(), res.Exam, res.Assets)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res.Report.Exam = id
	w.Header().Set("Location", "/api/v1/admin/exams/"+id)
	writeJSON(w, http.StatusCreated, importOut{ID: id, Report: res.Report})
}

// flag reads a boolean query parameter; empty is false.
func flag(v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	return strconv.ParseBool(v)
}

// uploadName is the name of an uploaded file, for the report.
func uploadName(r *http.Request) string {
	if n := r.URL.Query().Get("name"); n != "" {
		return path.Base(n)
	}
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		return path.Base(strings.ReplaceAll(params["filename"], `\`, "/"))
	}
	return ""
}

// asset serves an image of an exam (see examhall.StaffService.Asset for
// who may see it).
func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.Asset(r.Context(), r.PathValue("exam"), r.PathValue("name"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=300")
	// An SVG opened on its own must not run scripts in our origin.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(a.Data)
	}
}

// exportQTI answers with the exam as a QTI 3.0 content package.
func (s *Server) exportQTI(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("exam")
	e, err := s.svc.Exam(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	assets, err := s.svc.ExamAssets(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	zip, err := qti.Export(e, assets)
	if err != nil {
		writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+id+`-qti3.zip"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(zip)))
	w.WriteHeader(http.StatusOK)
	w.Write(zip)
}

package http

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"examhall"
)

// upload stores a file a candidate attaches to an upload question and
// answers 201 with the reference the answer's response then carries. The
// body is the file itself (its Content-Type the file's media type, its
// name in ?name= or Content-Disposition), or a multipart/form-data form
// whose first file is taken. The 201 comes only once the file is durable.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	attempt := r.PathValue("attempt")
	rules, err := s.svc.UploadRules(r.Context(), attempt, r.PathValue("question"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	in, err := readUpload(w, r, rules.MaxBytes)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ref, err := s.svc.Upload(r.Context(), attempt, r.PathValue("question"), in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ref)
}

// readUpload reads the file of an upload request, at most max bytes of it
// (and a little more of a form's own parts).
func readUpload(w http.ResponseWriter, r *http.Request, max int64) (*examhall.UploadIn, error) {
	in := &examhall.UploadIn{Name: uploadName(r), Type: r.Header.Get("Content-Type")}
	mt, params, _ := mime.ParseMediaType(in.Type)
	if mt != "multipart/form-data" {
		body, err := readBody(w, r, max)
		in.Data = body
		return in, err
	}
	mr := multipartReader(w, r, params["boundary"], max)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return in, badRequest("The form holds no file.")
		}
		if err != nil {
			return in, tooLargeOr(err, "The form could not be read.")
		}
		if part.FileName() == "" {
			continue
		}
		in.Name, in.Type = part.FileName(), part.Header.Get("Content-Type")
		in.Data, err = io.ReadAll(part)
		if err != nil {
			return in, tooLargeOr(err, "The file could not be read.")
		}
		return in, nil
	}
}

// serveUpload sends a stored file as a download: never shown inline, so
// that a file cannot run in the server's origin.
func serveUpload(w http.ResponseWriter, f *examhall.UploadFile) {
	h := w.Header()
	h.Set("Content-Type", f.Type)
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(f.Data)
}

// ownUpload serves a candidate one of their own files.
func (s *Server) ownUpload(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.UploadFile(r.Context(), r.PathValue("attempt"), r.PathValue("sha256"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	serveUpload(w, f)
}

// staffUpload serves staff (markers) a file of an attempt.
func (s *Server) staffUpload(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.AttemptUpload(r.Context(), r.PathValue("exam"), r.PathValue("attempt"), r.PathValue("sha256"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	serveUpload(w, f)
}

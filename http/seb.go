package http

import (
	"net/http"
	"strings"

	"examhall"
)

// SEB's request headers: hex(SHA-256(URL + key)) for a Config Key or a
// Browser Exam Key.
const (
	headerSEBConfigKeyHash = "X-SafeExamBrowser-ConfigKeyHash"
	headerSEBRequestHash   = "X-SafeExamBrowser-RequestHash"
)

// withSEB puts what a request shows of Safe Exam Browser in its context,
// for the exams that require it. A request with neither header shows
// nothing and costs nothing.
func (s *Server) withSEB(r *http.Request) *http.Request {
	ck, rh := r.Header.Get(headerSEBConfigKeyHash), r.Header.Get(headerSEBRequestHash)
	if ck == "" && rh == "" {
		return r
	}
	return r.WithContext(examhall.WithSEBRequest(r.Context(), &examhall.SEBRequest{
		URL: s.absoluteURL(r), ConfigKeyHash: ck, RequestHash: rh,
	}))
}

// absoluteURL is the URL the client asked for, as SEB hashes it: the
// public URL (or the request's scheme and host) and the request target as
// sent, without fragment.
func (s *Server) absoluteURL(r *http.Request) string {
	target := r.RequestURI
	if !strings.HasPrefix(target, "/") {
		target = r.URL.RequestURI()
	}
	return s.base(r) + target
}

func (s *Server) sebConfig(w http.ResponseWriter, r *http.Request) {
	exam := r.PathValue("exam")
	cfg, err := s.svc.SEBConfig(r.Context(), s.base(r), exam)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, http.StatusOK, map[string]string{"exam": exam, "config_key": cfg.ConfigKey, "seb": string(cfg.File)})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/seb")
	h.Set("Content-Disposition", `attachment; filename="`+exam+`.seb"`)
	h.Set("X-SafeExamBrowser-ConfigKey", cfg.ConfigKey)
	h.Set("Cache-Control", "no-store")
	w.Write(cfg.File)
}

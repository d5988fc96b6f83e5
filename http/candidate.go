package http

import (
	"net/http"

	"examhall"
	"examhall/hall"
)

// candidateHandler is a handler for a candidate's own attempt.
type candidateHandler func(w http.ResponseWriter, r *http.Request, c *hall.Claims, attempt string)

// candidate checks the bearer token before calling h.
func (s *Server) candidate(h candidateHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.hall.ParseToken(bearer(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		if c.Kind != hall.KindCandidate {
			writeError(w, r, examhall.Errorf(examhall.EForbidden, "This is a candidate's endpoint; staff tokens cannot use it."))
			return
		}
		h(w, r, c, r.PathValue("attempt"))
	}
}

type loginIn struct {
	Exam      string `json:"exam"`
	Candidate string `json:"candidate"`
	Code      string `json:"code"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in loginIn
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.hall.Login(r.Context(), in.Exam, in.Candidate, in.Code)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) paper(w http.ResponseWriter, r *http.Request, c *hall.Claims, attempt string) {
	v, err := s.hall.Paper(r.Context(), c, attempt)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) save(w http.ResponseWriter, r *http.Request, c *hall.Claims, attempt string) {
	var in answersIn
	if err := decode(w, r, s.cfg.MaxBody, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	answers, err := in.answers(true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.hall.Save(r.Context(), c, attempt, answers)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request, c *hall.Claims, attempt string) {
	var in answersIn
	if err := decode(w, r, s.cfg.MaxBody, &in, true); err != nil {
		writeError(w, r, err)
		return
	}
	answers, err := in.answers(false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.hall.Submit(r.Context(), c, attempt, answers)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) result(w http.ResponseWriter, r *http.Request, c *hall.Claims, attempt string) {
	res, err := s.hall.Result(r.Context(), c, attempt)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

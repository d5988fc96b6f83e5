package http

import (
	"net/http"

	"examhall"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in examhall.LoginRequest
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.Login(s.withSEB(r).Context(), &in)
	reply(w, r, res, err)
}

func (s *Server) paper(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Paper(r.Context(), r.PathValue("attempt"))
	reply(w, r, res, err)
}

func (s *Server) clock(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Clock(r.Context(), r.PathValue("attempt"))
	reply(w, r, res, err)
}

func (s *Server) save(w http.ResponseWriter, r *http.Request) {
	answers, err := s.readAnswers(w, r, true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.Save(r.Context(), r.PathValue("attempt"), answers)
	reply(w, r, res, err)
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	answers, err := s.readAnswers(w, r, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.Submit(r.Context(), r.PathValue("attempt"), answers)
	reply(w, r, res, err)
}

// readAnswers reads an examhall.AnswersRequest, which a save must send and
// a submission may.
func (s *Server) readAnswers(w http.ResponseWriter, r *http.Request, required bool) ([]examhall.Answer, error) {
	var in answersIn
	if err := decode(w, r, s.cfg.MaxBody, &in, !required); err != nil {
		return nil, err
	}
	return in.answers(required)
}

func (s *Server) result(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Result(r.Context(), r.PathValue("attempt"))
	reply(w, r, res, err)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Logout(r.Context()); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"signed_out": true})
}

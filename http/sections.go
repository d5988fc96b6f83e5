package http

import (
	"net/http"

	"examhall"
)

func (s *Server) flags(w http.ResponseWriter, r *http.Request) {
	var in examhall.FlagsRequest
	if err := decode(w, r, s.cfg.MaxBody, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	switch {
	case in.Flags != nil && in.Flagged != nil:
		writeError(w, r, badRequest(`The request may have "flags" or "flagged", not both.`))
	case in.Flagged != nil:
		res, err := s.svc.FlagSet(r.Context(), r.PathValue("attempt"), in.Flagged)
		reply(w, r, res, err)
	case in.Flags != nil:
		res, err := s.svc.Flag(r.Context(), r.PathValue("attempt"), in.Flags)
		reply(w, r, res, err)
	default:
		writeError(w, r, badRequest(`The request needs "flags", a list of {"question", "review", "seq"}, or "flagged", the list of questions marked for review.`))
	}
}

func (s *Server) visited(w http.ResponseWriter, r *http.Request) {
	var in examhall.VisitRequest
	if err := decode(w, r, s.cfg.MaxBody, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	qs := in.Questions
	if qs == nil {
		qs = in.Visited
	}
	if in.Question != "" {
		qs = append(qs, in.Question)
	}
	if qs == nil {
		writeError(w, r, badRequest(`The request needs "questions", a list of question ids.`))
		return
	}
	res, err := s.svc.Visit(r.Context(), r.PathValue("attempt"), qs)
	reply(w, r, res, err)
}

func (s *Server) finishSection(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.FinishSection(r.Context(), r.PathValue("attempt"), r.PathValue("section"))
	reply(w, r, res, err)
}

package http

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"

	"examhall"
)

func (s *Server) staffLogin(w http.ResponseWriter, r *http.Request) {
	var in examhall.StaffLoginRequest
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.StaffLogin(r.Context(), &in)
	reply(w, r, res, err)
}

func (s *Server) listExams(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Exams(r.Context())
	reply(w, r, res, err)
}

// readExam reads an exam document from the request body.
func (s *Server) readExam(w http.ResponseWriter, r *http.Request) (*examhall.Exam, error) {
	body, err := readBody(w, r, s.cfg.MaxAdminBody)
	if err != nil {
		return nil, err
	}
	return examhall.ParseExam(body)
}

func (s *Server) createExam(w http.ResponseWriter, r *http.Request) {
	e, err := s.readExam(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	id, err := s.svc.CreateExam(r.Context(), e)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/admin/exams/"+id)
	writeJSON(w, http.StatusCreated, &examhall.Created{ID: id})
}

func (s *Server) replaceExam(w http.ResponseWriter, r *http.Request) {
	e, err := s.readExam(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	id := r.PathValue("exam")
	if e.ID != "" && e.ID != id {
		writeError(w, r, badRequest("id: the document says %q but the URL names exam %q.", e.ID, id))
		return
	}
	e.ID = id
	err = s.svc.ReplaceExam(r.Context(), e)
	reply(w, r, &examhall.Created{ID: id}, err)
}

func (s *Server) getExam(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.Exam(r.Context(), r.PathValue("exam"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &examhall.ExamDetail{Exam: e, Released: e.Released, CreatedAt: e.CreatedAt})
}

func (s *Server) setWindow(w http.ResponseWriter, r *http.Request) {
	var in examhall.Window
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.svc.SetWindow(r.Context(), r.PathValue("exam"), &in); err != nil {
		writeError(w, r, err)
		return
	}
	s.getExam(w, r)
}

// issueIn is examhall.IssueRequest on the wire, where each candidate is an
// id or an object with extra time.
type issueIn struct {
	Candidates       []json.RawMessage `json:"candidates"`
	Count            int               `json:"count"`
	ExtraTimeSeconds int               `json:"extra_time_seconds"`
}

func (in *issueIn) request() (*examhall.IssueRequest, error) {
	req := &examhall.IssueRequest{Count: in.Count, ExtraSeconds: in.ExtraTimeSeconds}
	req.Candidates = make([]examhall.CandidateSpec, len(in.Candidates))
	for i, raw := range in.Candidates {
		if json.Unmarshal(raw, &req.Candidates[i].ID) == nil {
			continue
		}
		if err := decodeBytes(raw, &req.Candidates[i], false); err != nil {
			return nil, badRequest(`candidates[%d]: must be an id or {"id": "...", "extra_time_seconds": n, "name", "email", "opens_at", "closes_at"}.`, i)
		}
	}
	return req, nil
}

func isCSV(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "text/csv"
}

func (s *Server) issueCodes(w http.ResponseWriter, r *http.Request) {
	if isCSV(r) {
		body, err := readBody(w, r, examhall.MaxCandidateCSV)
		if err != nil {
			writeError(w, r, err)
			return
		}
		req, err := examhall.ParseCandidatesCSV(body)
		if err != nil {
			writeError(w, r, err)
			return
		}
		res, err := s.svc.IssueCodes(r.Context(), r.PathValue("exam"), req)
		reply(w, r, res, err)
		return
	}
	var in issueIn
	if err := decode(w, r, 16<<20, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	req, err := in.request()
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.IssueCodes(r.Context(), r.PathValue("exam"), req)
	reply(w, r, res, err)
}

func (s *Server) listCandidates(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Candidates(r.Context(), r.PathValue("exam"))
	reply(w, r, res, err)
}

func (s *Server) updateCandidate(w http.ResponseWriter, r *http.Request) {
	var in examhall.CandidateUpdate
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.UpdateCandidate(r.Context(), r.PathValue("exam"), r.PathValue("candidate"), &in)
	reply(w, r, res, err)
}

func (s *Server) regrade(w http.ResponseWriter, r *http.Request) {
	var in examhall.RegradeRequest
	if err := decode(w, r, 1<<20, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.Regrade(r.Context(), r.PathValue("exam"), &in)
	reply(w, r, res, err)
}

func (s *Server) reopen(w http.ResponseWriter, r *http.Request) {
	var in examhall.ReopenRequest
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.ReopenAttempt(r.Context(), r.PathValue("exam"), r.PathValue("attempt"), &in)
	reply(w, r, res, err)
}

func (s *Server) attemptList(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.AttemptList(r.Context(), r.PathValue("exam"), r.URL.Query().Get("status"))
	reply(w, r, res, err)
}

func (s *Server) results(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Results(r.Context(), r.PathValue("exam"))
	if err == nil && wantsCSV(r) {
		writeResultsCSV(w, res)
		return
	}
	reply(w, r, res, err)
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Stats(r.Context(), r.PathValue("exam"))
	reply(w, r, res, err)
}

func (s *Server) release(w http.ResponseWriter, r *http.Request) {
	var in examhall.ReleaseRequest
	if err := decode(w, r, 16<<10, &in, true); err != nil {
		writeError(w, r, err)
		return
	}
	released := in.Released == nil || *in.Released
	exam := r.PathValue("exam")
	err := s.svc.Release(r.Context(), exam, released)
	reply(w, r, &examhall.ReleaseResult{Exam: exam, Released: released}, err)
}

func (s *Server) monitor(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Monitor(r.Context(), r.PathValue("exam"))
	reply(w, r, res, err)
}

func (s *Server) examEvents(w http.ResponseWriter, r *http.Request) {
	limit := 1000
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			writeError(w, r, badRequest("limit: must be a whole number from 1 to 100000."))
			return
		}
		limit = n
	}
	res, err := s.svc.Events(r.Context(), r.PathValue("exam"), limit)
	reply(w, r, res, err)
}

func (s *Server) attempt(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Attempt(r.Context(), r.PathValue("exam"), r.PathValue("attempt"))
	reply(w, r, res, err)
}

func (s *Server) mark(w http.ResponseWriter, r *http.Request) {
	var in examhall.MarkRequest
	if err := decode(w, r, 64<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.Mark(r.Context(), r.PathValue("exam"), r.PathValue("attempt"), &in)
	reply(w, r, res, err)
}

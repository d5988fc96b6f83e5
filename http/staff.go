package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"examhall"
)

// staffHandler is a handler for staff; actor is the staff username.
type staffHandler func(w http.ResponseWriter, r *http.Request, actor string)

// staff checks for a staff token before calling h.
func (s *Server) staff(h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.hall.ParseToken(bearer(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		actor, err := s.hall.Staff(c)
		if err != nil {
			writeError(w, r, err)
			return
		}
		h(w, r, actor)
	}
}

type staffLoginIn struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) staffLogin(w http.ResponseWriter, r *http.Request) {
	var in staffLoginIn
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.hall.StaffLogin(r.Context(), in.Username, in.Password)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) listExams(w http.ResponseWriter, r *http.Request, actor string) {
	es, err := s.hall.Exams(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exams": es})
}

// readExam reads an exam document from the request body.
func (s *Server) readExam(w http.ResponseWriter, r *http.Request) (*examhall.Exam, error) {
	body, err := readBody(w, r, s.cfg.MaxAdminBody)
	if err != nil {
		return nil, err
	}
	return examhall.ParseExam(body)
}

func (s *Server) createExam(w http.ResponseWriter, r *http.Request, actor string) {
	e, err := s.readExam(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	id, err := s.hall.CreateExam(r.Context(), actor, e)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/admin/exams/"+id)
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
}

func (s *Server) replaceExam(w http.ResponseWriter, r *http.Request, actor string) {
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
	if err := s.hall.ReplaceExam(r.Context(), actor, e); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

// examOut is an exam document with the server's state, for staff.
type examOut struct {
	*examhall.Exam
	Released  bool      `json:"released"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Server) getExam(w http.ResponseWriter, r *http.Request, actor string) {
	e, err := s.hall.Exam(r.Context(), r.PathValue("exam"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, examOut{Exam: e, Released: e.Released, CreatedAt: e.CreatedAt})
}

type windowIn struct {
	OpensAt  *time.Time `json:"opens_at"`
	ClosesAt *time.Time `json:"closes_at"`
}

func (s *Server) setWindow(w http.ResponseWriter, r *http.Request, actor string) {
	var in windowIn
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	exam := r.PathValue("exam")
	if err := s.hall.SetWindow(r.Context(), actor, exam, in.OpensAt, in.ClosesAt); err != nil {
		writeError(w, r, err)
		return
	}
	s.getExam(w, r, actor)
}

// issueIn takes candidates as plain ids or as objects with extra time.
type issueIn struct {
	Candidates       []json.RawMessage `json:"candidates"`
	Count            int               `json:"count"`
	ExtraTimeSeconds int               `json:"extra_time_seconds"`
}

func (in *issueIn) specs() ([]examhall.CandidateSpec, error) {
	specs := make([]examhall.CandidateSpec, len(in.Candidates))
	for i, raw := range in.Candidates {
		var id string
		if json.Unmarshal(raw, &id) == nil {
			specs[i] = examhall.CandidateSpec{ID: id, ExtraSeconds: in.ExtraTimeSeconds}
			continue
		}
		if err := decodeBytes(raw, &specs[i], false); err != nil {
			return nil, badRequest(`candidates[%d]: must be an id or {"id": "...", "extra_time_seconds": n}.`, i)
		}
		if specs[i].ExtraSeconds == 0 {
			specs[i].ExtraSeconds = in.ExtraTimeSeconds
		}
	}
	return specs, nil
}

func (s *Server) issueCodes(w http.ResponseWriter, r *http.Request, actor string) {
	var in issueIn
	if err := decode(w, r, 16<<20, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	specs, err := in.specs()
	if err != nil {
		writeError(w, r, err)
		return
	}
	codes, err := s.hall.IssueCodes(r.Context(), actor, r.PathValue("exam"), specs, in.Count)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"candidates": codes})
}

func (s *Server) listCandidates(w http.ResponseWriter, r *http.Request, actor string) {
	cs, err := s.hall.Candidates(r.Context(), r.PathValue("exam"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"candidates": cs})
}

type extraTimeIn struct {
	ExtraTimeSeconds *int `json:"extra_time_seconds"`
}

func (s *Server) setExtraTime(w http.ResponseWriter, r *http.Request, actor string) {
	var in extraTimeIn
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	if in.ExtraTimeSeconds == nil {
		writeError(w, r, badRequest("extra_time_seconds: is required."))
		return
	}
	c, err := s.hall.SetExtraTime(r.Context(), actor, r.PathValue("exam"), r.PathValue("candidate"), *in.ExtraTimeSeconds)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) results(w http.ResponseWriter, r *http.Request, actor string) {
	res, err := s.hall.Results(r.Context(), r.PathValue("exam"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if wantsCSV(r) {
		writeResultsCSV(w, res)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request, actor string) {
	st, err := s.hall.Stats(r.Context(), r.PathValue("exam"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

type releaseIn struct {
	Released *bool `json:"released"`
}

func (s *Server) release(w http.ResponseWriter, r *http.Request, actor string) {
	var in releaseIn
	if err := decode(w, r, 16<<10, &in, true); err != nil {
		writeError(w, r, err)
		return
	}
	released := in.Released == nil || *in.Released
	exam := r.PathValue("exam")
	if err := s.hall.Release(r.Context(), actor, exam, released); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exam": exam, "released": released})
}

func (s *Server) monitor(w http.ResponseWriter, r *http.Request, actor string) {
	m, err := s.hall.Monitor(r.Context(), r.PathValue("exam"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) examEvents(w http.ResponseWriter, r *http.Request, actor string) {
	limit := 1000
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			writeError(w, r, badRequest("limit: must be a whole number from 1 to 100000."))
			return
		}
		limit = n
	}
	evs, err := s.hall.Events(r.Context(), r.PathValue("exam"), limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
}

func (s *Server) attempt(w http.ResponseWriter, r *http.Request, actor string) {
	d, err := s.hall.Attempt(r.Context(), r.PathValue("exam"), r.PathValue("attempt"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

type markIn struct {
	Question string   `json:"question"`
	Points   *float64 `json:"points"`
	Comment  string   `json:"comment"`
}

func (s *Server) mark(w http.ResponseWriter, r *http.Request, actor string) {
	var in markIn
	if err := decode(w, r, 64<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	if in.Question == "" || in.Points == nil {
		writeError(w, r, badRequest("question and points are both required."))
		return
	}
	res, err := s.hall.Mark(r.Context(), actor, r.PathValue("exam"), r.PathValue("attempt"), in.Question, *in.Points, in.Comment)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

package http

import (
	"net/http"

	"examhall"
)

// Staff accounts (admin only; the service checks the role).

func (s *Server) listStaff(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.StaffAccounts(r.Context())
	reply(w, r, res, err)
}

func (s *Server) createStaff(w http.ResponseWriter, r *http.Request) {
	var in examhall.StaffRequest
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.CreateStaff(r.Context(), &in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (s *Server) updateStaff(w http.ResponseWriter, r *http.Request) {
	var in examhall.StaffRequest
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.UpdateStaff(r.Context(), r.PathValue("username"), &in)
	reply(w, r, res, err)
}

func (s *Server) deleteStaff(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.DeleteStaff(r.Context(), r.PathValue("username")); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

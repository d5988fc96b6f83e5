package http

import (
	"html/template"
	"net/http"
	"strings"

	"examhall"
)

// The LTI 1.3 tool endpoints (/lti/...) are visited by browsers sent by a
// platform, so their failures are short HTML pages with the status of the
// error's code; the JSON endpoints under /api/ answer as every other.

func (s *Server) ltiRoutes() {
	m := s.mux
	m.HandleFunc("GET /lti/login", s.admit(classLogin, s.ltiLogin))
	m.HandleFunc("POST /lti/login", s.admit(classLogin, s.ltiLogin))
	m.HandleFunc("POST /lti/launch", s.admit(classLogin, s.ltiLaunch))
	m.HandleFunc("GET /lti/jwks", s.ltiJWKS)
	m.HandleFunc("POST /lti/deeplink", s.admit(classStaff, s.ltiDeepLink))
	m.HandleFunc("POST /api/v1/login/lti", s.admit(classLogin, s.ltiCodeLogin))
	m.HandleFunc("POST /api/v1/admin/login/lti", s.admit(classStaff, s.ltiStaffLogin))
	staff := func(p string, h http.HandlerFunc) { m.HandleFunc(p, s.admit(classStaff, s.staff(h))) }
	staff("GET /api/v1/admin/lti/platforms", s.ltiPlatforms)
	staff("POST /api/v1/admin/lti/platforms", s.ltiAddPlatform)
	staff("DELETE /api/v1/admin/lti/platforms/{id}", s.ltiDeletePlatform)
	staff("GET /api/v1/admin/exams/{exam}/lti/grades", s.ltiGrades)
	staff("POST /api/v1/admin/exams/{exam}/lti/roster", s.ltiRoster)
}

// base returns the server's absolute URL without a trailing slash: the
// configured public URL, or the scheme and host the request came to.
func (s *Server) base(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// secure reports whether the browser reached the server over https.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.PublicURL, "https://")
}

const ltiStateCookie = "examhall_lti_"

func (s *Server) ltiLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		ltiError(w, r, badRequest("The login request's parameters cannot be read."))
		return
	}
	f := r.Form
	res, err := s.svc.LTILogin(r.Context(), &examhall.LTILoginRequest{
		Base: s.base(r), Issuer: f.Get("iss"), LoginHint: f.Get("login_hint"),
		TargetLinkURI: f.Get("target_link_uri"), LTIMessageHint: f.Get("lti_message_hint"),
		ClientID: f.Get("client_id"), DeploymentID: f.Get("lti_deployment_id"), Secure: s.secure(r),
	})
	if err != nil {
		ltiError(w, r, err)
		return
	}
	if res.BindState {
		http.SetCookie(w, &http.Cookie{
			Name: ltiStateCookie + res.State, Value: "1", Path: "/lti/", MaxAge: 600,
			Secure: true, HttpOnly: true, SameSite: http.SameSiteNoneMode,
		})
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, res.URL, http.StatusFound)
}

func (s *Server) ltiLaunch(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		ltiError(w, r, badRequest("The launch's form cannot be read."))
		return
	}
	state := r.PostForm.Get("state")
	_, cookieErr := r.Cookie(ltiStateCookie + state)
	res, err := s.svc.LTILaunch(r.Context(), &examhall.LTILaunchRequest{
		Base: s.base(r), IDToken: r.PostForm.Get("id_token"), State: state, StateCookie: state != "" && cookieErr == nil,
	})
	if err != nil {
		ltiError(w, r, err)
		return
	}
	if state != "" && cookieErr == nil {
		http.SetCookie(w, &http.Cookie{Name: ltiStateCookie + state, Path: "/lti/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteNoneMode})
	}
	if res.DeepLink != nil {
		ltiPage(w, http.StatusOK, ltiChoosePage, "", res.DeepLink)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, res.Redirect, http.StatusSeeOther)
}

func (s *Server) ltiJWKS(w http.ResponseWriter, r *http.Request) {
	set, err := s.svc.LTIKeys(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(set)
}

func (s *Server) ltiCodeLogin(w http.ResponseWriter, r *http.Request) {
	var in examhall.LTICodeRequest
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.LTICodeLogin(s.withSEB(r).Context(), in.Code)
	reply(w, r, res, err)
}

func (s *Server) ltiStaffLogin(w http.ResponseWriter, r *http.Request) {
	var in examhall.LTICodeRequest
	if err := decode(w, r, 16<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.LTIStaffLogin(r.Context(), in.Code)
	reply(w, r, res, err)
}

func (s *Server) ltiPlatforms(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.Platforms(r.Context(), s.base(r))
	reply(w, r, res, err)
}

func (s *Server) ltiAddPlatform(w http.ResponseWriter, r *http.Request) {
	var in examhall.LTIPlatform
	if err := decode(w, r, 64<<10, &in, false); err != nil {
		writeError(w, r, err)
		return
	}
	if in.ID != "" || !in.CreatedAt.IsZero() {
		writeError(w, r, badRequest("id and created_at are given by the server."))
		return
	}
	res, err := s.svc.AddPlatform(r.Context(), s.base(r), &in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

func (s *Server) ltiDeletePlatform(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.DeletePlatform(r.Context(), r.PathValue("id")); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) ltiGrades(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.LTIGrades(r.Context(), r.PathValue("exam"))
	reply(w, r, res, err)
}

func (s *Server) ltiDeepLink(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		ltiError(w, r, badRequest("The form cannot be read."))
		return
	}
	res, err := s.svc.LTIDeepLink(r.Context(), s.base(r), r.PostForm.Get("ticket"), r.PostForm.Get("exam"))
	if err != nil {
		ltiError(w, r, err)
		return
	}
	nonce := newRequestID()
	ltiPage(w, http.StatusOK, ltiReturnPage, nonce, struct {
		*examhall.LTIDeepLinkResponse
		Nonce string
	}{res, nonce})
}

// ltiPage answers with one of the LTI pages. Platforms show them in a
// frame, so they may be framed; a script runs only with the nonce.
func ltiPage(w http.ResponseWriter, status int, t *template.Template, nonce string, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	csp := "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"
	if nonce != "" {
		csp += "; script-src 'nonce-" + nonce + "'"
	}
	h.Set("Content-Security-Policy", csp)
	w.WriteHeader(status)
	t.Execute(w, data)
}

var ltiChoosePage = template.Must(template.New("choose").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>examhall: choose an exam</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 48em; margin: 2em auto; padding: 0 1em">
<h1>Choose the exam to add to your course</h1>
{{if not .Exams}}<p>There is no exam on this server yet: create it in the staff console first.</p>{{end}}
<ul style="list-style: none; padding: 0">
{{range .Exams}}<li style="margin: .5em 0"><form method="post" action="/lti/deeplink">
<input type="hidden" name="ticket" value="{{$.Ticket}}"><input type="hidden" name="exam" value="{{.ID}}">
<button type="submit">{{.Title}}</button> <small><code>{{.ID}}</code>, {{.Questions}} questions</small></form></li>
{{end}}</ul>
</body></html>
`))

var ltiReturnPage = template.Must(template.New("return").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>examhall: back to your course</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em">
<form id="return" method="post" action="{{.ReturnURL}}">
<input type="hidden" name="JWT" value="{{.JWT}}">
<p>Returning to your course… <button type="submit">Continue</button></p>
</form>
<script nonce="{{.Nonce}}">document.getElementById("return").submit();</script>
</body></html>
`))

func (s *Server) ltiRoster(w http.ResponseWriter, r *http.Request) {
	res, err := s.svc.LTIRoster(r.Context(), r.PathValue("exam"))
	reply(w, r, res, err)
}

var ltiErrorPage = template.Must(template.New("lti").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>examhall: launch refused</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em">
<h1>This exam could not be opened</h1>
<p>{{.Message}}</p>
<p><small>Error code: <code>{{.Code}}</code>. Nothing was recorded; you can go back to your course and try again.</small></p>
</body></html>
`))

// ltiError answers a browser sent by a platform with a page saying what
// went wrong, with the status of the error's code.
func ltiError(w http.ResponseWriter, r *http.Request, err error) {
	code := examhall.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if rec, ok := w.(*recorder); ok {
		rec.err = err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	ltiErrorPage.Execute(w, struct{ Code, Message string }{code, examhall.ErrorMessage(err)})
}

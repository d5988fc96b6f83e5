// Package http serves examhall's HTTP API (docs/api.md) and its
// operational endpoints: a codec over examhall's CandidateService and
// StaffService. It authenticates bearer tokens into the request's
// examhall.Identity, decodes and checks request bodies into the root
// package's request types, maps domain error codes to statuses, and never
// answers with a stack trace or HTML. What a caller may do is decided by
// the services, from the identity.
package http

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"examhall"
	"examhall/metrics"
	"examhall/telemetry"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
)

// Config tunes the API server.
type Config struct {
	// MaxBody caps candidate request bodies (default 1 MiB); MaxAdminBody
	// caps staff uploads such as exam documents (default 32 MiB).
	MaxBody      int64
	MaxAdminBody int64
	// MetricsToken, when set, is required as a bearer token on /metrics.
	MetricsToken string
	// AccessLog logs every request (method, route, status, duration; never
	// bodies). Off by default: errors are always logged.
	AccessLog bool
	// TracerProvider, when set, traces every request (a span per request
	// named by its route, joining the caller's trace from a traceparent
	// header). Nil traces nothing and costs nothing.
	TracerProvider trace.TracerProvider
	// Web serves everything outside /api/, /healthz, /readyz and /metrics
	// (the web UI); nil answers not_found there.
	Web http.Handler
	// Admission tunes admission control (see admission.go).
	Admission Admission
	// PublicURL is the server's absolute URL as browsers reach it (behind
	// a proxy); empty means the scheme and host of each request. LTI's
	// redirect URI and Safe Exam Browser's hashes are built from it.
	PublicURL string
	// Ready, when set, tells /readyz whether the service's dependencies
	// are reachable.
	Ready func(ctx context.Context) error
	// TrustedProxies are the networks of the load balancers in front: a
	// request from one of them is from the client its X-Forwarded-For
	// names (see peer.go). None by default: the peer is the client.
	TrustedProxies []netip.Prefix
}

// Service is what the API serves: the two services of package examhall,
// and the authentication of the tokens they issue.
type Service interface {
	examhall.CandidateService
	examhall.StaffService
	examhall.LTIService
	examhall.SEBService
	examhall.Authenticator
}

// Server is the HTTP API.
type Server struct {
	svc      Service
	cfg      Config
	log      *slog.Logger
	metrics  *metrics.Metrics
	mux      *http.ServeMux
	handler  http.Handler
	draining atomic.Bool
	adm      *admission
}

// NewServer returns the API over svc.
func NewServer(svc Service, m *metrics.Metrics, log *slog.Logger, cfg Config) *Server {
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxAdminBody == 0 {
		cfg.MaxAdminBody = 32 << 20
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Server{svc: svc, cfg: cfg, log: log, metrics: m, mux: http.NewServeMux(), adm: newAdmission(cfg.Admission)}
	m.WatchAdmission(ClassNames[:], s.adm)
	s.routes()
	s.handler = s.middleware(s.mux)
	if cfg.TracerProvider != nil {
		s.handler = otelhttp.NewHandler(s.handler, "http",
			otelhttp.WithTracerProvider(cfg.TracerProvider),
			otelhttp.WithPropagators(telemetry.Propagator()),
			otelhttp.WithMeterProvider(noop.NewMeterProvider()))
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Drain makes /readyz fail, so load balancers stop sending new work while
// in-flight requests finish.
func (s *Server) Drain() { s.draining.Store(true) }

func (s *Server) routes() {
	m := s.mux
	login := func(p string, h http.HandlerFunc) { m.HandleFunc(p, s.admit(classLogin, h)) }
	cand := func(p string, h http.HandlerFunc) { m.HandleFunc(p, s.admit(classWork, s.candidate(h))) }
	staff := func(p string, h http.HandlerFunc) { m.HandleFunc(p, s.admit(classStaff, s.staff(h))) }
	login("POST /api/v1/login", s.login)
	cand("GET /api/v1/attempts/{attempt}", s.paper)
	cand("GET /api/v1/attempts/{attempt}/clock", s.clock)
	cand("PUT /api/v1/attempts/{attempt}/answers", s.save)
	cand("POST /api/v1/attempts/{attempt}/submit", s.submit)
	cand("GET /api/v1/attempts/{attempt}/result", s.result)
	cand("PUT /api/v1/attempts/{attempt}/flags", s.flags)
	cand("PUT /api/v1/attempts/{attempt}/visited", s.visited)
	cand("POST /api/v1/attempts/{attempt}/sections/{section}/finish", s.finishSection)
	cand("POST /api/v1/attempts/{attempt}/uploads/{question}", s.upload)
	cand("GET /api/v1/attempts/{attempt}/uploads/{sha256}", s.ownUpload)
	cand("POST /api/v1/logout", s.logout)
	m.HandleFunc("GET /api/v1/time", s.serverTime)

	m.HandleFunc("POST /api/v1/admin/login", s.admit(classStaff, s.staffLogin))
	staff("GET /api/v1/admin/exams", s.listExams)
	staff("POST /api/v1/admin/exams", s.createExam)
	staff("GET /api/v1/admin/exams/{exam}", s.getExam)
	staff("PUT /api/v1/admin/exams/{exam}", s.replaceExam)
	staff("PUT /api/v1/admin/exams/{exam}/window", s.setWindow)
	staff("POST /api/v1/admin/exams/{exam}/candidates", s.issueCodes)
	staff("GET /api/v1/admin/exams/{exam}/candidates", s.listCandidates)
	staff("PUT /api/v1/admin/exams/{exam}/candidates/{candidate}", s.updateCandidate)
	staff("GET /api/v1/admin/exams/{exam}/results", s.results)
	staff("GET /api/v1/admin/exams/{exam}/stats", s.stats)
	staff("POST /api/v1/admin/exams/{exam}/release", s.release)
	staff("POST /api/v1/admin/exams/{exam}/regrade", s.regrade)
	staff("GET /api/v1/admin/exams/{exam}/monitor", s.monitor)
	// The live stream stays open for hours: it holds no admission slot.
	m.HandleFunc(monitorStreamRoute, s.staff(s.monitorStream))
	staff("GET /api/v1/admin/exams/{exam}/events", s.examEvents)
	staff("GET /api/v1/admin/exams/{exam}/attempts", s.attemptList)
	staff("GET /api/v1/admin/exams/{exam}/attempts/{attempt}", s.attempt)
	staff("PUT /api/v1/admin/exams/{exam}/attempts/{attempt}/marks", s.mark)
	staff("POST /api/v1/admin/exams/{exam}/attempts/{attempt}/reopen", s.reopen)
	staff("GET /api/v1/admin/exams/{exam}/attempts/{attempt}/uploads/{sha256}", s.staffUpload)
	staff("POST /api/v1/admin/import", s.importContent)
	staff("GET /api/v1/admin/exams/{exam}/export", s.exportQTI)
	staff("GET /api/v1/admin/staff", s.listStaff)
	staff("POST /api/v1/admin/staff", s.createStaff)
	staff("PUT /api/v1/admin/staff/{username}", s.updateStaff)
	staff("DELETE /api/v1/admin/staff/{username}", s.deleteStaff)
	staff("GET /api/v1/admin/exams/{exam}/seb", s.sebConfig)
	m.HandleFunc("GET /api/v1/exams/{exam}/assets/{name}", s.anyone(s.asset))
	s.ltiRoutes()

	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /readyz", s.readyz)
	m.HandleFunc("GET /metrics", s.serveMetrics)
	m.HandleFunc("/", s.unmatched)
	if s.cfg.Web != nil {
		m.Handle("GET /", s.web(s.cfg.Web))
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeError(w, r, unavailableErr("The server is shutting down."))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "dependency", "store", "err", err)
		writeError(w, r, unavailableErr("A dependency is not reachable."))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(bearer(r)), []byte(s.cfg.MetricsToken)) != 1 {
		writeError(w, r, unauthorizedErr("The metrics need the metrics token as a bearer token."))
		return
	}
	s.metrics.Handler().ServeHTTP(w, r)
}

func (s *Server) ready(ctx context.Context) error {
	if s.cfg.Ready == nil {
		return nil
	}
	return s.cfg.Ready(ctx)
}

func (s *Server) serverTime(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, &examhall.TimeResult{ServerTime: s.svc.Now()})
}

// readyTimeout bounds the dependency checks of /readyz.
const readyTimeout = 2 * time.Second

// web serves the UI, except under /api/, where an unknown path is a JSON
// not_found like any other.
func (s *Server) web(ui http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.unmatched(w, r)
			return
		}
		ui.ServeHTTP(w, r)
	})
}

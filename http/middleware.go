package http

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"examhall"
	"examhall/telemetry"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// recorder remembers the status and error of a response.
type recorder struct {
	http.ResponseWriter
	status int
	err    error
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Flush lets streaming handlers (server-sent events) flush.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// middleware adds a request id, JSON answers for unknown routes and
// methods, panic recovery, metrics and error logging.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		// The mux sets r.Pattern on the request it is given: this one.
		r = r.WithContext(telemetry.WithRequestID(r.Context(), id))
		// The API's answers are compressed for clients that take gzip (the
		// pages and their assets are compressed ahead, by package web).
		var cw *compressor
		if strings.HasPrefix(r.URL.Path, "/api/") && acceptsGzip(r) {
			cw = newCompressor(w)
			w = cw
		}
		rec := &recorder{ResponseWriter: w}
		s.metrics.HTTPInFlight.Inc()
		defer func() {
			s.metrics.HTTPInFlight.Dec()
			route := r.Pattern // set by the mux; "/" is the fallback of unmatched requests
			if route == "" || route == "/" {
				route = "unmatched"
			}
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic serving request", "route", route, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, r, fmt.Errorf("panic: %v", p))
				}
			}
			if cw != nil {
				cw.Close()
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			took := time.Since(start)
			if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
				span.SetName(route)
				span.SetAttributes(attribute.String("http.route", route), attribute.String("examhall.request_id", id))
			}
			method := methodLabel(r.Method)
			s.metrics.HTTPRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
			if route != monitorStreamRoute {
				s.metrics.HTTPDuration.WithLabelValues(route, method).Observe(took.Seconds())
			}
			var shed *shedError
			switch {
			case status >= 500 && errors.As(rec.err, &shed):
				s.log.DebugContext(r.Context(), "request shed", "method", method, "route", route, "status", status)
			case status >= 500:
				s.log.ErrorContext(r.Context(), "request failed", "method", method, "route", route, "status", status, "duration", took, "err", rec.err)
			case s.cfg.AccessLog:
				s.log.InfoContext(r.Context(), "request", "method", method, "route", route, "status", status, "duration", took, "code", examhall.ErrorCode(rec.err))
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// unmatched answers a request no route takes (the mux's fallback pattern
// "/"): method_not_allowed when the path exists for another method,
// not_found otherwise.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "" && p != "/" && p != "GET /" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		for _, m := range allow {
			w.Header().Add("Allow", m)
		}
		writeError(w, r, examhall.Errorf(codeMethodNotAllowed, "%s is not allowed on %s.", r.Method, r.URL.Path))
		return
	}
	writeError(w, r, examhall.Errorf(examhall.ENotFound, "There is nothing at %s.", r.URL.Path))
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// methodLabel is the method as a metric label: the standard methods by
// name, anything else "other", so that clients cannot create series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"examhall"
)

// statuses maps every error code to its HTTP status: the one table.
var statuses = map[string]int{
	examhall.EBadRequest:          http.StatusBadRequest,
	examhall.EInvalidCredentials:  http.StatusUnauthorized,
	examhall.EUnauthorized:        http.StatusUnauthorized,
	examhall.EForbidden:           http.StatusForbidden,
	examhall.ENotFound:            http.StatusNotFound,
	examhall.EExamNotOpen:         http.StatusForbidden,
	examhall.EAttemptClosed:       http.StatusConflict,
	examhall.EConflict:            http.StatusConflict,
	examhall.EAttemptNotSubmitted: http.StatusConflict,
	examhall.EResultsReleased:     http.StatusConflict,
	examhall.ESectionClosed:       http.StatusConflict,
	examhall.ETooLarge:            http.StatusRequestEntityTooLarge,
	examhall.ERateLimited:         http.StatusTooManyRequests,
	examhall.EUnavailable:         http.StatusServiceUnavailable,
	examhall.EInternal:            http.StatusInternalServerError,
	examhall.ESEBRequired:         http.StatusForbidden,
	codeMethodNotAllowed:          http.StatusMethodNotAllowed,
}

const codeMethodNotAllowed = "method_not_allowed"

// writeError answers with err's code and message; internal errors are
// logged by the middleware and shown only as a generic sentence.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := examhall.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	var body examhall.ErrorBody
	body.Error.Code = code
	body.Error.Message = examhall.ErrorMessage(err)
	var re *examhall.RetryError
	switch {
	case errors.As(err, &re):
		// Whole seconds, rounded up: never sooner than the server asked.
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int((re.After+time.Second-1)/time.Second))))
	case status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "1")
	}
	if rec, ok := w.(*recorder); ok {
		rec.err = err
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func badRequest(format string, args ...any) error {
	return examhall.Errorf(examhall.EBadRequest, format, args...)
}

func unavailableErr(msg string) error { return examhall.Errorf(examhall.EUnavailable, "%s", msg) }

func unauthorizedErr(msg string) error { return examhall.Errorf(examhall.EUnauthorized, "%s", msg) }

// reply answers 200 with v, or with err when it is not nil.
func reply(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

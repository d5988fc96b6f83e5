package examhall

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error codes: stable strings that clients see as error.code. Package http
// maps each to one HTTP status.
const (
	EBadRequest         = "bad_request"
	EInvalidCredentials = "invalid_credentials"
	EUnauthorized       = "unauthorized"
	EForbidden          = "forbidden"
	ENotFound           = "not_found"
	EExamNotOpen        = "exam_not_open"
	EAttemptClosed      = "attempt_closed"
	EConflict           = "conflict"
	// EAttemptNotSubmitted refuses to reopen an attempt that is not
	// submitted; EResultsReleased to reopen one once results are out.
	EAttemptNotSubmitted = "attempt_not_submitted"
	EResultsReleased     = "results_released"
	ESectionClosed       = "section_closed"
	ETooLarge            = "too_large"
	ERateLimited         = "rate_limited"
	EUnavailable         = "unavailable"
	EInternal            = "internal"
)

// Error is a domain error with a stable code and a sentence for people.
// Adapters wrap their own failures with %w; only errors of this type reach
// clients with their message, everything else is reported as internal.
type Error struct {
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("examhall: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic sentence for errors that must not be shown to clients.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// Wrap prefixes *errp, when it is not nil, with the operation that
// failed and its arguments, keeping the error's chain (so its code). An
// adapter defers it first thing in each method, as in
//
//	func (db *DB) Save(ctx context.Context, id string, ...) (_ []Saved, err error) {
//		defer examhall.Wrap(&err, "Save", id)
//
// so that an operator reads "Save(a4fk…): context deadline exceeded", not
// the bare cause. Clients never see it: they get the code and the message.
func Wrap(errp *error, op string, args ...string) {
	if *errp != nil {
		*errp = fmt.Errorf("%s(%s): %w", op, strings.Join(args, ", "), *errp)
	}
}

// Unavailable wraps err, a failure to make something durable, as EUnavailable:
// nothing was acknowledged and retrying is safe.
func Unavailable(err error) error {
	return fmt.Errorf("%w: %w", &Error{Code: EUnavailable, Message: "The server could not store this right now; nothing was lost, retry shortly."}, err)
}

// RetryError carries how long a client should wait before retrying, such
// as after ERateLimited.
type RetryError struct {
	Err   error
	After time.Duration
}

// Error implements error.
func (e *RetryError) Error() string { return e.Err.Error() }

// Unwrap returns the error that carries the code.
func (e *RetryError) Unwrap() error { return e.Err }

// ErrorBody is the JSON body of every error answer of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the error of an ErrorBody.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"examhall/client"
)

func TestErrCode(t *testing.T) {
	dial := func(err error) error {
		return &url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	tests := []struct {
		name      string
		err       error
		code      string
		hint      bool
		retryable bool
	}{
		{"api error", &client.Error{Status: 409, Code: "attempt_closed"}, "attempt_closed", false, false},
		{"rate limited", &client.Error{Status: 429, Code: "rate_limited"}, "rate_limited", false, true},
		{"unavailable", &client.Error{Status: 503, Code: "unavailable"}, "unavailable", false, true},
		{"too many files", dial(os.NewSyscallError("socket", syscall.EMFILE)), "emfile", true, true},
		{"no local address", dial(os.NewSyscallError("connect", syscall.EADDRNOTAVAIL)), "eaddrnotavail", true, true},
		{"refused", dial(os.NewSyscallError("connect", syscall.ECONNREFUSED)), "connection_refused", false, true},
		{"try timeout", fmt.Errorf("post: %w", context.DeadlineExceeded), "timeout", false, true},
		{"write deadline behind a stale connection", &url.Error{Op: "Post", URL: "http://x",
			Err: fmt.Errorf("%w: %w", errors.New("connection closed before the response"), &net.OpError{Op: "write", Err: os.ErrDeadlineExceeded})}, "timeout", false, true},
		{"other", errors.New("unexpected EOF"), "network", false, true},
		{"cancelled", context.Canceled, "network", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hint := errCode(tt.err)
			if code != tt.code || (hint != "") != tt.hint || retryable(tt.err) != tt.retryable {
				t.Errorf("errCode = %q, hint %q, retryable %v; want %q, hint %v, retryable %v", code, hint, retryable(tt.err), tt.code, tt.hint, tt.retryable)
			}
		})
	}
}

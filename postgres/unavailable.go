package postgres

import (
	"errors"
	"io"
	"net"
	"strings"

	"examhall"

	"github.com/jackc/pgx/v5/pgconn"
)

// wrap is examhall.Wrap that also marks a lost or refused connection as
// EUnavailable: PostgreSQL restarting, failing over (Multi-AZ) or
// cutting the connection means nothing was done, the pool connects again,
// and the client may retry (503 with Retry-After, not 500).
func wrap(errp *error, op string, args ...string) {
	if *errp == nil {
		return
	}
	examhall.Wrap(errp, op, args...)
	if examhall.ErrorCode(*errp) == examhall.EInternal && connectionLost(*errp) {
		*errp = examhall.Unavailable(*errp)
	}
}

// connectionLost reports whether err is the connection's failure rather
// than the statement's.
func connectionLost(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01-57P03: admin or crash shutdown,
		// cannot connect now (starting up, in recovery); 25006: read-only
		// transaction (a standby before promotion).
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") || pe.Code == "25006"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "conn closed")
}

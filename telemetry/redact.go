package telemetry

import (
	"log/slog"
	"regexp"
	"strings"
)

// credentials matches the password of a URL's user part
// (scheme://user:password@host, or scheme://:password@host).
var credentials = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*):[^@\s/]+@`)

// RedactCredentials returns s with the password of every URL in it
// replaced by xxxxx: an error or a log line may quote a connection URL.
func RedactCredentials(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return credentials.ReplaceAllString(s, "${1}:xxxxx@")
}

// redactAttr is the loggers' ReplaceAttr: string and error values lose the
// passwords of the URLs they quote.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	switch v := a.Value.Any().(type) {
	case string:
		if strings.Contains(v, "://") {
			a.Value = slog.StringValue(RedactCredentials(v))
		}
	case error:
		if s := v.Error(); strings.Contains(s, "://") {
			a.Value = slog.StringValue(RedactCredentials(s))
		}
	}
	return a
}

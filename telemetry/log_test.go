package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"examhall/telemetry"
)

func TestNewLogger(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, format, level string
		json                bool
		debug               bool
		err                 string
	}{
		{"auto off a terminal is json", "auto", "info", true, false, ""},
		{"empty is auto", "", "info", true, false, ""},
		{"text", "text", "debug", false, true, ""},
		{"json", "JSON", "warn", true, false, ""},
		{"bad format", "xml", "info", false, false, `log format "xml"`},
		{"bad level", "json", "loud", false, false, `log level "loud"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := telemetry.NewLogger(&buf, tt.format, tt.level)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ctx := telemetry.WithRequestID(context.Background(), "req-42")
			log.DebugContext(ctx, "debug line")
			log.WarnContext(ctx, "warn line")
			out := buf.String()
			if got := strings.Contains(out, "debug line"); got != tt.debug {
				t.Errorf("debug line logged: %v, want %v:\n%s", got, tt.debug, out)
			}
			last := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
			var rec map[string]any
			isJSON := json.Unmarshal([]byte(last), &rec) == nil
			if isJSON != tt.json {
				t.Fatalf("line %q: json %v, want %v", last, isJSON, tt.json)
			}
			if !strings.Contains(last, "req-42") {
				t.Errorf("line %q lacks the request id", last)
			}
		})
	}
}

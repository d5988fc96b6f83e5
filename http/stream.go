package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

// monitorStreamRoute is the live monitor's route. Its requests last
// minutes, so the middleware keeps them out of the request-duration
// histogram, where they would swamp the latency of everything else.
const monitorStreamRoute = "GET /api/v1/admin/exams/{exam}/monitor/stream"

// Stream timing: the monitor is computed every streamTick and sent when it
// changed, or at least every streamEvery (which doubles as a keep-alive); a
// stream ends after streamLife, and the browser reconnects, so no request
// holds a connection forever.
var (
	streamTick  = time.Second
	streamEvery = 2 * time.Second
	streamLife  = 10 * time.Minute
)

// monitorStream sends the exam's monitor as server-sent events ("monitor"
// events whose data is the JSON of GET .../monitor) until the client goes,
// the server drains, or the stream's lifetime ends.
func (s *Server) monitorStream(w http.ResponseWriter, r *http.Request) {
	exam := r.PathValue("exam")
	first, err := s.svc.Monitor(r.Context(), exam)
	if err != nil {
		writeError(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // proxies: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(streamTick)
	defer tick.Stop()
	end := time.NewTimer(streamLife)
	defer end.Stop()
	var last []byte
	var sentAt time.Time
	send := func(m any) bool {
		b, err := json.Marshal(m)
		if err != nil {
			return false
		}
		// Compare without server_time, which always changes.
		key := withoutServerTime(b)
		if bytes.Equal(key, last) && time.Since(sentAt) < streamEvery {
			return true
		}
		last, sentAt = key, time.Now()
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := w.Write(append(append([]byte("event: monitor\ndata: "), b...), '\n', '\n')); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// The client reconnects after 2 s if the stream breaks.
	w.Write([]byte("retry: 2000\n\n"))
	if !send(first) {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-end.C:
			return
		case <-tick.C:
		}
		if s.draining.Load() {
			return
		}
		m, err := s.svc.Monitor(r.Context(), exam)
		if err != nil {
			if r.Context().Err() == nil {
				s.log.WarnContext(r.Context(), "monitor stream", "exam", exam, "err", err)
			}
			return
		}
		if !send(m) {
			return
		}
	}
}

func withoutServerTime(b []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return b
	}
	delete(m, "server_time")
	out, _ := json.Marshal(m)
	return out
}

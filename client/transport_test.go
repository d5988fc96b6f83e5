package client_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"examhall/client"
)

func TestTransport(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/echo":
			w.Header().Set("X-Method", r.Method)
			fmt.Fprintf(w, "%s %s %s", r.Method, r.Header.Get("Authorization"), body)
		case "/chunked":
			for i := 0; i < 3; i++ {
				fmt.Fprintf(w, "part%d;", i)
				w.(http.Flusher).Flush()
			}
		case "/big":
			io.WriteString(w, strings.Repeat("x", 100000))
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		case "/status":
			w.WriteHeader(http.StatusTeapot)
			io.WriteString(w, "short and stout")
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	tr := &client.Transport{MaxConns: 4}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	get := func(method, path, body string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if body == "" {
			req.Body = nil
		}
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"put with body", "PUT", "/echo", `{"a":1}`, 200, `PUT Bearer tok {"a":1}`},
		{"get without body", "GET", "/echo", "", 200, "GET Bearer tok "},
		{"post with empty body", "POST", "/echo", "", 200, "POST Bearer tok "},
		{"chunked answer", "GET", "/chunked", "", 200, "part0;part1;part2;"},
		{"large answer", "GET", "/big", "", 200, strings.Repeat("x", 100000)},
		{"connection close", "GET", "/close", "", 200, "bye"},
		{"non-200 status", "GET", "/status", "", 418, "short and stout"},
		{"no content", "GET", "/empty", "", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := get(tt.method, tt.path, tt.body)
			if status != tt.status || body != tt.want {
				t.Errorf("%s %s = %d %.60q, want %d %.60q", tt.method, tt.path, status, body, tt.status, tt.want)
			}
		})
	}
	// Keep-alive: many sequential requests reuse a connection.
	before := conns.Load()
	for i := 0; i < 50; i++ {
		get("GET", "/echo", "")
	}
	if n := conns.Load() - before; n > 1 {
		t.Errorf("50 sequential requests opened %d connections, want at most 1", n)
	}
	// MaxConns caps concurrent connections.
	srv.CloseClientConnections()
	before = conns.Load()
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				if status, _, _ := get("GET", "/echo", ""); status != 200 {
					t.Errorf("status %d", status)
				}
			}
		}()
	}
	wg.Wait()
	if n := conns.Load() - before; n > 4 {
		t.Errorf("40 concurrent callers opened %d connections, want at most MaxConns=4", n)
	}
	// A context deadline is honoured.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/echo", nil)
	if _, err := hc.Do(req); err == nil {
		t.Error("a request with a cancelled context succeeded")
	}
}

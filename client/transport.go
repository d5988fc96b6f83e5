package client

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Transport is a lean HTTP/1.1 keep-alive round tripper for load
// generation: it writes the request and reads the response in the caller's
// goroutine over a pooled connection, where net/http's transport spends two
// goroutines and several allocations per request. It speaks only what
// examhall answers (Content-Length or chunked bodies, no 1xx, no upgrades)
// and is not a general-purpose client.
type Transport struct {
	// Dial opens connections (default: net.Dialer.DialContext).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// MaxConns caps the open connections per transport; callers beyond it
	// wait for a free one, as behind a load balancer's upstream pool.
	// Zero means no cap.
	MaxConns int

	once  sync.Once
	idle  chan *tconn
	slots chan struct{}
}

type tconn struct {
	net.Conn
	r *bufio.Reader
	w *bufio.Writer
}

func (t *Transport) init() {
	t.once.Do(func() {
		n := t.MaxConns
		if n <= 0 {
			n = 1 << 16
		}
		t.idle = make(chan *tconn, n)
		t.slots = make(chan struct{}, n)
		if t.Dial == nil {
			var d net.Dialer
			t.Dial = d.DialContext
		}
	})
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.init()
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	for attempt := 0; ; attempt++ {
		c, reused, err := t.get(req.Context(), req.URL.Host)
		if err != nil {
			return nil, err
		}
		resp, err := c.roundTrip(req, body)
		if err == nil {
			if resp.Close {
				t.discard(c)
			} else {
				t.put(c)
			}
			return resp, nil
		}
		t.discard(c)
		// A reused connection may have been closed by the server while
		// idle; try once more on a fresh one.
		if !reused || attempt > 0 || !errors.Is(err, errStale) {
			return nil, err
		}
	}
}

// CloseIdleConnections closes the pooled connections.
func (t *Transport) CloseIdleConnections() {
	t.init()
	for {
		select {
		case c := <-t.idle:
			t.discard(c)
		default:
			return
		}
	}
}

func (t *Transport) get(ctx context.Context, host string) (*tconn, bool, error) {
	select {
	case c := <-t.idle:
		return c, true, nil
	default:
	}
	select {
	case c := <-t.idle:
		return c, true, nil
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	nc, err := t.Dial(ctx, "tcp", host)
	if err != nil {
		<-t.slots
		return nil, false, err
	}
	return &tconn{Conn: nc, r: bufio.NewReaderSize(nc, 16<<10), w: bufio.NewWriterSize(nc, 8<<10)}, false, nil
}

func (t *Transport) put(c *tconn) {
	select {
	case t.idle <- c:
	default:
		t.discard(c)
	}
}

func (t *Transport) discard(c *tconn) {
	c.Close()
	<-t.slots
}

// errStale marks a failure before any byte of the response arrived.
var errStale = errors.New("connection closed before the response")

func (c *tconn) roundTrip(req *http.Request, body []byte) (*http.Response, error) {
	ctx := req.Context()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	} else {
		c.SetDeadline(time.Time{})
	}
	if ctx.Done() != nil {
		// Cancellation interrupts a blocked read or write.
		stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	w := c.w
	w.WriteString(req.Method)
	w.WriteByte(' ')
	w.WriteString(req.URL.RequestURI())
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(req.URL.Host)
	w.WriteString("\r\n")
	for k, vs := range req.Header {
		for _, v := range vs {
			w.WriteString(k)
			w.WriteString(": ")
			w.WriteString(v)
			w.WriteString("\r\n")
		}
	}
	if body != nil || req.Method == "POST" || req.Method == "PUT" {
		w.WriteString("Content-Length: ")
		w.WriteString(strconv.Itoa(len(body)))
		w.WriteString("\r\n")
	}
	w.WriteString("\r\n")
	w.Write(body)
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("%w: %w", errStale, err)
	}
	return readResponse(c.r, req)
}

func readResponse(r *bufio.Reader, req *http.Request) (*http.Response, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		if len(line) == 0 {
			return nil, fmt.Errorf("%w: %w", errStale, err)
		}
		return nil, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return nil, fmt.Errorf("malformed status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return nil, fmt.Errorf("malformed status line %q", line)
	}
	resp := &http.Response{StatusCode: status, Status: strings.TrimSpace(string(line[9:])), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: make(http.Header, 8), Request: req}
	length, chunked := -1, false
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return nil, fmt.Errorf("malformed header %q", line)
		}
		key := http.CanonicalHeaderKey(string(k))
		val := string(bytes.TrimSpace(v))
		resp.Header.Add(key, val)
		switch key {
		case "Content-Length":
			if length, err = strconv.Atoi(val); err != nil {
				return nil, fmt.Errorf("malformed Content-Length %q", val)
			}
		case "Transfer-Encoding":
			chunked = strings.EqualFold(val, "chunked")
		case "Connection":
			resp.Close = strings.EqualFold(val, "close")
		}
	}
	var body []byte
	switch {
	case req.Method == "HEAD" || status == 204 || status == 304:
	case chunked:
		body, err = readChunked(r)
	case length >= 0:
		body = make([]byte, length)
		_, err = io.ReadFull(r, body)
	default:
		body, err = io.ReadAll(r)
		resp.Close = true
	}
	if err != nil {
		return nil, err
	}
	resp.ContentLength = int64(len(body))
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func readChunked(r *bufio.Reader) ([]byte, error) {
	var body []byte
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		sz, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(sz), 16, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("malformed chunk size %q", line)
		}
		if n == 0 {
			for { // trailers, then the empty line
				line, err := r.ReadSlice('\n')
				if err != nil {
					return nil, err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return body, nil
				}
			}
		}
		start := len(body)
		body = append(body, make([]byte, n)...)
		if _, err := io.ReadFull(r, body[start:]); err != nil {
			return nil, err
		}
		if _, err := r.Discard(2); err != nil {
			return nil, err
		}
	}
}

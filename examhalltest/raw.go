package examhalltest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Response is a raw answer of the API.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Code returns the error code of an error answer, "" for others.
func (r *Response) Code() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Decode decodes the body into v.
func (r *Response) Decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decoding %s: %v", r.Body, err)
	}
}

// Do sends a request with an optional bearer token and body (a []byte or
// string is sent as is, anything else as JSON) and returns the raw answer.
func (s *Server) Do(tb testing.TB, method, path, token string, body any) *Response {
	tb.Helper()
	return s.DoWith(tb, nil, method, path, token, body)
}

// DoWith is Do with extra request headers (such as X-Forwarded-For).
func (s *Server) DoWith(tb testing.TB, header http.Header, method, path, token string, body any) *Response {
	tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		j, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// DoAccept is Do without a body and with an Accept header.
func (s *Server) DoAccept(tb testing.TB, method, path, token, accept string) *Response {
	tb.Helper()
	req, err := http.NewRequest(method, s.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// PutSave sends one lean save, q5 at seq, to url (an attempt's answers)
// with the Authorization header auth (none when empty), as a load
// generator does, and returns how long the server took to answer 200.
func PutSave(hc *http.Client, url, auth string, seq int64) (time.Duration, error) {
	body := fmt.Sprintf(`{"answers":[{"question":"q5","response":"answer %d","seq":%d}]}`, seq, seq)
	req, _ := http.NewRequest("PUT", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	t0 := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s answered %d", url, resp.StatusCode)
	}
	return time.Since(t0), nil
}

// Package client is a Go client of examhall's HTTP API, for the command line
// tools, the load generator and tests.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"examhall"
)

// Client calls one examhall server.
type Client struct {
	BaseURL string
	HTTP    *http.Client
	// Token is sent as the bearer token.
	Token string
}

// New returns a client of the server at baseURL.
func New(baseURL string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: http.DefaultClient}
}

// Error is an error answer of the API.
type Error struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// Code returns the API error code of err, "" if it is not an API error.
func Code(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return ""
}

// Do sends a request with a JSON body (nil for none) and decodes a JSON
// answer into out (nil to discard it).
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		if raw, ok := in.([]byte); ok {
			body = bytes.NewReader(raw)
		} else {
			b, err := json.Marshal(in)
			if err != nil {
				return err
			}
			body = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	data, err := c.send(req)
	if err != nil || out == nil {
		return err
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = data
		return nil
	}
	return json.Unmarshal(data, out)
}

// send sends req with the client's token and returns the answer's body, or
// the answer as an *Error when its status is not a success.
func (c *Client) send(req *http.Request) ([]byte, error) {
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return nil, decodeError(resp, data)
	}
	return data, nil
}

func decodeError(resp *http.Response, data []byte) error {
	e := &Error{Status: resp.StatusCode}
	var body examhall.ErrorBody
	if json.Unmarshal(data, &body) == nil && body.Error.Code != "" {
		e.Code, e.Message = body.Error.Code, body.Error.Message
	} else {
		e.Code, e.Message = "http_"+strconv.Itoa(resp.StatusCode), strings.TrimSpace(string(data))
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// Login logs a candidate in; the client keeps the token.
func (c *Client) Login(ctx context.Context, exam, candidate, code string) (*examhall.LoginResult, error) {
	var out examhall.LoginResult
	err := c.Do(ctx, "POST", "/api/v1/login", &examhall.LoginRequest{Exam: exam, Candidate: candidate, Code: code}, &out)
	if err == nil {
		c.Token = out.Token
	}
	return &out, err
}

// Paper fetches the candidate's attempt.
func (c *Client) Paper(ctx context.Context, attempt string) (*examhall.AttemptView, error) {
	var out examhall.AttemptView
	return &out, c.Do(ctx, "GET", "/api/v1/attempts/"+attempt, nil, &out)
}

// Clock reads the attempt's status and deadline with the server's time.
func (c *Client) Clock(ctx context.Context, attempt string) (*examhall.ClockResult, error) {
	var out examhall.ClockResult
	return &out, c.Do(ctx, "GET", "/api/v1/attempts/"+attempt+"/clock", nil, &out)
}

// Save autosaves answers.
func (c *Client) Save(ctx context.Context, attempt string, answers []examhall.Answer) (*examhall.SaveResult, error) {
	var out examhall.SaveResult
	return &out, c.Do(ctx, "PUT", "/api/v1/attempts/"+attempt+"/answers", &examhall.AnswersRequest{Answers: answers}, &out)
}

// Submit submits with an optional final batch.
func (c *Client) Submit(ctx context.Context, attempt string, answers []examhall.Answer) (*examhall.SubmitResult, error) {
	var out examhall.SubmitResult
	if answers == nil {
		answers = []examhall.Answer{}
	}
	return &out, c.Do(ctx, "POST", "/api/v1/attempts/"+attempt+"/submit", &examhall.AnswersRequest{Answers: answers}, &out)
}

// Result fetches the candidate's released result.
func (c *Client) Result(ctx context.Context, attempt string) (*examhall.Result, error) {
	var out examhall.Result
	return &out, c.Do(ctx, "GET", "/api/v1/attempts/"+attempt+"/result", nil, &out)
}

// DoCSV is Do with a CSV body sent as is.
func (c *Client) DoCSV(ctx context.Context, method, path string, csv []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, bytes.NewReader(csv))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	data, err := c.send(req)
	if err != nil || out == nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// Flag marks questions for review, or unmarks them.
func (c *Client) Flag(ctx context.Context, attempt string, flags []examhall.Flag) (*examhall.SaveResult, error) {
	var out examhall.SaveResult
	return &out, c.Do(ctx, "PUT", "/api/v1/attempts/"+attempt+"/flags", &examhall.FlagsRequest{Flags: flags}, &out)
}

// FlagSet marks exactly the questions flagged for review (Flag's simple form).
func (c *Client) FlagSet(ctx context.Context, attempt string, flagged []string) (*examhall.SaveResult, error) {
	if flagged == nil {
		flagged = []string{}
	}
	var out examhall.SaveResult
	return &out, c.Do(ctx, "PUT", "/api/v1/attempts/"+attempt+"/flags", &examhall.FlagsRequest{Flagged: flagged}, &out)
}

// Visit records that questions were seen.
func (c *Client) Visit(ctx context.Context, attempt string, questions []string) (*examhall.SaveResult, error) {
	var out examhall.SaveResult
	return &out, c.Do(ctx, "PUT", "/api/v1/attempts/"+attempt+"/visited", &examhall.VisitRequest{Questions: questions}, &out)
}

// FinishSection closes a section before its time is up.
func (c *Client) FinishSection(ctx context.Context, attempt, section string) (*examhall.SectionsResult, error) {
	var out examhall.SectionsResult
	return &out, c.Do(ctx, "POST", "/api/v1/attempts/"+attempt+"/sections/"+url.PathEscape(section)+"/finish", nil, &out)
}

package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"unicode/utf8"

	"examhall"
)

// readBody reads a request body of at most limit bytes; a larger one is
// ETooLarge.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, examhall.Errorf(examhall.ETooLarge, "The request body is larger than %d bytes.", limit)
	}
	if err != nil {
		return nil, badRequest("The request body could not be read.")
	}
	return body, nil
}

// decode reads a JSON request body into v, refusing unknown fields, values
// of the wrong type and trailing data. An empty body is allowed only when
// optional is true, and leaves v as it is.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any, optional bool) error {
	body, err := readBody(w, r, limit)
	if err != nil {
		return err
	}
	return decodeBytes(body, v, optional)
}

func decodeBytes(body []byte, v any, optional bool) error {
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return badRequest("The request needs a JSON body.")
	}
	// JSON is UTF-8; Go's decoder would silently replace invalid bytes
	// with U+FFFD (and a raw answer would keep them): neither is what the
	// client sent, so refuse it.
	if !utf8.Valid(body) {
		i := 0
		for i < len(body) {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return badRequest("The request body is not valid UTF-8 (at byte %d).", i)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("The request body is not valid: %s.", examhall.DescribeJSONError(body, err))
	}
	if dec.More() {
		return badRequest("The request body has data after its JSON value.")
	}
	return nil
}

// answerIn is one answer as a client sends it; pointers tell absent fields
// from zero ones.
type answerIn struct {
	Question *string         `json:"question"`
	Response json.RawMessage `json:"response"`
	Seq      *int64          `json:"seq"`
}

type answersIn struct {
	Answers []answerIn `json:"answers"`
}

// answers checks the presence of every field and converts.
func (in *answersIn) answers(required bool) ([]examhall.Answer, error) {
	if in.Answers == nil && required {
		return nil, badRequest(`The request body needs "answers", a list of {"question", "response", "seq"}.`)
	}
	out := make([]examhall.Answer, len(in.Answers))
	for i, a := range in.Answers {
		switch {
		case a.Question == nil || *a.Question == "":
			return nil, badRequest("answers[%d]: question is required.", i)
		case a.Response == nil:
			return nil, badRequest("answers[%d] (%s): response is required (null clears an answer).", i, *a.Question)
		case a.Seq == nil:
			return nil, badRequest("answers[%d] (%s): seq is required.", i, *a.Question)
		}
		out[i] = examhall.Answer{Question: *a.Question, Response: a.Response, Seq: *a.Seq}
	}
	return out, nil
}

// multipartReader reads a multipart body of at most max bytes of files
// (and a little for the form's own parts).
func multipartReader(w http.ResponseWriter, r *http.Request, boundary string, max int64) *multipart.Reader {
	return multipart.NewReader(http.MaxBytesReader(w, r.Body, max+64<<10), boundary)
}

// tooLargeOr is too_large when err is a body over its cap, else a
// bad_request with msg.
func tooLargeOr(err error, msg string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return examhall.Errorf(examhall.ETooLarge, "The request body is larger than %d bytes.", mbe.Limit)
	}
	return badRequest("%s", msg)
}

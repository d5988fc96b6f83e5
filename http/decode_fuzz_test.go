package http

import (
	"testing"

	"examhall"
)

// FuzzDecodeAnswers: any request body is refused with bad_request or
// decoded into answers that each have a question, a response and a seq.
func FuzzDecodeAnswers(f *testing.F) {
	for _, s := range []string{
		`{"answers":[{"question":"q1","response":"a","seq":1}]}`,
		`{"answers":[]}`, `{}`, ``, `{"answers":null}`, `{"answers":[{}]}`,
		`{"answers":[{"question":"q1","response":null,"seq":0}]}`,
		`{"answers":[{"question":"q1","response":"a","seq":1.5}]}`,
		`{"answers":[{"question":"q1","response":"a","seq":1}], "x": 1}`,
		`{"answers":[{"question":"q1","response":{"deep":[1,2,{"a":null}]},"seq":99999999999}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in answersIn
		err := decodeBytes(body, &in, true)
		if err == nil {
			var answers []examhall.Answer
			if answers, err = in.answers(false); err == nil {
				for _, a := range answers {
					if a.Question == "" || a.Response == nil {
						t.Fatalf("decoded an incomplete answer %+v from %q", a, body)
					}
				}
				return
			}
		}
		if examhall.ErrorCode(err) != examhall.EBadRequest {
			t.Fatalf("error %v is not bad_request", err)
		}
	})
}

// FuzzDecodeLogin: any login body is refused with bad_request or decoded.
func FuzzDecodeLogin(f *testing.F) {
	for _, s := range []string{`{"exam":"e","candidate":"c","code":"x"}`, `{"exam":1}`, `[`, `{"exam":"e","pin":"1"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in examhall.LoginRequest
		if err := decodeBytes(body, &in, false); err != nil && examhall.ErrorCode(err) != examhall.EBadRequest {
			t.Fatalf("error %v is not bad_request", err)
		}
	})
}

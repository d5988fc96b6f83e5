package http_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"examhall/examhalltest"
)

// rawGet sends a GET with the given Accept-Encoding and returns the
// answer's headers, the bytes on the wire and the decoded body.
func rawGet(t *testing.T, url, token, encoding string) (http.Header, int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Encoding", encoding) // set by hand: the transport then leaves the body as sent
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	wire, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body := wire
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			t.Fatalf("GET %s: gzip: %v", url, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("GET %s: gzip: %v", url, err)
		}
	}
	return resp.Header, len(wire), body
}

// TestAPICompressed checks that the API gzips its larger answers for a
// client that accepts gzip, sends small ones and other clients' as they
// are, and that both decode to the same JSON. -v prints the paper's sizes
// that docs/web.md quotes.
func TestAPICompressed(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Quiet: true})
	staff := srv.Staff(t)
	doc := examhalltest.AllTypesExam("gz", 900)
	qs := doc["questions"].([]any)
	for i := range 54 {
		qs = append(qs, map[string]any{"id": fmt.Sprintf("m%d", i), "type": "single", "points": 1,
			"prompt":  fmt.Sprintf("Question %d: which of these numbers is the sum of %d and %d, written in base ten?", i, i, 2*i),
			"options": []any{map[string]any{"id": "a", "text": fmt.Sprint(3 * i)}, map[string]any{"id": "b", "text": fmt.Sprint(3*i + 1)}, map[string]any{"id": "c", "text": fmt.Sprint(3*i - 1)}, map[string]any{"id": "d", "text": "None of these"}},
			"answer":  "a"})
	}
	doc["questions"] = qs
	exam := examhalltest.MustCreateExam(t, staff, doc)
	code := examhalltest.MustIssue(t, staff, exam, 1)[0]
	_, login := srv.MustLogin(t, exam, code)
	url := srv.URL + "/api/v1/attempts/" + login.Attempt

	plainH, plainN, plain := rawGet(t, url, login.Token, "identity")
	gzH, gzN, unzipped := rawGet(t, url, login.Token, "gzip, deflate, br")
	if plainH.Get("Content-Encoding") != "" {
		t.Errorf("identity: Content-Encoding %q", plainH.Get("Content-Encoding"))
	}
	if gzH.Get("Content-Encoding") != "gzip" || gzH.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip accepted: Content-Encoding %q, Vary %q", gzH.Get("Content-Encoding"), gzH.Get("Vary"))
	}
	var a, b any
	if err := json.Unmarshal(plain, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(unzipped, &b); err != nil {
		t.Fatalf("the gzipped paper is not JSON: %v", err)
	}
	// server_time differs between the two requests; the questions do not.
	if ja, jb := fmt.Sprint(a.(map[string]any)["questions"]), fmt.Sprint(b.(map[string]any)["questions"]); ja != jb {
		t.Error("the gzipped paper's questions differ from the plain one's")
	}
	if gzN*2 > plainN {
		t.Errorf("gzip: %d bytes of %d, expected under half", gzN, plainN)
	}
	t.Logf("paper of %d questions: %d bytes, %d gzipped (%.0f%%)", len(qs), plainN, gzN, 100*float64(gzN)/float64(plainN))

	// Small answers (an error here) go as they are, even when gzip is accepted.
	h, _, small := rawGet(t, srv.URL+"/api/v1/attempts/nope", login.Token, "gzip")
	if h.Get("Content-Encoding") != "" || !bytes.Contains(small, []byte(`"error"`)) {
		t.Errorf("a small error answer: Content-Encoding %q, body %s", h.Get("Content-Encoding"), small)
	}
	// q=0 refuses gzip.
	if h, _, _ := rawGet(t, url, login.Token, "gzip;q=0"); h.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0: Content-Encoding %q", h.Get("Content-Encoding"))
	}
}

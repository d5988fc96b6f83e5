package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"examhall/examhalltest"
	"examhall/web"
)

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.StatusCode == 200 && resp.Header.Get("Content-Encoding") == "gzip" {
		if r, err = gzip.NewReader(resp.Body); err != nil {
			t.Fatal(err)
		}
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestPagesAndAssets(t *testing.T) {
	srv := examhalltest.NewEmbedded(t, examhalltest.Options{Web: true, Quiet: true})
	assetURL := regexp.MustCompile(`/assets/[a-z]+\.[0-9a-f]{10}\.(js|css)`)
	for _, page := range []string{"/", "/staff"} {
		resp, body := get(t, srv.URL+page)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s: %d %s", page, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", page, got)
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self' 'sha256-") {
			t.Errorf("GET %s: CSP %q does not pin the import map", page, resp.Header.Get("Content-Security-Policy"))
		}
		if !strings.Contains(body, `<script type="importmap">`) || strings.Contains(body, "{{") {
			t.Errorf("GET %s: page not rendered: %.300s", page, body)
		}
		urls := assetURL.FindAllString(body, -1)
		if len(urls) < 2 {
			t.Fatalf("GET %s: %d hashed asset URLs in the page, want the stylesheet and the modules", page, len(urls))
		}
		for _, u := range urls {
			resp, body := get(t, srv.URL+u, "Accept-Encoding", "gzip")
			if resp.StatusCode != 200 || len(body) == 0 {
				t.Fatalf("GET %s: %d, %d bytes", u, resp.StatusCode, len(body))
			}
			if got := resp.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("GET %s: Cache-Control %q", u, got)
			}
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("GET %s with gzip accepted: not gzipped", u)
			}
			etag := resp.Header.Get("ETag")
			if again, _ := get(t, srv.URL+u, "Accept-Encoding", "gzip", "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
				t.Errorf("GET %s If-None-Match %s: %d, want 304", u, etag, again.StatusCode)
			}
		}
	}
	if resp, _ := get(t, srv.URL+"/assets/candidate.0000000000.js"); resp.StatusCode != 404 {
		t.Errorf("unknown hash: %d, want 404", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/nothing-here"); resp.StatusCode != 404 {
		t.Errorf("unknown page: %d, want 404", resp.StatusCode)
	}
	// The API keeps its JSON errors under /api/ even with the UI mounted.
	r := srv.Do(t, "GET", "/api/v1/nothing", "", nil)
	if r.Status != 404 || r.Code() != "not_found" {
		t.Errorf("GET /api/v1/nothing: %d %s", r.Status, r.Body)
	}
}

func TestHashedNamesFollowContent(t *testing.T) {
	h := web.MustNew()
	for name := range h.Assets() {
		u := h.URL(name)
		if !regexp.MustCompile(`^/assets/[a-z]+\.[0-9a-f]{10}\.(js|css)$`).MatchString(u) {
			t.Errorf("%s: URL %q is not content-hashed", name, u)
		}
	}
	if h.URL("candidate.js") == h.URL("queue.js") {
		t.Error("two assets share a URL")
	}
}

// TestAssetBudget keeps the UI small. What a candidate's page loads to
// start (candidate.js, the modules it imports statically, and the
// stylesheet) stays under 45 KB before compression: that is what every
// candidate fetches on a weak network at the exam's start. Modules loaded
// only when a paper needs them (moretypes.js) and the staff console count
// in the total, which stays under 104 KB (the staff console's exam-day
// tools: the live list of candidates, slips, editing, key corrections).
// -v prints the sizes the README quotes.
func TestAssetBudget(t *testing.T) {
	h := web.MustNew()
	sizes := h.Assets()
	var raw, gz int
	for name, size := range sizes {
		t.Logf("%-14s %6d bytes, %6d gzipped", name, size[0], size[1])
		raw += size[0]
		gz += size[1]
	}
	t.Logf("total          %6d bytes, %6d gzipped", raw, gz)
	if raw > 104_000 {
		t.Errorf("JS+CSS is %d bytes, over the 104 KB budget", raw)
	}
	start := map[string]bool{"style.css": true}
	var follow func(string)
	follow = func(name string) {
		if start[name] {
			return
		}
		start[name] = true
		src, err := web.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range staticImport.FindAllStringSubmatch(src, -1) {
			follow(m[1])
		}
	}
	follow("candidate.js")
	var sraw, sgz int
	for name := range start {
		sraw += sizes[name][0]
		sgz += sizes[name][1]
	}
	t.Logf("candidate page start (%d files) %6d bytes, %6d gzipped", len(start), sraw, sgz)
	if sraw > 45_000 {
		t.Errorf("the candidate's page loads %d bytes to start, over the 45 KB budget", sraw)
	}
	if start["moretypes.js"] {
		t.Error("moretypes.js is imported statically: papers of the core types would load it too")
	}
}

// staticImport finds the static imports of a module (not import()).
var staticImport = regexp.MustCompile(`(?m)^import [^;]*?from "\./([a-z]+\.js)";`)

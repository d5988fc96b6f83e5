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
	assetURL := regexp.MustCompile(`/assets/[a-z0-9][a-z0-9-]*\.[0-9a-f]{10}\.(js|css)`)
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
	// The service worker: revalidated on every check, its cache named after
	// the release, and it keeps the hashed URLs the page uses.
	resp, sw := get(t, srv.URL+"/sw.js")
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("GET /sw.js: %d, Cache-Control %q, Content-Type %q", resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"))
	}
	if !regexp.MustCompile(`const CACHE = "examhall-[0-9a-f]{10}";`).MatchString(sw) || strings.Contains(sw, "{{") {
		t.Errorf("/sw.js is not rendered with a version: %.300s", sw)
	}
	// The staff console's catalogues are in the import map (it is the same
	// for both pages) but no candidate needs them: the worker, which every
	// candidate's browser fills at the first visit, leaves them out.
	_, page := get(t, srv.URL+"/")
	for _, u := range assetURL.FindAllString(page, -1) {
		if strings.HasPrefix(u, "/assets/staff-") {
			if strings.Contains(sw, `"`+u+`"`) {
				t.Errorf("/sw.js keeps %s, a staff catalogue", u)
			}
			continue
		}
		if !strings.Contains(sw, `"`+u+`"`) {
			t.Errorf("/sw.js does not keep %s, which the page loads", u)
		}
	}
	if resp, _ := get(t, srv.URL+"/assets/sw.js"); resp.StatusCode != 404 {
		t.Errorf("the worker's template is served as an asset: %d", resp.StatusCode)
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
		if !regexp.MustCompile(`^/assets/[a-z0-9][a-z0-9-]*\.[0-9a-f]{10}\.(js|css)$`).MatchString(u) {
			t.Errorf("%s: URL %q is not content-hashed", name, u)
		}
	}
	if h.URL("candidate.js") == h.URL("queue.js") {
		t.Error("two assets share a URL")
	}
}

// TestAssetBudget keeps the UI small. What a candidate's page loads to
// start (candidate.js, the modules it imports statically, among them the
// English catalogue, and the stylesheet) stays under 70 KB before
// compression and 23.5 KB gzipped: that is what every candidate fetches on a
// weak network at the exam's start. Modules loaded only when a paper needs
// them (moretypes.js) and the staff console count in the total, which
// stays under 160 KB. A catalogue of another language (msg-LANG.js) is
// loaded only by a candidate who reads it, and the staff console's
// catalogues (staff-LANG.js, English too) only by staff: each counts
// apart, a candidate's catalogue under 16 KB and a staff one under 32 KB
// (the console has more to say, over office networks); none is part of
// the candidate's start. The mode of exams with sections (sections.js,
// sections.css and msg-en-cbt.js) is loaded only for their papers and
// counts apart too, under 24 KB, and so do its messages in another
// language (msg-LANG-cbt.js, under 6 KB each). -v prints the sizes the
// README quotes.
func TestAssetBudget(t *testing.T) {
	h := web.MustNew()
	sizes := h.Assets()
	var raw, gz, cbtRaw, cbtGz int
	for name, size := range sizes {
		t.Logf("%-14s %6d bytes, %6d gzipped", name, size[0], size[1])
		if name == "sections.js" || name == "sections.css" || name == "msg-en-cbt.js" {
			cbtRaw += size[0]
			cbtGz += size[1]
			continue
		}
		if cataloguePart.MatchString(name) {
			if size[0] > 6_000 {
				t.Errorf("%s is %d bytes, over the 6 KB budget of a part of a catalogue", name, size[0])
			}
			continue
		}
		if catalogue.MatchString(name) && name != "msg-en.js" {
			limit := 16_000
			if strings.HasPrefix(name, "staff-") {
				limit = 32_000
			}
			if size[0] > limit {
				t.Errorf("%s is %d bytes, over the %d KB budget of a catalogue", name, size[0], limit/1000)
			}
			continue
		}
		raw += size[0]
		gz += size[1]
	}
	t.Logf("total (no catalogue but the candidate's English) %6d bytes, %6d gzipped", raw, gz)
	if raw > 160_000 {
		t.Errorf("JS+CSS is %d bytes, over the 160 KB budget", raw)
	}
	t.Logf("sections mode (sections.js, sections.css, msg-en-cbt.js) %6d bytes, %6d gzipped", cbtRaw, cbtGz)
	if cbtRaw > 24_000 {
		t.Errorf("the mode of exams with sections is %d bytes, over its 24 KB budget", cbtRaw)
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
	if sraw > 70_000 || sgz > 23_500 {
		t.Errorf("the candidate's page loads %d bytes (%d gzipped) to start, over the budget of 70 KB (23.5 KB gzipped)", sraw, sgz)
	}
	for _, name := range []string{"moretypes.js", "sections.js", "sections.css", "msg-bn.js", "msg-hi.js", "msg-es.js", "msg-ar.js",
		"msg-en-cbt.js", "msg-bn-cbt.js", "msg-hi-cbt.js", "msg-es-cbt.js", "msg-ar-cbt.js", "staff-en.js", "staff-bn.js", "staff-hi.js", "staff-es.js"} {
		if start[name] {
			t.Errorf("%s is imported statically: every candidate would load it", name)
		}
	}
	if !start["msg-en.js"] {
		t.Error("the English catalogue is not part of the start: the page would show keys until it loads")
	}
}

var (
	catalogue     = regexp.MustCompile(`^(msg|staff)-[a-z]+\.js$`)
	cataloguePart = regexp.MustCompile(`^msg-[a-z]+-[a-z]+\.js$`)
)

// staticImport finds the static imports of a module (not import()).
var staticImport = regexp.MustCompile(`(?m)^import [^;]*?from "\./([a-z0-9][a-z0-9-]*\.js)";`)

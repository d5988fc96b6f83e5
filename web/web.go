// Package web is examhall's user interface: the candidate's exam page at /
// and the staff console at /staff, plain HTML, ES modules and CSS embedded
// in the binary. Asset URLs carry a hash of their content, so they are
// served as immutable (a CDN may keep them for a year) while the pages
// themselves are revalidated on every load.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed static
var static embed.FS

// asset is one embedded file ready to serve.
type asset struct {
	name  string // hashed name, e.g. app.3f2a91c0d4.js
	ctype string
	body  []byte
	gz    []byte // gzip of body, nil when it does not shrink it
	etag  string
}

// Handler serves the UI.
type Handler struct {
	assets map[string]*asset // by hashed name
	byName map[string]*asset // by plain name, e.g. app.js
	pages  map[string]*asset // by URL path: "/", "/staff"
	worker *asset            // the service worker, /sw.js
	csp    string            // Content-Security-Policy of the pages
}

// worker is the service worker's template: it is rendered with this
// build's version and asset URLs, not served as an asset.
const worker = "sw.js"

// New reads the embedded files and computes their hashed names.
func New() (*Handler, error) {
	h := &Handler{assets: map[string]*asset{}, byName: map[string]*asset{}, pages: map[string]*asset{}}
	files, err := fs.Glob(static, "static/*")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		name := path.Base(f)
		if strings.HasSuffix(name, ".html") || name == worker {
			continue
		}
		body, err := static.ReadFile(f)
		if err != nil {
			return nil, err
		}
		a := newAsset(hashedName(name, body), body)
		h.assets[a.name] = a
		h.byName[name] = a
	}
	for url, file := range map[string]string{"/": "candidate.html", "/staff": "staff.html"} {
		body, err := static.ReadFile("static/" + file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		page, err := h.render(body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		h.pages[url] = newAsset(file, page)
	}
	if err := h.renderWorker(); err != nil {
		return nil, err
	}
	return h, nil
}

// renderWorker fills the service worker with the build's version (a hash
// of every asset's and page's content) and the URLs it keeps for offline
// use: the candidate's page and every hashed asset but the staff
// console's catalogues.
func (h *Handler) renderWorker() error {
	src, err := static.ReadFile("static/" + worker)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	urls := []string{"/"}
	sum := sha256.New()
	for _, a := range h.assets {
		// The staff console's catalogues are no part of the candidate's page.
		if strings.HasPrefix(a.name, "staff-") {
			continue
		}
		urls = append(urls, "/assets/"+a.name)
	}
	sort.Strings(urls[1:])
	for _, u := range urls {
		sum.Write([]byte(u))
	}
	if p, ok := h.pages["/"]; ok {
		sum.Write(p.body)
	}
	list, err := json.Marshal(urls)
	if err != nil {
		return err
	}
	out := strings.ReplaceAll(string(src), "{{version}}", hex.EncodeToString(sum.Sum(nil)[:5]))
	out = strings.ReplaceAll(out, "{{precache}}", string(list))
	if i := strings.Index(out, "{{"); i >= 0 {
		return fmt.Errorf("%s: unknown placeholder at %q", worker, out[i:min(len(out), i+40)])
	}
	h.worker = newAsset(worker, []byte(out))
	return nil
}

// MustNew is New for callers with nothing to do about a broken build.
func MustNew() *Handler {
	h, err := New()
	if err != nil {
		panic(err)
	}
	return h
}

// hashedName puts the first 10 hex digits of the content's SHA-256 before
// the extension.
func hashedName(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	a := &asset{name: name, ctype: contentType(name), body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	if buf.Len() < len(body) {
		a.gz = buf.Bytes()
	}
	return a
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".html":
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}

// render replaces {{asset "x"}} with the hashed URL of x and {{importmap}}
// with an import map sending every module's plain URL to its hashed one,
// so modules import each other as "./api.js" and still get cached forever.
func (h *Handler) render(page []byte) ([]byte, error) {
	out := string(page)
	imports := map[string]string{}
	for name, a := range h.byName {
		out = strings.ReplaceAll(out, `{{asset "`+name+`"}}`, "/assets/"+a.name)
		if strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".css") {
			// Stylesheets too, for modules that add one of their own
			// (import.meta.resolve).
			imports["/assets/"+name] = "/assets/" + a.name
		}
	}
	m, err := json.Marshal(map[string]any{"imports": imports})
	if err != nil {
		return nil, err
	}
	out = strings.ReplaceAll(out, "{{importmap}}", `<script type="importmap">`+string(m)+`</script>`)
	// The import map is the one inline script: the policy allows it by hash.
	sum := sha256.Sum256(m)
	h.csp = "default-src 'self'; script-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	if i := strings.Index(out, "{{"); i >= 0 {
		return nil, fmt.Errorf("unknown placeholder at %q", out[i:min(len(out), i+40)])
	}
	return []byte(out), nil
}

// Assets lists the plain names of the embedded assets with their raw and
// gzipped sizes, for the README's budget.
func (h *Handler) Assets() map[string][2]int {
	out := map[string][2]int{}
	for name, a := range h.byName {
		gz := len(a.gz)
		if gz == 0 {
			gz = len(a.body)
		}
		out[name] = [2]int{len(a.body), gz}
	}
	return out
}

// Source returns the content of an embedded asset by its plain name.
func Source(name string) (string, error) {
	b, err := static.ReadFile("static/" + name)
	return string(b), err
}

// URL returns the hashed URL of an asset by its plain name.
func (h *Handler) URL(name string) string {
	if a, ok := h.byName[name]; ok {
		return "/assets/" + a.name
	}
	return ""
}

// ServeHTTP serves pages with no-cache and hashed assets as immutable.
// Plain asset names are served too (with no-cache), for the import map's
// fallbacks and for people poking around.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p == "/staff/" {
		p = "/staff"
	}
	if page, ok := h.pages[p]; ok {
		w.Header().Set("Cache-Control", "no-cache")
		h.serve(w, r, page)
		return
	}
	if p == "/"+worker && h.worker != nil {
		// Revalidated at every check, so a new release's worker is found.
		w.Header().Set("Cache-Control", "no-cache")
		h.serve(w, r, h.worker)
		return
	}
	if name, ok := strings.CutPrefix(p, "/assets/"); ok {
		if a, ok := h.assets[name]; ok {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			h.serve(w, r, a)
			return
		}
		if a, ok := h.byName[name]; ok {
			w.Header().Set("Cache-Control", "no-cache")
			h.serve(w, r, a)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.Error(w, "404 page not found", http.StatusNotFound)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, a *asset) {
	hd := w.Header()
	hd.Set("Content-Type", a.ctype)
	hd.Set("Vary", "Accept-Encoding")
	hd.Set("X-Content-Type-Options", "nosniff")
	if a.ctype == "text/html; charset=utf-8" {
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Content-Security-Policy", h.csp)
	}
	body, etag := a.body, a.etag
	if a.gz != nil && acceptsGzip(r) {
		hd.Set("Content-Encoding", "gzip")
		body, etag = a.gz, a.etag[:len(a.etag)-1]+`-gz"`
	}
	hd.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

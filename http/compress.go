package http

import (
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// compressMin is the smallest body worth compressing: below it (a save's
// answer, an error) gzip's header and the CPU cost more than they save.
const compressMin = 1024

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

// compressor gzips the API's JSON and CSV answers for a client that
// accepts it, once they reach compressMin bytes. It holds the status and
// the first bytes back until it knows the size; streams (server-sent
// events), files with a Content-Length and other media types pass as they
// are.
type compressor struct {
	http.ResponseWriter
	status  int
	buf     []byte
	gz      *gzip.Writer
	decided bool // headers sent (compressed or not)
	wanted  bool // the content type is one worth compressing
}

func newCompressor(w http.ResponseWriter) *compressor { return &compressor{ResponseWriter: w} }

func (c *compressor) WriteHeader(code int) {
	if c.status != 0 || c.decided {
		return
	}
	c.status = code
	h := c.Header()
	ct := h.Get("Content-Type")
	c.wanted = code != http.StatusNoContent && code != http.StatusNotModified &&
		h.Get("Content-Encoding") == "" && h.Get("Content-Length") == "" &&
		(strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/csv"))
	if !c.wanted {
		c.send(false)
	}
}

// send writes the headers, compressed or not, and what was held back.
func (c *compressor) send(compress bool) {
	c.decided = true
	h := c.Header()
	h.Add("Vary", "Accept-Encoding")
	if compress {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		c.gz = gzipWriters.Get().(*gzip.Writer)
		c.gz.Reset(c.ResponseWriter)
	}
	c.ResponseWriter.WriteHeader(c.status)
	if len(c.buf) > 0 {
		c.write(c.buf)
		c.buf = nil
	}
}

func (c *compressor) write(b []byte) (int, error) {
	if c.gz != nil {
		return c.gz.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *compressor) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.decided {
		return c.write(b)
	}
	c.buf = append(c.buf, b...)
	if len(c.buf) >= compressMin {
		c.send(true)
	}
	return len(b), nil
}

// Flush sends what is held back (uncompressed if it is still small).
func (c *compressor) Flush() {
	if c.status != 0 && !c.decided {
		c.send(false)
	}
	if c.gz != nil {
		c.gz.Flush()
	}
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Close ends the answer: a small body goes out as it is.
func (c *compressor) Close() {
	if c.status != 0 && !c.decided {
		c.send(false)
	}
	if c.gz != nil {
		c.gz.Close()
		gzipWriters.Put(c.gz)
		c.gz = nil
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *compressor) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// acceptsGzip says whether the client takes gzip (and did not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

package examhall

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// ESEBRequired refuses a candidate's request to an exam that must be taken
// in Safe Exam Browser when the request does not prove it was.
const ESEBRequired = "seb_required"

// SafeExamBrowser is an exam's requirement that candidates use Safe Exam
// Browser (SEB) configured for it: every candidate request must carry the
// hash of its URL with one of the Config Keys (X-SafeExamBrowser-
// ConfigKeyHash) or one of the Browser Exam Keys (X-SafeExamBrowser-
// RequestHash). Keys are 64 hexadecimal digits.
type SafeExamBrowser struct {
	ConfigKeys      []string `json:"config_keys,omitempty"`
	BrowserExamKeys []string `json:"browser_exam_keys,omitempty"`
}

// validate checks the keys and writes them in lower case.
func (s *SafeExamBrowser) validate(path string) error {
	if len(s.ConfigKeys)+len(s.BrowserExamKeys) == 0 {
		return Errorf(EBadRequest, "%s: give at least one of config_keys and browser_exam_keys.", path)
	}
	for _, l := range []struct {
		name string
		keys []string
	}{{"config_keys", s.ConfigKeys}, {"browser_exam_keys", s.BrowserExamKeys}} {
		if len(l.keys) > 100 {
			return Errorf(EBadRequest, "%s.%s: at most 100 keys.", path, l.name)
		}
		for i, k := range l.keys {
			b, err := hex.DecodeString(k)
			if err != nil || len(b) != sha256.Size {
				return Errorf(EBadRequest, "%s.%s[%d]: a key is 64 hexadecimal digits (SEB shows it), not %q.", path, l.name, i, k)
			}
			l.keys[i] = strings.ToLower(k)
		}
	}
	return nil
}

// SEBRequest is what a request shows of Safe Exam Browser: its absolute
// URL (without fragment) and the two hash headers. Package http puts it in
// every candidate request's context.
type SEBRequest struct {
	URL           string
	ConfigKeyHash string
	RequestHash   string
}

type sebKey struct{}

// WithSEBRequest returns a context carrying r.
func WithSEBRequest(ctx context.Context, r *SEBRequest) context.Context {
	return context.WithValue(ctx, sebKey{}, r)
}

// SEBRequestFrom returns the SEBRequest ctx carries, or nil.
func SEBRequestFrom(ctx context.Context) *SEBRequest {
	r, _ := ctx.Value(sebKey{}).(*SEBRequest)
	return r
}

// CheckSEB returns ESEBRequired unless the exam takes any browser or the
// request ctx carries proves Safe Exam Browser with one of the exam's
// keys: hex(SHA-256(URL + key)) in the matching header.
func CheckSEB(ctx context.Context, e *Exam) error {
	s := e.SafeExamBrowser
	if s == nil {
		return nil
	}
	if r := SEBRequestFrom(ctx); r != nil && r.URL != "" {
		if sebMatch(r.URL, r.ConfigKeyHash, s.ConfigKeys) || sebMatch(r.URL, r.RequestHash, s.BrowserExamKeys) {
			return nil
		}
	}
	return Errorf(ESEBRequired, "This exam must be taken in Safe Exam Browser: open it with the exam's SEB configuration file (ask your exam staff for it).")
}

func sebMatch(u, got string, keys []string) bool {
	if len(got) != 2*sha256.Size {
		return false
	}
	got = strings.ToLower(got)
	for _, k := range keys {
		sum := sha256.Sum256([]byte(u + k))
		if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(got)) == 1 {
			return true
		}
	}
	return false
}

// SEBConfig is a Safe Exam Browser configuration for an exam: an
// unencrypted .seb file (an XML property list) and its Config Key.
type SEBConfig struct {
	File      []byte
	ConfigKey string
}

// NewSEBConfig returns the configuration that starts SEB at start, quits
// it at quit, sends the keys in headers, and allows only URLs under
// allow (a URL prefix such as https://exams.example.edu/).
func NewSEBConfig(start, quit, allow string) (*SEBConfig, error) {
	u, err := url.Parse(allow)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("SEB: %q is not an absolute URL", allow)
	}
	expr := u.Host + strings.TrimRight(u.Path, "/") + "/*"
	settings := plistDict{
		"originatorVersion":            "examhall",
		"startURL":                     start,
		"quitURL":                      quit,
		"quitURLConfirm":               false,
		"allowQuit":                    true,
		"sendBrowserExamKey":           true,
		"browserWindowAllowReload":     true,
		"URLFilterEnable":              true,
		"URLFilterEnableContentFilter": false,
		"URLFilterRules": []any{
			plistDict{"action": 1, "active": true, "expression": expr, "regex": false},
		},
	}
	var file bytes.Buffer
	file.WriteString(xml.Header)
	file.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	file.WriteString(`<plist version="1.0">` + "\n")
	writePlist(&file, settings, 0)
	file.WriteString("</plist>\n")
	// The Config Key: SHA-256 of the settings as "SEB-JSON" (keys sorted
	// case-insensitively, no whitespace, no escaping, originatorVersion
	// left out), in lower-case hex.
	delete(settings, "originatorVersion")
	var js strings.Builder
	writeSEBJSON(&js, settings)
	sum := sha256.Sum256([]byte(js.String()))
	return &SEBConfig{File: file.Bytes(), ConfigKey: hex.EncodeToString(sum[:])}, nil
}

// plistDict is a property list dictionary; its values are strings, bools,
// ints, []any and plistDicts.
type plistDict map[string]any

func (d plistDict) keys() []string {
	ks := make([]string, 0, len(d))
	for k := range d {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return strings.ToLower(ks[i]) < strings.ToLower(ks[j]) })
	return ks
}

func writePlist(b *bytes.Buffer, v any, depth int) {
	ind := strings.Repeat("\t", depth)
	switch v := v.(type) {
	case plistDict:
		b.WriteString(ind + "<dict>\n")
		for _, k := range v.keys() {
			b.WriteString(ind + "\t<key>")
			xml.EscapeText(b, []byte(k))
			b.WriteString("</key>\n")
			writePlist(b, v[k], depth+1)
		}
		b.WriteString(ind + "</dict>\n")
	case []any:
		b.WriteString(ind + "<array>\n")
		for _, x := range v {
			writePlist(b, x, depth+1)
		}
		b.WriteString(ind + "</array>\n")
	case string:
		b.WriteString(ind + "<string>")
		xml.EscapeText(b, []byte(v))
		b.WriteString("</string>\n")
	case bool:
		b.WriteString(ind + "<" + strconv.FormatBool(v) + "/>\n")
	case int:
		b.WriteString(ind + "<integer>" + strconv.Itoa(v) + "</integer>\n")
	}
}

func writeSEBJSON(b *strings.Builder, v any) {
	switch v := v.(type) {
	case plistDict:
		b.WriteByte('{')
		n := 0
		for _, k := range v.keys() {
			if d, ok := v[k].(plistDict); ok && len(d) == 0 {
				continue // SEB leaves out empty dictionaries
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			b.WriteString(`"` + k + `":`)
			writeSEBJSON(b, v[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeSEBJSON(b, x)
		}
		b.WriteByte(']')
	case string:
		b.WriteString(`"` + v + `"`)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	}
}

// SEBService gives staff an exam's Safe Exam Browser configuration.
type SEBService interface {
	// SEBConfig returns the configuration that opens the exam's server
	// (base, its absolute URL) in Safe Exam Browser, and its Config Key,
	// to put in the exam's safe_exam_browser.config_keys. ENotFound.
	SEBConfig(ctx context.Context, base, exam string) (*SEBConfig, error)
}

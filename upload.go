package examhall

import (
	"context"
	"encoding/json"
	"mime"
	"path"
	"regexp"
	"strings"
)

// UploadRules set what an upload question takes: files of at most
// MaxBytes (default DefaultUploadBytes) whose media type or extension is
// one of Accept (any file when empty), such as "application/pdf", "image/*"
// or ".docx".
type UploadRules struct {
	MaxBytes int64    `json:"max_bytes,omitempty"`
	Accept   []string `json:"accept,omitempty"`
}

// Limits of uploads.
const (
	DefaultUploadBytes = 10 << 20
	MaxUploadBytes     = 50 << 20
)

// UploadRef is what an upload returns and what an upload question's
// response carries: the file's reference (signed by the server for this
// attempt and question, so a response cannot name another's file), its
// name, media type, size and SHA-256.
type UploadRef struct {
	Ref    string `json:"ref"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// UploadFile is a file a candidate attached to an answer, stored with the
// attempt.
type UploadFile struct {
	Attempt  string `json:"attempt"`
	Question string `json:"question"` // "q7" or, in a multipart question, "q7.b"
	Name     string `json:"name"`
	Type     string `json:"type"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Data     []byte `json:"-"`
}

var (
	acceptItem = regexp.MustCompile(`^(\.[A-Za-z0-9]{1,10}|[a-z]+/(\*|[A-Za-z0-9.+-]+))$`)
	sha256Hex  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// validateUpload checks the rules of an upload question.
func (q *Question) validateUpload(path string) error {
	if q.Type != Upload {
		if q.Upload != nil {
			return Errorf(EBadRequest, "%s.upload: only upload questions take files.", path)
		}
		return nil
	}
	if q.Upload == nil {
		q.Upload = &UploadRules{}
	}
	u := q.Upload
	if u.MaxBytes == 0 {
		u.MaxBytes = DefaultUploadBytes
	}
	if u.MaxBytes < 1 || u.MaxBytes > MaxUploadBytes {
		return Errorf(EBadRequest, "%s.upload.max_bytes: must be from 1 to %d.", path, MaxUploadBytes)
	}
	for i, a := range u.Accept {
		if !acceptItem.MatchString(a) {
			return Errorf(EBadRequest, `%s.upload.accept[%d]: %q is neither a media type ("application/pdf", "image/*") nor an extension (".docx").`, path, i, a)
		}
	}
	return nil
}

// Accepts reports whether the rules take a file of this name and media
// type.
func (u *UploadRules) Accepts(name, mediaType string) bool {
	if u == nil || len(u.Accept) == 0 {
		return true
	}
	mt, _, _ := mime.ParseMediaType(mediaType)
	ext := strings.ToLower(path.Ext(name))
	for _, a := range u.Accept {
		switch {
		case strings.HasPrefix(a, "."):
			if strings.EqualFold(a, ext) {
				return true
			}
		case strings.HasSuffix(a, "/*"):
			if strings.HasPrefix(mt, strings.TrimSuffix(a, "*")) {
				return true
			}
		case strings.EqualFold(a, mt):
			return true
		}
	}
	return false
}

// checkUpload checks the shape of an upload response; the server checks
// that its reference is one it signed (see hall).
func checkUpload(q *Question, r json.RawMessage) (json.RawMessage, error) {
	var u UploadRef
	if _, err := decodeStrict(r, &u); err != nil || u.Ref == "" || !sha256Hex.MatchString(u.SHA256) || u.Size < 0 {
		return nil, shapeErr(q, `the reference an upload returned, {"ref", "name", "type", "size", "sha256"}`)
	}
	return marshalCanonical(u)
}

// UploadStore keeps the files candidates attach to answers, with their
// attempt. A mode that has none leaves Backend.Uploads nil, and then
// uploads are refused.
type UploadStore interface {
	// PutUpload stores a file; it is durable when PutUpload returns. The
	// same file stored again for the same attempt and question changes
	// nothing.
	PutUpload(ctx context.Context, u *UploadFile) error
	// Upload returns a file of an attempt by its SHA-256. ENotFound if
	// there is none.
	Upload(ctx context.Context, attempt, sha256 string) (*UploadFile, error)
}

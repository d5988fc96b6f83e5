package hall

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"mime"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"examhall"
)

// Upload implements examhall.CandidateService. It does not answer the
// question: the client saves the reference as the response, as any answer.
func (h *Hall) Upload(ctx context.Context, id, question string, in *examhall.UploadIn) (*examhall.UploadRef, error) {
	a, q, err := h.openUpload(ctx, id, question)
	if err != nil {
		return nil, err
	}
	if h.b.Uploads == nil {
		return nil, examhall.Errorf(examhall.EBadRequest, "This server keeps no uploaded files in its mode.")
	}
	name, mt := cleanName(in.Name), cleanType(in.Type)
	switch {
	case len(in.Data) == 0:
		return nil, examhall.Errorf(examhall.EBadRequest, "The file is empty.")
	case int64(len(in.Data)) > q.Upload.MaxBytes:
		return nil, examhall.Errorf(examhall.ETooLarge, "Question %s takes files of at most %d bytes; this one has %d.", question, q.Upload.MaxBytes, len(in.Data))
	case !q.Upload.Accepts(name, mt):
		return nil, examhall.Errorf(examhall.EBadRequest, "Question %s takes files of the types %s, not %q (%s).", question, strings.Join(q.Upload.Accept, ", "), name, mt)
	}
	sum := sha256.Sum256(in.Data)
	f := &examhall.UploadFile{Attempt: a.ID, Question: question, Name: name, Type: mt, Size: int64(len(in.Data)),
		SHA256: hex.EncodeToString(sum[:]), Data: in.Data}
	if err := h.b.Uploads.PutUpload(ctx, f); err != nil {
		return nil, err
	}
	h.audit(ctx, &examhall.Event{Kind: "upload", Exam: a.Exam, Attempt: a.ID, Candidate: a.Candidate,
		Detail: question + " " + f.SHA256[:12] + " " + strconv.FormatInt(f.Size, 10) + " bytes"})
	return h.uploadRef(f), nil
}

// UploadRules implements examhall.CandidateService.
func (h *Hall) UploadRules(ctx context.Context, id, question string) (*examhall.UploadRules, error) {
	_, q, err := h.openUpload(ctx, id, question)
	if err != nil {
		return nil, err
	}
	return q.Upload, nil
}

// openUpload checks that the candidate's attempt id is open and returns it
// with the upload question (or part) a file is for.
func (h *Hall) openUpload(ctx context.Context, id, question string) (*examhall.Attempt, *examhall.Question, error) {
	a, e, err := h.authorize(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := a.CheckOpen(h.Now()); err != nil {
		return nil, nil, err
	}
	q, err := uploadQuestion(e, a, question)
	if err != nil {
		return nil, nil, err
	}
	return a, q, nil
}

// uploadQuestion finds the upload question (or part) a file is for.
func uploadQuestion(e *examhall.Exam, a *examhall.Attempt, question string) (*examhall.Question, error) {
	qid, part, isPart := strings.Cut(question, ".")
	q, ok := e.Question(qid)
	if ok && !e.OnPaper(a.ID, qid) {
		ok = false
	}
	if ok && isPart {
		q, ok = nil, false
		for i := range e.Questions {
			if e.Questions[i].ID == qid {
				for j := range e.Questions[i].Parts {
					if e.Questions[i].Parts[j].ID == part {
						q, ok = &e.Questions[i].Parts[j], true
					}
				}
			}
		}
	}
	if !ok {
		return nil, examhall.Errorf(examhall.ENotFound, "Question %q is not on this paper.", question)
	}
	if q.Type != examhall.Upload {
		return nil, examhall.Errorf(examhall.EBadRequest, "Question %q is a %s question; only upload questions take files.", question, q.Type)
	}
	return q, nil
}

// uploadRef signs a file's reference for its attempt and question.
func (h *Hall) uploadRef(f *examhall.UploadFile) *examhall.UploadRef {
	r := &examhall.UploadRef{Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.SHA256}
	r.Ref = h.signUpload(f.Attempt, f.Question, r)
	return r
}

func (h *Hall) signUpload(attempt, question string, r *examhall.UploadRef) string {
	m := mac(h.keys.upload, attempt, question, r.SHA256, strconv.FormatInt(r.Size, 10), r.Type, r.Name)
	return "u1." + base64.RawURLEncoding.EncodeToString(m[:18])
}

// checkUploads checks that every upload reference of a response (of an
// upload question, or of the upload parts of a multipart one) was signed
// for this attempt and question, so that it names a file stored for it.
func (h *Hall) checkUploads(a *examhall.Attempt, q *examhall.Question, qid string, r json.RawMessage) error {
	switch q.Type {
	case examhall.Upload:
		if string(r) == "null" {
			return nil
		}
		var ref examhall.UploadRef
		if json.Unmarshal(r, &ref) != nil || !hmac.Equal([]byte(ref.Ref), []byte(h.signUpload(a.ID, qid, &ref))) {
			return examhall.Errorf(examhall.EBadRequest, "Answer to %s: the reference is not one this server gave for an upload to this question; upload the file first.", qid)
		}
	case examhall.Multipart:
		var m map[string]json.RawMessage
		json.Unmarshal(r, &m)
		for i := range q.Parts {
			p := &q.Parts[i]
			if v, ok := m[p.ID]; ok {
				if err := h.checkUploads(a, p, qid+"."+p.ID, v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// UploadFile implements examhall.CandidateService.
func (h *Hall) UploadFile(ctx context.Context, id, sha string) (*examhall.UploadFile, error) {
	a, _, err := h.authorize(ctx, id)
	if err != nil {
		return nil, err
	}
	return h.uploadFile(ctx, a.Exam, id, sha)
}

// AttemptUpload implements examhall.StaffService.
func (h *Hall) AttemptUpload(ctx context.Context, exam, id, sha string) (*examhall.UploadFile, error) {
	if _, err := examhall.StaffFrom(ctx, examhall.RoleMarker, examhall.RoleViewer); err != nil {
		return nil, err
	}
	return h.uploadFile(ctx, exam, id, sha)
}

// uploadFile returns a file of an attempt of exam.
func (h *Hall) uploadFile(ctx context.Context, exam, id, sha string) (*examhall.UploadFile, error) {
	a, err := h.b.Attempts.Attempt(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Exam != exam || h.b.Uploads == nil {
		return nil, examhall.Errorf(examhall.ENotFound, "Exam %q has no attempt %q with that upload.", exam, id)
	}
	return h.b.Uploads.Upload(ctx, id, sha)
}

// cleanName keeps the base name of a file, printable, at most 200 bytes.
func cleanName(n string) string {
	n = path.Base(strings.ReplaceAll(n, `\`, "/"))
	n = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) || r == '"' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(n, ""))
	for len(n) > 200 {
		_, size := utf8.DecodeLastRuneInString(n)
		n = n[:len(n)-size]
	}
	if n == "" || n == "." || n == "/" {
		n = "upload"
	}
	return n
}

// cleanType is the media type a client names, without parameters, or
// application/octet-stream.
func cleanType(t string) string {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil || mt == "" || len(mt) > 100 {
		return "application/octet-stream"
	}
	return mt
}

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"

	"examhall"
	"examhall/client"
	"examhall/content/importer"
)

// apiFlags select a running server instead of a data directory.
type apiFlags struct {
	URL, User, PasswordFile string
	m                       *Main
}

func (a *apiFlags) register(m *Main, fs *flag.FlagSet) {
	a.m = m
	fs.StringVar(&a.URL, "url", "", "work through the API of the server at this URL instead of a data directory")
	fs.StringVar(&a.User, "user", "", "with --url: staff username (or EXAMHALL_USER)")
	fs.StringVar(&a.PasswordFile, "password-file", "", "with --url: file holding the staff password (- reads standard input; default: the EXAMHALL_PASSWORD variable)")
}

func (a *apiFlags) client(ctx context.Context) (*client.Client, error) {
	password, err := a.m.password(a.PasswordFile, "EXAMHALL_PASSWORD")
	if err != nil {
		return nil, usageError{"--password-file: " + err.Error()}
	}
	if a.User == "" || password == "" {
		return nil, usageError{"--url needs --user and a password (EXAMHALL_PASSWORD or --password-file)"}
	}
	c := client.New(a.URL)
	if err := c.StaffLogin(ctx, a.User, password); err != nil {
		return nil, fmt.Errorf("staff login at %s: %w", redactURL(a.URL), err)
	}
	return c, nil
}

func (a *apiFlags) importExam(ctx context.Context, doc []byte, id string, replace bool) (string, error) {
	c, err := a.client(ctx)
	if err != nil {
		return "", err
	}
	if replace {
		if id == "" {
			return "", usageError{"--replace needs a document with an id"}
		}
		return id, c.ReplaceExam(ctx, id, doc)
	}
	return c.CreateExam(ctx, doc)
}

// exportExam returns the exam document, without the server's state fields.
func (a *apiFlags) exportExam(ctx context.Context, id string) ([]byte, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	raw, err := c.ExamDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	delete(doc, "released")
	delete(doc, "created_at")
	return json.Marshal(doc)
}

// importContent sends content to the server's import endpoint: an
// examhall document to the exams endpoint (so that --replace works), a
// single file as it is, several files as one zip.
func (a *apiFlags) importContent(ctx context.Context, files []importer.File, res *importer.Result, format string, replace bool) (string, error) {
	if res.Report.Format == importer.Examhall {
		doc, err := examhall.MarshalExam(res.Exam)
		if err != nil {
			return "", err
		}
		return a.importExam(ctx, doc, res.Exam.ID, replace)
	}
	if replace {
		return "", usageError{"--replace works for examhall exam documents only"}
	}
	c, err := a.client(ctx)
	if err != nil {
		return "", err
	}
	body := files[0].Data
	if len(files) > 1 {
		if body, err = zipFiles(files); err != nil {
			return "", err
		}
	}
	q := url.Values{"name": {files[0].Name}}
	if format != "" {
		q.Set("format", format)
	}
	if res.Exam.ID != "" {
		q.Set("id", res.Exam.ID)
	}
	q.Set("title", res.Exam.Title)
	var out struct {
		ID string `json:"id"`
	}
	if err := c.Do(ctx, "POST", "/api/v1/admin/import?"+q.Encode(), body, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

func zipFiles(files []importer.File) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.Data); err != nil {
			return nil, err
		}
	}
	err := zw.Close()
	return buf.Bytes(), err
}

// exportQTI returns the exam as a QTI 3.0 content package.
func (a *apiFlags) exportQTI(ctx context.Context, id string) ([]byte, error) {
	c, err := a.client(ctx)
	if err != nil {
		return nil, err
	}
	var zip []byte
	err = c.Do(ctx, "GET", "/api/v1/admin/exams/"+url.PathEscape(id)+"/export", nil, &zip)
	return zip, err
}

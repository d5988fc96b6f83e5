package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"examhall/client"
)

// apiFlags select a running server instead of a data directory.
type apiFlags struct {
	URL, User, Password string
}

func (a *apiFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.URL, "url", "", "work through the API of the server at this URL instead of a data directory")
	fs.StringVar(&a.User, "user", "", "with -url: staff username (or EXAMHALL_USER)")
	fs.StringVar(&a.Password, "password", "", "with -url: staff password (or EXAMHALL_PASSWORD)")
}

func (a *apiFlags) client(ctx context.Context) (*client.Client, error) {
	if a.User == "" || a.Password == "" {
		return nil, usageError{"-url needs -user and -password (or EXAMHALL_USER and EXAMHALL_PASSWORD)"}
	}
	c := client.New(a.URL)
	if err := c.StaffLogin(ctx, a.User, a.Password); err != nil {
		return nil, fmt.Errorf("staff login at %s: %w", a.URL, err)
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

package http

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"examhall"
)

// maxCandidateCSV caps an uploaded list of candidates: 100,000 rows of
// generous width.
const maxCandidateCSV = 32 << 20

// candidateColumns are the columns a file of candidates may have.
var candidateColumns = []string{"candidate", "name", "extra_time_seconds", "opens_at", "closes_at", "email"}

func isCSV(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "text/csv"
}

// parseCandidatesCSV reads a file of candidates: a header row naming
// columns of candidateColumns (candidate is required, the order is free),
// then one candidate a row. A comma, semicolon or tab separates fields
// (what the header uses). Errors name the row (the line of the file, the
// header being row 1) and the column.
func parseCandidatesCSV(body []byte) (*examhall.IssueRequest, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a spreadsheet's BOM
	rd := csv.NewReader(bytes.NewReader(body))
	rd.Comma = separator(body)
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	header, err := rd.Read()
	if errors.Is(err, io.EOF) {
		return nil, badRequest("The file is empty: it needs a header row naming its columns (candidate, name, extra_time_seconds, opens_at, closes_at, email).")
	} else if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !known(h) {
			return nil, badRequest("Row 1: unknown column %q; the columns are %s.", header[i], strings.Join(candidateColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, badRequest("Row 1: the column %q is named twice.", h)
		}
		col[h] = i
	}
	if _, ok := col["candidate"]; !ok {
		return nil, badRequest("Row 1: the header has no column \"candidate\".")
	}
	req := &examhall.IssueRequest{}
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, csvError(err)
		}
		row, _ := rd.FieldPos(0) // the line, as a spreadsheet numbers rows
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > len(header) {
			return nil, badRequest("Row %d: %d fields, but the header names %d columns.", row, len(rec), len(header))
		}
		if len(req.Candidates) == examhall.MaxIssue {
			return nil, badRequest("Row %d: at most %d candidates may be uploaded at once.", row, examhall.MaxIssue)
		}
		spec, err := candidateRow(rec, col, row)
		if err != nil {
			return nil, err
		}
		req.Candidates = append(req.Candidates, spec)
	}
	if len(req.Candidates) == 0 {
		return nil, badRequest("The file has a header but no candidates.")
	}
	return req, nil
}

func candidateRow(rec []string, col map[string]int, row int) (examhall.CandidateSpec, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	spec := examhall.CandidateSpec{ID: get("candidate"), Name: get("name"), Email: get("email"), Row: row}
	if spec.ID == "" {
		return spec, badRequest("Row %d, column candidate: the candidate id is empty.", row)
	}
	if v := get("extra_time_seconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return spec, badRequest("Row %d, column extra_time_seconds: %q is not a whole number of seconds.", row, v)
		}
		spec.ExtraSeconds = n
	}
	for _, f := range []struct {
		name string
		to   **time.Time
	}{{"opens_at", &spec.OpensAt}, {"closes_at", &spec.ClosesAt}} {
		v := get(f.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return spec, badRequest("Row %d, column %s: %q is not an RFC 3339 time (such as 2026-06-01T09:00:00Z).", row, f.name, v)
		}
		*f.to = &t
	}
	return spec, nil
}

// separator guesses the field separator from the header line.
func separator(body []byte) rune {
	line, _, _ := bytes.Cut(body, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, r := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(r))); c > n {
			best, n = r, c
		}
	}
	return best
}

func known(col string) bool {
	for _, c := range candidateColumns {
		if c == col {
			return true
		}
	}
	return false
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return badRequest("Row %d: %v.", pe.StartLine, pe.Err)
	}
	return badRequest("The file could not be read as CSV: %v.", err)
}

package examhall

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// MaxCandidateCSV caps an uploaded list of candidates: 100,000 rows of
// generous width.
const MaxCandidateCSV = 32 << 20

// candidateColumns are the columns a file of candidates may have.
var candidateColumns = []string{"candidate", "name", "extra_time_seconds", "opens_at", "closes_at", "email"}

// ParseCandidatesCSV reads a file of candidates: a header row naming
// columns of candidateColumns (candidate is required, the order is free),
// then one candidate a row. A comma, semicolon or tab separates fields
// (what the header uses). Errors name the row (the line of the file, the
// header being row 1) and the column.
func ParseCandidatesCSV(body []byte) (*IssueRequest, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a spreadsheet's BOM
	rd := csv.NewReader(bytes.NewReader(body))
	rd.Comma = csvSeparator(body)
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	header, err := rd.Read()
	if errors.Is(err, io.EOF) {
		return nil, Errorf(EBadRequest, "The file is empty: it needs a header row naming its columns (candidate, name, extra_time_seconds, opens_at, closes_at, email).")
	} else if err != nil {
		return nil, candidateCSVError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !knownColumn(h) {
			return nil, Errorf(EBadRequest, "Row 1: unknown column %q; the columns are %s.", header[i], strings.Join(candidateColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, Errorf(EBadRequest, "Row 1: the column %q is named twice.", h)
		}
		col[h] = i
	}
	if _, ok := col["candidate"]; !ok {
		return nil, Errorf(EBadRequest, "Row 1: the header has no column \"candidate\".")
	}
	req := &IssueRequest{}
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, candidateCSVError(err)
		}
		row, _ := rd.FieldPos(0) // the line, as a spreadsheet numbers rows
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > len(header) {
			return nil, Errorf(EBadRequest, "Row %d: %d fields, but the header names %d columns.", row, len(rec), len(header))
		}
		if len(req.Candidates) == MaxIssue {
			return nil, Errorf(EBadRequest, "Row %d: at most %d candidates may be uploaded at once.", row, MaxIssue)
		}
		spec, err := candidateRow(rec, col, row)
		if err != nil {
			return nil, err
		}
		req.Candidates = append(req.Candidates, spec)
	}
	if len(req.Candidates) == 0 {
		return nil, Errorf(EBadRequest, "The file has a header but no candidates.")
	}
	return req, nil
}

func candidateRow(rec []string, col map[string]int, row int) (CandidateSpec, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	spec := CandidateSpec{ID: get("candidate"), Name: get("name"), Email: get("email"), Row: row}
	if spec.ID == "" {
		return spec, Errorf(EBadRequest, "Row %d, column candidate: the candidate id is empty.", row)
	}
	if v := get("extra_time_seconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return spec, Errorf(EBadRequest, "Row %d, column extra_time_seconds: %q is not a whole number of seconds.", row, v)
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
			return spec, Errorf(EBadRequest, "Row %d, column %s: %q is not an RFC 3339 time (such as 2026-06-01T09:00:00Z).", row, f.name, v)
		}
		*f.to = &t
	}
	return spec, nil
}

// csvSeparator guesses the field separator from the header line.
func csvSeparator(body []byte) rune {
	line, _, _ := bytes.Cut(body, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, r := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(r))); c > n {
			best, n = r, c
		}
	}
	return best
}

func knownColumn(col string) bool {
	for _, c := range candidateColumns {
		if c == col {
			return true
		}
	}
	return false
}

func candidateCSVError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Errorf(EBadRequest, "Row %d: %v.", pe.StartLine, pe.Err)
	}
	return Errorf(EBadRequest, "The file could not be read as CSV: %v.", err)
}

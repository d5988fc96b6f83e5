package http

import (
	"encoding/csv"
	"examhall"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// wantsCSV reports whether the client asked for CSV, by Accept header or
// ?format=csv.
func wantsCSV(r *http.Request) bool {
	if r.URL.Query().Get("format") == "csv" {
		return true
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/csv" {
			return true
		}
	}
	return false
}

// writeResultsCSV writes one row per candidate and one points column per
// question, then, when the exam has sections, one score column per
// section ("section:<id>").
func writeResultsCSV(w http.ResponseWriter, res *examhall.ExamResults) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+res.Exam+`-results.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	head := []string{"candidate", "attempt", "status", "started_at", "submitted_at", "auto_submitted", "score", "max_score", "pending"}
	head = append(head, res.Questions...)
	for _, s := range res.Sections {
		head = append(head, "section:"+s)
	}
	cw.Write(head)
	for _, r := range res.Results {
		points := make(map[string]float64, len(r.Questions))
		onPaper := make(map[string]bool, len(r.Questions))
		for _, q := range r.Questions {
			points[q.Question] = q.Points
			onPaper[q.Question] = true
		}
		row := []string{r.Candidate, r.Attempt, string(r.Status), timeCell(r.StartedAt), timeCell(r.SubmittedAt),
			strconv.FormatBool(r.Auto), num(r.Score), num(r.MaxScore), strconv.Itoa(r.Pending)}
		for _, q := range res.Questions {
			if onPaper[q] {
				row = append(row, num(points[q]))
			} else {
				row = append(row, "")
			}
		}
		for i := range res.Sections {
			if i < len(r.Sections) {
				row = append(row, num(r.Sections[i].Score))
			} else {
				row = append(row, "")
			}
		}
		cw.Write(row)
	}
	cw.Flush()
}

func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Package importer turns exam content from other systems into examhall
// exams. It reads a file, a directory or a zip, detects each file's format
// (GIFT, Aiken, Moodle XML, QTI 2.1/3.0, or examhall's own document) unless
// told, parses it with the format's package, and builds one exam with a
// report of every item: imported, imported with changes (and what
// changed), or skipped (and why). Nothing is dropped silently.
package importer

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"examhall"
	"examhall/content"
	"examhall/content/aiken"
	"examhall/content/gift"
	"examhall/content/moodlexml"
)

// File is one file of the input.
type File struct {
	Name string // path inside the directory or zip, with forward slashes
	Data []byte
}

// Options tune an import.
type Options struct {
	// Format names the format of every file; "" detects it per file.
	Format string
	// ID and Title override those of the source.
	ID, Title string
	// Name names the input (a directory's or zip's name): the title when
	// the source has none.
	Name string
	// DurationSeconds is the exam's time limit when the source has none
	// (default 3600).
	DurationSeconds int
	// Marking, when set, is the exam's marking scheme (for banks, such as
	// GIFT and Aiken, that cannot say one).
	Marking *examhall.Marking
	// Progress, if set, is called after each file with the files done and
	// their total.
	Progress func(done, total int)
}

// Item statuses of a report.
const (
	Imported    = "imported"
	WithChanges = "imported_with_changes"
	Skipped     = "skipped"
)

// Report says what became of every item and file.
type Report struct {
	Format      string       `json:"format"`
	Exam        string       `json:"exam,omitempty"`
	Title       string       `json:"title"`
	DryRun      bool         `json:"dry_run"`
	Imported    int          `json:"imported"`
	WithChanges int          `json:"imported_with_changes"`
	Skipped     int          `json:"skipped"`
	Items       []ItemReport `json:"items"`
	ExamChanges []string     `json:"exam_changes,omitempty"`
	// ExamChangeCodes holds the kind of each exam change, in order.
	ExamChangeCodes []content.Code `json:"exam_change_codes,omitempty"`
	// Exact is true when every item was imported as it is and nothing of
	// the source was left out: no item changed or skipped, no file
	// skipped, and no change to the exam beyond defaults for what the
	// source does not say.
	Exact bool         `json:"exact"`
	Files []FileReport `json:"files,omitempty"`
}

// ItemReport is the fate of one item.
type ItemReport struct {
	Source   string                `json:"source"`
	Question string                `json:"question,omitempty"`
	Type     examhall.QuestionType `json:"type,omitempty"`
	Status   string                `json:"status"`
	Changes  []string              `json:"changes,omitempty"`
	// ChangeCodes holds the kind of each change, in the same order.
	ChangeCodes []content.Code `json:"change_codes,omitempty"`
	Reason      string         `json:"reason,omitempty"`
	ReasonCode  content.Code   `json:"reason_code,omitempty"`
}

// FileReport notes a file that held no items: an image kept as an asset,
// or a file left out, with the reason.
type FileReport struct {
	Name       string       `json:"name"`
	Status     string       `json:"status"` // asset, skipped
	Reason     string       `json:"reason,omitempty"`
	ReasonCode content.Code `json:"reason_code,omitempty"`
}

// Result is an imported exam with its assets and the report.
type Result struct {
	Exam   *examhall.Exam
	Assets []examhall.Asset
	Report *Report
}

// parsers read one file of a format.
var parsers = map[string]func(name string, data []byte) (*content.Bank, error){
	GIFT:      gift.Parse,
	Aiken:     aiken.Parse,
	MoodleXML: moodlexml.Parse,
}

// Import reads files into one exam. An error means the input as a whole
// could not be read (a malformed file, an unknown format); items that
// cannot be imported are skipped and reported instead. The exam is nil
// when every item was skipped.
func Import(files []File, opt Options) (*Result, error) {
	if opt.Format != "" && !ValidFormat(opt.Format) {
		return nil, examhall.Errorf(examhall.EBadRequest, "format: %q is not a format; use one of %s.", opt.Format, strings.Join(Formats, ", "))
	}
	if len(files) == 0 {
		return nil, examhall.Errorf(examhall.EBadRequest, "There is nothing to import.")
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	if pkg := packageFile(files); pkg != "" && (opt.Format == "" || opt.Format == QTI) {
		return importPackage(files, opt)
	}
	rep := &Report{Format: opt.Format, Items: []ItemReport{}}
	bank := &content.Bank{}
	// Images are kept whatever the format: they are never parsed as
	// content, and texts that show them by a relative path are pointed
	// at them (see resolveImages).
	images := map[string]string{} // path in the input -> asset name
	for _, f := range files {
		if isAsset(f.Name) {
			name := examhall.AssetName(f.Name)
			images[f.Name] = name
			bank.Assets = append(bank.Assets, examhall.Asset{Name: name, Type: mediaType(f.Name), Data: f.Data})
			rep.Files = append(rep.Files, FileReport{Name: f.Name, Status: "asset"})
		}
	}
	var formats, qtiFiles []string
	for i, f := range files {
		format := opt.Format
		if format == "" {
			format = Detect(f.Data)
		}
		switch {
		case isAsset(f.Name):
		case format == "" && len(files) == 1:
			return nil, examhall.Errorf(examhall.EBadRequest, "%s: the format could not be told from the content; name it (one of %s).", f.Name, strings.Join(Formats, ", "))
		case format == "":
			rep.Files = append(rep.Files, FileReport{Name: f.Name, Status: Skipped, Reason: "neither exam content of a known format nor an image", ReasonCode: content.UnsupportedType})
		case format == Examhall:
			if len(files) > 1 {
				return nil, examhall.Errorf(examhall.EBadRequest, "%s: an examhall exam document is imported on its own, not with other files.", f.Name)
			}
			return importDocument(f, opt)
		case format == QTI:
			// Read together below: a test refers to its items by path.
			qtiFiles = append(qtiFiles, f.Name)
			formats = appendNew(formats, format)
		default:
			b, err := parsers[format](f.Name, f.Data)
			if err != nil {
				return nil, examhall.Errorf(examhall.EBadRequest, "%s", parseError(f.Name, err))
			}
			for _, it := range b.Items {
				content.ConvertTeX(it)
			}
			resolveImages(b, path.Dir(f.Name), images)
			bank.Add(b)
			formats = appendNew(formats, format)
		}
		if opt.Progress != nil {
			opt.Progress(i+1, len(files))
		}
	}
	if len(qtiFiles) > 0 {
		b, err := qtiLoose(files, qtiFiles)
		if err != nil {
			return nil, examhall.Errorf(examhall.EBadRequest, "%s", err.Error())
		}
		bank.Add(b)
	}
	bank.Assets = uniqueAssets(bank.Assets)
	if rep.Format == "" {
		rep.Format = strings.Join(formats, "+")
	}
	if bank.Title == "" && len(files) == 1 {
		bank.Title = strings.TrimSuffix(path.Base(files[0].Name), path.Ext(files[0].Name))
	}
	return build(bank, rep, opt)
}

func parseError(name string, err error) string {
	var ce *content.Error
	if errors.As(err, &ce) && ce.Source == "" {
		ce.Source = name
	}
	return err.Error()
}

func appendNew(xs []string, x string) []string {
	for _, v := range xs {
		if v == x {
			return xs
		}
	}
	return append(xs, x)
}

// importDocument reads examhall's own exam document: every question is
// imported as it is, or the document is refused with the field at fault.
func importDocument(f File, opt Options) (*Result, error) {
	e, err := examhall.ParseExam(f.Data)
	if err != nil {
		return nil, examhall.Errorf(examhall.EBadRequest, "%s: %s", f.Name, examhall.ErrorMessage(err))
	}
	if opt.ID != "" {
		e.ID = opt.ID
	}
	if opt.Title != "" {
		e.Title = opt.Title
	}
	if opt.Marking != nil {
		return nil, examhall.Errorf(examhall.EBadRequest, "%s: an examhall exam document states its own marking; --marking is for question banks.", f.Name)
	}
	rep := &Report{Format: Examhall, Exam: e.ID, Title: e.Title, Items: []ItemReport{}, Exact: true}
	for i, q := range e.Questions {
		rep.Items = append(rep.Items, ItemReport{Source: fmt.Sprintf("%s: questions[%d]", f.Name, i), Question: q.ID, Type: q.Type, Status: Imported})
		rep.Imported++
	}
	if opt.Progress != nil {
		opt.Progress(1, 1)
	}
	return &Result{Exam: e, Report: rep}, nil
}

// build turns a bank into an exam and fills in the report.
func build(bank *content.Bank, rep *Report, opt Options) (*Result, error) {
	e := &examhall.Exam{ID: opt.ID, Title: opt.Title, GraceSeconds: examhall.DefaultGraceSeconds, Instructions: bank.Instructions,
		DurationSeconds: bank.DurationSeconds, ShuffleQuestions: bank.ShuffleQuestions, ShuffleOptions: bank.ShuffleOptions}
	if e.ID == "" && examhall.ValidID(bank.ID) {
		e.ID = bank.ID
	}
	if e.Title == "" {
		e.Title = strings.TrimSpace(bank.Title)
	}
	if e.Title == "" && opt.Name != "" {
		e.Title = strings.TrimSuffix(path.Base(opt.Name), path.Ext(opt.Name))
	}
	if e.Title == "" {
		e.Title = "Imported exam"
		rep.examChange(content.DefaultTitle, `title: "Imported exam" (the source names none)`)
	}
	if opt.Marking != nil {
		e.Marking = opt.Marking
	}
	if e.DurationSeconds == 0 {
		e.DurationSeconds = opt.DurationSeconds
		if e.DurationSeconds == 0 {
			e.DurationSeconds = 3600
		}
		rep.examChange(content.DefaultDuration, "duration_seconds: %d (the source sets no time limit)", e.DurationSeconds)
	}
	for i, n := range bank.Notes {
		rep.examChange(bank.NoteCodes[i], "%s", n)
	}
	if e.ID != "" && !examhall.ValidID(e.ID) {
		return nil, examhall.Errorf(examhall.EBadRequest, "id: %q is not a valid id.", e.ID)
	}
	used := map[string]bool{}
	ids := map[*content.Item]string{}
	for _, it := range bank.Items {
		if it.Question != nil {
			reportMarkup(it)
		}
		ir := ItemReport{Source: it.Source, Changes: it.Changes, ChangeCodes: it.Codes}
		if it.Question != nil {
			q := *it.Question
			q.ID = uniqueID(q.ID, used, len(e.Questions)+1, &ir)
			if it.Shuffle != nil && *it.Shuffle != e.ShuffleOptions && q.Type.HasOptions() && q.Type != examhall.Order {
				q.Shuffle = it.Shuffle
			}
			if err := checkQuestion(q); err != nil {
				it.Skip(content.Invalid, "%s", examhall.ErrorMessage(err))
			} else {
				used[q.ID] = true
				ids[it] = q.ID
				e.Questions = append(e.Questions, q)
				ir.Question, ir.Type = q.ID, q.Type
			}
		}
		switch {
		case it.Question == nil:
			ir.Status, ir.Reason, ir.ReasonCode, ir.Changes, ir.ChangeCodes = Skipped, it.Skipped, it.SkipCode, nil, nil
			rep.Skipped++
		case len(ir.Changes) > 0:
			ir.Status = WithChanges
			rep.WithChanges++
		default:
			ir.Status = Imported
			rep.Imported++
		}
		rep.Items = append(rep.Items, ir)
	}
	e.Pools = pools(bank, ids, rep)
	e.Sections = sections(bank, ids, rep)
	e.AllowNegativeTotal = bank.AllowNegativeTotal
	sectionTiming(e, bank, rep)
	rep.Title = e.Title
	rep.Exact = rep.exact()
	res := &Result{Report: rep, Assets: bank.Assets}
	if len(e.Questions) == 0 {
		return res, nil
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	rep.Exam = e.ID
	res.Exam = e
	return res, nil
}

func (r *Report) examChange(code content.Code, format string, args ...any) {
	r.ExamChanges = append(r.ExamChanges, fmt.Sprintf(format, args...))
	r.ExamChangeCodes = append(r.ExamChangeCodes, code)
}

// exact reports whether the import carried the source exactly.
func (r *Report) exact() bool {
	if r.Skipped > 0 || r.WithChanges > 0 {
		return false
	}
	for _, f := range r.Files {
		if f.Status == Skipped {
			return false
		}
	}
	for _, c := range r.ExamChangeCodes {
		if c != content.DefaultTitle && c != content.DefaultDuration {
			return false
		}
	}
	return true
}

// uniqueID keeps a question's id from the source when it is valid and not
// taken, and makes one up otherwise.
func uniqueID(id string, used map[string]bool, n int, ir *ItemReport) string {
	if id != "" && !used[id] {
		return id
	}
	fresh := fmt.Sprintf("q%d", n)
	for i := 2; used[fresh]; i++ {
		fresh = fmt.Sprintf("q%d-%d", n, i)
	}
	if id != "" {
		ir.Changes = append(ir.Changes, fmt.Sprintf("id %q is used by another item; this one is %q", id, fresh))
		ir.ChangeCodes = append(ir.ChangeCodes, content.IDChanged)
	}
	return fresh
}

// checkQuestion validates one question as an exam document would.
func checkQuestion(q examhall.Question) error {
	e := &examhall.Exam{Title: "t", DurationSeconds: 60, Questions: []examhall.Question{q}}
	err := e.Validate()
	if err != nil {
		// Strip the path of the one-question exam: the report names
		// the item.
		msg := examhall.ErrorMessage(err)
		msg = strings.TrimPrefix(msg, fmt.Sprintf("questions[0] (%s).", q.ID))
		msg = strings.TrimPrefix(msg, "questions[0].")
		return examhall.Errorf(examhall.EBadRequest, "%s", msg)
	}
	return nil
}

// sections turns the bank's sections into the exam's, with the ids the
// items got; a section left with no items is dropped, and an answer-any
// rule over more questions than remain counts them all.
func sections(bank *content.Bank, ids map[*content.Item]string, rep *Report) []examhall.Section {
	var out []examhall.Section
	seen := map[string]bool{}
	for i, bs := range bank.Sections {
		s := examhall.Section{ID: content.IDFrom(bs.ID), Title: bs.Title, Instructions: bs.Instructions,
			DurationSeconds: bs.DurationSeconds, AnswerAny: bs.AnswerAny, AnswerAnyRule: bs.AnswerAnyRule}
		if s.ID == "" || seen[s.ID] {
			s.ID = fmt.Sprintf("section%d", i+1)
		}
		seen[s.ID] = true
		if bs.ForwardOnly {
			s.Navigation = examhall.NavForward
		}
		if s.AnswerAnyRule != "" && s.AnswerAnyRule != examhall.RuleBest && s.AnswerAnyRule != examhall.RuleFirst {
			s.AnswerAnyRule = ""
		}
		for _, it := range bs.Items {
			if id, ok := ids[it]; ok {
				s.Questions = append(s.Questions, id)
			}
		}
		if len(s.Questions) == 0 {
			rep.examChange(content.SectionChanged, "section %s: left out, as none of its items was imported", s.ID)
			continue
		}
		if s.AnswerAny > len(s.Questions) {
			rep.examChange(content.SectionChanged, "section %s: answer any %d of %d became all of them, as only %d were imported", s.ID, s.AnswerAny, len(bs.Items), len(s.Questions))
			s.AnswerAny, s.AnswerAnyRule = 0, ""
		}
		out = append(out, s)
	}
	return out
}

// sectionTiming makes the exam's time limit fit its timed sections: their
// sum when every section is timed; more than the sum when one is not (it
// gets the rest). Several untimed sections beside timed ones cannot be
// scheduled: their time limits go, and the exam keeps one for all.
func sectionTiming(e *examhall.Exam, bank *content.Bank, rep *Report) {
	sum, untimed := 0, 0
	for _, s := range e.Sections {
		sum += s.DurationSeconds
		if s.DurationSeconds == 0 {
			untimed++
		}
	}
	switch {
	case sum == 0:
	case untimed > 1:
		for i := range e.Sections {
			e.Sections[i].DurationSeconds = 0
		}
		e.DurationSeconds = max(e.DurationSeconds, sum)
		rep.examChange(content.SectionChanged, "sections: their own time limits were left out, as %d sections have none; the exam has %d seconds for all", untimed, e.DurationSeconds)
	case untimed == 1 && e.DurationSeconds <= sum:
		d := sum + 3600
		rep.examChange(content.SectionChanged, "duration_seconds: %d, the timed sections' %d and an hour for the untimed one", d, sum)
		e.DurationSeconds = d
	case untimed == 0 && e.DurationSeconds != sum:
		if bank.DurationSeconds != 0 {
			rep.examChange(content.SectionChanged, "duration_seconds: %d, the sum of the sections' time limits (the test said %d)", sum, bank.DurationSeconds)
		}
		e.DurationSeconds = sum
	}
}

// pools turns the bank's pools into the exam's, with the ids the items got;
// a pool left with fewer items than it draws draws them all.
func pools(bank *content.Bank, ids map[*content.Item]string, rep *Report) []examhall.Pool {
	var out []examhall.Pool
	seen := map[string]bool{}
	for i, p := range bank.Pools {
		pool := examhall.Pool{ID: content.IDFrom(p.ID), Draw: p.Draw}
		if pool.ID == "" || seen[pool.ID] {
			pool.ID = fmt.Sprintf("pool%d", i+1)
		}
		seen[pool.ID] = true
		for _, it := range p.Items {
			if id, ok := ids[it]; ok {
				pool.Questions = append(pool.Questions, id)
			}
		}
		if len(pool.Questions) == 0 {
			continue
		}
		if pool.Draw > len(pool.Questions) {
			rep.examChange(content.PoolChanged, "pool %s: draws %d, as it has only %d imported questions (it asked for %d)", pool.ID, len(pool.Questions), len(pool.Questions), pool.Draw)
			pool.Draw = len(pool.Questions)
		}
		out = append(out, pool)
	}
	return out
}

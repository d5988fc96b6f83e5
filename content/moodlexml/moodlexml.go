// Package moodlexml reads Moodle XML question exports into a
// content.Bank: multichoice (single and multiple), truefalse, shortanswer,
// numerical, essay, matching and ordering questions, with HTML texts,
// feedback and embedded images (which become assets). Other question
// types (description, cloze, calculated, drag and drop, ...) are skipped
// with the reason.
package moodlexml

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// text is a Moodle text field: its format and content, with files.
type text struct {
	Format string `xml:"format,attr"`
	Text   string `xml:"text"`
	Files  []file `xml:"file"`
}

type file struct {
	Name     string `xml:"name,attr"`
	Encoding string `xml:"encoding,attr"`
	Data     string `xml:",chardata"`
}

type answer struct {
	Fraction  string `xml:"fraction,attr"`
	Format    string `xml:"format,attr"`
	Text      string `xml:"text"`
	Files     []file `xml:"file"`
	Feedback  text   `xml:"feedback"`
	Tolerance string `xml:"tolerance"`
	// ToleranceType of calculated questions: 1 relative, 2 nominal, 3
	// geometric.
	ToleranceType string `xml:"tolerancetype"`
}

// choiceText is a word of a gapselect or ddwtos question and its group.
type choiceText struct {
	Text     string    `xml:"text"`
	Group    string    `xml:"group"`
	Infinite *struct{} `xml:"infinite"`
}

type subquestion struct {
	Format string `xml:"format,attr"`
	Text   string `xml:"text"`
	Files  []file `xml:"file"`
	Answer struct {
		Text string `xml:"text"`
	} `xml:"answer"`
}

type question struct {
	Type            string        `xml:"type,attr"`
	Name            text          `xml:"name"`
	QuestionText    text          `xml:"questiontext"`
	GeneralFeedback text          `xml:"generalfeedback"`
	DefaultGrade    string        `xml:"defaultgrade"`
	Single          string        `xml:"single"`
	ShuffleAnswers  string        `xml:"shuffleanswers"`
	UseCase         string        `xml:"usecase"`
	Answers         []answer      `xml:"answer"`
	Subquestions    []subquestion `xml:"subquestion"`
	// Gaps to select (gapselect) or drag words into (ddwtos).
	SelectOptions []choiceText `xml:"selectoption"`
	DragBoxes     []choiceText `xml:"dragbox"`
	Category      text         `xml:"category"`
	Units         *struct{}    `xml:"units"`
	// Moodle 2+: feedback by outcome and hints for further tries.
	CorrectFeedback   text   `xml:"correctfeedback"`
	PartialFeedback   text   `xml:"partiallycorrectfeedback"`
	IncorrectFeedback text   `xml:"incorrectfeedback"`
	Hints             []text `xml:"hint"`
	// Calculated questions: their variables' values.
	Datasets []dataset `xml:"dataset_definitions>dataset_definition"`
	// Moodle 1.9: a picture shown with the question, by path and
	// optionally its data.
	Image       string `xml:"image"`
	ImageBase64 string `xml:"image_base64"`
}

// Parse reads a Moodle XML file. Malformed XML is an error with its line;
// a question examhall cannot take is a skipped item.
func Parse(name string, data []byte) (*content.Bank, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") {
			return input, nil
		}
		return nil, fmt.Errorf("the encoding %q is not supported; use UTF-8", charset)
	}
	b := &content.Bank{}
	p := &parser{bank: b, assets: map[string][]byte{}}
	sawQuiz := false
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(name, line, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "quiz":
			sawQuiz = true
		case "question":
			if !sawQuiz {
				return nil, &content.Error{Source: name, Line: line, Msg: "<question> outside <quiz>"}
			}
			var q question
			if err := d.DecodeElement(&q, &se); err != nil {
				return nil, xmlError(name, line, err)
			}
			if q.Type == "category" {
				if b.Title == "" {
					b.Title = path.Base(strings.TrimSpace(q.Category.Text))
				}
				continue
			}
			it := &content.Item{Source: fmt.Sprintf("%s:%d", name, line)}
			p.read(it, &q)
			b.Items = append(b.Items, it)
		default:
			if !sawQuiz {
				return nil, &content.Error{Source: name, Line: line, Msg: fmt.Sprintf("the root element is <%s>, not <quiz>", se.Name.Local)}
			}
		}
	}
	if !sawQuiz {
		return nil, &content.Error{Source: name, Msg: "no <quiz> element found"}
	}
	return b, nil
}

func xmlError(name string, line int, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &content.Error{Source: name, Line: se.Line, Msg: "malformed XML: " + se.Msg}
	}
	return &content.Error{Source: name, Line: line, Msg: "malformed XML: " + err.Error()}
}

type parser struct {
	bank   *content.Bank
	assets map[string][]byte
}

// fraction reads an answer's fraction, in percent.
func fraction(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func (p *parser) read(it *content.Item, mq *question) {
	q := &examhall.Question{ID: content.IDFrom(mq.Name.Text), Points: 1}
	if g, err := strconv.ParseFloat(strings.TrimSpace(mq.DefaultGrade), 64); err == nil && g >= 0 && !math.IsInf(g, 0) {
		q.Points = g
	}
	q.Prompt = p.texts(it, mq.QuestionText.Text, mq.QuestionText.Files) + p.image(it, mq)
	q.Feedback = p.texts(it, mq.GeneralFeedback.Text, mq.GeneralFeedback.Files)
	q.CorrectFeedback = p.texts(it, mq.CorrectFeedback.Text, mq.CorrectFeedback.Files)
	q.PartialFeedback = p.texts(it, mq.PartialFeedback.Text, mq.PartialFeedback.Files)
	q.IncorrectFeedback = p.texts(it, mq.IncorrectFeedback.Text, mq.IncorrectFeedback.Files)
	if n := hints(mq.Hints); n > 0 {
		it.Change(content.HintsDropped, "%d hint(s) for further tries were left out: an exam gives one try", n)
	}
	switch strings.TrimSpace(mq.ShuffleAnswers) {
	case "1", "true":
		v := true
		it.Shuffle = &v
		p.bank.ShuffleOptions = true
	case "0", "false":
		v := false
		it.Shuffle = &v
	}
	htmlFormat := mq.QuestionText.Format == "" || mq.QuestionText.Format == "html" || mq.QuestionText.Format == "moodle_auto_format"
	if mq.QuestionText.Format == "markdown" {
		it.Change(content.FormatChanged, "markdown is shown as plain text")
	}
	if htmlFormat {
		q.Format = examhall.FormatHTML
	}
	it.Question = q
	switch mq.Type {
	case "multichoice":
		p.choice(it, q, mq)
	case "truefalse":
		p.trueFalse(it, q, mq)
	case "shortanswer":
		p.short(it, q, mq)
	case "numerical":
		p.numerical(it, q, mq)
	case "essay":
		q.Type = examhall.Essay
	case "matching":
		p.matching(it, q, mq)
	case "ordering":
		p.ordering(it, q, mq)
	case "multianswer":
		p.multianswer(it, q)
	case "gapselect":
		p.gapselect(it, q, mq)
	case "ddwtos":
		p.ddwtos(it, q, mq)
	case "calculated", "calculatedsimple", "calculatedmulti":
		p.calculated(it, q, mq)
	case "description":
		it.Skip(content.NotAQuestion, "a description is not a question")
	default:
		it.Skip(content.UnsupportedType, "Moodle question type %q is not a kind of question examhall has", mq.Type)
	}
}

// texts resolves the files of a text (images become assets) and points
// @@PLUGINFILE@@ links at them.
func (p *parser) texts(it *content.Item, s string, files []file) string {
	for _, f := range files {
		if f.Encoding != "base64" {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(f.Data), ""))
		if err != nil {
			it.Change(content.FileInvalid, "the file %q is not valid base64 and was left out", f.Name)
			continue
		}
		name := examhall.AssetName(f.Name)
		if prev, ok := p.assets[name]; ok && !bytes.Equal(prev, data) {
			// The end of the name carries the extension: keep it, and the
			// number that sets the file apart, within the length allowed.
			name = examhall.AssetName(fmt.Sprintf("%d-%s", len(p.assets), name[max(0, len(name)-100):]))
		}
		if _, ok := p.assets[name]; !ok {
			p.assets[name] = data
			p.bank.Assets = append(p.bank.Assets, examhall.Asset{Name: name, Type: mediaType(name), Data: data})
		}
		s = strings.ReplaceAll(s, "@@PLUGINFILE@@/"+f.Name, "assets/"+name)
		s = strings.ReplaceAll(s, "@@PLUGINFILE@@/"+urlEscape(f.Name), "assets/"+name)
	}
	if strings.Contains(s, "@@PLUGINFILE@@") {
		it.Change(content.ImageMissing, "a file the text refers to is not in the export and was left out")
	}
	return strings.TrimSpace(s)
}

// image is the picture of a Moodle 1.9 question as HTML to follow its
// text: from its data when the export has it (an asset), else by its path
// (found among the files imported with it, or reported).
func (p *parser) image(it *content.Item, mq *question) string {
	src := strings.TrimSpace(mq.Image)
	b64 := strings.Join(strings.Fields(mq.ImageBase64), "")
	if src == "" && b64 == "" {
		return ""
	}
	if b64 != "" {
		if src == "" {
			src = "image.png"
		}
		name := p.texts(it, `@@PLUGINFILE@@/`+path.Base(src), []file{{Name: path.Base(src), Encoding: "base64", Data: b64}})
		if strings.HasPrefix(name, "assets/") {
			return fmt.Sprintf(`<p><img src="%s" alt=""></p>`, name)
		}
		return ""
	}
	if strings.Contains(src, "://") && !strings.HasPrefix(src, "https://") {
		it.Change(content.ImageMissing, "the image %q is not in the export and was left out", src)
		return ""
	}
	return fmt.Sprintf(`<p><img src="%s" alt=""></p>`, html.EscapeString(src))
}

// hints counts the hints that hold any text.
func hints(hs []text) int {
	n := 0
	for _, h := range hs {
		if strings.TrimSpace(h.Text) != "" {
			n++
		}
	}
	return n
}

func urlEscape(s string) string { return strings.ReplaceAll(s, " ", "%20") }

func setAnswer(q *examhall.Question, v any) { q.Answer, _ = json.Marshal(v) }

// plain returns an answer text as the question's format wants it.
func plain(q *examhall.Question, s, format string) string {
	s = strings.TrimSpace(s)
	if q.Format == examhall.FormatHTML && format != "html" && format != "" {
		return html.EscapeString(s)
	}
	return s
}

func (p *parser) choice(it *content.Item, q *examhall.Question, mq *question) {
	var right []string
	full, partial := 0, false
	for i, a := range mq.Answers {
		id := content.OptionID(i)
		q.Options = append(q.Options, examhall.Option{ID: id, Text: plain(q, p.texts(it, a.Text, a.Files), a.Format),
			Feedback: p.texts(it, a.Feedback.Text, a.Feedback.Files)})
		switch f := fraction(a.Fraction); {
		case f >= 100:
			right = append(right, id)
			full++
		case f > 0:
			right = append(right, id)
			partial = true
		}
	}
	single := strings.TrimSpace(mq.Single) != "false" && strings.TrimSpace(mq.Single) != "0"
	switch {
	case len(right) == 0:
		it.Skip(content.NoCorrectAnswer, "no answer has a positive fraction")
	case single && full >= 1:
		q.Type = examhall.Single
		for i, a := range mq.Answers {
			if fraction(a.Fraction) >= 100 {
				setAnswer(q, content.OptionID(i))
				break
			}
		}
		if partial || full > 1 {
			it.Change(content.PartialCreditDropped, "only the first full-credit answer is right; the partial credit of the others was left out")
		}
		penalty(it, q, mq)
	default:
		q.Type = examhall.Multiple
		q.PartialCredit = true
		setAnswer(q, right)
		it.Change(content.ScoringChanged, "the answer fractions became examhall's partial credit (keyed options chosen minus others, over keyed options)")
	}
	if len(q.Options) < 2 && it.Question != nil {
		it.Skip(content.TooFewChoices, "a choice question needs at least two answers")
	}
}

// penalty turns the negative fractions of a single-answer question's wrong
// answers (Moodle's negative marking) into the question's marking scheme:
// a wrong response costs that share of its points. examhall has one
// penalty per question: when the wrong answers' fractions differ, the
// heaviest is kept and the change reported.
func penalty(it *content.Item, q *examhall.Question, mq *question) {
	worst, seen := 0.0, map[float64]bool{}
	for _, a := range mq.Answers {
		if f := fraction(a.Fraction); f < 100 {
			seen[f] = true
			worst = math.Min(worst, f)
		}
	}
	differ := len(seen) > 1
	if worst >= 0 {
		return
	}
	w := math.Max(worst/100, -1)
	q.Marking = &examhall.Marking{WrongFraction: &w}
	if differ {
		it.Change(content.ScoringChanged, "the wrong answers cost different shares of the points; every wrong answer now costs %g%%, the heaviest", -w*100)
	}
}

func (p *parser) trueFalse(it *content.Item, q *examhall.Question, mq *question) {
	q.Type = examhall.TrueFalse
	// The feedback on the right answer shows on a right response, that on
	// the other on a wrong one.
	for _, a := range mq.Answers {
		fb := p.texts(it, a.Feedback.Text, a.Feedback.Files)
		if fraction(a.Fraction) >= 100 {
			v := strings.EqualFold(strings.TrimSpace(examhall.StripHTML(a.Text)), "true")
			setAnswer(q, v)
			q.CorrectFeedback = join(q.CorrectFeedback, fb)
		} else {
			q.IncorrectFeedback = join(q.IncorrectFeedback, fb)
		}
	}
	if q.Answer == nil {
		it.Skip(content.NoCorrectAnswer, "neither true nor false is marked right")
	}
}

func (p *parser) short(it *content.Item, q *examhall.Question, mq *question) {
	q.Type = examhall.ShortText
	var accepted []string
	for _, a := range mq.Answers {
		t := strings.TrimSpace(examhall.StripHTML(a.Text))
		switch f := fraction(a.Fraction); {
		case f >= 100 && strings.Contains(t, "*"):
			it.Change(content.WildcardLiteral, "the answer %q has a wildcard (*), which examhall compares literally", t)
			accepted = append(accepted, t)
		case f >= 100:
			accepted = append(accepted, t)
			if fb := p.texts(it, a.Feedback.Text, a.Feedback.Files); fb != "" && fb != q.CorrectFeedback {
				if q.CorrectFeedback == "" {
					q.CorrectFeedback = fb
				} else {
					it.Change(content.FeedbackDropped, "the feedback on %q was left out: a right answer has one feedback", t)
				}
			}
		case f > 0:
			it.Change(content.PartialCreditDropped, "the partial credit (%g%%) for %q was left out: it counts as wrong", f, t)
		}
	}
	if strings.TrimSpace(mq.UseCase) == "1" {
		it.Change(content.CaseIgnored, "answers are compared without regard to case")
	}
	if len(accepted) == 0 {
		it.Skip(content.NoCorrectAnswer, "no answer gets full credit")
		return
	}
	setAnswer(q, accepted)
}

func (p *parser) numerical(it *content.Item, q *examhall.Question, mq *question) {
	q.Type = examhall.Numeric
	found := false
	for _, a := range mq.Answers {
		f := fraction(a.Fraction)
		t := strings.TrimSpace(a.Text)
		if f < 100 {
			if f > 0 {
				it.Change(content.PartialCreditDropped, "the partial credit (%g%%) for %s was left out", f, t)
			}
			if strings.TrimSpace(a.Feedback.Text) != "" && t != "*" {
				it.Change(content.FeedbackDropped, "the feedback on %s was left out", t)
			} else if t == "*" {
				q.IncorrectFeedback = join(q.IncorrectFeedback, p.texts(it, a.Feedback.Text, a.Feedback.Files))
			}
			continue
		}
		v, err := strconv.ParseFloat(t, 64)
		tol, err2 := strconv.ParseFloat(strings.TrimSpace(orZero(a.Tolerance)), 64)
		if err != nil || err2 != nil || tol < 0 || math.IsInf(v, 0) || math.IsNaN(v) || math.IsInf(tol, 0) {
			it.Skip(content.Malformed, "%q (tolerance %q) is not a number", t, a.Tolerance)
			return
		}
		if found {
			it.Change(content.AnswerDropped, "a second full-credit answer (%s) was left out", t)
			continue
		}
		setAnswer(q, v)
		q.Tolerance = tol
		q.CorrectFeedback = join(q.CorrectFeedback, p.texts(it, a.Feedback.Text, a.Feedback.Files))
		found = true
	}
	if !found {
		it.Skip(content.NoCorrectAnswer, "no answer gets full credit")
		return
	}
	if mq.Units != nil {
		it.Change(content.UnitsDropped, "units were left out: the answer is the number alone")
	}
}

func join(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n" + b
}

func orZero(s string) string {
	if strings.TrimSpace(s) == "" {
		return "0"
	}
	return s
}

func (p *parser) matching(it *content.Item, q *examhall.Question, mq *question) {
	q.Type = examhall.Match
	targets := map[string]string{}
	pairs := map[string]string{}
	for _, sq := range mq.Subquestions {
		right := strings.TrimSpace(sq.Answer.Text)
		tid, ok := targets[right]
		if !ok {
			tid = strconv.Itoa(len(targets) + 1)
			targets[right] = tid
			q.Targets = append(q.Targets, examhall.Option{ID: tid, Text: plain(q, right, "plain")})
		}
		left := p.texts(it, sq.Text, sq.Files)
		if strings.TrimSpace(examhall.StripHTML(left)) == "" && !strings.Contains(left, "<img") {
			continue // a distractor answer
		}
		id := content.OptionID(len(q.Options))
		q.Options = append(q.Options, examhall.Option{ID: id, Text: plain(q, left, sq.Format)})
		pairs[id] = tid
	}
	if len(pairs) == 0 {
		it.Skip(content.TooFewChoices, "a matching question needs at least one pair")
		return
	}
	setAnswer(q, pairs)
}

func (p *parser) ordering(it *content.Item, q *examhall.Question, mq *question) {
	q.Type = examhall.Order
	var key []string
	for i, a := range mq.Answers {
		id := content.OptionID(i)
		q.Options = append(q.Options, examhall.Option{ID: id, Text: plain(q, p.texts(it, a.Text, a.Files), a.Format)})
		key = append(key, id)
	}
	if len(key) < 2 {
		it.Skip(content.TooFewChoices, "an ordering question needs at least two items")
		return
	}
	setAnswer(q, key)
	it.Change(content.ScoringChanged, "Moodle's grading of partly right orders was left out: the whole order must be right")
}

var types = map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}

func mediaType(name string) string {
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

package importer

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
)

// Formats examhall imports.
const (
	Examhall  = "examhall"  // examhall's own exam document (JSON)
	GIFT      = "gift"      // Moodle GIFT
	Aiken     = "aiken"     // Moodle Aiken
	MoodleXML = "moodlexml" // Moodle XML
	QTI       = "qti"       // IMS QTI 2.1 or 3.0: items, tests, content packages
)

// Formats lists the formats in the order they are documented.
var Formats = []string{Examhall, GIFT, Aiken, MoodleXML, QTI}

// ValidFormat reports whether f names a format.
func ValidFormat(f string) bool {
	for _, v := range Formats {
		if f == v {
			return true
		}
	}
	return false
}

var (
	aikenAnswer = regexp.MustCompile(`(?mi)^\s*ANSWER\s*:\s*[A-Za-z]\s*$`)
	aikenOption = regexp.MustCompile(`(?m)^\s*[A-Za-z][.)]\s*\S`)
	giftBlock   = regexp.MustCompile(`(?s)\{.*\}`)
	// giftAnswers is an answer block GIFT's way: {=, {~, {#, {T}, {}...
	giftFormat  = regexp.MustCompile(`^\[(html|moodle|plain|markdown)\]`)
	giftAnswers = regexp.MustCompile(`(?i)\{\s*(?:[=~#}]|(?:T|F|TRUE|FALSE)\s*[#}])`)
)

// Detect tells the format of one file from its content, or returns "" when
// it cannot.
func Detect(data []byte) string {
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	switch {
	case len(t) == 0:
		return ""
	case t[0] == '<':
		switch root := xmlRoot(t); {
		case root == "quiz":
			return MoodleXML
		case root == "manifest" || strings.HasPrefix(root, "assessment") || strings.HasPrefix(root, "qti-"):
			return QTI
		}
		return ""
	case t[0] == '{' && bytes.Contains(t[:min(len(t), 4096)], []byte(`"questions"`)):
		return Examhall
	case aikenAnswer.Match(t) && aikenOption.Match(t) && !giftAnswers.Match(t):
		return Aiken
	case giftBlock.Match(t) || bytes.HasPrefix(t, []byte("::")) || bytes.HasPrefix(t, []byte("//")) || bytes.HasPrefix(t, []byte("$CATEGORY")) || giftFormat.Match(t):
		return GIFT
	}
	return ""
}

// xmlRoot returns the local name of the root element, "" if there is none.
func xmlRoot(data []byte) string {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	for i := 0; i < 1000; i++ {
		tok, err := d.Token()
		if err == io.EOF || err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

package web_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"examhall/web"
)

// catalogueLine is one message of a catalogue: `  "key": value,` (the
// catalogues keep one message a line so that this test can read them).
var (
	catalogueLine = regexp.MustCompile(`(?m)^  "?([a-zA-Z0-9_.-]+)"?: (.*),$`)
	placeholder   = regexp.MustCompile(`\{[a-zA-Z]+\}`)
)

func readCatalogue(t *testing.T, name string) map[string]string {
	t.Helper()
	src, err := web.Source(name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range catalogueLine.FindAllStringSubmatch(src, -1) {
		if _, dup := out[m[1]]; dup {
			t.Errorf("%s: %s twice", name, m[1])
		}
		out[m[1]] = m[2]
	}
	return out
}

func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	slices.Sort(p)
	return slices.Compact(p)
}

// TestCataloguesComplete checks that every catalogue has every message of
// the English one, no other, with the same placeholders, and that none is
// left in English.
func TestCataloguesComplete(t *testing.T) {
	// The catalogues, and their parts loaded only by the papers that need
	// them (msg-LANG-cbt.js: exams with sections). Messages that may read
	// as in English: a number and a name.
	same := map[string]bool{"result.of": true, "cbt.count": true}
	checkFamily(t, "msg", "", 100, []string{"bn", "hi", "es", "ar"}, same)
	checkFamily(t, "msg", "-cbt", 30, []string{"bn", "hi", "es", "ar"}, same)
}

// TestStaffCataloguesComplete checks the staff console's catalogues the
// same way. Messages that are only placeholders and signs read the same in
// every language; "N" is the statistician's sample size everywhere, and
// "h", "min" and "s" are SI symbols, which Spanish keeps.
func TestStaffCataloguesComplete(t *testing.T) {
	same := map[string]bool{"dash": true, "seb.title": true, "window.range": true, "results.of": true, "mark.title": true, "mark.points": true, "stats.reliability": true, "stats.n": true, "mark.file": true, "method.kr20": true, "dur.h": true, "dur.min": true, "dur.s": true, "att.answered": true, "att.sep": true, "att.min": true}
	checkFamily(t, "staff", "", 100, []string{"bn", "hi", "es"}, same)
}

func checkFamily(t *testing.T, family, suffix string, least int, langs []string, same map[string]bool) {
	en := readCatalogue(t, family+"-en"+suffix+".js")
	if len(en) < least {
		t.Fatalf("%s-en%s.js: read %d messages; is it still one message a line?", family, suffix, len(en))
	}
	for _, lang := range langs {
		name := family + "-" + lang + suffix + ".js"
		c := readCatalogue(t, name)
		for k, v := range en {
			got, ok := c[k]
			if !ok {
				t.Errorf("%s: no %s (English: %s)", name, k, v)
				continue
			}
			if want, have := placeholders(v), placeholders(got); !slices.Equal(want, have) {
				t.Errorf("%s: %s has placeholders %v, English has %v", name, k, have, want)
			}
			if got == v && !same[k] {
				t.Errorf("%s: %s is still English: %s", name, k, v)
			}
			if strings.Contains(got, "{") && strings.HasPrefix(got, "{") && !strings.Contains(got, "other:") && strings.Contains(v, "other:") {
				t.Errorf("%s: %s is a plural in English but not here", name, k)
			}
		}
		for k := range c {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: %s is not an English message", name, k)
			}
		}
	}
}

// TestPageTextIsTranslated checks that the candidate's page names only
// messages that exist: every data-i18n of the HTML and every t("key") of
// the modules.
func TestPageTextIsTranslated(t *testing.T) {
	for k := range readCatalogue(t, "msg-en-cbt.js") {
		if !strings.HasPrefix(k, "cbt.") {
			t.Errorf("msg-en-cbt.js: %s is not named cbt.…", k)
		}
	}
	checkKeys(t, []string{"msg-en.js", "msg-en-cbt.js"}, []string{"candidate.html", "candidate.js", "questions.js", "moretypes.js", "sections.js", "sectionresult.js", "review.js"})
}

// TestStaffTextIsTranslated does the same for the staff console, whose
// messages are in the staff catalogues.
func TestStaffTextIsTranslated(t *testing.T) {
	checkKeys(t, []string{"staff-en.js"}, []string{"staff.html", "staff.js", "examcheck.js", "charts.js"})
}

var keyUse = regexp.MustCompile(`(?:data-i18n(?:-label)?="|\bt\(")([a-zA-Z0-9_.-]+[a-zA-Z0-9_])"`)

func checkKeys(t *testing.T, catalogues []string, files []string) {
	en := map[string]string{}
	for _, c := range catalogues {
		for k, v := range readCatalogue(t, c) {
			en[k] = v
		}
	}
	total := 0
	for _, name := range files {
		src, err := web.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		uses := keyUse.FindAllStringSubmatch(src, -1)
		if len(uses) == 0 {
			t.Errorf("%s: no message used (a module without text need not be listed)", name)
		}
		total += len(uses)
		for _, m := range uses {
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s uses message %q, which %s lacks", name, m[1], strings.Join(catalogues, " and "))
			}
		}
	}
	if total < 5*len(files) {
		t.Errorf("only %d messages used in %d files: does the pattern still find them?", total, len(files))
	}
}

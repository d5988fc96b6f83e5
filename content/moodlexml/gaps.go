package moodlexml

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// placeholder is a gap of a gapselect or ddwtos text: [[n]], n the choice
// that fills it.
var placeholder = regexp.MustCompile(`\[\[(\d+)\]\]`)

// gapPlaces replaces the [[n]] of a text with [[gK]] (one gap per place)
// and returns the choice number of each gap.
func gapPlaces(text string) (string, []int) {
	var choices []int
	out := placeholder.ReplaceAllStringFunc(text, func(m string) string {
		n, _ := strconv.Atoi(placeholder.FindStringSubmatch(m)[1])
		choices = append(choices, n)
		return fmt.Sprintf("[[g%d]]", len(choices))
	})
	return out, choices
}

// gapselect reads a Moodle "select missing words" question: a cloze whose
// gaps each choose among the words of their right answer's group.
func (p *parser) gapselect(it *content.Item, q *examhall.Question, mq *question) {
	q.Type = examhall.Cloze
	q.PartialCredit = true
	prompt, places := gapPlaces(q.Prompt)
	q.Prompt = prompt
	for i, n := range places {
		if n < 1 || n > len(mq.SelectOptions) {
			it.Skip(content.Malformed, "the gap [[%d]] names no choice", n)
			return
		}
		group := strings.TrimSpace(mq.SelectOptions[n-1].Group)
		g := examhall.Gap{ID: fmt.Sprintf("g%d", i+1), Type: examhall.GapChoice, Weight: 1}
		for j, c := range mq.SelectOptions {
			if strings.TrimSpace(c.Group) == group {
				g.Options = append(g.Options, examhall.Option{ID: fmt.Sprintf("c%d", j+1), Text: plain(q, c.Text, "plain")})
			}
		}
		if len(g.Options) < 2 {
			it.Skip(content.TooFewChoices, "the gap [[%d]] has one word to choose from", n)
			return
		}
		g.Answer, _ = json.Marshal(fmt.Sprintf("c%d", n))
		q.Gaps = append(q.Gaps, g)
	}
	if len(q.Gaps) == 0 {
		it.Skip(content.NotAQuestion, "the text has no gap [[n]]")
	}
}

// ddwtos reads a Moodle "drag and drop into text" question: a gap_match
// whose words are its drag boxes.
func (p *parser) ddwtos(it *content.Item, q *examhall.Question, mq *question) {
	q.Type = examhall.GapMatch
	q.PartialCredit = true
	prompt, places := gapPlaces(q.Prompt)
	q.Prompt = prompt
	groups := map[string]bool{}
	for j, c := range mq.DragBoxes {
		q.Options = append(q.Options, examhall.Option{ID: fmt.Sprintf("c%d", j+1), Text: plain(q, c.Text, "plain")})
		groups[strings.TrimSpace(c.Group)] = true
	}
	key := map[string]string{}
	for i, n := range places {
		if n < 1 || n > len(mq.DragBoxes) {
			it.Skip(content.Malformed, "the gap [[%d]] names no word", n)
			return
		}
		id := fmt.Sprintf("g%d", i+1)
		q.Gaps = append(q.Gaps, examhall.Gap{ID: id})
		key[id] = fmt.Sprintf("c%d", n)
	}
	if len(q.Gaps) == 0 {
		it.Skip(content.NotAQuestion, "the text has no gap [[n]]")
		return
	}
	q.Answer, _ = json.Marshal(key)
	if len(groups) > 1 {
		it.Change(content.ConstraintDropped, "the words' groups (which gap each may fill) are one list: any word may go in any gap")
	}
}

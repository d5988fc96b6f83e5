package qti

import (
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// readMultipart reads an item with several interactions (not all gaps of
// a text) as a multipart question: one part per interaction, with the text
// around it as its prompt, points from its own scoring.
func readMultipart(it *content.Item, root, body *node, found []*node, file string, resolve resolver) {
	q := &examhall.Question{ID: content.IDFrom(root.attr("identifier")), Type: examhall.Multipart, Format: examhall.FormatHTML}
	it.Question = q
	stem, prompts, format := partPrompts(it, body, found, file, resolve)
	q.Prompt, q.Format = stem, format
	used := map[string]bool{}
	for i, in := range found {
		p := &examhall.Question{ID: optionID(in.attr("responseIdentifier"), i, used), Points: 1, Prompt: prompts[i], Format: format}
		if d := declaration(root, in.attr("responseIdentifier")); d != nil {
			if f, ok := mappedMax(d, in); ok {
				p.Points = f
			}
		}
		if f, err := strconv.ParseFloat(in.attr("data-examhall-points"), 64); err == nil && f >= 0 {
			p.Points = f
		}
		readOne(it, root, p, in, innerMarks(in), file, resolve)
		if it.Question == nil {
			it.Skipped = "part " + strconv.Itoa(i+1) + ": " + it.Skipped
			return
		}
		p.Format = ""
		q.Parts = append(q.Parts, *p)
	}
	// The item's declared maximum is shared among the parts as their own
	// scores share it.
	if root.attr("toolName") != toolName && hasScoreOutcomes(root) {
		total, sum := points(root, nil), 0.0
		for _, p := range q.Parts {
			sum += p.Points
		}
		for i := range q.Parts {
			if sum > 0 && total != sum {
				q.Parts[i].Points = round(q.Parts[i].Points * total / sum)
			}
		}
	}
	r := &reader{it: it, q: q, root: root, file: file, resolve: resolve}
	r.modalFeedback()
}

// hasScoreOutcomes reports whether the item declares its maximum score.
func hasScoreOutcomes(root *node) bool {
	for _, o := range root.elems("outcomeDeclaration") {
		if o.attr("identifier") == "MAXSCORE" || o.attr("normalMaximum") != "" {
			return true
		}
	}
	return false
}

// partPrompts splits the item body at its interactions: what comes before
// the first is the question's stem; each part's prompt is the body
// element that holds its interaction (the interaction replaced by its
// prompt, or its text for a gap match or hot text) and what follows up
// to the next one. examhall's own export marks each part's prompt.
func partPrompts(it *content.Item, body *node, found []*node, file string, resolve resolver) (string, []string, string) {
	prompts := make([]string, len(found))
	if d := marked(body); d != nil && d.attr("data-examhall-prompt") != "" {
		stem, _ := promptOf(it, &node{name: "itemBody", children: []any{d}}, nil, nil, file, resolve)
		all := body.walkAll()
		for i, in := range found {
			for _, e := range all {
				if e.attr("data-examhall-part") == in.attr("responseIdentifier") {
					prompts[i], _ = promptOf(it, &node{name: "itemBody", children: []any{e}}, nil, innerMarks(in), file, resolve)
				}
			}
		}
		if d.attr("data-examhall-prompt") != examhall.FormatHTML {
			return stem, prompts, ""
		}
		return stem, prompts, examhall.FormatHTML
	}
	owner := func(e *node) int {
		for i, in := range found {
			for p := in; p != nil; p = p.parent {
				if p == e {
					return i
				}
			}
		}
		return -1
	}
	// What comes before the first interaction is the stem; what comes
	// between two belongs to the next, which it usually introduces; what
	// follows the last, to the last.
	var stem, pending []any
	segs := make([][]any, len(found))
	last := -1
	for _, c := range body.children {
		if e, ok := c.(*node); ok {
			if i := owner(e); i >= 0 {
				if last < 0 {
					stem, pending = pending, nil
				}
				segs[i] = append(append(segs[i], pending...), c)
				pending, last = nil, i
				continue
			}
		}
		pending = append(pending, c)
	}
	if last >= 0 {
		segs[last] = append(segs[last], pending...)
	}
	s, _ := promptOf(it, &node{name: "itemBody", children: stem}, nil, nil, file, resolve)
	for i, in := range found {
		var f string
		prompts[i], f = promptOf(it, &node{name: "itemBody", children: segs[i]}, in, innerMarks(in), file, resolve)
		if f != examhall.FormatHTML {
			prompts[i] = htmlEscape(prompts[i])
		}
		if strings.TrimSpace(prompts[i]) == "" {
			if p := in.first("prompt"); p != nil {
				prompts[i] = p.innerHTML(nil, nil)
			}
		}
	}
	return s, prompts, examhall.FormatHTML
}

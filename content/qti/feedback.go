package qti

import (
	"strings"

	"examhall"
	"examhall/content"
)

// Kinds of modal feedback, by when it shows.
const (
	fbGeneral   = "general"
	fbCorrect   = "correct"
	fbPartial   = "partially_correct"
	fbIncorrect = "incorrect"
	fbChoice    = "choice" // shows when its identifier is the response
	fbUnknown   = ""
)

// modalFeedback sorts the item's modal feedback into the question's kinds
// of feedback by when each shows: on a correct, partly correct or
// incorrect response, always, or on choosing one option. When is read
// from the response processing (which branch sets the feedback outcome
// to the feedback's identifier) or, failing that, from the identifier's
// name. Feedback whose condition examhall cannot tell becomes general
// feedback, and the report says so. Feedback repeating an option's own is
// kept once.
func (r *reader) modalFeedback() {
	q := r.q
	kinds := r.feedbackKinds()
	for _, f := range r.root.elems("modalFeedback") {
		text := r.feedbackText(f)
		if strings.TrimSpace(examhall.StripHTML(text)) == "" && !strings.Contains(text, "<img") {
			continue
		}
		id := f.attr("identifier")
		kind := kinds[id]
		if kind == fbUnknown {
			kind = kindFromName(id)
		}
		if kind == fbUnknown {
			kind = kindFromName(f.attr("title"))
		}
		if t := strings.TrimSpace(f.attr("title")); t != "" && !r.exported() {
			if r.q.Format == examhall.FormatHTML {
				text = "<p><strong>" + htmlEscape(t) + "</strong></p>" + text
			} else {
				text = t + "\n" + text
			}
		}
		if f.attr("showHide") == "hide" {
			kind = map[string]string{fbCorrect: fbIncorrect, fbIncorrect: fbCorrect}[kind]
		}
		if r.exported() && f.attr("showHide") != "hide" {
			kind = id
		}
		switch kind {
		case fbCorrect:
			q.CorrectFeedback = join(q.CorrectFeedback, text)
		case fbPartial:
			q.PartialFeedback = join(q.PartialFeedback, text)
		case fbIncorrect:
			q.IncorrectFeedback = join(q.IncorrectFeedback, text)
		case fbGeneral:
			q.Feedback = join(q.Feedback, text)
		case fbChoice:
			if r.optionFeedback(id, text) {
				continue
			}
			fallthrough
		default:
			q.Feedback = join(q.Feedback, text)
			r.it.Change(content.FeedbackConditionLost, "the feedback %q shows under a condition examhall cannot tell; it is kept as general feedback", id)
		}
	}
}

// feedbackText is a modal feedback's content as the question's text.
func (r *reader) feedbackText(f *node) string {
	if d := marked(f); d != nil {
		if d.attr("data-examhall-prompt") == examhall.FormatHTML {
			return d.innerHTML(nil, imgReplace(r.it, r.file, r.resolve))
		}
		return rawText(d)
	}
	if cb := f.first("contentBody"); cb != nil {
		f = cb
	}
	if r.q.Format != examhall.FormatHTML {
		return f.text()
	}
	return f.innerHTML(nil, imgReplace(r.it, r.file, r.resolve))
}

// optionFeedback attaches feedback shown on choosing option id to that
// option, and reports whether it could.
func (r *reader) optionFeedback(ident, text string) bool {
	for i := range r.q.Options {
		o := &r.q.Options[i]
		if o.ID != ident {
			continue
		}
		if strings.TrimSpace(examhall.StripHTML(o.Feedback)) != strings.TrimSpace(examhall.StripHTML(text)) {
			o.Feedback = join(o.Feedback, text)
		}
		return true
	}
	return false
}

func join(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n" + b
}

// feedbackKinds reads from the response processing which feedback
// identifiers each branch sets the feedback outcomes to.
func (r *reader) feedbackKinds() map[string]string {
	out := map[string]string{}
	rp := r.root.first("responseProcessing")
	if rp == nil {
		return out
	}
	outcomes := map[string]bool{}
	for _, f := range r.root.elems("modalFeedback") {
		outcomes[f.attr("outcomeIdentifier")] = true
	}
	for _, set := range rp.find("setOutcomeValue") {
		if !outcomes[set.attr("identifier")] {
			continue
		}
		if v := set.first("variable"); v != nil && declaration(r.root, v.attr("identifier")) != nil {
			// FEEDBACK = RESPONSE: feedback per choice.
			for _, c := range r.root.find("simpleChoice") {
				out[c.attr("identifier")] = fbChoice
			}
			continue
		}
		kind := branchKind(set)
		for _, bv := range set.find("baseValue") {
			if id := strings.TrimSpace(bv.text()); id != "" && (out[id] == fbUnknown || out[id] == kind) {
				out[id] = kind
			}
		}
	}
	return out
}

// branchKind tells from the condition of the branch that holds n whether
// it runs on a correct response, an incorrect one, or always.
func branchKind(n *node) string {
	for p := n.parent; p != nil; p = p.parent {
		switch p.name {
		case "responseIf", "responseElseIf":
			return conditionKind(p)
		case "responseElse":
			cond := p.parent.first("responseIf")
			if cond == nil {
				return fbUnknown
			}
			switch conditionKind(cond) {
			case fbCorrect:
				return fbIncorrect
			case fbIncorrect:
				return fbCorrect
			}
			return fbUnknown
		case "responseProcessing":
			return fbGeneral
		}
	}
	return fbUnknown
}

// conditionKind reads the condition of a responseIf: a comparison with the
// correct response (or SCORE reaching MAXSCORE) is "correct"; an empty
// response is "incorrect"; a score above zero but below the best,
// "partially correct".
func conditionKind(branch *node) string {
	es := branch.elems()
	if len(es) == 0 {
		return fbUnknown
	}
	cond := es[0]
	for (cond.name == "and" || cond.name == "or") && len(cond.elems()) == 1 {
		cond = cond.elems()[0]
	}
	negated := cond.name == "not"
	if negated {
		if inner := cond.elems(); len(inner) > 0 {
			cond = inner[0]
		}
	}
	kind := fbUnknown
	switch {
	case cond.name == "isNull":
		kind = fbIncorrect
	case len(cond.find("correct")) > 0 || cond.name == "correct":
		kind = fbCorrect
	case mentions(cond, "MAXSCORE") && mentions(cond, "SCORE"):
		kind = fbCorrect
	case cond.name == "gt" && mentions(cond, "SCORE"):
		kind = fbPartial
	case cond.name == "match" && cond.first("baseValue") != nil && cond.first("variable") != nil:
		// An outcome that earlier rules set to "correct", "incorrect",
		// "empty" ... (as ONYX writes items).
		kind = kindFromName(cond.first("baseValue").text())
		if strings.EqualFold(cond.first("baseValue").text(), "empty") {
			kind = fbIncorrect
		}
	}
	if negated {
		return map[string]string{fbCorrect: fbIncorrect, fbIncorrect: fbCorrect}[kind]
	}
	return kind
}

// mentions reports whether a condition reads the variable id.
func mentions(n *node, id string) bool {
	for _, v := range n.find("variable") {
		if v.attr("identifier") == id {
			return true
		}
	}
	return false
}

// kindFromName guesses when feedback shows from its identifier, as items
// name them: "correct", "incorrect", "FEEDBACK_WRONG", "richtig", ...
func kindFromName(id string) string {
	s := strings.ToLower(id)
	switch {
	case containsAny(s, "incorrect", "wrong", "false", "falsch", "faux", "fout", "nottrue"):
		return fbIncorrect
	case containsAny(s, "partial", "teilweise"):
		return fbPartial
	case containsAny(s, "correct", "right", "true", "richtig", "juste", "goed"):
		return fbCorrect
	case containsAny(s, "general", "allgemein", "solution", "always"):
		return fbGeneral
	}
	return fbUnknown
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

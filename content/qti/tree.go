package qti

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode"

	"examhall/content"
)

// node is an element of a parsed QTI document. Names are normalised to
// QTI 2.1's: QTI 3.0's "qti-choice-interaction" and "response-identifier"
// become "choiceInteraction" and "responseIdentifier", so one reader
// serves both versions.
type node struct {
	name     string
	attrs    []xml.Attr // names normalised, values as written
	children []any      // *node or string (text)
	line     int
	parent   *node
}

// Limits of a document.
const (
	maxDepth = 200
	maxNodes = 200000
)

// parseTree reads an XML document into a tree. Malformed XML is an error
// with its line.
func parseTree(name string, data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "us-ascii") {
			return input, nil
		}
		return nil, fmt.Errorf("the encoding %q is not supported; use UTF-8", charset)
	}
	var root, cur *node
	count := 0
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &content.Error{Source: name, Line: se.Line, Msg: "malformed XML: " + se.Msg}
			}
			return nil, &content.Error{Source: name, Line: line, Msg: "malformed XML: " + err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if count++; count > maxNodes {
				return nil, &content.Error{Source: name, Line: line, Msg: fmt.Sprintf("more than %d elements", maxNodes)}
			}
			n := &node{name: normName(t.Name.Local), line: line, parent: cur}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				a.Name = xml.Name{Local: normName(a.Name.Local)}
				if t.Name.Space != "" && a.Name.Local == "schemaLocation" {
					continue
				}
				n.attrs = append(n.attrs, a)
			}
			if cur == nil {
				if root != nil {
					return nil, &content.Error{Source: name, Line: line, Msg: "more than one root element"}
				}
				root = n
			} else {
				if depth(cur) > maxDepth {
					return nil, &content.Error{Source: name, Line: line, Msg: "elements nested too deep"}
				}
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.children = append(cur.children, string(t))
			}
		}
	}
	if root == nil {
		return nil, &content.Error{Source: name, Msg: "no XML element found"}
	}
	return root, nil
}

func depth(n *node) int {
	d := 0
	for ; n != nil; n = n.parent {
		d++
	}
	return d
}

// normName turns QTI 3.0's kebab-case names into QTI 2.1's camelCase:
// "qti-simple-choice" → "simpleChoice". HTML names have no dash and stay.
func normName(s string) string {
	s = strings.TrimPrefix(s, "qti-")
	if !strings.Contains(s, "-") || strings.HasPrefix(s, "data-") || strings.HasPrefix(s, "aria-") {
		return s
	}
	var b strings.Builder
	up := false
	for _, r := range s {
		switch {
		case r == '-':
			up = true
		case up:
			b.WriteRune(unicode.ToUpper(r))
			up = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// elems returns the child elements of n, all of them or those named.
func (n *node) elems(names ...string) []*node {
	var out []*node
	for _, c := range n.children {
		if e, ok := c.(*node); ok && (len(names) == 0 || oneOf(e.name, names)) {
			out = append(out, e)
		}
	}
	return out
}

func (n *node) first(name string) *node {
	if es := n.elems(name); len(es) > 0 {
		return es[0]
	}
	return nil
}

// find returns every descendant element with the name, in document order.
func (n *node) find(name string) []*node {
	var out []*node
	n.walk(func(e *node) bool {
		if e.name == name {
			out = append(out, e)
		}
		return true
	})
	return out
}

// walk calls fn on n's descendants, depth first; fn returns false to skip
// an element's children.
func (n *node) walk(fn func(*node) bool) {
	for _, c := range n.children {
		if e, ok := c.(*node); ok && fn(e) {
			e.walk(fn)
		}
	}
}

func oneOf(s string, names []string) bool {
	for _, n := range names {
		if s == n {
			return true
		}
	}
	return false
}

// text returns the text of n, without markup, spaces folded.
func (n *node) text() string {
	var b strings.Builder
	var rec func(*node)
	rec = func(e *node) {
		for _, c := range e.children {
			switch v := c.(type) {
			case string:
				b.WriteString(v)
			case *node:
				rec(v)
			}
		}
	}
	rec(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// hasElements reports whether n has child elements.
func (n *node) hasElements() bool { return len(n.elems()) > 0 }

// innerHTML renders n's children as HTML; skip, if not nil, leaves out the
// elements for which it returns true, and replace may render an element
// in its own way (returning false to render it as usual).
func (n *node) innerHTML(skip func(*node) bool, replace func(*node, *strings.Builder) bool) string {
	var b strings.Builder
	for _, c := range n.children {
		renderHTML(&b, c, skip, replace)
	}
	return strings.TrimSpace(b.String())
}

var voidElements = map[string]bool{"br": true, "img": true, "hr": true, "col": true, "wbr": true}

func renderHTML(b *strings.Builder, c any, skip func(*node) bool, replace func(*node, *strings.Builder) bool) {
	switch v := c.(type) {
	case string:
		b.WriteString(html.EscapeString(v))
	case *node:
		if skip != nil && skip(v) {
			return
		}
		if replace != nil && replace(v, b) {
			return
		}
		b.WriteString("<" + v.name)
		for _, a := range v.attrs {
			fmt.Fprintf(b, ` %s="%s"`, a.Name.Local, html.EscapeString(a.Value))
		}
		if voidElements[v.name] {
			b.WriteString(">")
			return
		}
		b.WriteString(">")
		for _, cc := range v.children {
			renderHTML(b, cc, skip, replace)
		}
		b.WriteString("</" + v.name + ">")
	}
}

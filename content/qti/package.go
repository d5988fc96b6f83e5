package qti

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"examhall"
	"examhall/content"
)

// Parse reads one QTI file without its package: an assessment item. Its
// images cannot be found, and are reported. An assessment test needs its
// items, so it must come in its content package.
func Parse(name string, data []byte) (*content.Bank, error) {
	root, err := parseTree(name, data)
	if err != nil {
		return nil, err
	}
	switch root.name {
	case "assessmentItem":
		it := &content.Item{Source: name}
		readItem(it, root, name, nil)
		return &content.Bank{Title: root.attr("title"), Items: []*content.Item{it}}, nil
	case "assessmentTest":
		return nil, &content.Error{Source: name, Line: root.line, Msg: "an assessment test refers to its items by file: import the whole content package (a zip with imsmanifest.xml)"}
	}
	return nil, &content.Error{Source: name, Line: root.line, Msg: fmt.Sprintf("<%s> is neither an assessment item nor a test", root.name)}
}

// ParsePackage reads a content package: its manifest, then its assessment
// test (the items it refers to, in its order) or, without one, every item
// the manifest lists. Images the items show become assets.
func ParsePackage(files map[string][]byte) (*content.Bank, error) {
	manifest := ""
	for name := range files {
		if path.Base(name) == "imsmanifest.xml" && (manifest == "" || len(name) < len(manifest)) {
			manifest = name
		}
	}
	if manifest == "" {
		return nil, &content.Error{Msg: "the package has no imsmanifest.xml"}
	}
	base := path.Dir(manifest)
	root, err := parseTree(manifest, files[manifest])
	if err != nil {
		return nil, err
	}
	if root.name != "manifest" {
		return nil, &content.Error{Source: manifest, Line: root.line, Msg: fmt.Sprintf("the root element is <%s>, not <manifest>", root.name)}
	}
	p := &pkg{files: files, assets: map[string]examhall.Asset{}, bank: &content.Bank{}, seen: map[string]bool{}, itemOf: map[string]*content.Item{}}
	var tests, items []string
	for _, res := range root.find("resource") {
		href := res.attr("href")
		if href == "" {
			continue
		}
		file := path.Join(base, href)
		switch t := res.attr("type"); {
		case strings.HasPrefix(t, "imsqti_test_xml"):
			tests = append(tests, file)
		case strings.HasPrefix(t, "imsqti_item_xml"):
			items = append(items, file)
		}
	}
	if t := lomTitle(root); t != "" {
		p.bank.Title = t
	}
	switch {
	case len(tests) > 1:
		return nil, &content.Error{Source: manifest, Msg: fmt.Sprintf("the package has %d assessment tests; examhall imports one exam at a time", len(tests))}
	case len(tests) == 1:
		if err := p.readTest(tests[0], items); err != nil {
			return nil, err
		}
	case len(items) == 0:
		return nil, &content.Error{Source: manifest, Msg: "the manifest lists no assessment test and no item"}
	default:
		for _, f := range items {
			p.readItemFile(f)
		}
	}
	p.finish()
	return p.bank, nil
}

// finish adds the assets the items used to the bank, by name.
func (p *pkg) finish() {
	names := make([]string, 0, len(p.assets))
	for n := range p.assets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p.bank.Assets = append(p.bank.Assets, p.assets[n])
	}
}

// ParseFiles reads QTI files that came without a manifest (a folder, a
// zip): names are the QTI documents among files, which holds the images
// too. Its assessment tests are read with the items they refer to, in
// their order; without a test, every item is read, in name order. An
// item no test uses is reported as skipped.
func ParseFiles(files map[string][]byte, names []string) (*content.Bank, error) {
	p := &pkg{files: files, assets: map[string]examhall.Asset{}, bank: &content.Bank{}, seen: map[string]bool{}, itemOf: map[string]*content.Item{}}
	var tests, items []string
	for _, n := range names {
		root, err := parseTree(n, files[n])
		if err != nil {
			return nil, err
		}
		switch root.name {
		case "assessmentTest":
			tests = append(tests, n)
		case "assessmentItem":
			items = append(items, n)
		default:
			return nil, &content.Error{Source: n, Line: root.line, Msg: fmt.Sprintf("<%s> is neither an assessment item nor a test", root.name)}
		}
	}
	sort.Strings(tests)
	sort.Strings(items)
	if len(tests) == 0 {
		for _, f := range items {
			p.readItemFile(f)
		}
		if len(items) == 1 && p.bank.Title == "" {
			root, _ := parseTree(items[0], files[items[0]])
			p.bank.Title = root.attr("title")
		}
	}
	for i, t := range tests {
		listed := items
		if i < len(tests)-1 {
			listed = nil // report unused items once, after the last test
		}
		if err := p.readTest(t, listed); err != nil {
			return nil, err
		}
	}
	p.finish()
	return p.bank, nil
}

type pkg struct {
	files  map[string][]byte
	assets map[string]examhall.Asset
	bank   *content.Bank
	seen   map[string]bool // item files a test has used
	itemOf map[string]*content.Item
}

// lomTitle is the package's title in its metadata.
func lomTitle(root *node) string {
	md := root.first("metadata")
	if md == nil {
		return ""
	}
	for _, g := range md.find("general") {
		if t := g.first("title"); t != nil {
			if s := t.text(); s != "" {
				return s
			}
		}
	}
	return ""
}

func (p *pkg) readTest(file string, listed []string) error {
	data, ok := p.files[file]
	if !ok {
		return &content.Error{Source: file, Msg: "the manifest lists this test, but the package does not have it"}
	}
	root, err := parseTree(file, data)
	if err != nil {
		return err
	}
	if root.name != "assessmentTest" {
		return &content.Error{Source: file, Line: root.line, Msg: fmt.Sprintf("the root element is <%s>, not <assessmentTest>", root.name)}
	}
	if t := root.attr("title"); t != "" {
		p.bank.Title = t
	}
	if root.attr("toolName") == toolName {
		p.bank.ID = root.attr("identifier")
	}
	for _, rb := range root.find("rubricBlock") {
		if d := marked(rb); d != nil {
			p.bank.Instructions = rawText(d)
		} else {
			p.bank.Instructions = rb.text()
		}
	}
	for _, tl := range append(root.elems("timeLimits"), root.find("timeLimits")...) {
		if s, err := strconv.ParseFloat(tl.attr("maxTime"), 64); err == nil && s >= 1 && s < 1e7 {
			p.bank.DurationSeconds = int(s)
			break
		}
	}
	seen := p.seen
	for _, sec := range root.find("assessmentSection") {
		if o := sec.first("ordering"); o != nil && o.attr("shuffle") == "true" {
			p.bank.ShuffleQuestions = true
		}
		refs := sec.elems("assessmentItemRef")
		var pool *content.Pool
		if sel := sec.first("selection"); sel != nil && len(refs) > 0 {
			n, err := strconv.Atoi(strings.TrimSpace(sel.attr("select")))
			switch {
			case err != nil || n < 1:
				p.bank.Note(content.SelectionChanged, "%s:%d: section %q has a selection of %q items, not a number; every item is on every paper",
					file, sel.line, sec.attr("identifier"), sel.attr("select"))
			case sel.attr("withReplacement") == "true":
				p.bank.Note(content.SelectionChanged, "%s:%d: section %q draws with replacement; it draws without", file, sel.line, sec.attr("identifier"))
				fallthrough
			default:
				pool = &content.Pool{ID: strings.TrimPrefix(sec.attr("identifier"), "pool-"), Draw: n}
			}
		}
		for _, ref := range refs {
			f := path.Join(path.Dir(file), ref.attr("href"))
			if seen[f] {
				continue
			}
			seen[f] = true
			it := p.readItemFile(f)
			p.itemOf[f] = it
			if pool != nil {
				pool.Items = append(pool.Items, it)
			}
		}
		if pool != nil {
			p.bank.Pools = append(p.bank.Pools, *pool)
		}
	}
	p.readSections(root, file)
	for _, f := range listed {
		if !seen[f] {
			p.bank.Items = append(p.bank.Items, &content.Item{Source: f, Skipped: "the manifest lists the item, but the assessment test does not use it", SkipCode: content.UnusedItem})
		}
	}
	return nil
}

// readItemFile reads one item of the package; a broken item file is a
// skipped item, not the end of the import.
func (p *pkg) readItemFile(file string) *content.Item {
	it := &content.Item{Source: file}
	p.bank.Items = append(p.bank.Items, it)
	data, ok := p.files[file]
	if !ok {
		it.Skip(content.MissingFile, "the package does not have this file")
		return it
	}
	root, err := parseTree(file, data)
	if err != nil {
		it.Skip(content.Malformed, "%v", err)
		return it
	}
	readItem(it, root, file, p.resolve)
	for _, in := range root.walkAll() {
		if strings.HasSuffix(in.name, "Interaction") && in.name != "orderInteraction" && in.attr("shuffle") == "true" {
			p.bank.ShuffleOptions = true
		}
	}
	return it
}

// resolve finds an image in the package and keeps it as an asset. Files
// under assets/ keep their name (as examhall's export writes them);
// others are named after their path.
func (p *pkg) resolve(itemFile, src string) (string, []byte) {
	src = strings.SplitN(src, "#", 2)[0]
	src = strings.SplitN(src, "?", 2)[0]
	f := path.Join(path.Dir(itemFile), src)
	data, ok := p.files[f]
	if !ok || !imageType(f) {
		return "", nil
	}
	name := assetNameFor(f)
	p.assets[name] = examhall.Asset{Name: name, Type: mediaType(f), Data: data}
	return name, data
}

func assetNameFor(f string) string {
	if rest, ok := strings.CutPrefix(f, "assets/"); ok && examhall.ValidAssetName(rest) {
		return rest
	}
	return examhall.AssetName(f)
}

var imageTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".svg": "image/svg+xml", ".webp": "image/webp",
}

func imageType(f string) bool { _, ok := imageTypes[strings.ToLower(path.Ext(f))]; return ok }

func mediaType(f string) string { return imageTypes[strings.ToLower(path.Ext(f))] }

package importer

import (
	"examhall"
	"examhall/content"
	"examhall/content/qti"
)

// qtiLoose reads the QTI files (named in names) of an input without a
// manifest: its tests with their items, or its items, with the images
// among all the input's files.
func qtiLoose(files []File, names []string) (*content.Bank, error) {
	m := make(map[string][]byte, len(files))
	for _, f := range files {
		m[f.Name] = f.Data
	}
	return qti.ParseFiles(m, names)
}

// importPackage reads a QTI content package.
func importPackage(files []File, opt Options) (*Result, error) {
	m := make(map[string][]byte, len(files))
	for _, f := range files {
		m[f.Name] = f.Data
	}
	bank, err := qti.ParsePackage(m)
	if err != nil {
		return nil, examhall.Errorf(examhall.EBadRequest, "%s", err.Error())
	}
	if opt.Progress != nil {
		opt.Progress(len(files), len(files))
	}
	return build(bank, &Report{Format: QTI, Items: []ItemReport{}}, opt)
}

package importer

import (
	"examhall"
	"examhall/content"
	"examhall/content/qti"
)

// qtiFile reads a QTI item file that came without its package.
func qtiFile(name string, data []byte) (*content.Bank, error) {
	return qti.Parse(name, data)
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

package main

import (
	"fmt"
	"os"

	"github.com/schollz/progressbar/v3"
)

// importProgress shows how far an import got: a bar on a terminal, a plain line
// every tenth of the way otherwise (logs and pipes get no control codes).
type importProgress struct {
	m     *Main
	bar   *progressbar.ProgressBar
	total int
	last  int
}

func (m *Main) importProgress(total int) *importProgress {
	p := &importProgress{m: m, total: total}
	if total < 2 {
		return p
	}
	if f, ok := m.Stderr.(*os.File); ok && isTerminal(f) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("importing"), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish())
	}
	return p
}

func (p *importProgress) update(done, total int) {
	switch {
	case p.bar != nil:
		p.bar.Set(done)
	case p.total >= 2 && (done*10/total > p.last*10/total || done == total):
		fmt.Fprintf(p.m.Stderr, "importing: %d of %d files\n", done, total)
	}
	p.last = done
}

func (p *importProgress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"examhall/loadtest"
)

// progressView shows a load test's progress: a bar redrawn in place on a
// terminal, a plain line every ten seconds otherwise (logs, CI).
type progressView struct {
	w        io.Writer
	terminal bool
	total    time.Duration

	mu       sync.Mutex
	start    time.Time
	last     time.Time
	lastReqs int
	rate     float64
	lastLine time.Time
	drawn    bool
}

func newProgressView(w io.Writer, total time.Duration) *progressView {
	return &progressView{w: w, terminal: isTerminal(w), total: total}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (v *progressView) update(p loadtest.Progress) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := time.Now()
	if v.start.IsZero() {
		v.start, v.last = now, now
	}
	reqs := p.Total()
	// With several processes updates come in several times a second: the
	// rate is over a window of at least a second.
	if dt := now.Sub(v.last).Seconds(); dt >= 1 {
		v.rate = float64(reqs-v.lastReqs) / dt
		v.last, v.lastReqs = now, reqs
	}
	rate := v.rate
	elapsed := now.Sub(v.start)
	stats := fmt.Sprintf("%s  active %d  done %d/%d  requests %d (%.0f/s)  saves %d  errors %d",
		elapsed.Round(time.Second), p.Active, p.Done, p.Candidates, reqs, rate, p.Requests["save"], p.Errors)
	if !v.terminal {
		if now.Sub(v.lastLine) >= 10*time.Second {
			v.lastLine = now
			fmt.Fprintln(v.w, "loadtest:", stats)
		}
		return
	}
	frac := 1.0
	if v.total > 0 {
		frac = min(1, elapsed.Seconds()/v.total.Seconds())
	}
	const width = 30
	n := int(frac * width)
	fmt.Fprintf(v.w, "\r\033[K[%s%s] %3.0f%%  %s", strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100, stats)
	v.drawn = true
}

func (v *progressView) finish() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.drawn {
		fmt.Fprintln(v.w)
	}
}

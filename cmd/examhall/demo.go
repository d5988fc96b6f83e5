package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"strings"
	"time"

	"examhall"
	"examhall/hall"
)

// The demo exam, with every question type, in English and in Bangla.
var (
	//go:embed demo.json
	demoExam []byte
	//go:embed demo-bn.json
	demoExamBangla []byte
)

//go:embed demo-sections.json
var demoSectionsExam []byte

const demoExamID = "demo"

// loadDemo loads the demo exams (every question type, in English and in
// Bangla; an entrance test with sections), opens them now for two hours,
// issues five candidate codes for each and prints how to log in.
func (m *Main) loadDemo(ctx context.Context, h *hall.Hall, c *serveConfig, addr string) error {
	ctx = operator(ctx, "demo")
	now := h.Now()
	opens, closes := now.Add(-time.Minute), now.Add(2*time.Hour)
	demoAssets := []examhall.Asset{{Name: "map.png", Type: "image/png", Data: demoMap()}}
	e, err := openDemo(ctx, h, demoExam, demoAssets, opens, closes)
	if err != nil {
		return err
	}
	if _, err := openDemo(ctx, h, demoExamBangla, demoAssets, opens, closes); err != nil {
		return err
	}
	es, err := openDemo(ctx, h, demoSectionsExam, nil, opens, closes)
	if err != nil {
		return err
	}
	user, password := c.AdminUser, c.AdminPassword
	if user == "" {
		user, password = "admin", examhall.NewAccessCode()
		if err := h.PutStaff(ctx, user, password, examhall.RoleAdmin); err != nil {
			return err
		}
	}
	issue := func(exam, prefix string) (*examhall.IssuedCodes, error) {
		specs := make([]examhall.CandidateSpec, 5)
		for i := range specs {
			specs[i] = examhall.CandidateSpec{ID: fmt.Sprintf("%s-%d", prefix, i+1)}
		}
		return h.IssueCodes(ctx, exam, &examhall.IssueRequest{Candidates: specs})
	}
	codes, err := issue(demoExamID, "demo")
	if err != nil {
		return err
	}
	bangla, err := issue(demoExamID+"-bn", "bn")
	if err != nil {
		return err
	}
	cbt, err := issue(es.ID, "cbt")
	if err != nil {
		return err
	}
	url := "http://" + displayAddr(addr)
	var b strings.Builder
	fmt.Fprintf(&b, "\nexamhall demo: %s\n", url)
	fmt.Fprintf(&b, "  exam      %q (id %s), open until %s\n", e.Title, demoExamID, closes.Format("15:04 MST"))
	fmt.Fprintf(&b, "  staff     %s / %s   (%s/staff)\n", user, password, url)
	fmt.Fprintf(&b, "  candidates (exam %q, then candidate id and code at %s):\n", demoExamID, url)
	for _, c := range codes.Candidates {
		fmt.Fprintf(&b, "            %-8s %s\n", c.Candidate, c.Code)
	}
	fmt.Fprintf(&b, "  the same exam in Bangla (exam %q):\n", demoExamID+"-bn")
	for _, c := range bangla.Candidates {
		fmt.Fprintf(&b, "            %-8s %s\n", c.Candidate, c.Code)
	}
	fmt.Fprintf(&b, "  exam      %q (id %s): sections, one timed, negative marking, answer any 2 of 3\n", es.Title, es.ID)
	for _, c := range cbt.Candidates {
		fmt.Fprintf(&b, "            %-8s %s\n", c.Candidate, c.Code)
	}
	fmt.Fprintln(&b)
	fmt.Fprint(m.Stdout, b.String())
	return nil
}

// openDemo stores a demo exam document with its assets, or opens the
// stored one, from opens to closes.
func openDemo(ctx context.Context, h *hall.Hall, doc []byte, assets []examhall.Asset, opens, closes time.Time) (*examhall.Exam, error) {
	e, err := examhall.ParseExam(doc)
	if err != nil {
		return nil, err
	}
	e.OpensAt, e.ClosesAt = &opens, &closes
	if _, err := h.Exam(ctx, e.ID); examhall.ErrorCode(err) == examhall.ENotFound {
		if _, err := h.ImportExam(ctx, e, assets); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	} else if err := h.SetWindow(ctx, e.ID, &examhall.Window{OpensAt: &opens, ClosesAt: &closes}); err != nil {
		return nil, err
	}
	return e, nil
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// demoMap draws the demo's map (400×300): a lake (blue ellipse), a town
// (red square) and a forest (green disc) on pale ground.
func demoMap() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	in := func(x, y int, cx, cy, rx, ry float64) bool {
		dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
		return dx*dx+dy*dy <= 1
	}
	for y := range 300 {
		for x := range 400 {
			c := color.RGBA{0xf2, 0xec, 0xd8, 0xff}
			switch {
			case in(x, y, 110, 110, 60, 35):
				c = color.RGBA{0x2a, 0x6f, 0xc9, 0xff}
			case x >= 260 && x <= 330 && y >= 40 && y <= 100:
				c = color.RGBA{0xc0, 0x39, 0x2b, 0xff}
			case in(x, y, 300, 220, 45, 45):
				c = color.RGBA{0x2e, 0x8b, 0x57, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

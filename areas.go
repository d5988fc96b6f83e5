package examhall

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
)

// Image is the picture of a hotspot or select_point question: an asset of
// the exam ("assets/NAME") or an https URL, with its size in pixels (the
// space of the areas' and points' coordinates) and a text alternative.
type Image struct {
	Src    string  `json:"src"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Alt    string  `json:"alt,omitempty"`
}

// Area is a region of an image: a circle (coords cx, cy, r), a rect
// (left, top, right, bottom), an ellipse (cx, cy, rx, ry) or a poly (x1,
// y1, x2, y2, ... at least three points).
type Area struct {
	Shape  string    `json:"shape"`
	Coords []float64 `json:"coords"`
}

// Point is a point on an image, in its pixels.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

var imageSrc = regexp.MustCompile(`^(assets/[A-Za-z0-9][A-Za-z0-9._-]*|https://\S+)$`)

// validateImage checks the image of hotspot and select_point questions.
func (q *Question) validateImage(path string) error {
	if q.Type != Hotspot && q.Type != SelectPoint {
		if q.Image != nil {
			return Errorf(EBadRequest, "%s.image: only hotspot and select_point questions have an image.", path)
		}
		return nil
	}
	im := q.Image
	if im == nil || !imageSrc.MatchString(im.Src) {
		return Errorf(EBadRequest, `%s.image: a %s question needs an image {"src": "assets/NAME", "width": w, "height": h}.`, path, q.Type)
	}
	if !(im.Width > 0 && im.Height > 0 && im.Width < 1e5 && im.Height < 1e5) {
		return Errorf(EBadRequest, "%s.image: width and height must be positive numbers of pixels.", path)
	}
	return nil
}

// validate checks an area's shape and coordinates.
func (a Area) validate(path string) error {
	n := len(a.Coords)
	ok := false
	switch a.Shape {
	case "circle":
		ok = n == 3 && a.Coords[2] > 0
	case "rect":
		ok = n == 4 && a.Coords[2] > a.Coords[0] && a.Coords[3] > a.Coords[1]
	case "ellipse":
		ok = n == 4 && a.Coords[2] > 0 && a.Coords[3] > 0
	case "poly":
		ok = n >= 6 && n%2 == 0 && n <= 2000
	default:
		return Errorf(EBadRequest, "%s.shape: %q is not a shape; use circle, rect, ellipse or poly.", path, a.Shape)
	}
	for _, c := range a.Coords {
		ok = ok && !math.IsNaN(c) && !math.IsInf(c, 0)
	}
	if !ok {
		return Errorf(EBadRequest, "%s.coords: not the coordinates of a %s (see the documentation of areas).", path, a.Shape)
	}
	return nil
}

// Contains reports whether the area holds point p (its edge included).
func (a Area) Contains(p Point) bool {
	c := a.Coords
	switch a.Shape {
	case "circle":
		return math.Hypot(p.X-c[0], p.Y-c[1]) <= c[2]
	case "rect":
		return p.X >= c[0] && p.X <= c[2] && p.Y >= c[1] && p.Y <= c[3]
	case "ellipse":
		dx, dy := (p.X-c[0])/c[2], (p.Y-c[1])/c[3]
		return dx*dx+dy*dy <= 1
	case "poly":
		in := false
		n := len(c) / 2
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			xi, yi, xj, yj := c[2*i], c[2*i+1], c[2*j], c[2*j+1]
			if (yi > p.Y) != (yj > p.Y) && p.X < (xj-xi)*(p.Y-yi)/(yj-yi)+xi {
				in = !in
			}
		}
		return in
	}
	return false
}

// validateHotspots checks the areas of a hotspot question's options.
func (q *Question) validateHotspots(path string) error {
	for i, o := range q.Options {
		p := fmt.Sprintf("%s.options[%d]", path, i)
		if q.Type != Hotspot {
			if o.Shape != "" || len(o.Coords) > 0 {
				return Errorf(EBadRequest, "%s: only the options of hotspot questions have a shape.", p)
			}
			continue
		}
		if err := (Area{Shape: o.Shape, Coords: o.Coords}).validate(p); err != nil {
			return err
		}
	}
	return nil
}

// decodeAreas reads the key of a select_point question: the areas that
// count, [{"shape": "circle", "coords": [x, y, r]}, ...].
func (q *Question) decodeAreas(path string) error {
	var areas []Area
	if json.Unmarshal(q.Answer, &areas) != nil || len(areas) == 0 || len(areas) > MaxOptions {
		return Errorf(EBadRequest, `%s: must list the areas that count, such as [{"shape": "circle", "coords": [120, 80, 10]}].`, path)
	}
	for i, a := range areas {
		if err := a.validate(fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	q.key.areas = areas
	return nil
}

// checkPoints checks a select_point response: points within the image,
// at most MaxChoices of them.
func checkPoints(q *Question, r json.RawMessage) (json.RawMessage, error) {
	var ps []Point
	if err := json.Unmarshal(r, &ps); err != nil {
		return nil, shapeErr(q, `a list of points, such as [{"x": 120, "y": 80}]`)
	}
	if q.MaxChoices > 0 && len(ps) > q.MaxChoices {
		return nil, Errorf(EBadRequest, "Answer to %s: at most %d points.", q.ID, q.MaxChoices)
	}
	for _, p := range ps {
		if !(p.X >= 0 && p.Y >= 0 && p.X <= q.Image.Width && p.Y <= q.Image.Height) {
			return nil, Errorf(EBadRequest, "Answer to %s: the point (%g, %g) is outside the image (%g × %g).", q.ID, p.X, p.Y, q.Image.Width, q.Image.Height)
		}
	}
	if ps == nil {
		ps = []Point{}
	}
	return json.Marshal(ps)
}

// creditPoints is the share of the keyed areas that hold a point, less
// the points in none of them (never below 0); all or nothing without
// partial credit.
func creditPoints(q *Question, r json.RawMessage) float64 {
	var ps []Point
	if json.Unmarshal(r, &ps) != nil {
		return 0
	}
	hit := make([]bool, len(q.key.areas))
	stray := 0
	for _, p := range ps {
		in := false
		for i, a := range q.key.areas {
			if a.Contains(p) {
				hit[i], in = true, true
			}
		}
		if !in {
			stray++
		}
	}
	n := 0
	for _, h := range hit {
		if h {
			n++
		}
	}
	if !q.PartialCredit {
		return b2f(n == len(hit) && stray == 0)
	}
	return math.Max(0, float64(n-stray)/float64(len(hit)))
}

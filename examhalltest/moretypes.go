package examhalltest

import "encoding/json"

// MoreTypesExam returns an exam document, open now, with one question of
// each type beyond the core: cloze, gap_match, hot_text, hotspot,
// select_point, upload and multipart. Its images are assets/map.png (400
// × 300).
func MoreTypesExam(id string, durationSeconds int) map[string]any {
	var doc map[string]any
	if err := json.Unmarshal([]byte(moreTypesDoc), &doc); err != nil {
		panic(err)
	}
	doc["id"], doc["title"], doc["duration_seconds"] = id, "More types "+id, durationSeconds
	return doc
}

// MoreTypesAnswers are responses to every question of MoreTypesExam that
// are right (the upload is left out: it needs a reference from an upload),
// and the points each earns.
var MoreTypesAnswers = map[string]struct {
	Response string
	Points   float64
}{
	"cz": {`{"city": "paris", "sum": 4, "colour": "b"}`, 4},
	"gm": {`{"g1": "cherry", "g2": "banana"}`, 2},
	"ht": {`["h2", "h3"]`, 1},
	"hs": {`["a"]`, 1},
	"sp": {`[{"x": 101, "y": 99}, {"x": 300, "y": 205}]`, 2},
	"mp": {`{"a": "x", "b": 100}`, 3},
}

const moreTypesDoc = `{"title": "t", "duration_seconds": 600, "shuffle_options": true,
 "questions": [
  {"id": "cz", "type": "cloze", "points": 4, "partial_credit": true,
   "prompt": "The capital of France is [[city]]; 2+2 is [[sum]]; the sky is [[colour]].",
   "gaps": [{"id": "city", "type": "text", "answer": ["Paris"], "weight": 2},
            {"id": "sum", "type": "numeric", "answer": 4, "tolerance": 0.1},
            {"id": "colour", "type": "choice", "options": [{"id": "b", "text": "blue"}, {"id": "r", "text": "red"}], "answer": "b"}]},
  {"id": "gm", "type": "gap_match", "points": 2, "partial_credit": true,
   "prompt": "[[g1]] is red, [[g2]] is yellow.",
   "options": [{"id": "cherry", "text": "A cherry"}, {"id": "banana", "text": "A banana"}, {"id": "sky", "text": "The sky"}],
   "gaps": [{"id": "g1"}, {"id": "g2"}], "answer": {"g1": "cherry", "g2": "banana"}},
  {"id": "ht", "type": "hot_text", "max_choices": 2, "partial_credit": true,
   "prompt": "Pick the verbs: The [[h1]] cat [[h2]] and [[h3]].",
   "options": [{"id": "h1", "text": "fat"}, {"id": "h2", "text": "sat"}, {"id": "h3", "text": "purred"}], "answer": ["h2", "h3"]},
  {"id": "hs", "type": "hotspot", "prompt": "Click the capital.", "max_choices": 1,
   "image": {"src": "assets/map.png", "width": 400, "height": 300, "alt": "a map"},
   "options": [{"id": "a", "text": "north", "shape": "circle", "coords": [100, 50, 20]},
               {"id": "b", "text": "south", "shape": "rect", "coords": [10, 200, 60, 260]},
               {"id": "c", "text": "west", "shape": "poly", "coords": [300, 100, 350, 100, 325, 150]}], "answer": ["a"]},
  {"id": "sp", "type": "select_point", "prompt": "Mark the two lakes.", "points": 2, "partial_credit": true, "max_choices": 3,
   "image": {"src": "assets/map.png", "width": 400, "height": 300, "alt": "a map"},
   "answer": [{"shape": "circle", "coords": [100, 100, 10]}, {"shape": "ellipse", "coords": [300, 200, 20, 10]}]},
  {"id": "up", "type": "upload", "prompt": "Attach your essay.", "points": 10,
   "upload": {"max_bytes": 2048, "accept": ["application/pdf", ".txt"]}},
  {"id": "mp", "type": "multipart", "prompt": "About water.",
   "parts": [{"id": "a", "type": "single", "prompt": "Formula?", "points": 1,
              "options": [{"id": "x", "text": "H2O"}, {"id": "y", "text": "CO2"}], "answer": "x"},
             {"id": "b", "type": "numeric", "prompt": "Boils at (°C)?", "points": 2, "answer": 100},
             {"id": "c", "type": "upload", "prompt": "A photo of ice.", "upload": {"accept": ["image/*"]}}]}]}`

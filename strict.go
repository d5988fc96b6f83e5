package examhall

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// decodeStrict decodes the JSON object data into v (a pointer to a struct),
// refusing unknown fields and values of the wrong kind with an EBadRequest
// that names the offending field by its path, such as questions[2].answr.
// It returns the decoded generic form too, so that callers can tell an
// absent field from a zero one.
func decodeStrict(data []byte, v any) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, Errorf(EBadRequest, "The document is not valid JSON: %s.", jsonErrorText(data, err))
	}
	if dec.More() {
		return nil, Errorf(EBadRequest, "The document has data after its end.")
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, Errorf(EBadRequest, "The document must be a JSON object.")
	}
	if err := checkShape(obj, reflect.TypeOf(v).Elem(), ""); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return nil, Errorf(EBadRequest, "The document could not be read: %s.", jsonErrorText(data, err))
	}
	return obj, nil
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage(nil))
)

// checkShape walks the decoded value v against the Go type t, following
// json struct tags.
func checkShape(v any, t reflect.Type, path string) error {
	if t == rawType {
		return nil
	}
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return nil
		}
		t = t.Elem()
	}
	if v == nil {
		return nil // null leaves the zero value, as encoding/json does
	}
	switch {
	case t == timeType:
		s, ok := v.(string)
		if !ok {
			return shapeError(path, "a time in RFC 3339 form, such as 2030-06-01T09:00:00Z")
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return Errorf(EBadRequest, "%s: %q is not a time in RFC 3339 form, such as 2030-06-01T09:00:00Z.", path, s)
		}
		return nil
	case t.Kind() == reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return shapeError(path, "an object")
		}
		fields := jsonFields(t)
		for _, name := range sortedKeys(obj) {
			ft, ok := fields[name]
			if !ok {
				return Errorf(EBadRequest, "%s: unknown field.", join(path, name))
			}
			if err := checkShape(obj[name], ft, join(path, name)); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return shapeError(path, "a list")
		}
		for i, e := range arr {
			if err := checkShape(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return shapeError(path, "an object")
		}
		for _, k := range sortedKeys(obj) {
			if err := checkShape(obj[k], t.Elem(), join(path, k)); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.String:
		if _, ok := v.(string); !ok {
			return shapeError(path, "a string")
		}
	case t.Kind() == reflect.Bool:
		if _, ok := v.(bool); !ok {
			return shapeError(path, "true or false")
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return shapeError(path, "a whole number")
		}
		if _, err := n.Int64(); err != nil {
			return shapeError(path, "a whole number")
		}
	case t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32:
		n, ok := v.(json.Number)
		if !ok {
			return shapeError(path, "a number")
		}
		if _, err := n.Float64(); err != nil {
			return shapeError(path, "a number")
		}
	}
	return nil
}

func shapeError(path, want string) error {
	if path == "" {
		path = "the document"
	}
	return Errorf(EBadRequest, "%s: must be %s.", path, want)
}

// jsonFields maps the JSON names of t's fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonErrorText turns a decoding error into a short phrase with a line and
// column where encoding/json gives an offset.
func jsonErrorText(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case asErr(err, &se):
		off = se.Offset
	case asErr(err, &te):
		off = te.Offset
		return fmt.Sprintf("%s must be %s (line %s)", te.Field, te.Type, lineCol(data, off))
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if off >= 0 {
		return fmt.Sprintf("%s (line %s)", msg, lineCol(data, off))
	}
	return msg
}

func lineCol(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%d, column %d", line, col)
}

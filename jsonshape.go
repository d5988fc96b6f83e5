package examhall

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
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
		return nil, Errorf(EBadRequest, "The document is not valid JSON: %s.", DescribeJSONError(data, err))
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
		return nil, Errorf(EBadRequest, "The document could not be read: %s.", DescribeJSONError(data, err))
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
			return wrongShape(path, "a time in RFC 3339 form, such as 2030-06-01T09:00:00Z")
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return Errorf(EBadRequest, "%s: %q is not a time in RFC 3339 form, such as 2030-06-01T09:00:00Z.", path, s)
		}
		return nil
	case t.Kind() == reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return wrongShape(path, "an object")
		}
		fields := jsonFields(t)
		for _, name := range slices.Sorted(maps.Keys(obj)) {
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
			return wrongShape(path, "a list")
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
			return wrongShape(path, "an object")
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if err := checkShape(obj[k], t.Elem(), join(path, k)); err != nil {
				return err
			}
		}
		return nil
	case t.Kind() == reflect.String:
		if _, ok := v.(string); !ok {
			return wrongShape(path, "a string")
		}
	case t.Kind() == reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrongShape(path, "true or false")
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return wrongShape(path, "a whole number")
		}
		if _, err := n.Int64(); err != nil {
			return wrongShape(path, "a whole number")
		}
	case t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32:
		n, ok := v.(json.Number)
		if !ok {
			return wrongShape(path, "a number")
		}
		if _, err := n.Float64(); err != nil {
			return wrongShape(path, "a number")
		}
	}
	return nil
}

func wrongShape(path, want string) error {
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

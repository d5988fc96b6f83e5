package examhall

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// DescribeJSONError turns an error of encoding/json, decoding data, into a
// short phrase for people that says where the mistake is, such as
// `invalid character '}' looking for beginning of value (line 3, column 7)`
// or `field "seq" must be a whole number, not string (line 1, column 42)`.
// Exam documents and request bodies report their mistakes with it alike.
func DescribeJSONError(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.As(err, &se) && se.Error() == "unexpected end of JSON input":
		return "the JSON ends too early"
	case se != nil:
		// Offset counts the bytes read, the offending one included.
		return fmt.Sprintf("%s (%s)", strings.TrimPrefix(se.Error(), "json: "), lineCol(data, se.Offset-1))
	case errors.As(err, &te):
		if te.Field == "" {
			return fmt.Sprintf("must be %s, not %s (%s)", kindName(te.Type), te.Value, lineCol(data, te.Offset))
		}
		return fmt.Sprintf("field %q must be %s, not %s (%s)", te.Field, kindName(te.Type), te.Value, lineCol(data, te.Offset))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// lineCol says where byte offset off of data is, as "line 3, column 7".
func lineCol(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:max(off, 0)] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

// kindName names the JSON kind of a Go type for people.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

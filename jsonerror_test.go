package examhall_test

import (
	"encoding/json"
	"testing"

	"examhall"
)

func TestDescribeJSONError(t *testing.T) {
	var v struct {
		Seq    int64    `json:"seq"`
		Points float64  `json:"points"`
		IDs    []string `json:"ids"`
	}
	tests := []struct{ name, data, want string }{
		{"syntax", "{\n  \"seq\": 1,\n  }", `invalid character '}' looking for beginning of object key string (line 3, column 3)`},
		{"a string for a number", `{"seq": "7"}`, `field "seq" must be a whole number, not string (line 1, column 12)`},
		{"a fraction for a whole number", `{"seq": 1.5}`, `field "seq" must be a whole number, not number 1.5 (line 1, column 12)`},
		{"an object for a list", `{"ids": {}}`, `field "ids" must be a list, not object (line 1, column 10)`},
		{"not an object", `[1]`, `must be an object, not array (line 1, column 2)`},
		{"cut short", `{"seq": `, `the JSON ends too early`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.data), &v)
			if err == nil {
				t.Fatal("no error")
			}
			if got := examhall.DescribeJSONError([]byte(tt.data), err); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

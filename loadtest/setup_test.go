package loadtest_test

import (
	"strings"
	"testing"
	"time"

	"examhall/loadtest"
)

func TestReadCodes(t *testing.T) {
	tests := []struct {
		name, csv string
		want      int
		err       string
	}{
		{"with header", "candidate,code,extra_time_seconds\nc1,AAAA-BBBB-CCCC,0\nc2,DDDD-EEEE-FFFF,0\n", 2, ""},
		{"without header", "c1,AAAA\n", 1, ""},
		{"missing code", "candidate,code\nc1\n", 0, "line 2"},
		{"empty", "", 0, "no codes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes, err := loadtest.ReadCodes(strings.NewReader(tt.csv))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || len(codes) != tt.want {
				t.Fatalf("got %d codes, %v; want %d", len(codes), err, tt.want)
			}
		})
	}
}

func TestConfigCheck(t *testing.T) {
	ok := func() *loadtest.Config {
		return &loadtest.Config{URL: "http://x", Candidates: 10, Duration: time.Minute, SaveEvery: time.Second, AdminUser: "a"}
	}
	tests := []struct {
		name string
		edit func(*loadtest.Config)
		err  string
	}{
		{"valid", func(*loadtest.Config) {}, ""},
		{"no url", func(c *loadtest.Config) { c.URL = "" }, "URL"},
		{"no candidates", func(c *loadtest.Config) { c.Candidates = 0 }, "--candidates"},
		{"no staff", func(c *loadtest.Config) { c.AdminUser = "" }, "staff credentials"},
		{"exam without codes", func(c *loadtest.Config) { c.Exam = "e" }, "--codes"},
		{"zero duration", func(c *loadtest.Config) { c.Duration = 0 }, "--duration"},
		{"share above one", func(c *loadtest.Config) { c.NoSubmitShare = 2 }, "fractions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok()
			tt.edit(c)
			err := c.Check()
			if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("Check() = %v, want %q", err, tt.err)
			}
		})
	}
}

package web

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"2026-11-25", "25/11/2026", " 25-11-2026 ", "25.11.2026"} {
		got, ok := ParseDate(in)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	if got, ok := ParseDate("5/3/2026"); !ok || got != time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC) {
		t.Errorf("day and month without leading zero: %v %v", got, ok)
	}
	for _, in := range []string{"", "31/02/2026", "2026-13-01", "11/25/2026", "25/11/1850", "tomorrow", "2026-11-25T10:00:00Z"} {
		if _, ok := ParseDate(in); ok {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-25", "25/11/2026", "1.1.1900", "31/12/2100", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			return
		}
		if d.Year() < 1900 || d.Year() > 2100 || d.Hour() != 0 || d.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
	})
}

package people

import (
	"strings"
	"testing"
)

func TestParsePhone(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"06 12 34 56 78", "+33612345678", true},
		{"0612345678", "+33612345678", true},
		{"06.12.34.56.78", "+33612345678", true},
		{"+33 6 12 34 56 78", "+33612345678", true},
		{"0033612345678", "+33612345678", true},
		{"(+33) 1 44 55 66 77", "+33144556677", true},
		{"+44 20 7946 0958", "+442079460958", true},
		{"+213 551 23 45 67", "+213551234567", true},
		{"٠٦١٢٣٤٥٦٧٨", "+33612345678", true},
		{"۰۶ ۱۲ ۳۴ ۵۶ ۷۸", "+33612345678", true},
		{"", "", false},
		{"12", "", false},
		{"06 12 34 56", "", false},
		{"+33 6 12 34 56 78 99 99", "", false},
		{"06-12-34-56-7a", "", false},
		{"6+12345678", "", false},
		{"+", "", false},
		{strings.Repeat("0", 200), "", false},
	}
	for _, c := range cases {
		got, ok := ParsePhone(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if got := FormatPhone("+33612345678"); got != "06 12 34 56 78" {
		t.Errorf("FormatPhone FR = %q", got)
	}
	if got := FormatPhone("+442079460958"); got != "+44 20 7946 0958" {
		t.Errorf("FormatPhone GB = %q", got)
	}
	if !Mobile("+33612345678") || Mobile("+33144556677") {
		t.Error("Mobile")
	}
}

// FuzzParsePhone: any input either fails or gives a valid E.164 number
// that parses again to itself.
func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"06 12 34 56 78", "+44 20 7946 0958", "٠٦١٢٣٤٥٦٧٨", "00", "+", "++33", "0033", "\x00", "06\u00a012"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e164, ok := ParsePhone(s)
		if !ok {
			if e164 != "" {
				t.Fatalf("failed parse returned %q", e164)
			}
			return
		}
		if !strings.HasPrefix(e164, "+") || len(e164) > 16 {
			t.Fatalf("%q -> %q is not E.164", s, e164)
		}
		again, ok := ParsePhone(e164)
		if !ok || again != e164 {
			t.Fatalf("%q -> %q -> %q, %v", s, e164, again, ok)
		}
		_ = FormatPhone(e164)
	})
}

// FuzzParseBirth: the birth field of the search either fails or gives a
// year in range, and the date's year when it is a date.
func FuzzParseBirth(f *testing.F) {
	for _, s := range []string{"1990", "25/11/1990", "1990-11-25", "25.11.1990", "", " 1990 ", "0000", "31/02/2000", "99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, y, ok := ParseBirth(s)
		if !ok {
			return
		}
		if d != nil && d.Year() != y {
			t.Fatalf("%q: date %v, year %d", s, d, y)
		}
		if (d != nil || y != 0) && (y < 1900 || y > 2100) {
			t.Fatalf("%q: year %d out of range", s, y)
		}
	})
}

package rules

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDateArithmetic(t *testing.T) {
	for _, tc := range []struct {
		name       string
		from       string
		months     int
		want       string
		monthsDiff int
	}{
		{"same day next month", "2025-03-15", 1, "2025-04-15", 1},
		{"31 Jan + 1 month is the last day of February", "2025-01-31", 1, "2025-02-28", 1},
		{"leap year", "2024-01-31", 1, "2024-02-29", 1},
		{"3 months", "2025-10-01", 3, "2026-01-01", 3},
		{"6 months across a year", "2025-09-30", 6, "2026-03-30", 6},
		{"minus one month", "2025-03-31", -1, "2025-02-28", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := d(tc.from).AddMonths(tc.months)
			if !got.Equal(d(tc.want)) {
				t.Errorf("AddMonths = %s, want %s", got, tc.want)
			}
			if tc.months > 0 {
				if n := d(tc.from).MonthsUntil(got); n != tc.monthsDiff {
					t.Errorf("MonthsUntil = %d, want %d", n, tc.monthsDiff)
				}
			}
		})
	}
	if n := d("2020-06-01").YearsUntil(d("2025-05-31")); n != 4 {
		t.Errorf("YearsUntil = %d, want 4", n)
	}
	if n := d("2020-06-01").YearsUntil(d("2025-06-01")); n != 5 {
		t.Errorf("YearsUntil = %d, want 5", n)
	}
	if n := d("2025-01-01").DaysUntil(d("2025-03-01")); n != 59 {
		t.Errorf("DaysUntil = %d, want 59", n)
	}
	if got := d("2025-02-10").EndOfMonth(); !got.Equal(d("2025-02-28")) {
		t.Errorf("EndOfMonth = %s", got)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err == nil {
		// 23:30 UTC on 31 Dec is already 1 Jan in Paris.
		at := time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC).In(paris)
		if got := DateOf(at); !got.Equal(d("2026-01-01")) {
			t.Errorf("DateOf(Paris) = %s, want 2026-01-01", got)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2025-06-01", true}, {"", true}, {"2025-6-1", false}, {"2025-02-30", false},
		{"1899-12-31", false}, {"2201-01-01", false}, {"01/06/2025", false}, {"2025-06-01T00:00:00Z", false},
	} {
		_, err := ParseDate(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("ParseDate(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type wrap struct {
		A Date `json:"a"`
		B Date `json:"b,omitzero"`
	}
	b, err := json.Marshal(wrap{A: d("2025-06-01")})
	if err != nil || string(b) != `{"a":"2025-06-01"}` {
		t.Fatalf("marshal = %s, %v", b, err)
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"a":null,"b":"2026-01-31"}`), &w); err != nil || !w.A.IsZero() || !w.B.Equal(d("2026-01-31")) {
		t.Fatalf("unmarshal = %+v, %v", w, err)
	}
	for _, bad := range []string{`{"a":20250601}`, `{"a":"2025-13-01"}`, `{"a":"x"}`} {
		if err := json.Unmarshal([]byte(bad), &w); err == nil {
			t.Errorf("unmarshal %s: want an error", bad)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-06-01", "", "2024-02-29", "0000-00-00", "9999-99-99", "2025-06-01 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		if err != nil {
			return
		}
		if s == "" {
			if !got.IsZero() {
				t.Fatal("empty string must give the zero Date")
			}
			return
		}
		if got.String() != s {
			t.Fatalf("round trip %q -> %q", s, got.String())
		}
		if got.Before(minDate) || got.After(maxDate) {
			t.Fatalf("%q accepted outside the bounds", s)
		}
	})
}

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		m       Money
		fr, eng string
	}{
		{Euros(646, 52), "646,52\u00a0€", "€646.52"},
		{Euros(10339, 0), "10\u00a0339,00\u00a0€", "€10,339.00"},
		{Money(5), "0,05\u00a0€", "€0.05"},
		{Euros(1000000, 0), "1\u00a0000\u00a0000,00\u00a0€", "€1,000,000.00"},
	} {
		if got := tc.m.String(); got != tc.fr {
			t.Errorf("String(%d) = %q, want %q", tc.m, got, tc.fr)
		}
		if got := tc.m.Format(".", ",", true); got != tc.eng {
			t.Errorf("Format(%d) = %q, want %q", tc.m, got, tc.eng)
		}
	}
}

package rules

import (
	"bytes"
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date without time of day, as the law speaks of dates.
// It is stored as midnight UTC. The zero Date means "not known".
type Date struct{ t time.Time }

// Date bounds accepted by ParseDate and Situation.Validate.
var (
	minDate = NewDate(1900, time.January, 1)
	maxDate = NewDate(2200, time.December, 31)
)

// NewDate returns the date y-m-d (out-of-range values are normalised as
// time.Date does).
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t in t's own location. Pass a time in
// Europe/Paris to get the Paris date.
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ErrDate is returned for a malformed or out-of-range date.
var ErrDate = errors.New("invalid date")

// ParseDate parses "YYYY-MM-DD". The empty string gives the zero Date. Dates
// before 1900 or after 2200 are rejected.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	if len(s) != len("2006-01-02") {
		return Date{}, fmt.Errorf("%w: %q (want YYYY-MM-DD)", ErrDate, s)
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q (want YYYY-MM-DD)", ErrDate, s)
	}
	d := Date{t}
	if d.Before(minDate) || d.After(maxDate) {
		return Date{}, fmt.Errorf("%w: %q is outside 1900-2200", ErrDate, s)
	}
	return d, nil
}

// MustDate parses "YYYY-MM-DD" and panics on error; for tables and tests.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns the date as midnight UTC (the zero time for the zero Date).
func (d Date) Time() time.Time { return d.t }

// String formats the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// Format formats the date with a time layout, or "" for the zero Date.
func (d Date) Format(layout string) string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(layout)
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// Equal reports whether d and o are the same date.
func (d Date) Equal(o Date) bool { return d.t.Equal(o.t) }

// Compare returns -1, 0 or +1.
func (d Date) Compare(o Date) int { return d.t.Compare(o.t) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return Date{d.t.AddDate(0, 0, n)}
}

// AddMonths returns d plus n calendar months. When the target month is
// shorter, the result is its last day (31 January + 1 month = 28 or 29
// February), as for legal delays counted in months.
func (d Date) AddMonths(n int) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return NewDate(first.Year(), first.Month(), day)
}

// AddYears returns d plus n years (29 February + 1 year = 28 February).
func (d Date) AddYears(n int) Date { return d.AddMonths(12 * n) }

// EndOfMonth returns the last day of d's month.
func (d Date) EndOfMonth() Date {
	if d.IsZero() {
		return d
	}
	y, m, _ := d.t.Date()
	return NewDate(y, m+1, 0)
}

// DaysUntil returns the number of days from d to o (negative if o is before d).
func (d Date) DaysUntil(o Date) int {
	return int((o.t.Unix() - d.t.Unix()) / 86400)
}

// MonthsUntil returns the number of full calendar months from d to o (0 if o
// is before d).
func (d Date) MonthsUntil(o Date) int {
	if d.IsZero() || o.IsZero() || o.Before(d) {
		return 0
	}
	y1, m1, _ := d.t.Date()
	y2, m2, _ := o.t.Date()
	n := (y2-y1)*12 + int(m2-m1)
	if d.AddMonths(n).After(o) {
		n--
	}
	return n
}

// YearsUntil returns the number of full years from d to o (0 if o is before d).
func (d Date) YearsUntil(o Date) int { return d.MonthsUntil(o) / 12 }

// MarshalJSON encodes the date as "YYYY-MM-DD", or null when unknown.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON accepts "YYYY-MM-DD", "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("%w: %s (want a \"YYYY-MM-DD\" string)", ErrDate, b)
	}
	v, err := ParseDate(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText encodes the date as "YYYY-MM-DD" ("" when unknown).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText accepts "YYYY-MM-DD" or "".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// minDateOf returns the earliest non-zero date, or the zero Date.
func minDateOf(ds ...Date) Date {
	var out Date
	for _, d := range ds {
		if d.IsZero() {
			continue
		}
		if out.IsZero() || d.Before(out) {
			out = d
		}
	}
	return out
}

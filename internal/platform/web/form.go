package web

import (
	"html/template"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Form reads and validates a submitted form, collecting field errors as
// message IDs so the page can show each one next to its field.
type Form struct {
	r      *http.Request
	Errors map[string]string
}

// ParseForm parses the request body (bounded by the handler's limit).
func ParseForm(r *http.Request) (*Form, error) {
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	return &Form{r: r, Errors: map[string]string{}}, nil
}

// Value returns a field, trimmed, with invalid UTF-8 and control
// characters (other than newlines and tabs) removed.
func (f *Form) Value(name string) string {
	return Clean(f.r.PostForm.Get(name))
}

// Values returns every value of a multi-valued field, cleaned.
func (f *Form) Values(name string) []string {
	var out []string
	for _, v := range f.r.PostForm[name] {
		if v = Clean(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// RawValues returns every value of a multi-valued field as sent, empty
// ones included (for rows of a table whose positions pair up).
func (f *Form) RawValues(name string) []string { return f.r.PostForm[name] }

// Required returns a field and records "required" when it is empty or
// longer than max runes.
func (f *Form) Required(name string, max int) string {
	v := f.Value(name)
	switch {
	case v == "":
		f.Fail(name, "common.form.required")
	case utf8.RuneCountInString(v) > max:
		f.Fail(name, "common.form.too_long")
	}
	return v
}

// Optional returns a field and records "too long" past max runes.
func (f *Form) Optional(name string, max int) string {
	v := f.Value(name)
	if utf8.RuneCountInString(v) > max {
		f.Fail(name, "common.form.too_long")
	}
	return v
}

// Bool reads a checkbox.
func (f *Form) Bool(name string) bool {
	v := f.r.PostForm.Get(name)
	return v == "on" || v == "1" || v == "true"
}

// OneOf returns the field if it is one of allowed, else records an error.
func (f *Form) OneOf(name string, allowed []string) string {
	v := f.Value(name)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	f.Fail(name, "common.form.invalid_choice")
	return ""
}

// Date reads an optional date field: the ISO form an <input type="date">
// sends (2026-11-25), or the French form people type where the browser
// shows a plain text box (25/11/2026, 25-11-2026, 25.11.2026). Years
// outside 1900-2100 are refused.
func (f *Form) Date(name string) *time.Time {
	v := f.Value(name)
	if v == "" {
		return nil
	}
	t, ok := ParseDate(v)
	if !ok {
		f.Fail(name, "common.form.date_invalid")
		return nil
	}
	return &t
}

// ParseDate parses YYYY-MM-DD or DD/MM/YYYY (also with - or . separators),
// as a date at midnight UTC.
func ParseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{time.DateOnly, "2/1/2006", "2-1-2006", "2.1.2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			if t.Year() < 1900 || t.Year() > 2100 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// Fail records an error for a field (the first one wins).
func (f *Form) Fail(name, key string) {
	if _, ok := f.Errors[name]; !ok {
		f.Errors[name] = key
	}
}

// OK reports whether no field failed.
func (f *Form) OK() bool { return len(f.Errors) == 0 }

// Clean trims s and drops invalid UTF-8 and control characters except
// tab and newline.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Option is one choice of a select; Label is a message ID unless Raw.
type Option struct {
	Value, Label string
	Raw          bool
}

// Page is a page of a list, with the query strings of its neighbours.
type Page struct {
	Number     int
	Prev, Next string
}

// PrevURL is the link to the previous page: its query string, kept as it
// is (an encoded query must not be escaped again in the href).
func (p Page) PrevURL() template.URL { return template.URL("?" + p.Prev) }

// NextURL is the link to the next page.
func (p Page) NextURL() template.URL { return template.URL("?" + p.Next) }

package people

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/unicode/norm"
)

// maxPhoneInput bounds what the phone parser reads.
const maxPhoneInput = 40

// ParsePhone reads a phone number as the desk types it: a French number
// ("06 12 34 56 78", "0612345678"), an international one ("+44 20 7946
// 0958", "0044 20..."), with spaces, dots, dashes or brackets, and digits of
// the Arabic script. It returns the number in E.164 ("+33612345678"), or
// false when it is not a valid number.
func ParsePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxPhoneInput*4 {
		return "", false
	}
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if t, ok := translit[r]; ok && len(t) == 1 && t[0] >= '0' && t[0] <= '9' {
			b.WriteString(t)
			continue
		}
		switch {
		case r >= '0' && r <= '9', r == '+':
			b.WriteRune(r)
		case r == ' ', r == '.', r == '-', r == '(', r == ')', r == '/', unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	raw := b.String()
	if strings.HasPrefix(raw, "00") {
		raw = "+" + raw[2:]
	}
	if raw == "" || len(raw) > maxPhoneInput || strings.LastIndex(raw, "+") > 0 {
		return "", false
	}
	n, err := phonenumbers.Parse(raw, "FR")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// FormatPhone shows an E.164 number the way people read it: the French
// national form for French numbers, the international form otherwise.
func FormatPhone(e164 string) string {
	if e164 == "" {
		return ""
	}
	n, err := phonenumbers.Parse(e164, "FR")
	if err != nil {
		return e164
	}
	if n.GetCountryCode() == 33 {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// Mobile reports whether an E.164 number can receive an SMS (a mobile
// number, or one whose kind the numbering plan does not tell).
func Mobile(e164 string) bool {
	n, err := phonenumbers.Parse(e164, "FR")
	if err != nil {
		return false
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE, phonenumbers.UNKNOWN:
		return true
	}
	return false
}

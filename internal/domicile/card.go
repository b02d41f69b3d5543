package domicile

import (
	"strconv"
	"strings"
)

// The domiciliation card carries a QR code with the file's number and a
// check digit, "D<number>C<check>" (D1234C7). A reception desk's scanner is
// a keyboard: it types the code and Enter into the focused field. When the
// scanner is set to a US layout and the computer to a French one, the
// digits arrive as the unshifted characters of the French keyboard's top
// row (&é"'(-è_çà); the letters D and C sit on the same keys in both
// layouts, so they arrive as they are. ParseRef reads both.

// azerty maps the French keyboard's unshifted top row to its digits.
var azerty = strings.NewReplacer("&", "1", "é", "2", "\"", "3", "'", "4", "(", "5", "-", "6", "è", "7", "_", "8", "ç", "9", "à", "0")

// maxNumber bounds a domiciliation number (nine digits).
const maxNumber = 999_999_999

// CardCode is what the card's QR code holds for a number.
func CardCode(number int) string {
	n := strconv.Itoa(number)
	return "D" + n + "C" + strconv.Itoa(luhn(n))
}

// ParseRef reads a domiciliation number typed by hand ("1234", "n°1234")
// or a card code as a scanner types it, and reports whether it is one.
func ParseRef(s string) (int, bool) {
	s = strings.ToUpper(azerty.Replace(strings.TrimSpace(s)))
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "N°"), "NO"))
	if s == "" {
		return 0, false
	}
	if digits(s) {
		return number(s)
	}
	if len(s) < 4 || s[0] != 'D' || s[len(s)-2] != 'C' {
		return 0, false
	}
	body, check := s[1:len(s)-2], s[len(s)-1:]
	if !digits(body) || !digits(check) || strconv.Itoa(luhn(body)) != check {
		return 0, false
	}
	return number(body)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func number(s string) (int, bool) {
	if len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxNumber {
		return 0, false
	}
	return n, true
}

// luhn is the Luhn check digit of a string of digits.
func luhn(s string) int {
	sum := 0
	double := true
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}

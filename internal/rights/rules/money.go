package rules

import (
	"strconv"
	"strings"
)

// Money is an amount in euro cents.
type Money int64

// Euros builds an amount from whole euros and cents (Euros(646, 52)).
func Euros(euros, cents int64) Money { return Money(euros*100 + cents) }

// String formats the amount the French way: "10 339,00 €" (no-break spaces).
func (m Money) String() string { return m.Format(",", "\u00a0", false) }

// Format formats the amount with a decimal separator, a thousands separator,
// and the euro sign before (currencyFirst) or after the number.
func (m Money) Format(decimal, thousands string, currencyFirst bool) string {
	neg := m < 0
	v := int64(m)
	if neg {
		v = -v
	}
	units := strconv.FormatInt(v/100, 10)
	var b strings.Builder
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(r)
	}
	num := b.String() + decimal + leftPad2(v%100)
	if neg {
		num = "-" + num
	}
	if currencyFirst {
		return "€" + num
	}
	return num + "\u00a0€"
}

func leftPad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

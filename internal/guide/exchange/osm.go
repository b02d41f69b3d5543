package exchange

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"parcours/internal/guide"
)

// The OpenStreetMap opening_hours strings of data·inclusion
// (horaires_accueil), read into the guide's hours: weekly rules
// ("Mo-Fr 09:00-12:30,13:30-17:00", "Sa off", "24/7"), seasons
// ("Nov 01-Mar 31 Mo-Su 08:00-12:30", "Dec-Feb ...") and dated rules
// ("2026 Dec 24 10:00-12:00", "2026 Dec 25-2027 Jan 01 off"), a dated
// rule's comment being its reason (`2026 Dec 25 off "Noël"`): what
// guide.Hours.OSMWithReasons writes, and the common forms found in the
// data. A later rule replaces what an earlier one said about the same
// days, as in OSM. Rules it does not understand (public holidays, week
// numbers, "nth" weekdays, comments on weekly rules) are returned as
// skipped, for a warning.

// maxOSMLength bounds an opening_hours string.
const maxOSMLength = 2000

type slotSpec struct {
	Weekday            int
	Opens, Closes      string
	ValidFrom, ValidTo *time.Time
}

type excSpec struct {
	StartsOn, EndsOn time.Time
	Closed           bool
	Opens, Closes    string
	// Reason is the rule's comment (guide.Hours.OSMWithReasons).
	Reason string
}

// splitRules cuts an opening_hours string at its rule separators (";"
// and "||") outside comments ("...").
func splitRules(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case quoted:
		case s[i] == ';':
			out = append(out, s[start:i])
			start = i + 1
		case s[i] == '|' && i+1 < len(s) && s[i+1] == '|':
			out = append(out, s[start:i])
			start = i + 2
			i++
		}
	}
	return append(out, s[start:])
}

// cutComment separates a rule's trailing comment: `... off "Fêtes"`.
func cutComment(rule string) (string, string, bool) {
	if !strings.HasSuffix(rule, `"`) {
		return rule, "", true
	}
	open := strings.LastIndex(rule[:len(rule)-1], `"`)
	if open < 0 || strings.Count(rule[:open], `"`) > 0 {
		return rule, "", false
	}
	return strings.TrimSpace(rule[:open]), strings.TrimSpace(rule[open+1 : len(rule)-1]), true
}

type parsedHours struct {
	Slots      []slotSpec
	Exceptions []excSpec
	Skipped    []string
}

var osmDayIndex = map[string]int{"Mo": 1, "Tu": 2, "We": 3, "Th": 4, "Fr": 5, "Sa": 6, "Su": 7}

var osmMonthIndex = map[string]time.Month{"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8,
	"Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12}

// week is the openings of the seven days (index 1..7) of one season.
type week [8][][2]string

// parseOSM reads an opening_hours string; today places the seasons in a
// year (the season that covers today or comes next).
func parseOSM(s string, today time.Time) parsedHours {
	var out parsedHours
	regular := week{}
	hasRegular := false
	type season struct {
		from, to time.Time
		w        week
	}
	var seasons []*season
	for _, raw := range splitRules(s) {
		rule := strings.Join(strings.Fields(raw), " ")
		if rule == "" {
			continue
		}
		if rule == "24/7" {
			for d := 1; d <= 7; d++ {
				regular[d] = [][2]string{{"00:00", "00:00"}}
			}
			hasRegular = true
			continue
		}
		if e, ok := parseDated(rule); ok {
			out.Exceptions = append(out.Exceptions, e...)
			continue
		}
		if from, to, rest, ok := parseSeason(rule, today); ok {
			var se *season
			for _, x := range seasons {
				if x.from.Equal(from) && x.to.Equal(to) {
					se = x
				}
			}
			if se == nil {
				se = &season{from: from, to: to}
				seasons = append(seasons, se)
			}
			if rest == "off" {
				continue
			}
			if !applyWeekly(&se.w, rest) {
				out.Skipped = append(out.Skipped, rule)
			}
			continue
		}
		if applyWeekly(&regular, rule) {
			hasRegular = true
			continue
		}
		out.Skipped = append(out.Skipped, rule)
	}
	if hasRegular {
		out.Slots = append(out.Slots, regular.slots(nil, nil)...)
	}
	for _, se := range seasons {
		from, to := se.from, se.to
		out.Slots = append(out.Slots, se.w.slots(&from, &to)...)
	}
	return out
}

func (w *week) slots(from, to *time.Time) []slotSpec {
	var out []slotSpec
	for d := 1; d <= 7; d++ {
		for _, iv := range w[d] {
			out = append(out, slotSpec{Weekday: d, Opens: iv[0], Closes: iv[1], ValidFrom: from, ValidTo: to})
		}
	}
	return out
}

// applyWeekly reads "<days> <times>" or "<days> off" into w.
func applyWeekly(w *week, rule string) bool {
	days, times, ok := strings.Cut(rule, " ")
	if !ok {
		return false
	}
	ds, ok := parseDays(days)
	if !ok {
		return false
	}
	var ivs [][2]string
	if times != "off" && times != "closed" {
		if ivs, ok = parseTimes(times); !ok {
			return false
		}
	}
	for _, d := range ds {
		w[d] = ivs
	}
	return true
}

// parseDays reads "Mo-Fr", "Mo,We,Fr", "Sa-Mo" (wrapping), "Mo-We,Fr".
func parseDays(s string) ([]int, bool) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		a, b, isRange := strings.Cut(part, "-")
		from, ok := osmDayIndex[a]
		if !ok {
			return nil, false
		}
		to := from
		if isRange {
			if to, ok = osmDayIndex[b]; !ok {
				return nil, false
			}
		}
		for d := from; ; d = d%7 + 1 {
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
			if d == to {
				break
			}
		}
	}
	return out, len(out) > 0
}

// parseTimes reads "09:00-12:30,13:30-17:00"; a closing time past midnight
// may be written 26:00.
func parseTimes(s string) ([][2]string, bool) {
	var out [][2]string
	for _, span := range strings.Split(s, ",") {
		o, c, ok := strings.Cut(span, "-")
		if !ok {
			return nil, false
		}
		om, ok1 := guide.ParseClock(o)
		cm, ok2 := osmClock(c)
		if !ok1 || !ok2 || om == 1440 || cm == om {
			return nil, false
		}
		if _, _, ok := guide.Span(guide.Clock(om), guide.Clock(cm)); !ok {
			return nil, false
		}
		out = append(out, [2]string{guide.Clock(om), guide.Clock(cm)})
	}
	return out, true
}

// osmClock reads a closing time, up to 48:00.
func osmClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || h < 0 || h > 48 || m < 0 || m > 59 || (h == 48 && m > 0) || s[0] == '+' || s[3] == '+' {
		return 0, false
	}
	return h*60 + m, true
}

// parseDated reads "2026 Dec 24 10:00-12:00", "2026 Dec 25-2027 Jan 01
// off", "2026 Dec 25-31 off".
func parseDated(rule string) ([]excSpec, bool) {
	rule, comment, ok := cutComment(rule)
	if !ok {
		return nil, false
	}
	out, ok := parseDatedRule(rule)
	for i := range out {
		out[i].Reason = comment
	}
	return out, ok
}

func parseDatedRule(rule string) ([]excSpec, bool) {
	f := strings.Fields(rule)
	if len(f) < 4 || len(f[0]) != 4 {
		return nil, false
	}
	start, ok := osmDate(f[0], f[1], f[2])
	if !ok {
		// "2026 Dec 25-31" or "2026 Dec 25-2027": the day carries the range.
		day, rest, isRange := strings.Cut(f[2], "-")
		if start, ok = osmDate(f[0], f[1], day); !ok || !isRange {
			return nil, false
		}
		var end time.Time
		switch {
		case len(f) >= 6 && len(rest) == 4:
			if end, ok = osmDate(rest, f[3], f[4]); !ok {
				return nil, false
			}
			f = append([]string{f[0], f[1], day}, f[5:]...)
		default:
			if end, ok = osmDate(f[0], f[1], rest); !ok {
				return nil, false
			}
			f = append([]string{f[0], f[1], day}, f[3:]...)
		}
		return datedTail(start, end, f[3:])
	}
	return datedTail(start, start, f[3:])
}

func datedTail(start, end time.Time, tail []string) ([]excSpec, bool) {
	if end.Before(start) || end.Sub(start) > 366*24*time.Hour || len(tail) != 1 {
		return nil, false
	}
	if tail[0] == "off" || tail[0] == "closed" {
		return []excSpec{{StartsOn: start, EndsOn: end, Closed: true}}, true
	}
	ivs, ok := parseTimes(tail[0])
	if !ok {
		return nil, false
	}
	out := make([]excSpec, len(ivs))
	for i, iv := range ivs {
		out[i] = excSpec{StartsOn: start, EndsOn: end, Opens: iv[0], Closes: iv[1]}
	}
	return out, true
}

func osmDate(y, mon, d string) (time.Time, bool) {
	year, err1 := strconv.Atoi(y)
	day, err2 := strconv.Atoi(d)
	m, ok := osmMonthIndex[mon]
	if err1 != nil || err2 != nil || !ok || year < 1900 || year > 2200 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(year, m, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false
	}
	return t, true
}

// parseSeason reads a leading "Nov 01-Mar 31" or "Nov-Mar" and returns the
// season's dates (the occurrence that covers today or comes next) and the
// rest of the rule.
func parseSeason(rule string, today time.Time) (from, to time.Time, rest string, ok bool) {
	f := strings.Fields(rule)
	var m1, m2 time.Month
	d1, d2 := 1, 0
	switch {
	case len(f) >= 4 && strings.Contains(f[1], "-"):
		// "Nov 01-Mar 31 ..."
		var a, b string
		a, b, _ = strings.Cut(f[1], "-")
		var okM1, okM2 bool
		m1, okM1 = osmMonthIndex[f[0]]
		m2, okM2 = osmMonthIndex[b]
		n1, e1 := strconv.Atoi(a)
		n2, e2 := strconv.Atoi(f[2])
		if !okM1 || !okM2 || e1 != nil || e2 != nil {
			return from, to, "", false
		}
		d1, d2, rest = n1, n2, strings.Join(f[3:], " ")
	case len(f) >= 2 && len(f[0]) == 7 && f[0][3] == '-':
		// "Nov-Mar ..."
		var okM1, okM2 bool
		m1, okM1 = osmMonthIndex[f[0][:3]]
		m2, okM2 = osmMonthIndex[f[0][4:]]
		if !okM1 || !okM2 {
			return from, to, "", false
		}
		rest = strings.Join(f[1:], " ")
	default:
		return from, to, "", false
	}
	place := func(y int) (time.Time, time.Time, bool) {
		a := time.Date(y, m1, d1, 0, 0, 0, 0, time.UTC)
		ey := y
		if m2 < m1 || (m2 == m1 && d2 != 0 && d2 < d1) {
			ey++
		}
		last := d2
		if last == 0 {
			last = time.Date(ey, m2+1, 0, 0, 0, 0, 0, time.UTC).Day()
		}
		b := time.Date(ey, m2, last, 0, 0, 0, 0, time.UTC)
		return a, b, a.Day() == d1 && b.Day() == last && d1 >= 1 && last >= 1
	}
	y := today.Year()
	if a, b, valid := place(y - 1); valid && !b.Before(today) && !a.After(today) {
		return a, b, rest, true
	}
	a, b, valid := place(y)
	if !valid {
		return from, to, "", false
	}
	if b.Before(today) {
		if a, b, valid = place(y + 1); !valid {
			return from, to, "", false
		}
	}
	return a, b, rest, true
}

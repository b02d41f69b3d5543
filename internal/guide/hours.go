package guide

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"parcours/internal/platform/clock"
)

// Slot is a weekly opening: on Weekday (1 Monday .. 7 Sunday), from Opens
// to Closes, in minutes after midnight on the Paris wall clock. Closes is
// greater than Opens; past 1440 the slot ends the next day. A slot with
// ValidFrom/ValidTo belongs to a season (dates, inclusive).
type Slot struct {
	Weekday   int
	Opens     int
	Closes    int
	ValidFrom *time.Time
	ValidTo   *time.Time
}

// Seasonal reports whether the slot belongs to a season.
func (s Slot) Seasonal() bool { return s.ValidFrom != nil && s.ValidTo != nil }

// Exception is a dated closure (Closed) or special hours, from StartsOn to
// EndsOn inclusive.
type Exception struct {
	ID       string
	StartsOn time.Time
	EndsOn   time.Time
	Closed   bool
	Opens    int
	Closes   int
	Reason   string
}

// Covers reports whether the exception applies on date d.
func (e Exception) Covers(d time.Time) bool { return !d.Before(e.StartsOn) && !d.After(e.EndsOn) }

// Hours are a service's opening hours.
type Hours struct {
	Slots      []Slot
	Exceptions []Exception
}

// Interval is an opening on a day, in minutes after that day's midnight
// (Closes may pass 1440).
type Interval struct{ Opens, Closes int }

// Day is what the hours say about one date.
type Day struct {
	Date      time.Time
	Intervals []Interval
	// Exception is the exception that decides the day, if any.
	Exception *Exception
	// Seasonal tells that a season's slots decide the day.
	Seasonal bool
}

// Closed reports whether the service does not open that day.
func (d Day) Closed() bool { return len(d.Intervals) == 0 }

// DateOf returns the Paris calendar date of t, as midnight UTC (the form
// dates are stored in).
func DateOf(t time.Time) time.Time {
	p := t.In(clock.Paris)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
}

// isoWeekday is 1 for Monday .. 7 for Sunday.
func isoWeekday(d time.Time) int {
	w := int(d.Weekday())
	if w == 0 {
		return 7
	}
	return w
}

// On returns the openings of date d (a date as DateOf returns). The rule,
// also written in SQL for the "open now" filter (openNowSQL): a closure
// covering d closes the day; otherwise special hours covering d are the
// day's hours; otherwise, if a season covers d, the slots of the seasons
// covering d; otherwise the regular slots.
func (h Hours) On(d time.Time) Day {
	day := Day{Date: d}
	for i := range h.Exceptions {
		e := &h.Exceptions[i]
		if !e.Covers(d) {
			continue
		}
		if e.Closed {
			day.Exception, day.Intervals = e, nil
			return day
		}
		if day.Exception == nil {
			day.Exception = e
		}
		day.Intervals = append(day.Intervals, Interval{e.Opens, e.Closes})
	}
	if day.Exception != nil {
		slices.SortFunc(day.Intervals, func(a, b Interval) int { return a.Opens - b.Opens })
		return day
	}
	wd := isoWeekday(d)
	inSeason := func(s Slot) bool { return s.Seasonal() && !d.Before(*s.ValidFrom) && !d.After(*s.ValidTo) }
	for _, s := range h.Slots {
		if inSeason(s) {
			day.Seasonal = true
			break
		}
	}
	for _, s := range h.Slots {
		if s.Weekday == wd && ((day.Seasonal && inSeason(s)) || (!day.Seasonal && !s.Seasonal())) {
			day.Intervals = append(day.Intervals, Interval{s.Opens, s.Closes})
		}
	}
	slices.SortFunc(day.Intervals, func(a, b Interval) int { return a.Opens - b.Opens })
	return day
}

// Status is the state of a service at an instant.
type Status struct {
	Open bool
	// Until is when the current opening ends (Open), zero otherwise.
	Until time.Time
	// Next is the next opening (within two weeks), zero when none.
	Next time.Time
	// Closure is the closure in force today, if any.
	Closure *Exception
	// Today are today's openings (for "today: 09:00-12:00").
	Today Day
}

// at returns the instant of minute m after midnight of date d, Paris time.
func at(d time.Time, m int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), m/60, m%60, 0, 0, clock.Paris)
}

// horizon is how far ahead the next opening is looked for.
const horizon = 14

// StatusAt computes the status at now.
func (h Hours) StatusAt(now time.Time) Status {
	today := DateOf(now)
	p := now.In(clock.Paris)
	minute := p.Hour()*60 + p.Minute()
	st := Status{Today: h.On(today)}
	if e := st.Today.Exception; e != nil && e.Closed {
		st.Closure = e
	}
	// An opening of yesterday that runs past midnight.
	for _, iv := range h.On(today.AddDate(0, 0, -1)).Intervals {
		if iv.Closes > 1440 && minute < iv.Closes-1440 {
			st.Open, st.Until = true, at(today, iv.Closes-1440)
		}
	}
	for _, iv := range st.Today.Intervals {
		if iv.Opens <= minute && minute < iv.Closes {
			st.Open, st.Until = true, at(today, iv.Closes)
		}
	}
	for i := 0; i <= horizon && st.Next.IsZero(); i++ {
		d := today.AddDate(0, 0, i)
		for _, iv := range h.On(d).Intervals {
			if t := at(d, iv.Opens); t.After(now) {
				st.Next = t
				break
			}
		}
	}
	return st
}

// Week returns the openings of the seven days from date d.
func (h Hours) Week(d time.Time) []Day {
	out := make([]Day, 7)
	for i := range out {
		out[i] = h.On(d.AddDate(0, 0, i))
	}
	return out
}

// Upcoming lists the exceptions that are not over at date d, soonest first.
func (h Hours) Upcoming(d time.Time) []Exception {
	var out []Exception
	for _, e := range h.Exceptions {
		if !e.EndsOn.Before(d) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Exception) int { return a.StartsOn.Compare(b.StartsOn) })
	return out
}

// Clock formats minutes after midnight as HH:MM (24:00 and beyond wrap).
func Clock(m int) string {
	m %= 1440
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// ParseClock reads "HH:MM" (00:00 to 24:00).
func ParseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := 0, 0
	for _, c := range s[:2] {
		if c < '0' || c > '9' {
			return 0, false
		}
		h = h*10 + int(c-'0')
	}
	for _, c := range s[3:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		m = m*10 + int(c-'0')
	}
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// Span turns an opening and a closing time into minutes, the closing one
// on the next day when it is not after the opening (19:00-08:00).
func Span(opens, closes string) (int, int, bool) {
	o, ok1 := ParseClock(opens)
	c, ok2 := ParseClock(closes)
	if !ok1 || !ok2 || o == 1440 {
		return 0, 0, false
	}
	if c <= o {
		c += 1440
	}
	return o, c, true
}

var osmDays = []string{"", "Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}
var osmMonths = []string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// OSM returns the hours as an OpenStreetMap opening_hours string: the
// regular week, then each season, then the exceptions (later rules
// override earlier ones in that syntax).
func (h Hours) OSM() string { return h.osm(false) }

// OSMWithReasons is OSM with the reason of each dated closure or special
// hours as the rule's comment: `2026 Dec 24-2026 Dec 26 off "Fêtes"` (a
// comment cannot hold a double quote: it becomes a single one).
func (h Hours) OSMWithReasons() string { return h.osm(true) }

// OSMComment writes a text as an opening_hours comment, "" when empty.
func OSMComment(s string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, `"`, "'")), " ")
	if s == "" {
		return ""
	}
	return ` "` + s + `"`
}

func (h Hours) osm(reasons bool) string {
	var rules []string
	var regular []Slot
	seasons := map[string][]Slot{}
	var order []string
	for _, s := range h.Slots {
		if !s.Seasonal() {
			regular = append(regular, s)
			continue
		}
		k := osmMonthDay(*s.ValidFrom) + "-" + osmMonthDay(*s.ValidTo)
		if _, ok := seasons[k]; !ok {
			order = append(order, k)
		}
		seasons[k] = append(seasons[k], s)
	}
	rules = append(rules, osmWeek("", regular)...)
	for _, k := range order {
		week := osmWeek(k+" ", seasons[k])
		if len(week) == 0 {
			week = []string{k + " off"}
		}
		rules = append(rules, week...)
	}
	for _, e := range h.Exceptions {
		span := osmDate(e.StartsOn)
		if !e.EndsOn.Equal(e.StartsOn) {
			span += "-" + osmDate(e.EndsOn)
		}
		comment := ""
		if reasons {
			comment = OSMComment(e.Reason)
		}
		if e.Closed {
			rules = append(rules, span+" off"+comment)
		} else {
			rules = append(rules, span+" "+Clock(e.Opens)+"-"+osmClose(e.Closes)+comment)
		}
	}
	return strings.Join(rules, "; ")
}

func osmMonthDay(d time.Time) string { return fmt.Sprintf("%s %02d", osmMonths[d.Month()], d.Day()) }
func osmDate(d time.Time) string     { return fmt.Sprintf("%d %s", d.Year(), osmMonthDay(d)) }

// osmClose writes a closing time; past midnight OSM counts on (26:00).
func osmClose(m int) string {
	if m > 1440 || m == 1440 {
		return fmt.Sprintf("%02d:%02d", m/60, m%60)
	}
	return Clock(m)
}

// osmWeek groups consecutive weekdays with the same openings: "Mo-Fr
// 09:00-12:00,14:00-17:00".
func osmWeek(prefix string, slots []Slot) []string {
	byDay := make([]string, 8)
	for wd := 1; wd <= 7; wd++ {
		var ivs []Interval
		for _, s := range slots {
			if s.Weekday == wd {
				ivs = append(ivs, Interval{s.Opens, s.Closes})
			}
		}
		slices.SortFunc(ivs, func(a, b Interval) int { return a.Opens - b.Opens })
		parts := make([]string, len(ivs))
		for i, iv := range ivs {
			parts[i] = Clock(iv.Opens) + "-" + osmClose(iv.Closes)
		}
		byDay[wd] = strings.Join(parts, ",")
	}
	var out []string
	for wd := 1; wd <= 7; {
		if byDay[wd] == "" {
			wd++
			continue
		}
		end := wd
		for end+1 <= 7 && byDay[end+1] == byDay[wd] {
			end++
		}
		days := osmDays[wd]
		if end > wd {
			sep := "-"
			if end == wd+1 {
				sep = ","
			}
			days += sep + osmDays[end]
		}
		out = append(out, prefix+days+" "+byDay[wd])
		wd = end + 1
	}
	return out
}

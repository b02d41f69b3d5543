package guide

import (
	"testing"
	"time"

	"parcours/internal/platform/clock"
)

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// paris is a wall-clock instant in Paris.
func paris(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, clock.Paris)
}

func slot(wd int, opens, closes string) Slot {
	o, c, ok := Span(opens, closes)
	if !ok {
		panic(opens + "-" + closes)
	}
	return Slot{Weekday: wd, Opens: o, Closes: c}
}

func season(s Slot, from, to *time.Time) Slot { s.ValidFrom, s.ValidTo = from, to; return s }

// week: Monday to Friday 09:00-12:00 and 14:00-17:00; Saturday 10:00-12:00.
func week() []Slot {
	var out []Slot
	for wd := 1; wd <= 5; wd++ {
		out = append(out, slot(wd, "09:00", "12:00"), slot(wd, "14:00", "17:00"))
	}
	return append(out, slot(6, "10:00", "12:00"))
}

func TestStatusAt(t *testing.T) {
	winter := []Slot{
		// 1 November to 31 March: every day 08:00-12:30 instead of the week.
		season(slot(1, "08:00", "12:30"), date(2026, 11, 1), date(2027, 3, 31)),
		season(slot(2, "08:00", "12:30"), date(2026, 11, 1), date(2027, 3, 31)),
		season(slot(3, "08:00", "12:30"), date(2026, 11, 1), date(2027, 3, 31)),
		season(slot(7, "08:00", "12:30"), date(2026, 11, 1), date(2027, 3, 31)),
	}
	closure := Exception{StartsOn: *date(2026, 12, 24), EndsOn: *date(2026, 12, 26), Closed: true, Reason: "Noël"}
	special := Exception{StartsOn: *date(2026, 12, 31), EndsOn: *date(2026, 12, 31), Opens: 10 * 60, Closes: 13 * 60}
	night := []Slot{slot(5, "19:00", "08:00"), slot(6, "19:00", "08:00")} // Friday and Saturday nights
	cases := []struct {
		name  string
		h     Hours
		now   time.Time
		open  bool
		until string // HH:MM of Until when open
		next  string // "2006-01-02 15:04" of Next, "" for none
		shut  bool   // a closure is in force today
	}{
		{"weekday morning", Hours{Slots: week()}, paris(2026, 11, 25, 10, 30), true, "12:00", "2026-11-25 14:00", false},
		{"lunch break", Hours{Slots: week()}, paris(2026, 11, 25, 12, 0), false, "", "2026-11-25 14:00", false},
		{"opening minute is open", Hours{Slots: week()}, paris(2026, 11, 25, 9, 0), true, "12:00", "2026-11-25 14:00", false},
		{"closing minute is closed", Hours{Slots: week()}, paris(2026, 11, 25, 17, 0), false, "", "2026-11-26 09:00", false},
		{"evening: tomorrow", Hours{Slots: week()}, paris(2026, 11, 25, 20, 0), false, "", "2026-11-26 09:00", false},
		{"saturday after noon: monday", Hours{Slots: week()}, paris(2026, 11, 28, 13, 0), false, "", "2026-11-30 09:00", false},
		{"season replaces the week", Hours{Slots: append(week(), winter...)}, paris(2026, 11, 25, 8, 15), true, "12:30", "2026-11-29 08:00", false},
		{"season: a day without slot is closed", Hours{Slots: append(week(), winter...)}, paris(2026, 11, 26, 10, 0), false, "", "2026-11-29 08:00", false},
		{"after the season: the week again", Hours{Slots: append(week(), winter...)}, paris(2027, 4, 1, 10, 0), true, "12:00", "2027-04-01 14:00", false},
		{"closure", Hours{Slots: week(), Exceptions: []Exception{closure}}, paris(2026, 12, 24, 10, 0), false, "", "2026-12-28 09:00", true},
		{"closure ends", Hours{Slots: week(), Exceptions: []Exception{closure}}, paris(2026, 12, 28, 9, 30), true, "12:00", "2026-12-28 14:00", false},
		{"special hours", Hours{Slots: week(), Exceptions: []Exception{special}}, paris(2026, 12, 31, 12, 30), true, "13:00", "2027-01-01 09:00", false},
		{"special hours replace the day", Hours{Slots: week(), Exceptions: []Exception{special}}, paris(2026, 12, 31, 15, 0), false, "", "2027-01-01 09:00", false},
		{"night: before midnight", Hours{Slots: night}, paris(2026, 11, 27, 23, 0), true, "08:00", "2026-11-28 19:00", false},
		{"night: after midnight", Hours{Slots: night}, paris(2026, 11, 28, 2, 0), true, "08:00", "2026-11-28 19:00", false},
		{"night: sunday morning", Hours{Slots: night}, paris(2026, 11, 29, 7, 59), true, "08:00", "2026-12-04 19:00", false},
		{"night: sunday after eight", Hours{Slots: night}, paris(2026, 11, 29, 8, 0), false, "", "2026-12-04 19:00", false},
		{"until midnight", Hours{Slots: []Slot{slot(3, "20:00", "24:00")}}, paris(2026, 11, 25, 23, 59), true, "00:00", "2026-12-02 20:00", false},
		// DST: on 29 March 2026 Paris skips 02:00-03:00; on 25 October it
		// repeats 02:00-03:00. Hours are wall-clock hours.
		{"spring forward: 03:30 is open", Hours{Slots: []Slot{slot(7, "03:00", "04:00")}}, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), true, "04:00", "2026-04-05 03:00", false},
		{"spring forward: night slot", Hours{Slots: []Slot{slot(6, "22:00", "06:00")}}, time.Date(2026, 3, 29, 3, 30, 0, 0, time.UTC), true, "06:00", "2026-04-04 22:00", false},
		// During the first 02:30 the wall clock will read 02:00 again in half
		// an hour: that is the next "opening" it shows.
		{"fall back: first 02:30", Hours{Slots: []Slot{slot(7, "02:00", "03:00")}}, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), true, "03:00", "2026-10-25 02:00", false},
		{"fall back: second 02:30", Hours{Slots: []Slot{slot(7, "02:00", "03:00")}}, time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), true, "03:00", "2026-11-01 02:00", false},
		{"no hours", Hours{}, paris(2026, 11, 25, 10, 0), false, "", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := c.h.StatusAt(c.now)
			if st.Open != c.open {
				t.Fatalf("open = %v, want %v", st.Open, c.open)
			}
			if c.open {
				if got := st.Until.In(clock.Paris).Format("15:04"); got != c.until {
					t.Errorf("until %s, want %s", got, c.until)
				}
			}
			got := ""
			if !st.Next.IsZero() {
				got = st.Next.In(clock.Paris).Format("2006-01-02 15:04")
			}
			if got != c.next {
				t.Errorf("next %q, want %q", got, c.next)
			}
			if (st.Closure != nil) != c.shut {
				t.Errorf("closure %v, want %v", st.Closure != nil, c.shut)
			}
		})
	}
}

func TestWeekAndUpcoming(t *testing.T) {
	closure := Exception{StartsOn: *date(2026, 11, 27), EndsOn: *date(2026, 11, 27), Closed: true}
	old := Exception{StartsOn: *date(2026, 10, 1), EndsOn: *date(2026, 10, 2), Closed: true}
	h := Hours{Slots: week(), Exceptions: []Exception{closure, old}}
	days := h.Week(*date(2026, 11, 25))
	want := []string{"09:00–12:00, 14:00–17:00", "09:00–12:00, 14:00–17:00", "", "10:00–12:00", "", "09:00–12:00, 14:00–17:00", "09:00–12:00, 14:00–17:00"}
	for i, d := range days {
		if got := d.Hours(); got != want[i] {
			t.Errorf("day %d (%s): %q, want %q", i, d.Date.Format(time.DateOnly), got, want[i])
		}
	}
	if days[2].Exception == nil || !days[2].Closed() {
		t.Errorf("Friday 27 should be closed by the exception")
	}
	if up := h.Upcoming(*date(2026, 11, 25)); len(up) != 1 || !up[0].StartsOn.Equal(closure.StartsOn) {
		t.Errorf("upcoming = %v, want the closure of the 27th only", up)
	}
}

func TestOSM(t *testing.T) {
	h := Hours{
		Slots: append(week(), season(slot(7, "08:00", "12:30"), date(2026, 11, 1), date(2027, 3, 31)), slot(7, "19:00", "08:00")),
		Exceptions: []Exception{
			{StartsOn: *date(2026, 12, 24), EndsOn: *date(2026, 12, 26), Closed: true},
			{StartsOn: *date(2026, 12, 31), EndsOn: *date(2026, 12, 31), Opens: 600, Closes: 780},
		},
	}
	want := "Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; Su 19:00-32:00; Nov 01-Mar 31 Su 08:00-12:30; " +
		"2026 Dec 24-2026 Dec 26 off; 2026 Dec 31 10:00-13:00"
	if got := h.OSM(); got != want {
		t.Errorf("OSM\n got %q\nwant %q", got, want)
	}
	if got := (Hours{Slots: []Slot{slot(1, "09:00", "12:00"), slot(3, "09:00", "12:00")}}).OSM(); got != "Mo 09:00-12:00; We 09:00-12:00" {
		t.Errorf("OSM of two separate days: %q", got)
	}
	if got := (Hours{Slots: []Slot{slot(1, "09:00", "12:00"), slot(2, "09:00", "12:00")}}).OSM(); got != "Mo,Tu 09:00-12:00" {
		t.Errorf("OSM of two days in a row: %q", got)
	}
}

func TestSpan(t *testing.T) {
	for _, c := range []struct {
		o, c   string
		ok     bool
		oo, cc int
	}{
		{"09:00", "12:00", true, 540, 720}, {"19:00", "08:00", true, 1140, 1920}, {"20:00", "24:00", true, 1200, 1440},
		{"00:00", "00:00", true, 0, 1440}, {"24:00", "02:00", false, 0, 0}, {"9:00", "12:00", false, 0, 0},
		{"09:60", "12:00", false, 0, 0}, {"25:00", "26:00", false, 0, 0}, {"ab:cd", "12:00", false, 0, 0}, {"", "", false, 0, 0},
	} {
		o, cl, ok := Span(c.o, c.c)
		if ok != c.ok || (ok && (o != c.oo || cl != c.cc)) {
			t.Errorf("Span(%q, %q) = %d, %d, %v", c.o, c.c, o, cl, ok)
		}
	}
}

func TestSay(t *testing.T) {
	h := Hours{Slots: week()}
	today := *date(2026, 11, 25)
	for _, c := range []struct {
		now  time.Time
		key  string
		time string
		day  int
	}{
		{paris(2026, 11, 25, 10, 0), "guide.status.open_until", "12:00", 0},
		{paris(2026, 11, 25, 13, 0), "guide.status.opens_today", "14:00", 0},
		{paris(2026, 11, 25, 18, 0), "guide.status.opens_tomorrow", "09:00", 0},
	} {
		l := Say(h.StatusAt(c.now), DateOf(c.now))
		if l.Key != c.key || l.Time != c.time || l.Day != c.day {
			t.Errorf("at %s: %+v", c.now, l)
		}
	}
	l := Say(h.StatusAt(paris(2026, 11, 28, 13, 0)), *date(2026, 11, 28))
	if l.Key != "guide.status.opens_on" || l.Day != 1 || l.Time != "09:00" {
		t.Errorf("Saturday afternoon: %+v", l)
	}
	closed := Hours{Exceptions: []Exception{{StartsOn: today, EndsOn: today.AddDate(0, 1, 0), Closed: true}}}
	if l := Say(closed.StatusAt(paris(2026, 11, 25, 10, 0)), today); l.Key != "guide.status.closed_temporarily" {
		t.Errorf("closed for a month: %+v", l)
	}
	if l := Say(Hours{}.StatusAt(paris(2026, 11, 25, 10, 0)), today); l.Key != "guide.status.no_hours" || l.Known {
		t.Errorf("no hours: %+v", l)
	}
}

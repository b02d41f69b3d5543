package rules

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// day parses "YYYY-MM-DD" as a time for Simulate.
func day(s string) time.Time { return MustDate(s).Time() }

// d parses "YYYY-MM-DD" ("" gives the zero Date).
func d(s string) Date {
	if s == "" {
		return Date{}
	}
	return MustDate(s)
}

// simCase is one table-driven case for one right. ref is the legal reference
// (or "rights.md §…" source) the case exercises: it must appear in the
// result's References (or Sources).
type simCase struct {
	name        string
	ref         string
	at          string
	s           Situation
	want        Outcome
	level       Level  // checked when set
	opens       string // checked when set
	until       string // checked when set
	reason      string // a message ID expected among the reasons
	note        string // a message ID expected among the notes
	unconfirmed *bool  // checked when set
}

var (
	yes = new(true)
	no  = new(false)
)

func runCases(t *testing.T, right RightID, cases []simCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name+" ["+tc.ref+"]", func(t *testing.T) {
			if err := tc.s.Validate(); err != nil {
				t.Fatalf("invalid case situation: %v", err)
			}
			res := Simulate(tc.s, day(tc.at))
			r, ok := res.Right(right)
			if !ok {
				t.Fatalf("right %s missing from result", right)
			}
			if r.Outcome != tc.want {
				t.Errorf("outcome = %s, want %s; reasons %v", r.Outcome, tc.want, ids(r.Reasons))
			}
			if tc.level != "" && r.Level != tc.level {
				t.Errorf("level = %q, want %q", r.Level, tc.level)
			}
			if tc.opens != "" && !r.OpensOn.Equal(d(tc.opens)) {
				t.Errorf("opens on %s, want %s", r.OpensOn, tc.opens)
			}
			if tc.until != "" && !r.Until.Equal(d(tc.until)) {
				t.Errorf("until %s, want %s", r.Until, tc.until)
			}
			if tc.reason != "" && !slices.Contains(ids(r.Reasons), tc.reason) {
				t.Errorf("reason %s missing; reasons %v", tc.reason, ids(r.Reasons))
			}
			if tc.note != "" && !slices.Contains(ids(r.Notes), tc.note) {
				t.Errorf("note %s missing; notes %v", tc.note, ids(r.Notes))
			}
			if tc.unconfirmed != nil && r.Unconfirmed != *tc.unconfirmed {
				t.Errorf("unconfirmed = %v, want %v", r.Unconfirmed, *tc.unconfirmed)
			}
			if tc.ref == "" {
				t.Fatal("every case must name its legal reference or source")
			}
			if strings.HasPrefix(tc.ref, "rights.md") {
				if !slices.ContainsFunc(r.Sources, func(s string) bool { return strings.HasPrefix(s, tc.ref) }) {
					t.Errorf("source %q missing from %v", tc.ref, r.Sources)
				}
			} else if !slices.Contains(r.References, tc.ref) {
				t.Errorf("reference %q missing from %v", tc.ref, r.References)
			}
		})
	}
}

func ids(ms []Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

// Common situations.
var (
	child = func(e ChildEntry) Child { return Child{Age: 6, Entry: e} }
	money = func(euros int64) Money { return Euros(euros, 0) }
)

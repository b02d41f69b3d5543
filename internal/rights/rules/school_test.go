package rules

import "testing"

func TestSchool(t *testing.T) {
	runCases(t, RightSchool, []simCase{
		{name: "children are enrolled whatever the status", ref: "rights.md §10", at: "2025-06-01",
			s:    Situation{Status: StatusNoPermit, Children: []Child{child(""), child("")}},
			want: Eligible, reason: "rights.school.reason.unconditional"},
		{name: "no children", ref: "rights.md §10", at: "2025-06-01",
			s: Situation{Status: StatusVPF}, want: NotEligible},
		{name: "unaccompanied minor", ref: "rights.md §10", at: "2025-06-01",
			s: Situation{Status: StatusMinorInCare}, want: Eligible, reason: "rights.school.reason.minor_self"},
	})
}

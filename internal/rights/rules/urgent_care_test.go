package rules

import "testing"

func TestUrgentCare(t *testing.T) {
	over := noPermit("2024-01-01", money(2000))
	runCases(t, RightUrgentCare, []simCase{
		{name: "adult asylum seeker during the PUMa wait", ref: "L. 254-1 CASF", at: "2025-06-01",
			s:    Situation{Status: StatusAsylumNormal, Age: 30, ArrivedOn: d("2025-05-01")},
			want: Eligible, until: "2025-07-31", reason: "rights.urgent_care.reason.asylum_wait"},
		{name: "no title, under 3 months", ref: "L. 254-1 CASF", at: "2025-06-01",
			s: noPermit("2025-05-01", 0), want: Eligible, until: "2025-07-31", reason: "rights.urgent_care.reason.ame_wait"},
		{name: "refugee has PUMa", ref: "L. 254-1 CASF", at: "2025-06-01",
			s: Situation{Status: StatusRefugee}, want: NotEligible, reason: "rights.urgent_care.reason.covered_puma"},
		{name: "no title with AME", ref: "L. 254-1 CASF", at: "2025-06-01",
			s: noPermit("2024-01-01", 0), want: NotEligible, reason: "rights.urgent_care.reason.covered_ame"},
		{name: "cover to check", ref: "L. 254-1 CASF", at: "2025-06-01",
			s: Situation{Status: StatusNoPermit}, want: Maybe, reason: "rights.urgent_care.reason.check_cover"},
		{name: "over the AME ceiling: not covered by the note", ref: "L. 254-1 CASF", at: "2025-06-01",
			s: over, want: Unknown, reason: "rights.urgent_care.reason.not_covered"},
	})
}

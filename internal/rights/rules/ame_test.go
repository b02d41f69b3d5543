package rules

import "testing"

func noPermit(arrived string, monthly Money) Situation {
	return Situation{Status: StatusNoPermit, Age: 35, ArrivedOn: d(arrived), MonthlyResources: monthly, ResourcesKnown: true}
}

func TestAME(t *testing.T) {
	couple := noPermit("2023-01-01", money(500))
	couple.Adults = 2
	noAddress := noPermit("2025-01-01", 0)
	noAddress.Address = AddressNone
	runCases(t, RightAME, []simCase{
		{name: "more than 3 months, under the ceiling", ref: "L. 251-1 CASF", at: "2025-06-01",
			s: noPermit("2025-01-01", money(600)), want: Eligible, reason: "rights.ame.reason.under_ceiling"},
		{name: "under 3 months of presence", ref: "L. 251-1 CASF", at: "2025-06-01",
			s: noPermit("2025-05-01", money(600)), want: NotEligible, opens: "2025-08-01", reason: "rights.ame.reason.presence_wait"},
		{name: "minor: no 3-month condition", ref: "circulaire du 7 janvier 2008", at: "2025-06-01",
			s:    Situation{Status: StatusMinorAssessment, ArrivedOn: d("2025-05-20"), ResourcesKnown: true},
			want: Eligible, reason: "rights.ame.reason.minor_no_wait"},
		{name: "over the ceiling", ref: "L. 251-1 CASF", at: "2025-06-01",
			s: noPermit("2024-01-01", money(1000)), want: NotEligible, reason: "rights.ame.reason.over_ceiling"},
		{name: "refused asylum seeker still on PUMa", ref: "R. 111-4 CSS", at: "2026-11-25",
			s:    Situation{Status: StatusAsylumRefused, StatusValidUntil: d("2026-08-15"), ResourcesKnown: true},
			want: NotEligible, opens: "2027-03-01", reason: "rights.ame.reason.covered_by_puma"},
		{name: "refugee: regular stay", ref: "L. 251-1 CASF", at: "2025-06-01",
			s: Situation{Status: StatusRefugee}, want: NotEligible, reason: "rights.ame.reason.regular_stay"},
		{name: "ceiling stale after 31 Mar 2026", ref: "L. 251-1 CASF", at: "2026-11-25",
			s: noPermit("2025-01-01", money(500)), want: Maybe, reason: "rights.common.reason.ceiling_stale"},
		{name: "no resources in 2026, with the décret 2026-67 note", ref: "décret n° 2026-67", at: "2026-11-25",
			s: noPermit("2025-01-01", 0), want: Eligible, note: "rights.ame.note.decree_2026", unconfirmed: yes},
		{name: "arrival unknown", ref: "L. 251-1 CASF", at: "2025-06-01",
			s:    Situation{Status: StatusNoPermit, MonthlyResources: money(500), ResourcesKnown: true},
			want: Maybe, reason: "rights.ame.reason.presence_unknown"},
		{name: "two persons before April 2025: ceiling unknown", ref: "L. 251-1 CASF", at: "2024-06-01",
			s: couple, want: Unknown},
		{name: "stateless applicant", ref: "L. 251-1 CASF", at: "2025-06-01",
			s: Situation{Status: StatusStatelessApplicant}, want: Maybe},
		{name: "9-month wait for planned care", ref: "décret n° 2020-1325", at: "2025-06-01",
			s: noAddress, want: Eligible, note: "rights.ame.note.nine_months"},
	})
}

func TestAMEAsksForDomiciliation(t *testing.T) {
	s := noPermit("2025-01-01", 0)
	s.Address = AddressNone
	r, _ := Simulate(s, day("2025-06-01")).Right(RightAME)
	if len(r.Documents) != 2 || r.Documents[0] != DocAME || r.Documents[1] != DocDomiciliation {
		t.Errorf("documents = %v, want [ame domiciliation]", r.Documents)
	}
}

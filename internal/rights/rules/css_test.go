package rules

import "testing"

// refugeeSingle is covered by PUMa at once, so the CSS tests exercise the
// resource ceilings only.
func refugeeSingle(monthly Money) Situation {
	return Situation{Status: StatusRefugee, Age: 30, MonthlyResources: monthly, ResourcesKnown: true}
}

func TestCSSFree(t *testing.T) {
	fam4 := refugeeSingle(money(1800))
	fam4.Adults, fam4.Children = 2, []Child{child(EntryBornInFrance), child(EntryBornInFrance)}
	fam6 := refugeeSingle(money(2400))
	fam6.Adults, fam6.Children = 2, []Child{child(""), child(""), child(""), child("")}
	couple2024 := refugeeSingle(money(600))
	couple2024.Adults = 2
	runCases(t, RightCSSFree, []simCase{
		{name: "single under the 2025 ceiling (9 600 ≤ 10 339)", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: refugeeSingle(money(800)), want: Eligible, reason: "rights.css_free.reason.under_ceiling"},
		{name: "single over the 2025 ceiling", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: refugeeSingle(money(1000)), want: NotEligible, reason: "rights.css_free.reason.over_ceiling"},
		{name: "4 persons under 21 711", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: fam4, want: Eligible},
		{name: "6 persons: 21 711 + 2 × 4 135 = 29 981", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: fam6, want: Eligible},
		{name: "2024 ceiling 10 166 for one person", ref: "L. 861-1 CSS", at: "2024-06-01",
			s: refugeeSingle(money(800)), want: Eligible},
		{name: "2023 ceiling 9 719: 9 840 is over", ref: "L. 861-1 CSS", at: "2023-06-01",
			s: refugeeSingle(money(820)), want: NotEligible},
		{name: "2024, two persons: ceiling unknown", ref: "L. 861-1 CSS", at: "2024-06-01",
			s: couple2024, want: Unknown, reason: "rights.common.reason.ceiling_unknown"},
		{name: "after 31 Mar 2026 the ceiling is stale", ref: "L. 861-1 CSS", at: "2026-11-25",
			s: refugeeSingle(money(800)), want: Maybe, reason: "rights.common.reason.ceiling_stale", unconfirmed: yes},
		{name: "no resources: eligible whatever the ceiling", ref: "L. 861-1 CSS", at: "2026-11-25",
			s: refugeeSingle(0), want: Eligible, reason: "rights.common.reason.no_resources"},
		{name: "resources not entered", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: Situation{Status: StatusRefugee, Age: 30}, want: Maybe, reason: "rights.common.reason.resources_unknown"},
		{name: "asylum seeker in the PUMa wait", ref: "L. 861-1 CSS", at: "2025-06-01",
			s:    Situation{Status: StatusAsylumNormal, Age: 30, ArrivedOn: d("2025-05-01"), ResourcesKnown: true},
			want: NotEligible, opens: "2025-08-01", reason: "rights.css.reason.puma_not_yet"},
		{name: "no title: no PUMa, no CSS", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: Situation{Status: StatusNoPermit, ResourcesKnown: true}, want: NotEligible, reason: "rights.css.reason.no_puma"},
		{name: "RSA recipient: automatic", ref: "L. 861-1 CSS", at: "2025-06-01",
			s:    Situation{Status: StatusRefugee, Age: 30, Benefits: []Benefit{BenefitRSA}},
			want: Eligible, level: LevelCSSAutoWithRSA},
		{name: "minor in ASE care", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: Situation{Status: StatusMinorInCare}, want: Eligible, level: LevelCareViaASE},
		{name: "PUMa kept after expiry: CSS kept too", ref: "R. 111-4 CSS", at: "2026-11-25",
			s:    Situation{Status: StatusAsylumRefused, StatusValidUntil: d("2026-08-15"), ResourcesKnown: true},
			want: Eligible, until: "2027-02-28"},
	})
}

func TestCSSContribution(t *testing.T) {
	runCases(t, RightCSSContribution, []simCase{
		{name: "between the ceilings (10 339 < 12 000 ≤ 13 957)", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: refugeeSingle(money(1000)), want: Eligible, reason: "rights.css_contribution.reason.between_ceilings"},
		{name: "under the first ceiling: free instead", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: refugeeSingle(money(800)), want: NotEligible, reason: "rights.css_contribution.reason.free_instead"},
		{name: "over the second ceiling", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: refugeeSingle(money(1200)), want: NotEligible, reason: "rights.css_contribution.reason.over_ceiling"},
		{name: "2024: contribution ceiling unknown", ref: "L. 861-1 CSS", at: "2024-06-01",
			s: refugeeSingle(money(1000)), want: Unknown, reason: "rights.common.reason.ceiling_unknown"},
		{name: "after 31 Mar 2026: stale", ref: "L. 861-1 CSS", at: "2026-11-25",
			s: refugeeSingle(money(1000)), want: Maybe, unconfirmed: yes},
		{name: "RSA recipient has free CSS", ref: "L. 861-1 CSS", at: "2025-06-01",
			s:    Situation{Status: StatusRefugee, Age: 30, Benefits: []Benefit{BenefitRSA}},
			want: NotEligible, reason: "rights.css_contribution.reason.free_instead"},
		{name: "no PUMa", ref: "L. 861-1 CSS", at: "2025-06-01",
			s: Situation{Status: StatusNoPermit}, want: NotEligible},
	})
}

package rules

import "testing"

func TestRSA(t *testing.T) {
	single := func(st StatusID, since string, monthly Money) Situation {
		return Situation{Status: st, Age: 30, WorkTitleSince: d(since), MonthlyResources: monthly, ResourcesKnown: true}
	}
	young := single(StatusVPF, "2015-01-01", 0)
	young.Age, young.BirthDate = 0, d("2001-03-10")
	youngParent := single(StatusRefugee, "", 0)
	youngParent.Age, youngParent.Children = 22, []Child{child(EntryBornInFrance)}
	loneParent := single(StatusVPF, "2023-06-01", 0)
	loneParent.Children = []Child{child(EntryBornInFrance)}
	couple := single(StatusResidentCard, "", money(500))
	couple.Adults = 2
	reunif := single(StatusFamilyReunionProtected, "", 0)
	reunif.Basis = StatusRefugee
	noAge := single(StatusRefugee, "", 0)
	noAge.Age = 0
	runCases(t, RightRSA, []simCase{
		// OpenFisca-France's rsa_condition_nationalite would answer no here
		// (rights.md §12.2 point 2): L. 262-4 exempts refugees.
		{name: "refugee aged 30 with 0 years of title", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: single(StatusRefugee, "", 0), want: Eligible, reason: "rights.rsa.reason.exempt_status"},
		{name: "VPF for 4 years 5 months", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: single(StatusVPF, "2021-01-01", 0), want: NotEligible, opens: "2026-01-01", reason: "rights.rsa.reason.five_years_wait"},
		{name: "VPF for exactly 5 years (OpenFisca: 5 passes)", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: single(StatusVPF, "2020-06-01", 0), want: Eligible, reason: "rights.rsa.reason.five_years_ok"},
		{name: "VPF for 4.9 years (OpenFisca: 4.9 fails)", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: single(StatusVPF, "2020-07-01", 0), want: NotEligible},
		{name: "under 25 without a child", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: young, want: NotEligible, opens: "2026-03-10", reason: "rights.rsa.reason.age"},
		{name: "under 25 with a child", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: youngParent, want: Eligible, reason: "rights.rsa.reason.has_child"},
		{name: "lone parent with a regular title: majoration route (OpenFisca rsa_socle_majore)", ref: "L. 262-9 CASF", at: "2025-06-01",
			s: loneParent, want: Maybe, reason: "rights.rsa.reason.lone_parent"},
		{name: "asylum seeker", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: Situation{Status: StatusAsylumNormal, Age: 30}, want: NotEligible, reason: "rights.rsa.reason.asylum_seeker"},
		{name: "no title", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: Situation{Status: StatusNoPermit, Age: 30}, want: NotEligible, reason: "rights.rsa.reason.no_title"},
		{name: "single, resources 700 ≥ 646.52", ref: "décret n° 2025-293", at: "2025-06-01",
			s: single(StatusResidentCard, "", money(700)), want: NotEligible, reason: "rights.rsa.reason.resources_over"},
		{name: "single, resources under the amount", ref: "décret n° 2025-293", at: "2025-06-01",
			s: single(StatusResidentCard, "", money(300)), want: Eligible, reason: "rights.rsa.reason.resources_under"},
		{name: "April 2026 amount is unconfirmed", ref: "décret n° 2025-293", at: "2026-05-01",
			s: single(StatusResidentCard, "", money(300)), want: Maybe, reason: "rights.common.reason.amount_unconfirmed", unconfirmed: yes},
		{name: "student: in practice excluded", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: single(StatusStudent, "2019-01-01", 0), want: Maybe, reason: "rights.rsa.reason.student"},
		{name: "couple: the CAF computes the amount", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: couple, want: Maybe, reason: "rights.rsa.reason.household_amount"},
		{name: "family of a refugee: carte de résident", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: reunif, want: Eligible},
		{name: "age unknown", ref: "L. 262-4 CASF", at: "2025-06-01",
			s: noAge, want: Maybe, reason: "rights.rsa.reason.age_unknown"},
		{name: "RSA amount unknown before April 2025", ref: "L. 262-4 CASF", at: "2024-06-01",
			s: single(StatusResidentCard, "", money(300)), want: Maybe, reason: "rights.rsa.reason.amount_unknown"},
		{name: "renewal gaps do not break the 5 years", ref: "CE 22 oct. 2018 n° 413592", at: "2025-06-01",
			s: single(StatusEmployee, "", 0), want: Maybe, reason: "rights.rsa.reason.five_years_unknown"},
	})
}

package rules

import "testing"

func TestFamilyBenefits(t *testing.T) {
	parent := func(st StatusID, entries ...ChildEntry) Situation {
		s := Situation{Status: st, Age: 35}
		for _, e := range entries {
			s.Children = append(s.Children, child(e))
		}
		return s
	}
	apsLong := parent(StatusAPSSickChild, EntryBornInFrance)
	apsLong.StatusGrantedOn, apsLong.StatusValidUntil = d("2026-01-01"), d("2026-06-30")
	apsShort := apsLong
	apsShort.StatusValidUntil = d("2026-03-15")
	first := parent(StatusReceipt, EntryBornInFrance)
	first.Interim, first.Basis = InterimFirst, StatusVPF
	runCases(t, RightFamilyBenefits, []simCase{
		{name: "children of a refugee", ref: "D. 512-2 CSS", at: "2026-06-01",
			s: parent(StatusRefugee, EntryOther, EntryOther), want: Eligible, reason: "rights.family.reason.children_of_protected"},
		{name: "VPF, child born in France", ref: "D. 512-1 CSS", at: "2026-06-01",
			s: parent(StatusVPF, EntryBornInFrance), want: Eligible, reason: "rights.family.reason.parent_title"},
		{name: "VPF, child came outside reunification", ref: "D. 512-2 CSS", at: "2026-06-01",
			s: parent(StatusVPF, EntryOther), want: Maybe, note: "rights.family.note.vpf_children"},
		{name: "employee, child came outside reunification", ref: "D. 512-2 CSS", at: "2026-06-01",
			s: parent(StatusEmployee, EntryOther), want: NotEligible, reason: "rights.family.reason.children_outside_reunion"},
		{name: "employee, child's entry unknown", ref: "D. 512-2 CSS", at: "2026-06-01",
			s: parent(StatusEmployee, ""), want: Maybe},
		{name: "family reunification with OFII medical certificate", ref: "D. 512-2 CSS", at: "2026-06-01",
			s: parent(StatusFamilyReunionResident, EntryFamilyReunion), want: Eligible},
		{name: "asylum seeker: ATDA not on the lists (unconfirmed)", ref: "D. 512-1 CSS", at: "2026-06-01",
			s: parent(StatusAsylumNormal, EntryBornInFrance), want: NotEligible, note: "rights.family.note.atda_unconfirmed", unconfirmed: yes},
		{name: "no title", ref: "L. 512-2 CSS", at: "2026-06-01",
			s: parent(StatusNoPermit, EntryBornInFrance), want: NotEligible},
		{name: "APS over 3 months", ref: "D. 512-1 CSS", at: "2026-06-01",
			s: apsLong, want: Eligible, reason: "rights.family.reason.aps_over_3_months"},
		{name: "APS of 3 months or less", ref: "D. 512-1 CSS", at: "2026-03-01",
			s: apsShort, want: NotEligible, reason: "rights.family.reason.aps_short"},
		{name: "first-application receipt not on the list read", ref: "D. 512-1 CSS", at: "2026-06-01",
			s: first, want: Maybe, reason: "rights.family.reason.receipt_not_listed", unconfirmed: yes},
		{name: "no children", ref: "L. 512-2 CSS", at: "2026-06-01",
			s: parent(StatusResidentCard), want: NotEligible, reason: "rights.family.reason.no_children"},
		{name: "no 5-year condition (2023-863 DC)", ref: "décision n° 2023-863 DC", at: "2026-06-01",
			s: parent(StatusResidentCard, EntryBornInFrance), want: Eligible, note: "rights.family.note.no_five_years"},
	})
}

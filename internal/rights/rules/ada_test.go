package rules

import "testing"

// asylumSeeker is an adult in the normal procedure who accepted the CMA and
// filed at OFPRA within 21 days, with no resources.
func asylumSeeker(acc AccommodationKind) Situation {
	return Situation{Status: StatusAsylumNormal, Age: 30, ArrivedOn: d("2025-02-20"),
		StatusGrantedOn: d("2025-03-01"), OFPRAFiledOn: d("2025-03-15"), CMAAccepted: Yes,
		Accommodation: acc, ResourcesKnown: true}
}

func TestADA(t *testing.T) {
	with := func(f func(*Situation)) Situation {
		s := asylumSeeker(AccommodationHoused)
		f(&s)
		return s
	}
	couple := with(func(s *Situation) {
		s.Accommodation, s.Adults, s.Children = AccommodationNotOffered, 2, []Child{child("")}
	})
	runCases(t, RightADA, []simCase{
		{name: "all conditions met, housed", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s: asylumSeeker(AccommodationHoused), want: Eligible, reason: "rights.ada.reason.conditions_met"},
		{name: "couple not housed: per-adult supplement unconfirmed", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s: couple, want: Eligible, note: "rights.ada.note.supplement_per_adult", unconfirmed: yes},
		{name: "OFPRA file after 21 days", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s:    with(func(s *Situation) { s.OFPRAFiledOn = d("2025-03-30") }),
			want: NotEligible, reason: "rights.ada.reason.filed_late"},
		{name: "accommodation refused ends the CMA", ref: "L. 551-1 CESEDA", at: "2025-06-01",
			s: asylumSeeker(AccommodationRefused), want: NotEligible, reason: "rights.ada.reason.accommodation_refused"},
		{name: "CMA refused", ref: "L. 551-1 CESEDA", at: "2025-06-01",
			s: with(func(s *Situation) { s.CMAAccepted = No }), want: NotEligible},
		{name: "CMA not asked", ref: "L. 551-1 CESEDA", at: "2025-06-01",
			s: with(func(s *Situation) { s.CMAAccepted = NotAsked }), want: Maybe, reason: "rights.ada.reason.cma_unknown"},
		{name: "under 18", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s: with(func(s *Situation) { s.Age = 17 }), want: NotEligible, reason: "rights.ada.reason.minor"},
		{name: "Dublin: no 21-day condition, paid until transfer", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s:    with(func(s *Situation) { s.Status, s.OFPRAFiledOn = StatusAsylumDublin, Date{} }),
			want: Eligible, note: "rights.ada.note.dublin_until_transfer"},
		{name: "after the EU Pact the rule is unconfirmed", ref: "L. 553-1 CESEDA", at: "2026-11-25",
			s: asylumSeeker(AccommodationHoused), want: Maybe, reason: "rights.common.reason.eu_pact_asylum_rule", unconfirmed: yes},
		{name: "refugee: ADA ends", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusRefugee}, want: NotEligible, reason: "rights.ada.reason.protection_ends"},
		{name: "refused: until the end of the month after the decision (unconfirmed)", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s:    Situation{Status: StatusAsylumRefused, StatusGrantedOn: d("2025-05-10")},
			want: Maybe, until: "2025-06-30", reason: "rights.ada.reason.refused_until"},
		{name: "refused long ago", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusAsylumRefused, StatusGrantedOn: d("2025-01-10")}, want: Maybe, reason: "rights.ada.reason.refused_ended"},
		{name: "single, resources over the RSA (700 ≥ 646.52)", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s:    with(func(s *Situation) { s.MonthlyResources = money(700) }),
			want: NotEligible, reason: "rights.ada.reason.resources_over_rsa"},
		{name: "single, resources under the unconfirmed April 2026 RSA", ref: "L. 553-1 CESEDA", at: "2026-05-01",
			s: with(func(s *Situation) {
				s.MonthlyResources, s.StatusGrantedOn, s.OFPRAFiledOn = money(500), d("2026-03-01"), d("2026-03-10")
			}),
			want: Maybe, reason: "rights.common.reason.amount_unconfirmed"},
		{name: "RSA amount unknown before April 2025", ref: "L. 553-1 CESEDA", at: "2024-06-01",
			s: with(func(s *Situation) {
				s.MonthlyResources, s.StatusGrantedOn, s.OFPRAFiledOn = money(300), d("2024-03-01"), d("2024-03-10")
			}),
			want: Maybe, reason: "rights.ada.reason.rsa_unknown"},
		{name: "21 days still running", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s:    with(func(s *Situation) { s.StatusGrantedOn, s.OFPRAFiledOn = d("2025-05-20"), Date{} }),
			want: Eligible, note: "rights.ada.note.file_before"},
		{name: "ATDA expired", ref: "L. 553-1 CESEDA", at: "2025-06-01",
			s: with(func(s *Situation) { s.StatusValidUntil = d("2025-05-31") }), want: NotEligible, reason: "rights.ada.reason.atda_expired"},
	})
}

// TestADAAmountOpenFisca reproduces the cases of OpenFisca-France
// tests/formulas/ada.yaml (rights.md §12.4) with ADADailyAmount.
func TestADAAmountOpenFisca(t *testing.T) {
	for _, tc := range []struct {
		name    string
		at      string
		days    int64
		persons int
		housed  bool
		want    Money
	}{
		{"2 adults + 3 children accommodated, Dec 2015 (632.40 €)", "2015-12-01", 31, 5, true, Euros(632, 40)},
		{"1 adult + 1 child not accommodated, Nov 2015, old 4.20 supplement (432 €)", "2015-11-01", 30, 2, false, Euros(432, 0)},
		{"1 adult not accommodated, 2025: 6.80 + 7.40", "2025-06-01", 1, 1, false, Euros(14, 20)},
		{"10 persons accommodated: 6.80 + 9 × 3.40 = 37.40", "2025-06-01", 1, 10, true, Euros(37, 40)},
	} {
		t.Run(tc.name+" [décret n° 2015-1329]", func(t *testing.T) {
			v, ok := ADADailyAmount(d(tc.at), tc.persons, tc.housed)
			if !ok {
				t.Fatal("amount unknown")
			}
			if got := v * Money(tc.days); got != tc.want {
				t.Errorf("amount = %s, want %s", got, tc.want)
			}
		})
	}
	if _, ok := ADADailyAmount(d("2015-10-31"), 1, true); ok {
		t.Error("ADA before 1 Nov 2015 must be unknown")
	}
	if _, ok := ADADailyAmount(d("2025-06-01"), 11, true); ok {
		t.Error("ADA above the 10-step scale must be unknown")
	}
}

func TestADAAmountInResult(t *testing.T) {
	s := asylumSeeker(AccommodationNotOffered)
	r, _ := Simulate(s, day("2025-06-01")).Right(RightADA)
	if len(r.Amounts) != 1 || r.Amounts[0].Value != Euros(14, 20) || r.Amounts[0].Unit != UnitCentsPerDay {
		t.Fatalf("amounts = %+v, want one of 14.20 €/day", r.Amounts)
	}
	if !r.Amounts[0].From.Equal(d("2018-06-02")) {
		t.Errorf("amount from %s, want 2018-06-02 (décret 2018-426)", r.Amounts[0].From)
	}
}

package rules

import "testing"

func TestTransport(t *testing.T) {
	rsaHolder := refugeeSingle(0)
	rsaHolder.Benefits = []Benefit{BenefitRSA}
	assCSS := Situation{Status: StatusResidentCard, Age: 50, Benefits: []Benefit{BenefitASS, BenefitCSSFree}}
	assOnly := Situation{Status: StatusEmployee, Age: 50, Benefits: []Benefit{BenefitASS}}
	runCases(t, RightTransport, []simCase{
		{name: "free CSS gives 75 %", ref: "L. 1113-1 C. transports", at: "2025-06-01",
			s: refugeeSingle(money(800)), want: Eligible, level: LevelTransport75, reason: "rights.transport.reason.css_free"},
		{name: "RSA household: free under IDFM ceilings", ref: "L. 1113-1 C. transports", at: "2025-06-01",
			s: rsaHolder, want: Maybe, level: LevelTransportFree},
		{name: "AME gives 50 % (IDFM 2025)", ref: "CE 9 oct. 2019", at: "2025-06-01",
			s: noPermit("2024-01-01", 0), want: Eligible, level: LevelTransport50, reason: "rights.transport.reason.ame"},
		{name: "AME 50 % after 2025 is unconfirmed", ref: "CE 9 oct. 2019", at: "2026-11-25",
			s: noPermit("2024-01-01", 0), want: Maybe, level: LevelTransport50, unconfirmed: yes},
		{name: "asylum seeker only through CSS", ref: "L. 1113-1 C. transports", at: "2025-06-01",
			s:    Situation{Status: StatusAsylumNormal, Age: 30, ArrivedOn: d("2025-05-01"), ResourcesKnown: true},
			want: NotEligible, opens: "2025-08-01", reason: "rights.transport.reason.asylum_via_css"},
		{name: "ASS and free CSS: free", ref: "L. 1113-1 C. transports", at: "2025-06-01",
			s: assCSS, want: Eligible, level: LevelTransportFree},
		{name: "ASS alone: 75 %", ref: "L. 1113-1 C. transports", at: "2025-06-01",
			s: assOnly, want: Eligible, level: LevelTransport75},
		{name: "rights still to check", ref: "L. 1113-1 C. transports", at: "2025-06-01",
			s: Situation{Status: StatusNoPermit}, want: Maybe, reason: "rights.transport.reason.depends"},
		{name: "no qualifying right", ref: "L. 1113-1 C. transports", at: "2025-06-01",
			s: refugeeSingle(money(3000)), want: NotEligible, reason: "rights.transport.reason.no_qualifying_right"},
	})
}

func TestTransportNavigoPrice(t *testing.T) {
	r, _ := Simulate(noPermit("2024-01-01", 0), day("2025-06-01")).Right(RightTransport)
	if len(r.Amounts) != 1 || r.Amounts[0].Value != Euros(44, 40) || !r.Amounts[0].From.Equal(d("2025-01-01")) {
		t.Errorf("amounts = %+v, want Navigo 50 %% at 44.40 € from 2025-01-01", r.Amounts)
	}
}

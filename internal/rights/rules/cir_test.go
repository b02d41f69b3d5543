package rules

import "testing"

func TestCIR(t *testing.T) {
	runCases(t, RightCIR, []simCase{
		{name: "refugee: first long-stay title", ref: "L. 413-2 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusRefugee}, want: Maybe, reason: "rights.cir.reason.first_title", note: "rights.cir.note.content"},
		{name: "student is exempt", ref: "L. 413-2 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusStudent}, want: NotEligible},
		{name: "asylum seeker: no CIR", ref: "L. 413-2 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusAsylumNormal}, want: NotEligible, note: "rights.cir.note.associations"},
		{name: "multi-year card: CIR already followed", ref: "L. 433-4 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusMultiYearCard, Basis: StatusVPF}, want: NotEligible},
		{name: "VPF in 2026: A2 and civic exam for a first multi-year card", ref: "loi n° 2024-42", at: "2026-02-01",
			s: Situation{Status: StatusVPF}, want: Maybe, note: "rights.cir.note.multi_year_a2"},
		{name: "VPF in 2025: no 2026 note", ref: "L. 413-2 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusVPF}, want: Maybe, unconfirmed: yes},
		{name: "PS in 2026: exemption unconfirmed", ref: "loi n° 2024-42", at: "2026-02-01",
			s: Situation{Status: StatusSubsidiaryProtection}, want: Maybe, note: "rights.cir.note.protection_exemption"},
		{name: "minor", ref: "L. 413-2 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusMinorInCare}, want: NotEligible},
	})
}

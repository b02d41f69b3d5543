package rules

import "testing"

func TestEmergencyAccommodation(t *testing.T) {
	runCases(t, RightEmergencyAccommodation, []simCase{
		{name: "no title, no address: unconditional", ref: "L. 345-2-2 CASF", at: "2025-06-01",
			s:    Situation{Status: StatusNoPermit, Address: AddressNone},
			want: Eligible, note: "rights.emergency.note.no_status_condition"},
		{name: "continuity until a suitable placement", ref: "L. 345-2-3 CASF", at: "2025-06-01",
			s: Situation{Status: StatusRefugee, Address: AddressDomiciliation}, want: Eligible},
		{name: "asylum seeker housed in the DNA", ref: "L. 552-1 CESEDA", at: "2025-06-01",
			s: Situation{Status: StatusAsylumNormal, Accommodation: AccommodationHoused}, want: NotEligible},
		{name: "young person under assessment: emergency reception", ref: "L. 221-2-4 CASF", at: "2025-06-01",
			s: Situation{Status: StatusMinorAssessment}, want: Eligible, reason: "rights.emergency.reason.minor_apu"},
		{name: "stable address", ref: "L. 345-2-2 CASF", at: "2025-06-01",
			s: Situation{Status: StatusVPF, Address: AddressStable}, want: NotEligible},
		{name: "address not asked", ref: "L. 345-2-2 CASF", at: "2025-06-01",
			s: Situation{Status: StatusVPF}, want: Maybe},
		{name: "minor appealing: not covered", ref: "rights.md §0.8", at: "2025-06-01",
			s: Situation{Status: StatusMinorContesting}, want: Unknown},
	})
}

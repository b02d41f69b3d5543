package rules

import "testing"

func TestDomiciliation(t *testing.T) {
	addr := func(st StatusID, a AddressKind) Situation { return Situation{Status: st, Age: 30, Address: a} }
	runCases(t, RightDomiciliation, []simCase{
		{name: "asylum seeker without accommodation: SPADA", ref: "L. 264-10 CASF", at: "2025-06-01",
			s:    Situation{Status: StatusAsylumNormal, Accommodation: AccommodationNotOffered},
			want: Eligible, level: LevelDomAsylum, reason: "rights.domiciliation.reason.spada"},
		{name: "asylum seeker housed in the DNA", ref: "L. 264-10 CASF", at: "2025-06-01",
			s:    Situation{Status: StatusAsylumDublin, Accommodation: AccommodationHoused},
			want: NotEligible, reason: "rights.domiciliation.reason.dna_address"},
		{name: "asylum seeker after the EU Pact", ref: "L. 264-10 CASF", at: "2026-11-25",
			s:    Situation{Status: StatusAsylumNormal, Accommodation: AccommodationNotOffered},
			want: Maybe, unconfirmed: yes},
		{name: "no title, no address: general scheme", ref: "L. 264-1 CASF", at: "2025-06-01",
			s: addr(StatusNoPermit, AddressNone), want: Eligible, level: LevelDomGeneral, note: "rights.domiciliation.note.access_ame"},
		{name: "stable address", ref: "L. 264-1 CASF", at: "2025-06-01",
			s: addr(StatusRefugee, AddressStable), want: NotEligible},
		{name: "already domiciled: renew within the year", ref: "D. 264-1 CASF", at: "2025-06-01",
			s: addr(StatusVPF, AddressDomiciliation), want: Eligible, reason: "rights.domiciliation.reason.already"},
		{name: "address not asked", ref: "L. 264-1 CASF", at: "2025-06-01",
			s: addr(StatusVPF, AddressUnknown), want: Maybe},
		{name: "minors not covered", ref: "rights.md §0.6", at: "2025-06-01",
			s: addr(StatusMinorContesting, AddressNone), want: Unknown},
	})
}

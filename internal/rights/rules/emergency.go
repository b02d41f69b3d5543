package rules

// Emergency accommodation (hébergement d'urgence), L. 345-2-2 and L. 345-2-3
// CASF (rights.md §0.8; FAS legal guide, 25 Sep 2025).
//
// Anyone without shelter and in medical, psychological or social distress has
// access at any time, and may stay until offered a suitable onward placement.
// No residence-status condition: refused asylum seekers and people under an
// OQTF cannot be turned away for that reason. Reached through the 115 / SIAO.
// Asylum seekers are housed in the DNA by OFII; otherwise this rule applies.
// Unaccompanied minors: emergency temporary reception by the département
// (L. 221-2-4 CASF, 5 days, extendable twice).
//
// OpenFisca-France has no counterpart (rights.md §12.1).

var emergencyRule = rule{
	id:      RightEmergencyAccommodation,
	refs:    []string{"L. 345-2-2 CASF", "L. 345-2-3 CASF", "L. 221-2-4 CASF", "R. 221-11 CASF", "L. 552-1 CESEDA"},
	sources: []string{"FAS legal guide (25 Sep 2025)", "InfoMIE (APU)", "rights.md §0.8, §11 (November 2026)"},
	docs:    []string{DocEmergencyHousing},
	fn:      emergency,
}

func emergency(c *ctx) RightResult {
	var r RightResult
	s := c.s
	switch s.Status {
	case StatusMinorAssessment:
		r.set(Eligible, msg("rights.emergency.reason.minor_apu"), "L. 221-2-4 CASF", "R. 221-11 CASF")
		return r
	case StatusMinorInCare:
		r.set(NotEligible, msg("rights.emergency.reason.minor_ase"))
		return r
	case StatusMinorContesting:
		// §11: "mineurs en recours" often have no shelter; the research note
		// gives no rule for them.
		r.set(Unknown, msg("rights.emergency.reason.minor_contesting"))
		return r
	}
	if s.Status.isAsylumSeeker() && s.Accommodation == AccommodationHoused {
		r.set(NotEligible, msg("rights.emergency.reason.dna_housed"), "L. 552-1 CESEDA")
		return r
	}
	switch s.Address {
	case AddressStable:
		r.set(NotEligible, msg("rights.emergency.reason.stable_address"), "L. 345-2-2 CASF")
		return r
	case AddressUnknown:
		r.set(Maybe, msg("rights.emergency.reason.unconditional"), "L. 345-2-2 CASF", "L. 345-2-3 CASF")
	default:
		r.set(Eligible, msg("rights.emergency.reason.unconditional"), "L. 345-2-2 CASF", "L. 345-2-3 CASF")
	}
	switch s.Status {
	case StatusAsylumRefused, StatusNoPermit:
		r.note(msg("rights.emergency.note.no_status_condition"))
	}
	if s.Status.isAsylumSeeker() {
		r.note(msg("rights.emergency.note.dna"), "L. 552-1 CESEDA")
	}
	r.docs(DocEmergencyHousing)
	return r
}

package rules

// Domiciliation (postal address), rights.md §0.6.
//
// General scheme (L. 264-1 ff. CASF): a person with no stable address registers
// with a CCAS (in Paris, the CASVP) or an approved body; it gives access to
// AME, legal aid and residence applications. The attestation lasts one year
// (D. 264-1 CASF per domifa.md; rights.md marks it "not re-read").
// Asylum seekers are outside the general scheme (L. 264-10 CASF): their address
// is their DNA accommodation, or otherwise a body under contract with OFII
// (SPADA), which ends the domiciliation once the person has accommodation or a
// stable address.
//
// OpenFisca-France has no domiciliation variable (rights.md §12.1).

var domiciliationRule = rule{
	id:      RightDomiciliation,
	refs:    []string{"L. 264-1 CASF", "D. 264-1 CASF", "L. 264-10 CASF"},
	sources: []string{"circulaire of 2008 and DGCS instruction of 10 Jun 2016", "Gisti; tricoteuses extract (CESEDA domiciliation section)", "domifa.md (D. 264-1)", "rights.md §0.6 (November 2026)"},
	docs:    []string{DocDomiciliation, DocAsylumAppoint},
	fn:      domiciliation,
}

func domiciliation(c *ctx) RightResult {
	var r RightResult
	s := c.s
	if s.Status.isMinorStatus() {
		r.set(Unknown, msg("rights.domiciliation.reason.minor_not_covered"))
		return r
	}
	if s.Status.isAsylumSeeker() {
		r.Level = LevelDomAsylum
		switch {
		case s.Address == AddressStable:
			r.set(NotEligible, msg("rights.domiciliation.reason.stable_address"), "L. 264-10 CASF")
		case s.Accommodation == AccommodationHoused:
			r.set(NotEligible, msg("rights.domiciliation.reason.dna_address"), "L. 264-10 CASF")
		default:
			r.set(Eligible, msg("rights.domiciliation.reason.spada"), "L. 264-10 CASF")
			r.docs(DocAsylumAppoint)
		}
		c.pactReason(&r)
		return r
	}
	r.Level = LevelDomGeneral
	switch s.Address {
	case AddressStable:
		r.set(NotEligible, msg("rights.domiciliation.reason.stable_address"), "L. 264-1 CASF")
		r.Level = ""
	case AddressDomiciliation:
		r.set(Eligible, msg("rights.domiciliation.reason.already"), "L. 264-1 CASF", "D. 264-1 CASF")
		r.docs(DocDomiciliation)
	case AddressNone:
		r.set(Eligible, msg("rights.domiciliation.reason.general"), "L. 264-1 CASF")
		r.docs(DocDomiciliation)
	default:
		r.set(Maybe, msg("rights.domiciliation.reason.address_unknown"), "L. 264-1 CASF")
		r.docs(DocDomiciliation)
	}
	if r.Outcome != NotEligible {
		r.note(msg("rights.domiciliation.note.one_year"), "D. 264-1 CASF")
		switch s.Status {
		case StatusNoPermit, StatusAsylumRefused, StatusFilingCertificate, StatusStatelessApplicant:
			r.note(msg("rights.domiciliation.note.access_ame"))
		}
	}
	return r
}

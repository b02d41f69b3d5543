package rules

// Contrat d'intégration républicaine (CIR) and French courses, L. 413-2 ff.
// CESEDA (rights.md §0.7; OFII pages, about 2021).
//
// Signed at OFII by first-time holders of a long-stay title (refugees and
// subsidiary-protection beneficiaries included): civic course of 4 days / 24 h,
// French course of 100 to 600 h aimed at A1. Students and some other
// categories are exempt (exact list UNCONFIRMED). No CIR for asylum seekers,
// people without a title, or minors. From 1 Jan 2026 a first carte
// pluriannuelle requires A2 and a passed civic exam, a first carte de résident
// B1; whether this applies to protection beneficiaries and Algerians is
// UNCONFIRMED.
//
// OpenFisca-France has no counterpart (rights.md §12.1).

var cirRule = rule{
	id:      RightCIR,
	refs:    []string{"L. 413-2 CESEDA", "L. 433-4 CESEDA", "loi n° 2024-42", "décret du 15 juillet 2025"},
	sources: []string{"OFII CIR pages (about 2021)", "Centre Inffo (Jul 2025), press (Jan 2026)", "rights.md §0.7 (November 2026)"},
	docs:    []string{DocFrenchCourse},
	fn:      cir,
}

func cir(c *ctx) RightResult {
	var r RightResult
	const ref = "L. 413-2 CESEDA"
	s := c.s
	eff := c.effective()
	switch {
	case s.Status.isMinorStatus():
		r.set(NotEligible, msg("rights.cir.reason.minor"), ref)
		return r
	case s.Status.isAsylumSeeker() || s.Status == StatusAsylumRefused || s.Status == StatusNoPermit ||
		s.Status == StatusFilingCertificate || s.Status == StatusStatelessApplicant:
		r.set(NotEligible, msg("rights.cir.reason.no_title"), ref)
		r.note(msg("rights.cir.note.associations"))
		return r
	case eff == StatusStudent:
		r.set(NotEligible, msg("rights.cir.reason.student"), ref)
		return r
	case s.Status == StatusMultiYearCard:
		// L. 433-4: the multi-year card requires taking part in the CIR.
		r.set(NotEligible, msg("rights.cir.reason.already_multi_year"), "L. 433-4 CESEDA")
		if !c.at.Before(Integration2026Since) {
			r.note(msg("rights.cir.note.resident_b1", "Date", Integration2026Since), "loi n° 2024-42")
		}
		return r
	case s.Status == StatusAPSSickChild || s.Status == StatusAPSTreatment:
		r.set(Unknown, msg("rights.cir.reason.aps_not_covered"))
		return r
	}
	r.set(Maybe, msg("rights.cir.reason.first_title"), ref)
	r.note(msg("rights.cir.note.content"))
	r.note(uncMsg("rights.cir.note.exemptions"))
	if !c.at.Before(Integration2026Since) {
		switch eff {
		case StatusResidentCard, StatusRefugee:
		default:
			if s.Status != StatusTemporaryWorker {
				r.note(msg("rights.cir.note.multi_year_a2", "Date", Integration2026Since), "loi n° 2024-42", "décret du 15 juillet 2025")
			}
		}
		r.note(msg("rights.cir.note.resident_b1", "Date", Integration2026Since), "loi n° 2024-42")
		switch {
		case eff == StatusRefugee || eff == StatusSubsidiaryProtection || eff == StatusStateless:
			r.note(uncMsg("rights.cir.note.protection_exemption"))
		case s.Nationality == "DZ":
			r.note(uncMsg("rights.cir.note.algerian"))
		}
	}
	r.docs(DocFrenchCourse)
	return r
}

package rules

// Aide médicale de l'État (AME), L. 251-1 ff. CASF (rights.md §0.2, §10).
//
// For people living in France irregularly, after more than 3 months of
// uninterrupted residence, with resources below the CSS-without-contribution
// ceiling. Minors are exempt from the 3 months (circulaire of 7 Jan 2008).
// Décret 2020-1325: some planned hospital care only after 9 months of AME;
// care up to 90 days before the application can be covered.
//
// OpenFisca-France has no AME variable (rights.md §12.2 point 1).

var ameRule = rule{
	id: RightAME,
	refs: []string{"L. 251-1 CASF", "décret n° 2020-1325", "décret n° 2026-67", "circulaire du 7 janvier 2008",
		"R. 111-4 CSS"},
	sources: []string{"ASH (AME, 2020)", "tricoteuses / Légifrance extract of décret 2026-67 (Feb 2026)",
		"rights.md §0.2, §10 (November 2026)"},
	docs: []string{DocAME, DocDomiciliation},
	fn:   ame,
}

func ame(c *ctx) RightResult {
	var r RightResult
	r.docs(DocAME)
	s := c.s
	const ref = "L. 251-1 CASF"
	switch s.Status {
	case StatusAsylumRefused, StatusNoPermit, StatusFilingCertificate, StatusMinorAssessment, StatusMinorContesting:
		// Irregular stay (or, for young people not in care, AME with no
		// 3-month wait, §11).
	case StatusStatelessApplicant:
		// §7: depends on the person's own status, often AME.
		r.set(Maybe, msg("rights.ame.reason.stateless_applicant"), ref)
		ameNotes(c, &r)
		return r
	default:
		r.set(NotEligible, msg("rights.ame.reason.regular_stay"), ref)
		return r
	}
	p := c.result(RightPUMa)
	if p.Outcome == Eligible {
		// R. 111-4 CSS: PUMa is kept after the document expired.
		r.set(NotEligible, msg("rights.ame.reason.covered_by_puma", "Date", p.Until), ref, "R. 111-4 CSS")
		if !p.Until.IsZero() {
			r.OpensOn = p.Until.AddDays(1)
		}
		return r
	}
	minor, _ := c.minor()
	presence := triYes
	if minor {
		r.because(msg("rights.ame.reason.minor_no_wait"), "circulaire du 7 janvier 2008")
	} else {
		var opens Date
		presence, opens = c.presence3Months()
		switch presence {
		case triYes:
			r.because(msg("rights.ame.reason.presence_ok"), ref)
		case triNo:
			r.because(msg("rights.ame.reason.presence_wait", "Date", opens), ref)
			r.OpensOn = opens
		default:
			r.because(msg("rights.ame.reason.presence_unknown"), ref)
		}
	}
	ceil := CSSCeiling(CSSFree, s.householdSize(), c.at)
	t := c.resourcesUnder(ceil)
	r.because(c.ceilingReason("rights.ame", ceil, t), ref)
	if ceil.Usable() {
		r.Amounts = append(r.Amounts, ceilingAmount("rights.ame.amount.ceiling", ceil, s.householdSize()))
	}
	r.Outcome = outcomeOf(presence, t)
	if r.Outcome == Maybe && t == triUnknown && s.ResourcesKnown && ceil.Status == ParamUnknown && presence != triNo {
		r.Outcome = Unknown
	}
	if p.Outcome == Maybe {
		r.because(msg("rights.ame.reason.puma_to_check"), "R. 111-4 CSS")
		if r.Outcome == Eligible {
			r.Outcome = Maybe
		}
	}
	if s.Address == AddressNone || s.Address == AddressUnknown {
		r.docs(DocDomiciliation)
	}
	ameNotes(c, &r)
	return r
}

func ameNotes(c *ctx, r *RightResult) {
	r.note(msg("rights.ame.note.nine_months"), "décret n° 2020-1325")
	r.note(msg("rights.ame.note.retroactive"), "décret n° 2020-1325")
	r.note(uncMsg("rights.ame.note.one_year"))
	r.note(uncMsg("rights.ame.note.first_in_person"))
	if !c.at.Before(AMEDecree2026) {
		r.note(uncMsg("rights.ame.note.decree_2026", "Date", AMEDecree2026), "décret n° 2026-67")
	}
	if c.s.receives(BenefitAME) {
		r.note(msg("rights.common.note.already_receives"))
	}
}

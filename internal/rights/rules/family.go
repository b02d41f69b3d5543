package rules

// Family benefits (prestations familiales, CAF): L. 512-2, D. 512-1 and
// D. 512-2 CSS (rights.md §0.4).
//
// The parent must hold a title on the D. 512-1 list (carte de résident, carte
// de séjour temporaire, Algerian residence certificate, renewal récépissé, the
// récépissé for subsidiary protection, an APS valid for more than 3 months).
// Each child must show a regular situation (D. 512-2): born in France, entered
// through family reunification (OFII medical certificate), child of a refugee,
// subsidiary-protection beneficiary or stateless person, some children of VPF
// holders, or the prefecture's certificate that the child entered no later
// than the parent. The 5-year residence condition of the 2024 law was struck
// down (décision 2023-863 DC).
//
// OpenFisca-France has no regularity check for family benefits (rights.md
// §12.2 point 3): the simulator answers the regularity conditions only; the
// CAF computes the benefits themselves.

var familyRule = rule{
	id:   RightFamilyBenefits,
	refs: []string{"L. 512-2 CSS", "D. 512-1 CSS", "D. 512-2 CSS", "décision n° 2023-863 DC"},
	sources: []string{"legavox summary of D. 512-1 (décret 2006-234)", "service-public mirror and ASH on D. 512-2",
		"Club des juristes / Gazette (Jan 2024) on décision 2023-863 DC", "rights.md §0.4 (November 2026)"},
	docs: []string{DocCAF, DocBankAccount},
	fn:   family,
}

func family(c *ctx) RightResult {
	var r RightResult
	s := c.s
	if len(s.Children) == 0 {
		r.set(NotEligible, msg("rights.family.reason.no_children"), "L. 512-2 CSS")
		return r
	}
	// Parent's title.
	var parent tri
	switch {
	case s.Status.isAsylumSeeker():
		// §1: no CAF family benefits; whether the ATDA counts is UNCONFIRMED
		// (it is not in the lists read).
		r.set(NotEligible, msg("rights.family.reason.asylum_seeker"), "D. 512-1 CSS")
		r.note(uncMsg("rights.family.note.atda_unconfirmed"))
		return r
	case s.Status == StatusAsylumRefused || s.Status == StatusNoPermit || s.Status == StatusFilingCertificate ||
		s.Status == StatusStatelessApplicant:
		r.set(NotEligible, msg("rights.family.reason.no_title"), "L. 512-2 CSS", "D. 512-1 CSS")
		return r
	case s.Status.isMinorStatus():
		r.set(Unknown, msg("rights.family.reason.minor_not_covered"))
		return r
	case s.Status == StatusReceipt && s.Interim != InterimRenewal && !(s.Interim == InterimFirst && s.Basis == StatusSubsidiaryProtection):
		r.because(uncMsg("rights.family.reason.receipt_not_listed"), "D. 512-1 CSS")
		parent = triUnknown
	case s.Status == StatusAPSSickChild || s.Status == StatusAPSTreatment:
		parent = d512Title(c)
		switch parent {
		case triYes:
			r.because(msg("rights.family.reason.aps_over_3_months"), "D. 512-1 CSS")
		case triNo:
			r.set(NotEligible, msg("rights.family.reason.aps_short"), "D. 512-1 CSS")
			return r
		default:
			r.because(msg("rights.family.reason.aps_dates_unknown"), "D. 512-1 CSS")
		}
	default:
		parent = triYes
		r.because(msg("rights.family.reason.parent_title"), "L. 512-2 CSS", "D. 512-1 CSS")
	}
	// Children.
	eff := c.effective()
	protected := eff == StatusRefugee || eff == StatusSubsidiaryProtection || eff == StatusStateless ||
		s.Status == StatusFamilyReunionProtected
	vpfLike := eff == StatusVPF || eff == StatusSickForeigner || eff == StatusFamilyReunionResident
	var ok, maybe int
	for _, ch := range s.Children {
		switch {
		case protected, ch.Entry == EntryBornInFrance, ch.Entry == EntryFamilyReunion, ch.Entry == EntryWithParent:
			ok++
		case ch.Entry == EntryOther && !vpfLike:
		default:
			maybe++
		}
	}
	total := len(s.Children)
	if protected {
		r.because(msg("rights.family.reason.children_of_protected"), "D. 512-2 CSS")
	} else {
		r.because(countMsg("rights.family.reason.children_regular", total, "Regular", ok, "ToCheck", maybe), "D. 512-2 CSS")
	}
	child := triNo
	switch {
	case ok > 0:
		child = triYes
	case maybe > 0:
		child = triUnknown
	}
	if child == triNo {
		r.because(msg("rights.family.reason.children_outside_reunion"), "D. 512-2 CSS")
	}
	if maybe > 0 && vpfLike {
		r.note(msg("rights.family.note.vpf_children"))
	}
	r.Outcome = outcomeOf(parent, child)
	r.note(msg("rights.family.note.caf_computes"))
	r.note(msg("rights.family.note.no_five_years"), "décision n° 2023-863 DC")
	if r.Outcome != NotEligible {
		r.docs(DocCAF, DocBankAccount)
	}
	if s.receives(BenefitFamily) {
		r.note(msg("rights.common.note.already_receives"))
	}
	return r
}

package rules

// PUMa, protection universelle maladie (rights.md §0.2).
//
// L. 160-1 and L. 160-5 CSS: stable residence (more than 3 months without
// interruption, D. 160-2 CSS) and regular residence (a title on the list fixed
// by arrêté, R. 111-3 CSS). D. 160-2 II lifts the wait for refugees,
// subsidiary-protection beneficiaries and minor asylum seekers. Adult asylum
// seekers wait 3 months since 1 Jan 2020 (décret 2019-1531). R. 111-4 CSS:
// for non-EU nationals, PUMa and CSS cannot be closed before the end of the
// 6th month after the residence document expires.
//
// OpenFisca-France has no PUMa variable and no 3-month logic (rights.md
// §12.2 point 1): this rule has no counterpart there.

var pumaRule = rule{
	id: RightPUMa,
	refs: []string{"L. 160-1 CSS", "L. 160-5 CSS", "D. 160-2 CSS", "R. 111-3 CSS", "R. 111-4 CSS",
		"décret n° 2019-1531"},
	sources: []string{"D. 160-2 and R. 111-4 CSS via juriblio / tricoteuses (Légifrance extracts)",
		"décret n° 2019-1531 of 30 Dec 2019", "rights.md §0.2 (November 2026)"},
	docs: []string{DocPUMa},
	fn:   puma,
}

// proofBenefits are the benefits D. 160-2 accepts as proof of the 3 months.
var proofBenefits = []Benefit{BenefitFamily, BenefitHousing, BenefitASPA, BenefitAAH, BenefitCASFAid}

// keptUntil returns the last day R. 111-4 CSS keeps PUMa and CSS after the
// document expired: the end of the 6th month after the expiry month.
func keptUntil(expiry Date) Date {
	first := NewDate(expiry.Time().Year(), expiry.Time().Month(), 1)
	return first.AddMonths(6).EndOfMonth()
}

func puma(c *ctx) RightResult {
	var r RightResult
	r.docs(DocPUMa)
	s := c.s
	switch s.Status {
	case StatusMinorInCare:
		// §11: health cover through child welfare (ASE).
		r.set(Eligible, msg("rights.puma.reason.minor_ase"), "L. 160-1 CSS")
		r.Level = LevelCareViaASE
	case StatusMinorAssessment, StatusMinorContesting:
		r.set(NotEligible, msg("rights.puma.reason.minor_not_in_care"), "L. 160-1 CSS")
	case StatusStatelessApplicant:
		// §7: before recognition, health cover depends on the person's own
		// status (often AME).
		r.set(Maybe, msg("rights.puma.reason.stateless_applicant"), "L. 160-1 CSS")
	case StatusAsylumRefused, StatusNoPermit, StatusFilingCertificate:
		pumaIrregular(c, &r)
	default:
		pumaRegular(c, &r)
	}
	return r
}

// pumaIrregular: no regular residence; R. 111-4 keeps a right already open.
func pumaIrregular(c *ctx, r *RightResult) {
	s := c.s
	if s.StatusValidUntil.IsZero() {
		if s.Status == StatusAsylumRefused {
			r.set(Maybe, msg("rights.puma.reason.refused_expiry_unknown"), "R. 111-4 CSS")
			return
		}
		r.set(NotEligible, msg("rights.puma.reason.irregular"), "L. 160-1 CSS")
		return
	}
	until := keptUntil(s.StatusValidUntil)
	if c.at.After(until) {
		r.set(NotEligible, msg("rights.puma.reason.kept_ended", "Expiry", s.StatusValidUntil, "Until", until), "R. 111-4 CSS")
		return
	}
	r.set(Eligible, msg("rights.puma.reason.kept_after_expiry", "Expiry", s.StatusValidUntil, "Until", until), "R. 111-4 CSS")
	r.Level = LevelKeptAfterTitle
	r.Until = until
	r.note(msg("rights.puma.note.kept_if_open"))
}

// pumaRegular: a regular status, with or without the 3-month wait.
func pumaRegular(c *ctx, r *RightResult) {
	s := c.s
	eff := c.effective()
	minor, minorKnown := c.minor()
	switch {
	case eff == StatusRefugee || eff == StatusSubsidiaryProtection:
		r.set(Eligible, msg("rights.puma.reason.protection_no_wait"), "D. 160-2 CSS")
	case s.Status.isAsylumSeeker() && minor:
		r.set(Eligible, msg("rights.puma.reason.asylum_minor_no_wait"), "D. 160-2 CSS")
	default:
		pumaWait(c, r, eff)
		if s.Status.isAsylumSeeker() && !minorKnown {
			r.note(msg("rights.puma.note.minor_no_wait"), "D. 160-2 CSS")
		}
	}
	if s.Status.isAsylumSeeker() && len(s.Children) > 0 {
		r.note(msg("rights.puma.note.children_no_wait"), "D. 160-2 CSS")
	}
	// §9.1: whether ANEF attestations and APS are on the R. 111-3 list is
	// UNCONFIRMED.
	switch s.Status {
	case StatusReceipt, StatusAPSSickChild, StatusAPSTreatment:
		r.because(uncMsg("rights.puma.reason.interim_list"), "R. 111-3 CSS")
	}
	if c.documentExpired() {
		until := keptUntil(s.StatusValidUntil)
		if c.at.After(until) {
			r.set(Maybe, msg("rights.puma.reason.document_expired_long", "Expiry", s.StatusValidUntil, "Until", until), "R. 111-4 CSS")
		} else {
			r.Until = until
			r.note(msg("rights.puma.note.document_expired", "Expiry", s.StatusValidUntil, "Until", until), "R. 111-4 CSS")
		}
	}
}

// pumaWait applies the 3-month stable-residence condition (D. 160-2 CSS).
func pumaWait(c *ctx, r *RightResult, eff StatusID) {
	s := c.s
	adultAsylum := s.Status.isAsylumSeeker()
	present, opens := c.presence3Months()
	if present == triYes {
		if !s.ArrivedOn.IsZero() {
			r.set(Eligible, countMsg("rights.puma.reason.stable_residence", s.ArrivedOn.MonthsUntil(c.at)), "L. 160-1 CSS", "D. 160-2 CSS")
		} else {
			r.set(Eligible, msg("rights.puma.reason.stable_residence_document", "Date", s.StatusGrantedOn), "L. 160-1 CSS", "D. 160-2 CSS")
		}
		return
	}
	for _, b := range proofBenefits {
		if s.receives(b) {
			r.set(Eligible, msg("rights.puma.reason.proof_by_benefit"), "D. 160-2 CSS")
			return
		}
	}
	if present == triUnknown {
		r.set(Maybe, msg("rights.puma.reason.presence_unknown"), "D. 160-2 CSS")
		return
	}
	r.OpensOn = opens
	switch {
	case eff == StatusStudent:
		// Students were exempt in the 2016 text; current text UNCONFIRMED.
		r.set(Maybe, uncMsg("rights.puma.reason.student_exemption", "Date", opens), "D. 160-2 CSS")
	case eff == StatusFamilyReunionResident || eff == StatusFamilyReunionProtected:
		// People joining an insured family member (2020 wording) UNCONFIRMED.
		r.set(Maybe, uncMsg("rights.puma.reason.family_exemption", "Date", opens), "D. 160-2 CSS")
	case eff == StatusStateless:
		// Stateless persons are not listed in D. 160-2: the wait probably
		// applies (UNCONFIRMED).
		r.set(Maybe, uncMsg("rights.puma.reason.stateless_wait", "Date", opens), "D. 160-2 CSS")
	case adultAsylum:
		r.set(NotEligible, msg("rights.puma.reason.asylum_adult_wait", "Date", opens), "D. 160-2 CSS", "décret n° 2019-1531")
	default:
		r.set(NotEligible, msg("rights.puma.reason.wait", "Date", opens), "D. 160-2 CSS")
	}
}

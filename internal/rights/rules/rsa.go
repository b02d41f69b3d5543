package rules

// Revenu de solidarité active (RSA), L. 262-4 CASF (rights.md §0.3, §0.1).
//
// Age 25 or more, or having or expecting a child. A non-EEA foreigner must
// have held, for at least 5 years, a residence title allowing work; the period
// is continuous, but a gap caused only by the renewal delay does not break it
// (CE 22 Oct 2018 n° 413592), nor a refusal later annulled (CE 10 Jul 2015).
// Exempt from the 5 years: refugees, subsidiary-protection beneficiaries,
// stateless persons, carte de résident holders, and lone parents entitled to
// the majoration (L. 262-9) who meet the regularity rules of L. 512-2 CSS.
//
// OpenFisca-France: rsa_condition_nationalite requires ≥ 5 years of title for
// non-EEA nationals (parameter duree_min_titre_sejour/non_eee = 5) with no
// exemption for refugees, PS, stateless or résident holders (rights.md §12.2
// point 2). We differ on purpose and follow L. 262-4: a refugee with 0 years
// of title is eligible here. The lone-parent route matches OpenFisca's
// rsa_socle_majore, which does not check nationality. The 5-year threshold is
// ">= 5 years", as in OpenFisca's test (4.9 years fails, 5 passes).
//
// Amount: only the single-person amount is known (646.52 € from 1 Apr 2025;
// 651.69 € from 1 Apr 2026, UNCONFIRMED). The CAF computes the household's
// amount; the rule compares resources with it only for a single person.

var rsaRule = rule{
	id: RightRSA,
	refs: []string{"L. 262-4 CASF", "L. 262-9 CASF", "L. 512-2 CSS", "CE 22 oct. 2018 n° 413592",
		"CE 10 juil. 2015", "décret n° 2025-293"},
	sources: []string{"L. 262-4 CASF quoted by exilae.fr (2022) and Gazette des communes",
		"OpenFisca-France rsa.py and parameters", "rights.md §0.1, §0.3 (November 2026)"},
	docs: []string{DocRSA, DocCAF, DocBankAccount},
	fn:   rsa,
}

// rsaTitleYears is the minimum number of years of work-allowing titles.
const rsaTitleYears = 5

// rsaExempt: statuses exempt from the 5 years (L. 262-4 CASF).
func rsaExempt(st StatusID) bool {
	switch st {
	case StatusRefugee, StatusSubsidiaryProtection, StatusStateless, StatusResidentCard:
		return true
	}
	return false
}

// d512Title reports whether the status is on the D. 512-1 CSS list used by
// L. 512-2 (family benefits, and the RSA lone-parent route): yes, no, or
// unknown.
func d512Title(c *ctx) tri {
	s := c.s
	switch s.Status {
	case StatusResidentCard, StatusVPF, StatusSickForeigner, StatusEmployee, StatusTemporaryWorker,
		StatusStudent, StatusFamilyReunionResident, StatusFamilyReunionProtected, StatusRefugee,
		StatusSubsidiaryProtection, StatusStateless, StatusMultiYearCard:
		return triYes
	case StatusReceipt:
		if s.Interim == InterimRenewal || (s.Interim == InterimFirst && s.Basis == StatusSubsidiaryProtection) {
			return triYes
		}
		return triUnknown
	case StatusAPSSickChild, StatusAPSTreatment:
		// An APS valid for more than 3 months.
		if s.StatusGrantedOn.IsZero() || s.StatusValidUntil.IsZero() {
			return triUnknown
		}
		if s.StatusGrantedOn.AddMonths(3).Before(s.StatusValidUntil) {
			return triYes
		}
		return triNo
	case StatusMinorAssessment, StatusMinorInCare, StatusMinorContesting:
		return triUnknown
	}
	return triNo
}

func rsa(c *ctx) RightResult {
	var r RightResult
	const ref = "L. 262-4 CASF"
	s := c.s
	eff := c.effective()
	hasChild := len(s.Children) > 0 || s.Pregnant
	// Status.
	switch {
	case s.Status.isAsylumSeeker():
		r.set(NotEligible, msg("rights.rsa.reason.asylum_seeker"), ref)
		return r
	case s.Status == StatusAsylumRefused || s.Status == StatusNoPermit || s.Status == StatusFilingCertificate ||
		s.Status == StatusStatelessApplicant:
		r.set(NotEligible, msg("rights.rsa.reason.no_title"), ref)
		return r
	case s.Status.isMinorStatus() && !hasChild:
		r.set(NotEligible, msg("rights.rsa.reason.age"), ref)
		return r
	}
	// Age: 25 or more, or a child (born or expected).
	age, ageKnown := c.age()
	ageCond := triYes
	switch {
	case hasChild:
		r.because(msg("rights.rsa.reason.has_child"), ref)
	case ageKnown && age >= 25:
		r.because(msg("rights.rsa.reason.age_ok", "Age", age), ref)
	case ageKnown:
		r.set(NotEligible, msg("rights.rsa.reason.age"), ref)
		r.OpensOn = rsaAge25(s, c.at)
		return r
	default:
		ageCond = triUnknown
		r.because(msg("rights.rsa.reason.age_unknown"), ref)
	}
	// Residence condition.
	titleCond := rsaTitle(c, &r, eff, hasChild)
	if titleCond == triNo {
		r.Outcome = NotEligible
		return r
	}
	if eff == StatusStudent {
		// §9.5: students are in practice excluded.
		r.because(msg("rights.rsa.reason.student"), ref)
		titleCond = triUnknown
	}
	// Resources.
	resCond := rsaResources(c, &r)
	r.Outcome = outcomeOf(ageCond, titleCond, resCond)
	r.docs(DocRSA, DocCAF, DocBankAccount)
	if s.receives(BenefitRSA) {
		r.note(msg("rights.common.note.already_receives"))
	}
	return r
}

// rsaAge25 returns the 25th birthday when the birth date is known.
func rsaAge25(s Situation, at Date) Date {
	if s.BirthDate.IsZero() {
		return Date{}
	}
	return s.BirthDate.AddYears(25)
}

// rsaTitle applies the 5-year condition and its exemptions.
func rsaTitle(c *ctx, r *RightResult, eff StatusID, hasChild bool) tri {
	const ref = "L. 262-4 CASF"
	s := c.s
	if rsaExempt(eff) {
		r.because(msg("rights.rsa.reason.exempt_status"), ref)
		if s.Status == StatusReceipt && s.Interim == InterimFavourable {
			r.because(msg("rights.rsa.reason.receipt_check"), ref)
			return triUnknown
		}
		return triYes
	}
	if s.Status == StatusFamilyReunionProtected && s.Basis == "" {
		r.because(msg("rights.rsa.reason.reunification_card_unknown"), ref)
		return triUnknown
	}
	if s.Status == StatusFamilyReunionProtected && s.Basis == StatusRefugee {
		// §8: the family of a refugee receives a carte de résident.
		r.because(msg("rights.rsa.reason.exempt_status"), ref)
		return triYes
	}
	fiveYears := triUnknown
	if !s.WorkTitleSince.IsZero() {
		opens := s.WorkTitleSince.AddYears(rsaTitleYears)
		if c.at.Before(opens) {
			fiveYears = triNo
			r.OpensOn = opens
		} else {
			fiveYears = triYes
			r.because(msg("rights.rsa.reason.five_years_ok", "Date", s.WorkTitleSince), ref)
		}
	}
	if fiveYears != triYes && hasChild && max(1, s.Adults) == 1 {
		// Lone parent: the majoration route (L. 262-9), with a title on the
		// L. 512-2 / D. 512-1 list. The CAF checks the majoration itself.
		switch d512Title(c) {
		case triYes:
			r.because(msg("rights.rsa.reason.lone_parent"), "L. 262-9 CASF", "L. 512-2 CSS")
			return triUnknown
		case triUnknown:
			r.because(msg("rights.rsa.reason.lone_parent_title_check"), "L. 262-9 CASF", "L. 512-2 CSS")
			return triUnknown
		}
	}
	switch fiveYears {
	case triNo:
		r.because(msg("rights.rsa.reason.five_years_wait", "Date", r.OpensOn), ref)
		r.note(msg("rights.rsa.note.renewal_gap"), "CE 22 oct. 2018 n° 413592", "CE 10 juil. 2015")
		return triNo
	case triUnknown:
		r.because(msg("rights.rsa.reason.five_years_unknown"), ref)
		r.note(msg("rights.rsa.note.renewal_gap"), "CE 22 oct. 2018 n° 413592", "CE 10 juil. 2015")
		return triUnknown
	}
	switch s.Status {
	case StatusAPSSickChild, StatusAPSTreatment, StatusReceipt:
		// Whether the interim document itself counts as a title allowing
		// work is not settled by rights.md.
		r.because(msg("rights.rsa.reason.interim_check"), ref)
		return triUnknown
	}
	return triYes
}

// rsaResources compares a single person's resources with the RSA amount.
func rsaResources(c *ctx, r *RightResult) tri {
	s := c.s
	p := ParamAt(ParamRSASingle, c.at)
	single := s.householdSize() == 1 && !s.Pregnant
	if p.Usable() && single {
		r.Amounts = append(r.Amounts, Amount{Label: msg("rights.rsa.amount.single"), Value: Money(p.Value),
			Unit: p.Unit, From: p.From, Stale: p.Status == ParamStale, Unconfirmed: p.Unconfirmed})
	}
	switch {
	case !s.ResourcesKnown:
		r.because(msg("rights.common.reason.resources_unknown"))
		return triUnknown
	case s.MonthlyResources == 0:
		r.because(msg("rights.common.reason.no_resources"))
		return triYes
	case !single:
		r.because(msg("rights.rsa.reason.household_amount"), "L. 262-4 CASF")
		return triUnknown
	case p.Status == ParamUnknown:
		r.because(msg("rights.rsa.reason.amount_unknown", "Date", c.at))
		return triUnknown
	}
	m := msg("rights.rsa.reason.resources_under", "Resources", s.MonthlyResources, "Amount", Money(p.Value), "From", p.From)
	t := triYes
	if int64(s.MonthlyResources) >= p.Value {
		m = msg("rights.rsa.reason.resources_over", "Resources", s.MonthlyResources, "Amount", Money(p.Value), "From", p.From)
		t = triNo
	}
	r.because(m, "décret n° 2025-293")
	if p.Unconfirmed {
		r.because(uncMsg("rights.common.reason.amount_unconfirmed", "Amount", Money(p.Value), "From", p.From))
	}
	return t
}

package rules

// Allocation pour demandeur d'asile (ADA), L. 553-1 ff. CESEDA (rights.md §1-§4,
// §0.1; service-public F33314 checked 15 Sep 2023).
//
// Conditions: material reception conditions (CMA) accepted, age 18+, holds an
// ATDA, OFPRA application filed within 21 days of the GUDA registration (not
// for Dublin), resources below the RSA amount. Refusing or leaving the DNA
// place ends the CMA. For a refused asylum seeker, ADA stops at the end of the
// month after the final decision (UNCONFIRMED current wording).
//
// Amount: OpenFisca-France ada.py computes
// days × (6.80 + (n−1)×3.40 + 7.40×not(accommodated)) for an asylum seeker's
// household; ADADailyAmount matches it. The décret as quoted in 2017 pays the
// non-accommodation supplement to each adult, not once per household
// (rights.md §12.2 point 4, UNCONFIRMED): the rule flags couples.

var adaRule = rule{
	id:   RightADA,
	refs: []string{"L. 553-1 CESEDA", "L. 551-1 CESEDA", "décret n° 2015-1329", "décret n° 2018-426"},
	sources: []string{"service-public F33314 (checked 15 Sep 2023)", "OpenFisca-France ada.py and parameters (checked 2022-01-10)",
		"rights.md §0.1, §1-§4, §12.2 (November 2026)"},
	docs: []string{DocADA},
	fn:   ada,
}

// adaFilingDays is the delay to file at OFPRA after the GUDA registration.
const adaFilingDays = 21

func ada(c *ctx) RightResult {
	var r RightResult
	const ref = "L. 553-1 CESEDA"
	s := c.s
	switch s.Status {
	case StatusAsylumNormal, StatusAsylumAccelerated, StatusAsylumDublin:
	case StatusAsylumRefused:
		adaRefused(c, &r)
		return r
	case StatusRefugee, StatusSubsidiaryProtection:
		r.set(NotEligible, msg("rights.ada.reason.protection_ends"), ref)
		return r
	default:
		r.set(NotEligible, msg("rights.ada.reason.asylum_only"), ref)
		return r
	}
	r.docs(DocADA)
	var conds []tri
	// Age 18+.
	if a, ok := c.age(); !ok {
		conds = append(conds, triUnknown)
		r.because(msg("rights.ada.reason.age_unknown"), ref)
	} else if a < 18 {
		r.set(NotEligible, msg("rights.ada.reason.minor"), ref)
		return r
	}
	// CMA and accommodation.
	switch {
	case s.Accommodation == AccommodationRefused:
		r.set(NotEligible, msg("rights.ada.reason.accommodation_refused"), ref, "L. 551-1 CESEDA")
		return r
	case s.CMAAccepted == No:
		r.set(NotEligible, msg("rights.ada.reason.cma_refused"), ref, "L. 551-1 CESEDA")
		return r
	case s.CMAAccepted == NotAsked:
		conds = append(conds, triUnknown)
		r.because(msg("rights.ada.reason.cma_unknown"), "L. 551-1 CESEDA")
	}
	if s.Status == StatusAsylumAccelerated {
		r.note(msg("rights.ada.note.accelerated_90_days"))
	}
	// ATDA in force.
	if c.documentExpired() {
		r.set(NotEligible, msg("rights.ada.reason.atda_expired", "Date", s.StatusValidUntil), ref)
		return r
	}
	// OFPRA filing within 21 days (not for Dublin).
	if s.Status != StatusAsylumDublin {
		conds = append(conds, adaFiling(c, &r))
	} else {
		r.note(msg("rights.ada.note.dublin_until_transfer"))
	}
	// Resources below the RSA amount.
	conds = append(conds, adaResources(c, &r))
	r.Outcome = outcomeOf(conds...)
	if r.Outcome == Eligible {
		r.Reasons = append([]Message{msg("rights.ada.reason.conditions_met")}, r.Reasons...)
		r.References = append(r.References, ref)
	}
	if r.Outcome != NotEligible {
		adaAmount(c, &r)
	}
	c.pactReason(&r)
	return r
}

func adaFiling(c *ctx, r *RightResult) tri {
	s := c.s
	reg := s.StatusGrantedOn
	if reg.IsZero() {
		if s.OFPRAFiledOn.IsZero() {
			r.because(msg("rights.ada.reason.filing_unknown"), "L. 553-1 CESEDA")
			return triUnknown
		}
		r.because(msg("rights.ada.reason.registration_unknown"), "L. 553-1 CESEDA")
		return triUnknown
	}
	limit := reg.AddDays(adaFilingDays)
	switch {
	case !s.OFPRAFiledOn.IsZero() && !s.OFPRAFiledOn.After(limit):
		return triYes
	case !s.OFPRAFiledOn.IsZero():
		r.set(NotEligible, msg("rights.ada.reason.filed_late", "Date", s.OFPRAFiledOn, "Limit", limit), "L. 553-1 CESEDA")
		return triNo
	case !c.at.After(limit):
		r.note(msg("rights.ada.note.file_before", "Date", limit))
		return triYes
	default:
		r.because(msg("rights.ada.reason.filing_unknown"), "L. 553-1 CESEDA")
		return triUnknown
	}
}

// adaResources: resources below the RSA amount. rights.md gives only the
// single-person RSA amount; for larger households the comparison is left to
// OFII unless there are no resources.
func adaResources(c *ctx, r *RightResult) tri {
	s := c.s
	if !s.ResourcesKnown {
		r.because(msg("rights.common.reason.resources_unknown"))
		return triUnknown
	}
	if s.MonthlyResources == 0 {
		r.because(msg("rights.common.reason.no_resources"))
		return triYes
	}
	if s.householdSize() > 1 {
		r.because(msg("rights.ada.reason.resources_household"), "L. 553-1 CESEDA")
		return triUnknown
	}
	p := ParamAt(ParamRSASingle, c.at)
	switch {
	case p.Status == ParamUnknown:
		r.because(msg("rights.ada.reason.rsa_unknown", "Date", c.at), "L. 553-1 CESEDA")
		return triUnknown
	case int64(s.MonthlyResources) < p.Value:
		r.because(msg("rights.ada.reason.resources_under_rsa", "Resources", s.MonthlyResources, "Amount", Money(p.Value), "From", p.From), "L. 553-1 CESEDA")
		adaAmountUnconfirmed(r, p)
		return triYes
	default:
		r.because(msg("rights.ada.reason.resources_over_rsa", "Resources", s.MonthlyResources, "Amount", Money(p.Value), "From", p.From), "L. 553-1 CESEDA")
		adaAmountUnconfirmed(r, p)
		return triNo
	}
}

// adaAmountUnconfirmed flags an RSA amount the research note marks
// UNCONFIRMED (the April 2026 value).
func adaAmountUnconfirmed(r *RightResult, p Param) {
	if p.Unconfirmed {
		r.because(uncMsg("rights.common.reason.amount_unconfirmed", "Amount", Money(p.Value), "From", p.From))
	}
}

func adaAmount(c *ctx, r *RightResult) {
	s := c.s
	n := s.householdSize()
	switch s.Accommodation {
	case AccommodationHoused, AccommodationNotOffered:
		housed := s.Accommodation == AccommodationHoused
		v, ok := ADADailyAmount(c.at, n, housed)
		if !ok {
			r.note(msg("rights.ada.note.amount_unknown"))
			return
		}
		label := "rights.ada.amount.daily_housed"
		if !housed {
			label = "rights.ada.amount.daily_not_housed"
		}
		from := ParamAt(ParamADABase, c.at).From
		if !housed {
			from = ParamAt(ParamADANoHousing, c.at).From
		}
		r.Amounts = append(r.Amounts, Amount{Label: msg(label, "Persons", n), Value: v, Unit: UnitCentsPerDay,
			From: from, Unconfirmed: true})
		r.note(uncMsg("rights.ada.note.no_revaluation"))
		if !housed && max(1, s.Adults) > 1 {
			r.note(uncMsg("rights.ada.note.supplement_per_adult"))
		}
	default:
		r.note(msg("rights.ada.note.accommodation_unknown"))
	}
}

// adaRefused: §4, ADA stops at the end of the month after the final decision
// (décret 2015 scheme, current wording UNCONFIRMED).
func adaRefused(c *ctx, r *RightResult) {
	final := c.s.StatusGrantedOn
	if final.IsZero() {
		r.set(Maybe, uncMsg("rights.ada.reason.refused_date_unknown"), "L. 553-1 CESEDA")
		return
	}
	until := final.AddMonths(1).EndOfMonth()
	if c.at.After(until) {
		r.set(NotEligible, uncMsg("rights.ada.reason.refused_ended", "Date", until), "L. 553-1 CESEDA")
		return
	}
	r.set(Maybe, uncMsg("rights.ada.reason.refused_until", "Date", until), "L. 553-1 CESEDA")
	r.Until = until
}

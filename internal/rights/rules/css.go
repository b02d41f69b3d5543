package rules

// Complémentaire santé solidaire (CSS), L. 861-1 CSS (rights.md §0.2, §0.1).
//
// A complement for people covered by PUMa, means-tested on the household's
// resources of the last 12 months: free up to the first ceiling, with a
// contribution (under 1 € a day per person) up to the second. RSA recipients
// receive it automatically since 2022.
//
// OpenFisca-France (minima_sociaux/cs/{cmu,css,eligibilite}.py) tests
// resources only; it has no regularity check (rights.md §12.2 point 3) and
// lacks the April 2025 ceiling (point 6). Here PUMa is required first and the
// ceilings are the EFL 2025 table; the resource base is the declared
// household resources, not OpenFisca's detailed base.

var cssFreeRule = rule{
	id:      RightCSSFree,
	refs:    []string{"L. 861-1 CSS", "R. 111-4 CSS"},
	sources: []string{"EFL table of CSS ceilings (arrêté of 29 Mar 2025)", "OpenFisca-France cmu/plafond_base", "rights.md §0.1-§0.2 (November 2026)"},
	docs:    []string{DocCSS},
	fn:      cssFree,
}

var cssContributionRule = rule{
	id:      RightCSSContribution,
	refs:    []string{"L. 861-1 CSS", "R. 111-4 CSS"},
	sources: []string{"EFL table of CSS ceilings (arrêté of 29 Mar 2025)", "rights.md §0.1-§0.2 (November 2026)"},
	docs:    []string{DocCSS},
	fn:      cssContribution,
}

// cssGate applies the PUMa prerequisite. It returns false when the outcome is
// already decided (no PUMa), and the PUMa condition otherwise.
func cssGate(c *ctx, r *RightResult) (tri, bool) {
	p := c.result(RightPUMa)
	switch p.Outcome {
	case Eligible:
		if !p.Until.IsZero() {
			// R. 111-4 CSS keeps CSS as long as PUMa after the title expired.
			r.Until = p.Until
			r.note(msg("rights.css.note.kept_until", "Date", p.Until), "R. 111-4 CSS")
		}
		return triYes, true
	case NotEligible:
		if !p.OpensOn.IsZero() && p.OpensOn.After(c.at) {
			r.set(NotEligible, msg("rights.css.reason.puma_not_yet", "Date", p.OpensOn), "L. 861-1 CSS")
			r.OpensOn = p.OpensOn
		} else {
			r.set(NotEligible, msg("rights.css.reason.no_puma"), "L. 861-1 CSS")
		}
		return triNo, false
	}
	// PUMa is Maybe (it is never Unknown once the rules run).
	r.because(msg("rights.css.reason.puma_to_check"), "L. 861-1 CSS")
	return triUnknown, true
}

func cssFree(c *ctx) RightResult {
	var r RightResult
	r.docs(DocCSS)
	s := c.s
	if s.Status == StatusMinorInCare {
		r.set(Eligible, msg("rights.css.reason.minor_ase"), "L. 861-1 CSS")
		r.Level = LevelCareViaASE
		return r
	}
	puma, ok := cssGate(c, &r)
	if !ok {
		return r
	}
	if s.receives(BenefitRSA) && !c.at.Before(RSAAutoCSSSince) {
		r.set(outcomeOf(puma), msg("rights.css.reason.rsa_automatic"), "L. 861-1 CSS")
		r.Level = LevelCSSAutoWithRSA
		return r
	}
	n := s.householdSize()
	ceil := CSSCeiling(CSSFree, n, c.at)
	t := c.resourcesUnder(ceil)
	r.because(c.ceilingReason("rights.css_free", ceil, t), "L. 861-1 CSS")
	r.Outcome = outcomeOf(puma, t)
	if t == triUnknown && s.ResourcesKnown && ceil.Status == ParamUnknown {
		r.Outcome = Unknown
	}
	if ceil.Usable() {
		r.Amounts = append(r.Amounts, ceilingAmount("rights.css_free.amount.ceiling", ceil, n))
	}
	if s.receives(BenefitCSSFree) {
		r.note(msg("rights.common.note.already_receives"))
	}
	return r
}

func cssContribution(c *ctx) RightResult {
	var r RightResult
	r.docs(DocCSS)
	s := c.s
	if s.Status == StatusMinorInCare {
		r.set(NotEligible, msg("rights.css_contribution.reason.free_instead"), "L. 861-1 CSS")
		return r
	}
	puma, ok := cssGate(c, &r)
	if !ok {
		return r
	}
	if s.receives(BenefitRSA) && !c.at.Before(RSAAutoCSSSince) {
		r.set(NotEligible, msg("rights.css_contribution.reason.free_instead"), "L. 861-1 CSS")
		return r
	}
	n := s.householdSize()
	free, contrib := CSSCeiling(CSSFree, n, c.at), CSSCeiling(CSSContribution, n, c.at)
	if contrib.Usable() {
		r.Amounts = append(r.Amounts, ceilingAmount("rights.css_contribution.amount.ceiling", contrib, n))
	}
	tFree, tContrib := c.resourcesUnder(free), c.resourcesUnder(contrib)
	switch {
	case !s.ResourcesKnown:
		r.set(Maybe, msg("rights.common.reason.resources_unknown"))
	case tFree == triYes:
		r.set(NotEligible, msg("rights.css_contribution.reason.free_instead"), "L. 861-1 CSS")
	case tContrib == triNo:
		r.set(NotEligible, c.ceilingReason("rights.css_contribution", contrib, tContrib), "L. 861-1 CSS")
	case tFree == triNo && tContrib == triYes:
		r.set(outcomeOf(puma), msg("rights.css_contribution.reason.between_ceilings",
			"Resources", s.MonthlyResources*12, "Free", Money(free.Value), "Ceiling", Money(contrib.Value),
			"Persons", n, "From", contrib.From), "L. 861-1 CSS")
	default:
		// A ceiling is unknown or stale at the date.
		p := contrib
		if tFree == triUnknown {
			p = free
		}
		r.because(c.ceilingReason("rights.css_contribution", p, triUnknown), "L. 861-1 CSS")
		r.Outcome = Maybe
		if p.Status == ParamUnknown {
			r.Outcome = Unknown
		}
	}
	if s.receives(BenefitCSSContribution) {
		r.note(msg("rights.common.note.already_receives"))
	}
	return r
}

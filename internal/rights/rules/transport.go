package rules

// Tarification Solidarité Transport, Île-de-France Mobilités (rights.md §0.5).
//
// Legal floor, L. 1113-1 C. transports: at least 50 % off for people whose
// income is no higher than the CSS-without-contribution ceiling; regular
// residence is not required (CE 9 Oct 2019). IDFM schemes (page of 24 Jul
// 2025):
//   - Solidarité Gratuité: RSA households under the IDFM ceilings; ASS
//     recipients who also have CSS without contribution.
//   - Réduction Solidarité 75 %: CSS without contribution (and household
//     members); ASS without CSS.
//   - Réduction 50 %: AME beneficiaries (IDFM 2025 page). Whether the 2023
//     bill's article excluding irregular migrants survived is UNCONFIRMED.
//
// Asylum seekers qualify only through CSS (ADA is not a qualifying benefit).
// OpenFisca-France has no such variable (rights.md §12.2 point 5).

var transportRule = rule{
	id:   RightTransport,
	refs: []string{"L. 1113-1 C. transports", "CE 9 oct. 2019"},
	sources: []string{"IDFM « Qu'est-ce que la tarification Solidarité Transport » (24 Jul 2025)",
		"IDFM « Réduction 50 % » (FR 2019; EN with 2025 prices)", "Solidaires (2020)", "rights.md §0.5 (November 2026)"},
	docs: []string{DocTransport},
	fn:   transport,
}

func transport(c *ctx) RightResult {
	var r RightResult
	const ref = "L. 1113-1 C. transports"
	s := c.s
	if s.Status == StatusMinorInCare {
		r.set(Maybe, msg("rights.transport.reason.minor_ase"), ref)
		return r
	}
	rsa := c.heldOrEligible(BenefitRSA, RightRSA)
	css := c.heldOrEligible(BenefitCSSFree, RightCSSFree)
	ame := c.heldOrEligible(BenefitAME, RightAME)
	ass := s.receives(BenefitASS)
	switch {
	case ass && css == triYes:
		r.set(Eligible, msg("rights.transport.reason.ass_css"), ref)
		r.Level = LevelTransportFree
	case rsa == triYes:
		// The IDFM ceilings for the free tier are not in rights.md; CSS comes
		// with RSA, so 75 % at least.
		r.set(Maybe, msg("rights.transport.reason.rsa"), ref)
		r.Level = LevelTransportFree
	case css == triYes:
		r.set(Eligible, msg("rights.transport.reason.css_free"), ref)
		r.Level = LevelTransport75
	case ass:
		r.set(Eligible, msg("rights.transport.reason.ass"), ref)
		r.Level = LevelTransport75
	case ame == triYes:
		r.Level = LevelTransport50
		if c.at.After(AME50LastSeen) {
			r.set(Maybe, uncMsg("rights.transport.reason.ame_after_2025", "Date", AME50LastSeen), ref, "CE 9 oct. 2019")
		} else {
			r.set(Eligible, msg("rights.transport.reason.ame"), ref, "CE 9 oct. 2019")
		}
		r.note(uncMsg("rights.transport.note.bill_2023"))
		if p := ParamAt(ParamNavigoMonth50, c.at); p.Usable() {
			r.Amounts = append(r.Amounts, Amount{Label: msg("rights.transport.amount.navigo_50"), Value: Money(p.Value),
				Unit: p.Unit, From: p.From, Unconfirmed: p.Unconfirmed})
		}
	case css == triUnknown || ame == triUnknown || rsa == triUnknown:
		r.set(Maybe, msg("rights.transport.reason.depends"), ref)
	default:
		r.set(NotEligible, msg("rights.transport.reason.no_qualifying_right"), ref)
		if s.Status.isAsylumSeeker() {
			r.because(msg("rights.transport.reason.asylum_via_css"))
			if p := c.result(RightCSSFree); !p.OpensOn.IsZero() && p.OpensOn.After(c.at) {
				r.OpensOn = p.OpensOn
			}
		} else if a := c.result(RightAME); !a.OpensOn.IsZero() && a.OpensOn.After(c.at) {
			r.OpensOn = a.OpensOn
		}
	}
	if r.Outcome != NotEligible {
		r.docs(DocTransport)
	}
	r.note(msg("rights.transport.note.legal_floor"), ref)
	return r
}

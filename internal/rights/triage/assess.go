package triage

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"parcours/internal/rights/rules"
)

// Assess turns the answers into flags at the date (the calendar date of at in
// at's location). Flags are sorted by severity, then by their nearest
// deadline. It fails on invalid answers, or on an event date after at.
func Assess(a Answers, at time.Time) (Assessment, error) {
	if err := a.Validate(); err != nil {
		return Assessment{}, err
	}
	d := rules.DateOf(at)
	for id, v := range a {
		q := questionByID[id]
		if q.Kind == KindDate && q.Past && v != "" && a.date(id).After(d) {
			return Assessment{}, fmt.Errorf("%w: %s (%s) is after the assessment date %s", ErrAnswers, id, v, d)
		}
	}
	g := &grid{a: a, at: d}
	for _, check := range checks {
		if f, ok := check(g); ok {
			g.flags = append(g.flags, g.finish(f))
		}
	}
	slices.SortStableFunc(g.flags, func(x, y Flag) int {
		if c := cmp.Compare(x.Severity.rank(), y.Severity.rank()); c != 0 {
			return c
		}
		return rules.Date.Compare(nextDeadline(x, d), nextDeadline(y, d))
	})
	if g.flags == nil {
		g.flags = []Flag{}
	}
	return Assessment{At: d, Flags: g.flags}, nil
}

// checks run in grid order; each returns a flag when its situation is found.
var checks = []func(g *grid) (Flag, bool){
	checkOQTF, checkDublinDecision, checkCNDAAppeal, checkMinority, checkMinorAssessment,
	checkResidenceRefusal, checkStatelessRefusal, checkIRTF, checkCNDARejection, checkNoShelter,
	checkDocument, checkOFPRAFiling, checkDublinPeriod, checkHealthResidence, checkProtection,
	checkNoHealthCover, checkNoDomiciliation, checkFamilySeparated, checkPact,
}

type grid struct {
	a     Answers
	at    rules.Date
	flags []Flag
}

// nextDeadline returns the nearest deadline not yet passed (far future when
// none), for sorting.
func nextDeadline(f Flag, at rules.Date) rules.Date {
	best := rules.MustDate("2200-12-31")
	for _, dl := range f.Deadlines {
		if !dl.Passed && !dl.Informative && dl.Date.Before(best) {
			best = dl.Date
		}
	}
	return best
}

func newFlag(id string, sev Severity) Flag {
	return Flag{ID: id, Title: rules.NewMessage("rights.triage.flag."+id+".title", false), Severity: sev}
}

func (f *Flag) detail(id string, kv ...any) {
	f.Details = append(f.Details, rules.NewMessage("rights.triage.flag."+f.ID+"."+id, false, kv...))
}

func (f *Flag) uncDetail(id string, kv ...any) {
	f.Details = append(f.Details, rules.NewMessage("rights.triage.flag."+f.ID+"."+id, true, kv...))
}

func (f *Flag) refs(r ...string) { f.References = append(f.References, r...) }

func (f *Flag) refer(r ...Referral) { f.Referrals = append(f.Referrals, r...) }

// deadline adds a deadline counted from an event date.
func (g *grid) deadline(f *Flag, kind string, from rules.Date, p Period, unconfirmed, informative bool) {
	pl := p.label()
	g.addDeadline(f, Deadline{Kind: kind, Date: p.after(from), From: from, Period: p, PeriodLabel: &pl,
		Unconfirmed: unconfirmed, Informative: informative})
}

// addDeadline completes and adds a deadline.
func (g *grid) addDeadline(f *Flag, dl Deadline) {
	dl.Label = rules.NewMessage("rights.triage.deadline."+dl.Kind, false)
	dl.DaysLeft = g.at.DaysUntil(dl.Date)
	dl.Passed = dl.Date.Before(g.at)
	f.Deadlines = append(f.Deadlines, dl)
}

// finish applies the common rules: a binding deadline within UrgentDays makes
// the flag critical; a passed one adds a warning; unconfirmed parts flag it.
func (g *grid) finish(f Flag) Flag {
	slices.SortStableFunc(f.Deadlines, func(x, y Deadline) int { return rules.Date.Compare(x.Date, y.Date) })
	passed := false
	for _, dl := range f.Deadlines {
		if dl.Unconfirmed {
			f.Unconfirmed = true
		}
		if dl.Informative {
			continue
		}
		if dl.Passed {
			passed = true
		} else if dl.DaysLeft <= UrgentDays && f.Severity != SeverityInfo {
			f.Severity = SeverityCritical
		}
	}
	if passed {
		f.Details = append(f.Details, rules.NewMessage("rights.triage.common.deadline_passed", false))
	}
	if len(f.Deadlines) > 0 {
		f.Details = append(f.Details, rules.NewMessage("rights.triage.common.read_notification", false))
	}
	for _, m := range f.Details {
		if m.Unconfirmed {
			f.Unconfirmed = true
		}
	}
	if f.References == nil {
		f.References = []string{}
	}
	if f.Referrals == nil {
		f.Referrals = []Referral{}
	}
	return f
}

// restriction returns the coercive measure answered ("" if unanswered).
func (g *grid) restriction() string { return g.a[QRestriction] }

// checkOQTF: obligation de quitter le territoire (rights.md §4, §10). Since
// 15 Jul 2024 (décret 2024-799): 1 month if the person is free, 7 days under
// house arrest or in prison, 48 h in detention [OK]. Whether an OQTF after a
// refused asylum claim is on the 7-day track is UNCONFIRMED (sources
// disagree): the shorter delay is shown.
func checkOQTF(g *grid) (Flag, bool) {
	if !g.a.yes(QOQTF) {
		return Flag{}, false
	}
	f := newFlag("oqtf", SeverityCritical)
	f.refs("L. 611-1 CESEDA", "L. 614-1 CESEDA", "L. 911-1 CESEDA", "L. 921-1 CESEDA", "L. 921-2 CESEDA", "décret n° 2024-799")
	f.refer(ReferLegal)
	n := g.a.date(QOQTFNotifiedOn)
	switch {
	case n.IsZero():
		f.detail("date_unknown")
	case n.Before(rules.OQTF2024Since):
		f.uncDetail("before_2024", "Date", rules.OQTF2024Since)
	default:
		switch g.restriction() {
		case RestrictDetention:
			g.deadline(&f, "oqtf_appeal", n, Period{48, Hours}, false, false)
		case RestrictHouseArrest, RestrictPrison:
			g.deadline(&f, "oqtf_appeal", n, Period{7, Days}, false, false)
		default:
			if g.a.yes(QOQTFAfterAsylum) {
				g.deadline(&f, "oqtf_appeal", n, Period{7, Days}, true, false)
				f.uncDetail("after_asylum")
			} else {
				g.deadline(&f, "oqtf_appeal", n, Period{1, Months}, false, false)
			}
			if g.restriction() == "" {
				f.detail("restriction_unknown")
			}
		}
	}
	f.detail("voluntary_departure")
	f.detail("shelter_kept")
	f.refs("L. 345-2-2 CASF")
	return f, true
}

// checkDublinDecision: transfer decision (rights.md §3). Historically 15 days,
// or 48 h with house arrest or detention (L. 572-5/L. 572-6). Since 15 Jul 2024
// L. 572-4 sends the case to L. 921-1 (7 days) or L. 921-2 in detention
// (48 h); which delay applies now is UNCONFIRMED, so the shortest plausible
// delay is shown.
func checkDublinDecision(g *grid) (Flag, bool) {
	if !g.a.yes(QDublinTransferDecision) {
		return Flag{}, false
	}
	f := newFlag("dublin_transfer_decision", SeverityCritical)
	f.refs("L. 572-4 CESEDA", "L. 572-5 CESEDA", "L. 572-6 CESEDA", "L. 921-1 CESEDA", "L. 921-2 CESEDA", "règlement (UE) n° 604/2013")
	f.refer(ReferLegal, ReferAsylum)
	n := g.a.date(QDublinTransferNotifiedOn)
	restricted := g.restriction() == RestrictHouseArrest || g.restriction() == RestrictDetention || g.restriction() == RestrictPrison
	switch {
	case n.IsZero():
		f.detail("date_unknown")
	case n.Before(rules.OQTF2024Since):
		if restricted {
			g.deadline(&f, "dublin_appeal", n, Period{48, Hours}, false, false)
		} else {
			g.deadline(&f, "dublin_appeal", n, Period{15, Days}, false, false)
		}
	default:
		if restricted {
			g.deadline(&f, "dublin_appeal", n, Period{48, Hours}, true, false)
		} else {
			g.deadline(&f, "dublin_appeal", n, Period{7, Days}, true, false)
		}
		f.uncDetail("delay_2024")
	}
	f.detail("house_arrest")
	if !g.at.Before(rules.PactSince) {
		f.uncDetail("pact", "Date", rules.PactSince)
		f.refs("règlement (UE) 2024/1351")
	}
	return f, true
}

// checkDublinPeriod: after the other state accepts, France has 6 months to
// transfer; 18 if the person absconds, 12 if imprisoned (Dublin III art. 29).
// Once it passes, France is responsible (rights.md §3).
func checkDublinPeriod(g *grid) (Flag, bool) {
	acc := g.a.date(QDublinAcceptedOn)
	if !g.a.yes(QDublin) || acc.IsZero() {
		return Flag{}, false
	}
	f := newFlag("dublin_transfer_period", SeverityMedium)
	f.refs("règlement (UE) n° 604/2013, art. 29")
	f.refer(ReferAsylum)
	months := 6
	switch g.a[QDublinExtension] {
	case ExtAbsconding:
		months = 18
	case ExtImprisonment:
		months = 12
	}
	unc := !g.at.Before(rules.PactSince)
	g.deadline(&f, "dublin_transfer_period_end", acc, Period{months, Months}, unc, true)
	if end := (Period{months, Months}).after(acc); end.Before(g.at) {
		f.detail("period_over")
		f.Severity = SeverityHigh
	} else {
		f.detail("period_running")
	}
	f.detail("extension_not_challengeable")
	if unc {
		f.uncDetail("pact", "Date", rules.PactSince)
		f.refs("règlement (UE) 2024/1351")
	}
	return f, true
}

// checkCNDAAppeal: OFPRA rejection. CNDA appeal within 1 month of notification
// (L. 532-1); legal aid must be requested within 15 days, which suspends the
// delay (rights.md §1). For some accelerated cases the right to stay ends at
// OFPRA's rejection (L. 542-2).
func checkCNDAAppeal(g *grid) (Flag, bool) {
	if !g.a.yes(QOFPRARejection) {
		return Flag{}, false
	}
	f := newFlag("cnda_appeal", SeverityHigh)
	f.refs("L. 532-1 CESEDA", "L. 542-1 CESEDA", "L. 542-2 CESEDA")
	f.refer(ReferAsylum, ReferLegal)
	if g.a.yes(QCNDAAppealFiled) {
		f.Severity = SeverityInfo
		f.detail("appeal_filed")
		f.detail("right_to_stay")
		return f, true
	}
	n := g.a.date(QOFPRARejectionOn)
	if n.IsZero() {
		f.detail("date_unknown")
	} else {
		// Pre-Pact CESEDA delays: unconfirmed for a notification from the
		// Pact's start.
		unc := !n.Before(rules.PactSince)
		g.deadline(&f, "legal_aid_request", n, Period{15, Days}, unc, false)
		g.deadline(&f, "cnda_appeal", n, Period{1, Months}, unc, false)
	}
	f.detail("legal_aid")
	f.detail("right_to_stay")
	if !g.at.Before(rules.PactSince) {
		f.uncDetail("pact", "Date", rules.PactSince)
	}
	return f, true
}

// checkCNDARejection: final rejection (rights.md §4). Cassation at the Conseil
// d'État within 2 months; stay in CADA/HUDA at most 1 month after the end of
// the month of notification; 15 days to ask OFII for return help; ADA stops at
// the end of the month after the decision (UNCONFIRMED current wording); an
// OQTF usually follows; re-examination possible with new evidence.
func checkCNDARejection(g *grid) (Flag, bool) {
	if !g.a.yes(QCNDARejection) {
		return Flag{}, false
	}
	f := newFlag("cnda_rejection", SeverityHigh)
	f.refs("L. 542-1 CESEDA", "L. 542-4 CESEDA", "L. 552-15 CESEDA")
	f.refer(ReferLegal, ReferAsylum)
	n := g.a.date(QCNDARejectionOn)
	if n.IsZero() {
		f.detail("date_unknown")
	} else {
		g.deadline(&f, "cassation", n, Period{2, Months}, false, false)
		g.deadline(&f, "ofii_return_help", n, Period{15, Days}, false, true)
		g.addDeadline(&f, Deadline{Kind: "ada_end", Date: n.AddMonths(1).EndOfMonth(), From: n, Unconfirmed: true, Informative: true})
		if g.a.yes(QInDNA) {
			g.addDeadline(&f, Deadline{Kind: "dna_exit_refused", Date: n.AddMonths(1).EndOfMonth(), From: n})
			f.refer(ReferShelter)
		}
	}
	f.detail("oqtf_follows")
	f.detail("reexamination")
	return f, true
}

// checkProtection: refugee or subsidiary protection granted (rights.md §5). May
// stay in CADA up to 3 months after the end of the month of notification, +3
// months with OFII's agreement; renew the 6-month attestation before it
// expires; apply for the card on ANEF.
func checkProtection(g *grid) (Flag, bool) {
	if !g.a.yes(QProtectionGranted) {
		return Flag{}, false
	}
	f := newFlag("protection_granted", SeverityMedium)
	f.refs("L. 424-1 CESEDA", "L. 424-9 CESEDA", "R. 431-15-3 CESEDA", "R. 431-15-4 CESEDA")
	f.refer(ReferHousing)
	n := g.a.date(QProtectionNotifiedOn)
	if !n.IsZero() && g.a.yes(QInDNA) {
		g.addDeadline(&f, Deadline{Kind: "dna_exit_protected", Date: n.AddMonths(3).EndOfMonth(), From: n})
		g.addDeadline(&f, Deadline{Kind: "dna_exit_protected_extended", Date: n.AddMonths(6).EndOfMonth(), From: n, Informative: true})
	}
	f.detail("rights_open")
	f.detail("card")
	f.detail("family_reunification")
	f.refs("L. 561-2 CESEDA")
	return f, true
}

// checkResidenceRefusal: a refusal of a residence title without OQTF; other
// refusals: 2 months (rights.md §10).
func checkResidenceRefusal(g *grid) (Flag, bool) {
	if !g.a.yes(QResidenceRefusal) {
		return Flag{}, false
	}
	f := newFlag("residence_refusal", SeverityHigh)
	f.refer(ReferLegal)
	if n := g.a.date(QResidenceRefusalOn); n.IsZero() {
		f.detail("date_unknown")
	} else {
		g.deadline(&f, "residence_refusal_appeal", n, Period{2, Months}, false, false)
	}
	f.detail("check_oqtf")
	return f, true
}

// checkStatelessRefusal: OFPRA refusal of statelessness goes to the
// administrative court (not the CNDA), normally within 2 months; the delay is
// UNCONFIRMED (rights.md §7).
func checkStatelessRefusal(g *grid) (Flag, bool) {
	if !g.a.yes(QStatelessRefusal) {
		return Flag{}, false
	}
	f := newFlag("stateless_refusal", SeverityHigh)
	f.refs("L. 582-1 CESEDA")
	f.refer(ReferLegal)
	if n := g.a.date(QStatelessRefusalOn); n.IsZero() {
		f.detail("date_unknown")
	} else {
		g.deadline(&f, "stateless_refusal_appeal", n, Period{2, Months}, true, false)
	}
	f.detail("court")
	return f, true
}

// checkIRTF: a return ban. The research note does not cover IRTF rules or
// delays: the flag asks for a legal check, with no computed deadline.
func checkIRTF(g *grid) (Flag, bool) {
	if !g.a.yes(QIRTF) {
		return Flag{}, false
	}
	f := newFlag("irtf", SeverityHigh)
	f.refer(ReferLegal)
	f.uncDetail("not_covered")
	return f, true
}

// checkMinorAssessment: a young person who says they are a minor (rights.md
// §11): emergency reception by the département for 5 days, extendable twice,
// with an assessment (L. 221-2-4 CASF). In Paris the DEMIE 75 closed on
// 30 Jun 2022; France terre d'asile runs the AMNA.
func checkMinorAssessment(g *grid) (Flag, bool) {
	if !g.a.yes(QDeclaresMinor) || g.a.yes(QMinorityRefused) {
		return Flag{}, false
	}
	f := newFlag("minor_age_assessment", SeverityHigh)
	f.refs("L. 221-2-4 CASF", "R. 221-11 CASF")
	f.refer(ReferChild)
	f.detail("reception")
	f.detail("paris_amna")
	f.uncDetail("bone_tests")
	return f, true
}

// checkMinority: minority refused after assessment (rights.md §11): referral to
// the children's judge (art. 375 code civil); AME without the 3-month wait;
// asylum possible with an administrateur ad hoc.
func checkMinority(g *grid) (Flag, bool) {
	if !g.a.yes(QDeclaresMinor) || !g.a.yes(QMinorityRefused) {
		return Flag{}, false
	}
	f := newFlag("minority_refused", SeverityHigh)
	f.refs("art. 375 code civil", "L. 251-1 CASF")
	f.refer(ReferLegal, ReferChild, ReferHealth)
	f.detail("childrens_judge")
	f.detail("shelter")
	f.detail("ame")
	f.detail("asylum")
	return f, true
}

// checkDocument: the current document expired or expires soon. PUMa and CSS are
// kept until the end of the 6th month after expiry (R. 111-4 CSS).
func checkDocument(g *grid) (Flag, bool) {
	exp := g.a.date(QDocumentExpiresOn)
	if exp.IsZero() {
		return Flag{}, false
	}
	left := g.at.DaysUntil(exp)
	switch {
	case left < 0:
		f := newFlag("document_expired", SeverityHigh)
		f.refs("R. 111-4 CSS")
		f.refer(ReferLegal)
		g.addDeadline(&f, Deadline{Kind: "document_expiry", Date: exp})
		first := rules.NewDate(exp.Time().Year(), exp.Time().Month(), 1)
		g.addDeadline(&f, Deadline{Kind: "health_cover_kept", Date: first.AddMonths(6).EndOfMonth(), From: exp, Informative: true})
		f.detail("renew")
		f.detail("health_kept")
		return f, true
	case left <= ExpiryWarningDays:
		f := newFlag("document_expiring", SeverityMedium)
		f.refer(ReferLegal)
		g.addDeadline(&f, Deadline{Kind: "document_expiry", Date: exp})
		f.detail("renew", "Days", ExpiryWarningDays)
		if g.a.yes(QAsylumSeeker) {
			f.detail("atda")
		}
		return f, true
	}
	return Flag{}, false
}

// checkOFPRAFiling: the OFPRA file is due within 21 days of the GUDA
// registration (rights.md §1); ADA requires it (not for Dublin).
func checkOFPRAFiling(g *grid) (Flag, bool) {
	reg := g.a.date(QAsylumRegisteredOn)
	if !g.a.yes(QAsylumSeeker) || reg.IsZero() || g.a.yes(QOFPRAFiled) || g.a.yes(QDublin) {
		return Flag{}, false
	}
	f := newFlag("ofpra_filing", SeverityHigh)
	f.refs("L. 531-1 CESEDA", "L. 553-1 CESEDA")
	f.refer(ReferAsylum)
	g.deadline(&f, "ofpra_filing", reg, Period{21, Days}, !reg.Before(rules.PactSince), false)
	f.detail("ada")
	return f, true
}

// checkHealthResidence: a serious health issue with a residence stake: sick
// foreigner (L. 425-9) or APS for a parent of a sick child (L. 425-10). The
// medical file goes to OFII within 1 month (3 months for an asylum seeker)
// (rights.md §9.3).
func checkHealthResidence(g *grid) (Flag, bool) {
	if !g.a.yes(QHealthResidence) {
		return Flag{}, false
	}
	f := newFlag("health_residence", SeverityHigh)
	f.refs("L. 425-9 CESEDA", "L. 425-10 CESEDA")
	f.refer(ReferHealth, ReferLegal, ReferOFII)
	if n := g.a.date(QMedicalFileOn); !n.IsZero() {
		p := Period{1, Months}
		if g.a.yes(QAsylumSeeker) {
			p = Period{3, Months}
		}
		g.deadline(&f, "medical_file", n, p, false, false)
	}
	f.detail("sick_foreigner")
	f.detail("sick_child")
	f.detail("medical_secrecy")
	return f, true
}

// checkNoShelter: emergency accommodation is unconditional (L. 345-2-2 CASF).
func checkNoShelter(g *grid) (Flag, bool) {
	if !g.a.yes(QNoShelter) {
		return Flag{}, false
	}
	f := newFlag("no_shelter", SeverityHigh)
	f.refs("L. 345-2-2 CASF", "L. 345-2-3 CASF")
	f.refer(ReferShelter)
	if g.a.yes(QDeclaresMinor) {
		f.refer(ReferChild)
		f.detail("minor")
	}
	f.detail("unconditional")
	return f, true
}

// checkNoHealthCover: urgent care and PASS clinics (L. 254-1 CASF).
func checkNoHealthCover(g *grid) (Flag, bool) {
	if !g.a.yes(QNoHealthCover) {
		return Flag{}, false
	}
	f := newFlag("no_health_cover", SeverityMedium)
	f.refs("L. 254-1 CASF", "L. 160-1 CSS", "L. 251-1 CASF")
	f.refer(ReferHealth)
	f.detail("pass")
	f.detail("simulate")
	return f, true
}

// checkNoDomiciliation: general scheme (L. 264-1 CASF, CCAS/CASVP) or, for
// asylum seekers, SPADA / DNA (L. 264-10 CASF).
func checkNoDomiciliation(g *grid) (Flag, bool) {
	if !g.a.yes(QNoDomiciliation) {
		return Flag{}, false
	}
	f := newFlag("no_domiciliation", SeverityMedium)
	if g.a.yes(QAsylumSeeker) {
		f.refs("L. 264-10 CASF")
		f.refer(ReferAsylum)
		f.detail("spada")
	} else {
		f.refs("L. 264-1 CASF")
		f.refer(ReferDomiciliation)
		f.detail("general")
	}
	return f, true
}

// checkFamilySeparated: family reunification (regroupement familial,
// L. 434-1 ff.) or réunification familiale for protected persons (L. 561-2 ff.).
func checkFamilySeparated(g *grid) (Flag, bool) {
	if !g.a.yes(QFamilySeparated) {
		return Flag{}, false
	}
	f := newFlag("family_separated", SeverityMedium)
	f.refs("L. 434-1 CESEDA", "L. 561-2 CESEDA")
	f.refer(ReferLegal)
	if g.a.yes(QProtectionGranted) {
		f.detail("reunification")
	} else {
		f.detail("routes")
	}
	return f, true
}

// checkPact: asylum answers after the EU Pact's start (rights.md, header).
func checkPact(g *grid) (Flag, bool) {
	asylum := g.a.yes(QAsylumSeeker) || g.a.yes(QDublin) || g.a.yes(QOFPRARejection) || g.a.yes(QCNDARejection)
	if !asylum || g.at.Before(rules.PactSince) {
		return Flag{}, false
	}
	f := newFlag("eu_pact", SeverityInfo)
	f.refs("règlement (UE) 2024/1351")
	f.refer(ReferAsylum)
	f.uncDetail("rules_changed", "Date", rules.PactSince)
	return f, true
}

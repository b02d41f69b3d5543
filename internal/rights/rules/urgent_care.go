package rules

// Soins urgents, L. 254-1 CASF (rights.md §0.2, §10).
//
// Covers people without papers who do not yet have AME (under 3 months'
// presence), and adult asylum seekers during their 3-month PUMa wait (added
// by the 2020 finance law). Hospital PASS clinics give unconditional access.
//
// OpenFisca-France has no urgent-care logic (rights.md §12.2 point 1).

var urgentCareRule = rule{
	id:      RightUrgentCare,
	refs:    []string{"L. 254-1 CASF"},
	sources: []string{"Forum réfugiés / Le Media social (Jan 2020)", "rights.md §0.2, §10 (November 2026)"},
	fn:      urgentCare,
}

func urgentCare(c *ctx) RightResult {
	var r RightResult
	const ref = "L. 254-1 CASF"
	p, a := c.result(RightPUMa), c.result(RightAME)
	r.note(msg("rights.urgent_care.note.pass"))
	switch {
	case p.Outcome == Eligible:
		r.set(NotEligible, msg("rights.urgent_care.reason.covered_puma"), ref)
	case a.Outcome == Eligible:
		r.set(NotEligible, msg("rights.urgent_care.reason.covered_ame"), ref)
	case c.s.Status.isAsylumSeeker() && p.Outcome == NotEligible && p.OpensOn.After(c.at):
		r.set(Eligible, msg("rights.urgent_care.reason.asylum_wait", "Date", p.OpensOn), ref)
		r.Until = p.OpensOn.AddDays(-1)
	case a.Outcome == NotEligible && a.OpensOn.After(c.at) && isPresenceWait(a):
		r.set(Eligible, msg("rights.urgent_care.reason.ame_wait", "Date", a.OpensOn), ref)
		r.Until = a.OpensOn.AddDays(-1)
	case p.Outcome == Maybe || a.Outcome == Maybe:
		r.set(Maybe, msg("rights.urgent_care.reason.check_cover"), ref)
	default:
		r.set(Unknown, msg("rights.urgent_care.reason.not_covered"), ref)
	}
	return r
}

// isPresenceWait reports whether the AME result waits for the 3 months of
// presence (and not for PUMa to end).
func isPresenceWait(a RightResult) bool {
	for _, m := range a.Reasons {
		if m.ID == "rights.ame.reason.presence_wait" {
			return true
		}
	}
	return false
}

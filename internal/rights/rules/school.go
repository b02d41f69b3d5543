package rules

// School (scolarisation), rights.md §10: "compulsory and unconditional for
// children". The research note cites no article and no age bounds, so the rule
// only says that school enrolment does not depend on the parents' status.
// OpenFisca-France has no counterpart (rights.md §12.1).

var schoolRule = rule{
	id:      RightSchool,
	sources: []string{"rights.md §10 (no article cited)"},
	docs:    []string{DocSchool},
	fn:      school,
}

func school(c *ctx) RightResult {
	var r RightResult
	n := len(c.s.Children)
	if n == 0 {
		if c.s.Status.isMinorStatus() {
			r.set(Eligible, msg("rights.school.reason.minor_self"))
			r.docs(DocSchool)
			return r
		}
		r.set(NotEligible, msg("rights.school.reason.no_children"))
		return r
	}
	r.set(Eligible, countMsg("rights.school.reason.unconditional", n))
	r.docs(DocSchool)
	return r
}

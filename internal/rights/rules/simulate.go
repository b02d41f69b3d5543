package rules

import (
	"slices"
	"time"
)

// rule is one right's rule: its metadata and the function that decides.
type rule struct {
	id RightID
	// refs and sources list everything the rule may cite (for Rights() and
	// the documentation); a result cites the references of its reasons.
	refs    []string
	sources []string
	docs    []string
	fn      func(c *ctx) RightResult
}

// ruleList is the evaluation order (rights.md §12.5 point 4): the right to
// work, then health cover, then minimum income and family benefits, then the
// rights that depend on them (transport), then addresses and the rest.
var ruleList = []rule{
	workRule, pumaRule, cssFreeRule, cssContributionRule, ameRule, urgentCareRule,
	rsaRule, familyRule, adaRule, transportRule, domiciliationRule,
	emergencyRule, cirRule, schoolRule,
}

// ctx carries the situation, the date and the results already computed.
type ctx struct {
	s       Situation
	at      Date
	results map[RightID]RightResult
}

// Simulate answers, for each right, whether the situation opens it at the
// date (the calendar date of at in at's location). The situation should have
// passed Validate; an invalid one gives "unknown" everywhere.
func Simulate(s Situation, at time.Time) Result {
	d := DateOf(at)
	res := Result{At: d, Status: s.Status}
	var blocker *Message
	switch {
	case s.Validate() != nil:
		m := msg("rights.common.reason.invalid_situation")
		blocker = &m
	case d.Before(ModelStart):
		m := msg("rights.common.reason.before_model", "Date", ModelStart)
		blocker = &m
	}
	if blocker != nil {
		for _, r := range ruleList {
			rr := RightResult{Right: r.id, Outcome: Unknown, Reasons: []Message{*blocker}}
			res.Rights = append(res.Rights, finalize(rr, r, d))
		}
		return res
	}
	c := &ctx{s: s, at: d, results: map[RightID]RightResult{}}
	for _, r := range ruleList {
		rr := finalize(r.fn(c), r, d)
		c.results[r.id] = rr
		res.Rights = append(res.Rights, rr)
	}
	if c.pact() {
		res.Notes = append(res.Notes, uncMsg("rights.common.note.eu_pact", "Date", PactSince))
	}
	return res
}

// finalize fills the common fields and enforces the invariants: a name, at
// least one reason, no certain outcome on an unconfirmed decisive reason,
// waiting days, sorted unique documents.
func finalize(r RightResult, meta rule, at Date) RightResult {
	r.Right = meta.id
	r.Name = rightName(meta.id)
	if r.Outcome == "" {
		r.Outcome = Unknown
	}
	if len(r.Reasons) == 0 {
		r.Reasons = []Message{msg("rights.common.reason.not_covered")}
	}
	for _, m := range r.Reasons {
		if m.Unconfirmed {
			r.Unconfirmed = true
			if r.Outcome == Eligible || r.Outcome == NotEligible {
				r.Outcome = Maybe
			}
		}
	}
	for _, m := range r.Notes {
		if m.Unconfirmed {
			r.Unconfirmed = true
		}
	}
	for _, a := range r.Amounts {
		if a.Unconfirmed || a.Stale {
			r.Unconfirmed = true
		}
	}
	if r.References == nil {
		r.References = []string{}
	}
	r.References = uniq(r.References)
	if len(r.Sources) == 0 {
		r.Sources = append([]string(nil), meta.sources...)
	}
	r.Documents = uniq(r.Documents)
	slices.Sort(r.Documents)
	if !r.OpensOn.IsZero() && r.OpensOn.After(at) {
		r.WaitingDays = at.DaysUntil(r.OpensOn)
	}
	return r
}

func uniq(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// result helpers, used by every rule.

func (r *RightResult) because(m Message, refs ...string) {
	r.Reasons = append(r.Reasons, m)
	r.References = append(r.References, refs...)
}

func (r *RightResult) note(m Message, refs ...string) {
	r.Notes = append(r.Notes, m)
	r.References = append(r.References, refs...)
}

func (r *RightResult) docs(slugs ...string) { r.Documents = append(r.Documents, slugs...) }

// set sets the outcome and a decisive reason.
func (r *RightResult) set(o Outcome, m Message, refs ...string) {
	r.Outcome = o
	r.because(m, refs...)
}

// context helpers.

func (c *ctx) age() (int, bool) { return c.s.ageAt(c.at) }

// minor reports whether the person is under 18: (is minor, known).
func (c *ctx) minor() (bool, bool) {
	if c.s.Status.isMinorStatus() {
		return true, true
	}
	a, ok := c.age()
	return ok && a < 18, ok
}

// pact reports whether the date is after the EU Pact's start and the person
// is in an asylum status, whose rules here are pre-Pact rules.
func (c *ctx) pact() bool {
	return !c.at.Before(PactSince) && (c.s.Status.isAsylumSeeker() || c.s.Status == StatusAsylumRefused)
}

// pactReason adds the decisive, unconfirmed EU Pact reason when it applies.
func (c *ctx) pactReason(r *RightResult) {
	if c.pact() {
		r.because(uncMsg("rights.common.reason.eu_pact_asylum_rule", "Date", PactSince))
	}
}

// tri is a three-valued condition.
type tri int

const (
	triUnknown tri = iota
	triYes
	triNo
)

// presence3Months tells whether the person has lived in France for more than
// 3 months without interruption at the date, and from when. ArrivedOn is used
// when known; otherwise StatusGrantedOn (a document issued in France proves
// presence at that date) can only show the condition is met.
func (c *ctx) presence3Months() (tri, Date) {
	if !c.s.ArrivedOn.IsZero() {
		opens := c.s.ArrivedOn.AddMonths(3)
		if c.at.Before(opens) {
			return triNo, opens
		}
		return triYes, opens
	}
	if !c.s.StatusGrantedOn.IsZero() && !c.at.Before(c.s.StatusGrantedOn.AddMonths(3)) {
		return triYes, Date{}
	}
	return triUnknown, Date{}
}

// resourcesUnder compares the household's yearly resources with a yearly
// ceiling: yes, no, or unknown (resources not given, ceiling unknown at the
// date). A stale ceiling gives unknown unless there are no resources at all.
func (c *ctx) resourcesUnder(ceiling Param) tri {
	if !c.s.ResourcesKnown {
		return triUnknown
	}
	if c.s.MonthlyResources == 0 {
		return triYes
	}
	if ceiling.Status != ParamKnown {
		return triUnknown
	}
	if int64(c.s.MonthlyResources)*12 <= ceiling.Value {
		return triYes
	}
	return triNo
}

// ceilingReason explains a resource comparison with a yearly ceiling.
func (c *ctx) ceilingReason(prefix string, ceiling Param, t tri) Message {
	yearly := c.s.MonthlyResources * 12
	switch {
	case !c.s.ResourcesKnown:
		return msg("rights.common.reason.resources_unknown")
	case c.s.MonthlyResources == 0:
		return msg("rights.common.reason.no_resources")
	case ceiling.Status == ParamUnknown:
		return msg("rights.common.reason.ceiling_unknown", "Date", c.at)
	case ceiling.Status == ParamStale:
		return uncMsg("rights.common.reason.ceiling_stale", "Ceiling", Money(ceiling.Value), "Until", ceiling.Until, "Resources", yearly)
	case t == triYes:
		return msg(prefix+".reason.under_ceiling", "Resources", yearly, "Ceiling", Money(ceiling.Value), "Persons", c.s.householdSize(), "From", ceiling.From)
	default:
		return msg(prefix+".reason.over_ceiling", "Resources", yearly, "Ceiling", Money(ceiling.Value), "Persons", c.s.householdSize(), "From", ceiling.From)
	}
}

// ceilingAmount shows a ceiling as an amount.
func ceilingAmount(label string, p Param, persons int) Amount {
	return Amount{Label: msg(label, "Persons", persons), Value: Money(p.Value), Unit: p.Unit, From: p.From,
		Stale: p.Status == ParamStale, Unconfirmed: p.Unconfirmed}
}

// outcomeOf combines conditions: any no → not eligible; all yes → eligible;
// otherwise maybe.
func outcomeOf(ts ...tri) Outcome {
	all := true
	for _, t := range ts {
		if t == triNo {
			return NotEligible
		}
		if t != triYes {
			all = false
		}
	}
	if all {
		return Eligible
	}
	return Maybe
}

// result returns the result of a right already computed.
func (c *ctx) result(id RightID) RightResult { return c.results[id] }

// heldOrEligible reports whether the person receives the benefit or the
// simulator found the right open: yes, no, maybe (unknown).
func (c *ctx) heldOrEligible(b Benefit, id RightID) tri {
	if c.s.receives(b) {
		return triYes
	}
	switch c.result(id).Outcome {
	case Eligible:
		return triYes
	case NotEligible:
		return triNo
	}
	return triUnknown
}

// effective returns the status whose rules apply: the Basis for a receipt
// (renewal or favourable decision) or a multi-year card, the status itself
// otherwise.
func (c *ctx) effective() StatusID {
	s := c.s
	switch s.Status {
	case StatusMultiYearCard:
		if s.Basis != "" {
			return s.Basis
		}
	case StatusReceipt:
		if s.Basis != "" && (s.Interim == InterimRenewal || s.Interim == InterimFavourable) {
			return s.Basis
		}
	}
	return s.Status
}

// documentExpired reports whether the current document's validity has ended.
func (c *ctx) documentExpired() bool {
	return !c.s.StatusValidUntil.IsZero() && c.at.After(c.s.StatusValidUntil)
}

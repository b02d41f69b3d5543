package rules

import (
	"slices"
	"sort"
)

// ParamStatus tells how far a parameter value can be trusted at a date.
type ParamStatus string

const (
	// ParamKnown: a source gives the value for this date.
	ParamKnown ParamStatus = "known"
	// ParamStale: the date is after the end of the last known period (for
	// example a ceiling revalued every April whose new value was not found).
	// The value returned is the last known one, for indication only.
	ParamStale ParamStatus = "stale"
	// ParamUnknown: no value is known for this date (before the earliest
	// known value, or an unknown name). Value is 0.
	ParamUnknown ParamStatus = "unknown"
)

// Unit is the unit of a parameter value.
type Unit string

const (
	UnitCentsPerDay   Unit = "cents_per_day"
	UnitCentsPerMonth Unit = "cents_per_month"
	UnitCentsPerYear  Unit = "cents_per_year"
	UnitHoursPerYear  Unit = "hours_per_year"
)

// Param is the value of a dated parameter at a date.
type Param struct {
	Name  string `json:"name"`
	Value int64  `json:"value"`
	Unit  Unit   `json:"unit"`
	// From and Until bound the period of the value (Until is zero when the
	// source gives no end).
	From   Date        `json:"from,omitzero"`
	Until  Date        `json:"until,omitzero"`
	Status ParamStatus `json:"status"`
	// Unconfirmed is true when the research note marks the value UNCONFIRMED,
	// and always for a stale value.
	Unconfirmed bool   `json:"unconfirmed"`
	Source      string `json:"source,omitempty"`
}

// Usable reports whether the value may be used (known, or stale as an
// indication).
func (p Param) Usable() bool { return p.Status != ParamUnknown }

// Names of the dated parameters.
const (
	ParamADABase          = "ada.daily.base"
	ParamADAExtraPerson   = "ada.daily.extra_person"
	ParamADANoHousing     = "ada.daily.no_accommodation"
	ParamRSASingle        = "rsa.amount.single"
	ParamCSSFree1         = "css.free.ceiling.1"
	ParamCSSFree2         = "css.free.ceiling.2"
	ParamCSSFree3         = "css.free.ceiling.3"
	ParamCSSFree4         = "css.free.ceiling.4"
	ParamCSSFreeExtra     = "css.free.ceiling.extra"
	ParamCSSContrib1      = "css.contribution.ceiling.1"
	ParamCSSContrib2      = "css.contribution.ceiling.2"
	ParamCSSContrib3      = "css.contribution.ceiling.3"
	ParamCSSContrib4      = "css.contribution.ceiling.4"
	ParamCSSContribExtra  = "css.contribution.ceiling.extra"
	ParamNavigoMonth50    = "idfm.navigo_month.reduction_50"
	ParamStudentWorkHours = "student.work.hours"
)

type paramEntry struct {
	from, until Date // until is inclusive; zero = open
	value       int64
	unconfirmed bool
	source      string
}

type paramSeries struct {
	unit    Unit
	entries []paramEntry // sorted by from
}

// Sources of the values, as named in rights.md §0.1.
const (
	srcADA2015     = "décret n° 2015-1329; OpenFisca-France parameter ada (checked 2022-01-10)"
	srcADAOld      = "OpenFisca-France tests/formulas/ada.yaml (2015 cases, supplement 4.20 €)"
	srcADA2018     = "décret n° 2018-426"
	srcRSA2025     = "décret n° 2025-293 (OpenFisca-France parameter)"
	srcRSA2026     = "OpenFisca-France parameter only, décret not read"
	srcCSSOF       = "OpenFisca-France cmu/plafond_base"
	srcCSS2025     = "EFL table; arrêté of 29 Mar 2025"
	srcNavigo2025  = "IDFM English page with 2025 prices"
	srcStudentWork = "L. 422-1 CESEDA (60 % of the legal annual working time)"
)

// paramTable holds every dated value the rules use. Values are exactly those
// of rights.md §0.1, with their dates; nothing is extrapolated.
var paramTable = map[string]paramSeries{
	// ADA (L. 553-1 ff. CESEDA; annex of the décret): daily amounts.
	ParamADABase: {UnitCentsPerDay, []paramEntry{
		{from: MustDate("2015-11-01"), value: 680, source: srcADA2015},
	}},
	ParamADAExtraPerson: {UnitCentsPerDay, []paramEntry{
		{from: MustDate("2015-11-01"), value: 340, source: srcADA2015},
	}},
	ParamADANoHousing: {UnitCentsPerDay, []paramEntry{
		// The 4.20 € value only appears in OpenFisca's 2015 test cases
		// (rights.md §12.4), hence unconfirmed.
		{from: MustDate("2015-11-01"), until: MustDate("2018-06-01"), value: 420, unconfirmed: true, source: srcADAOld},
		{from: MustDate("2018-06-02"), value: 740, source: srcADA2018},
	}},
	// RSA, single person without income, metropolitan France (L. 262-2 CASF).
	ParamRSASingle: {UnitCentsPerMonth, []paramEntry{
		{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 64652, source: srcRSA2025},
		{from: MustDate("2026-04-01"), value: 65169, unconfirmed: true, source: srcRSA2026},
	}},
	// CSS without contribution, yearly resource ceilings, metropolitan France.
	// Only the one-person value is known before April 2025; the ceilings
	// from 1 Apr 2026 were not found (rights.md §0.1).
	ParamCSSFree1: {UnitCentsPerYear, []paramEntry{
		{from: MustDate("2023-04-01"), until: MustDate("2024-03-31"), value: 971900, source: srcCSSOF},
		{from: MustDate("2024-04-01"), until: MustDate("2025-03-31"), value: 1016600, source: srcCSSOF},
		{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 1033900, source: srcCSS2025},
	}},
	ParamCSSFree2:     {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 1550800, source: srcCSS2025}}},
	ParamCSSFree3:     {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 1860900, source: srcCSS2025}}},
	ParamCSSFree4:     {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 2171100, source: srcCSS2025}}},
	ParamCSSFreeExtra: {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 413500, source: srcCSS2025}}},
	// CSS with contribution, yearly resource ceilings.
	ParamCSSContrib1:     {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 1395700, source: srcCSS2025}}},
	ParamCSSContrib2:     {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 2093600, source: srcCSS2025}}},
	ParamCSSContrib3:     {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 2512300, source: srcCSS2025}}},
	ParamCSSContrib4:     {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 2931100, source: srcCSS2025}}},
	ParamCSSContribExtra: {UnitCentsPerYear, []paramEntry{{from: MustDate("2025-04-01"), until: MustDate("2026-03-31"), value: 558300, source: srcCSS2025}}},
	// Navigo Mois at 50 % (Réduction Solidarité 50 %, AME), zones 1-5. The
	// source gives no end date; the rule shows the price with its date.
	ParamNavigoMonth50: {UnitCentsPerMonth, []paramEntry{
		{from: MustDate("2025-01-01"), value: 4440, source: srcNavigo2025},
	}},
	// Student work limit (L. 422-1 CESEDA, article number in force since the
	// recodification of 1 May 2021).
	ParamStudentWorkHours: {UnitHoursPerYear, []paramEntry{
		{from: ModelStart, value: 964, source: srcStudentWork},
	}},
}

// ParamAt returns the value of the named parameter in force at the date.
// Before the earliest known value (or for an unknown name) the status is
// ParamUnknown and the value 0: no value is ever invented. After the end of
// the last known period, the last value is returned with ParamStale and
// Unconfirmed set.
func ParamAt(name string, at Date) Param {
	ps, ok := paramTable[name]
	if !ok {
		return Param{Name: name, Status: ParamUnknown}
	}
	p := Param{Name: name, Unit: ps.unit, Status: ParamUnknown}
	i := sort.Search(len(ps.entries), func(i int) bool { return ps.entries[i].from.After(at) }) - 1
	if i < 0 || at.IsZero() {
		return p
	}
	e := ps.entries[i]
	p.Value, p.From, p.Until, p.Unconfirmed, p.Source = e.value, e.from, e.until, e.unconfirmed, e.source
	p.Status = ParamKnown
	if !e.until.IsZero() && at.After(e.until) {
		p.Status = ParamStale
		p.Unconfirmed = true
	}
	return p
}

// ParamNames lists the parameter names, sorted.
func ParamNames() []string {
	names := make([]string, 0, len(paramTable))
	for n := range paramTable {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ParamHistory lists every known value of a parameter, oldest first.
func ParamHistory(name string) []Param {
	ps := paramTable[name]
	out := make([]Param, 0, len(ps.entries))
	for _, e := range ps.entries {
		out = append(out, Param{Name: name, Value: e.value, Unit: ps.unit, From: e.from, Until: e.until,
			Status: ParamKnown, Unconfirmed: e.unconfirmed, Source: e.source})
	}
	return out
}

// CSSKind selects one of the two CSS ceilings.
type CSSKind int

const (
	CSSFree         CSSKind = iota // CSS without contribution (also the AME ceiling)
	CSSContribution                // CSS with contribution
)

// CSSCeiling returns the yearly resource ceiling for a household of the given
// size (at least 1) at the date: the table gives 1 to 4 persons, then a fixed
// amount per extra person. The status is the least certain of the values used.
func CSSCeiling(kind CSSKind, householdSize int, at Date) Param {
	names := [5]string{ParamCSSFree1, ParamCSSFree2, ParamCSSFree3, ParamCSSFree4, ParamCSSFreeExtra}
	if kind == CSSContribution {
		names = [5]string{ParamCSSContrib1, ParamCSSContrib2, ParamCSSContrib3, ParamCSSContrib4, ParamCSSContribExtra}
	}
	if householdSize < 1 {
		householdSize = 1
	}
	if householdSize <= 4 {
		return ParamAt(names[householdSize-1], at)
	}
	base, extra := ParamAt(names[3], at), ParamAt(names[4], at)
	out := base
	out.Name = names[3] + "+extra"
	if !base.Usable() || !extra.Usable() {
		out.Value, out.Status = 0, ParamUnknown
		return out
	}
	out.Value = base.Value + int64(householdSize-4)*extra.Value
	if extra.Status == ParamStale {
		out.Status = ParamStale
	}
	out.Unconfirmed = base.Unconfirmed || extra.Unconfirmed
	return out
}

// ADADailyAmount returns the ADA daily amount for a household of the given
// size (1 to 10 persons) at the date, with the supplement when no
// accommodation is offered. OpenFisca-France (ada.py) computes
// 6.80 + (n−1)×3.40 + 7.40×not(accommodated), the supplement once per
// household; we match it. The décret as quoted in 2017 pays the supplement to
// each adult (rights.md §12.2 point 4, UNCONFIRMED); the ADA rule flags it.
// The second result is false when a value is unknown at the date or the
// household is larger than the 10-step scale.
func ADADailyAmount(at Date, householdSize int, accommodated bool) (Money, bool) {
	if householdSize < 1 || householdSize > 10 {
		return 0, false
	}
	base, extra := ParamAt(ParamADABase, at), ParamAt(ParamADAExtraPerson, at)
	if base.Status != ParamKnown || extra.Status != ParamKnown {
		return 0, false
	}
	v := base.Value + int64(householdSize-1)*extra.Value
	if !accommodated {
		sup := ParamAt(ParamADANoHousing, at)
		if sup.Status != ParamKnown {
			return 0, false
		}
		v += sup.Value
	}
	return Money(v), true
}

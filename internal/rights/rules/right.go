package rules

// RightID identifies a right the simulator answers for (stable IDs).
type RightID string

const (
	RightWork                   RightID = "work"
	RightPUMa                   RightID = "puma"
	RightCSSFree                RightID = "css_free"
	RightCSSContribution        RightID = "css_contribution"
	RightAME                    RightID = "ame"
	RightUrgentCare             RightID = "urgent_care"
	RightRSA                    RightID = "rsa"
	RightFamilyBenefits         RightID = "family_benefits"
	RightADA                    RightID = "ada"
	RightTransport              RightID = "solidarite_transport"
	RightDomiciliation          RightID = "domiciliation"
	RightEmergencyAccommodation RightID = "emergency_accommodation"
	RightCIR                    RightID = "cir"
	RightSchool                 RightID = "school"
)

// Outcome is the simulator's answer for one right.
type Outcome string

const (
	Eligible    Outcome = "eligible"
	NotEligible Outcome = "not_eligible"
	// Maybe: the conditions may be met but something must be checked (a
	// missing answer, an unconfirmed rule, a condition the simulator does not
	// model).
	Maybe Outcome = "maybe"
	// Unknown: the simulator cannot answer (date outside the model, rule not
	// covered by the research note).
	Unknown Outcome = "unknown"
)

// Outcomes lists the outcomes; their labels are "rights.outcome.<id>".
func Outcomes() []Outcome { return []Outcome{Eligible, Maybe, NotEligible, Unknown} }

// Level qualifies an outcome for rights with tiers; its label is
// "rights.level.<id>".
type Level string

const (
	LevelTransportFree  Level = "transport_free"   // Solidarité Gratuité
	LevelTransport75    Level = "transport_75"     // Réduction Solidarité 75 %
	LevelTransport50    Level = "transport_50"     // Réduction 50 %
	LevelWorkFull       Level = "work_full"        // any job
	LevelWorkLimited    Level = "work_limited"     // limited job or hours
	LevelWorkEmployer   Level = "work_employer"    // the employer must obtain a work permit
	LevelDomGeneral     Level = "dom_general"      // CCAS/CASVP or approved body
	LevelDomAsylum      Level = "dom_asylum"       // SPADA / DNA accommodation
	LevelCSSAutoWithRSA Level = "css_auto_rsa"     // automatic with RSA
	LevelCareViaASE     Level = "care_via_ase"     // through child welfare (ASE)
	LevelKeptAfterTitle Level = "kept_after_title" // kept after the title expired (R. 111-4 CSS)
)

// Levels lists the levels.
func Levels() []Level {
	return []Level{LevelTransportFree, LevelTransport75, LevelTransport50, LevelWorkFull, LevelWorkLimited,
		LevelWorkEmployer, LevelDomGeneral, LevelDomAsylum, LevelCSSAutoWithRSA, LevelCareViaASE, LevelKeptAfterTitle}
}

// Amount is a figure shown with a right (an allowance, a ceiling, a price),
// with the date its value applies from.
type Amount struct {
	Label Message `json:"label"`
	Value Money   `json:"value_cents"`
	Unit  Unit    `json:"unit"`
	From  Date    `json:"from,omitzero"`
	// Stale: the value is the last known one, its period has ended.
	Stale       bool `json:"stale,omitempty"`
	Unconfirmed bool `json:"unconfirmed,omitempty"`
}

// RightResult is the answer for one right.
type RightResult struct {
	Right RightID `json:"right"`
	// Name is the message ID of the right's name.
	Name    string  `json:"name"`
	Outcome Outcome `json:"outcome"`
	Level   Level   `json:"level,omitempty"`
	// Reasons are the decisive statements, in order; at least one.
	Reasons []Message `json:"reasons"`
	// Notes are useful context that does not decide the outcome.
	Notes []Message `json:"notes,omitempty"`
	// References are the legal references behind the reasons
	// ("D. 160-2 CSS", "L. 251-1 CASF").
	References []string `json:"references"`
	// Sources are the sources rights.md names for the rule (rights.md gives
	// no URLs; SourceURL is set when one is known).
	Sources   []string `json:"sources,omitempty"`
	SourceURL string   `json:"source_url,omitempty"`
	// OpensOn is the date from which the right can open, when it is later
	// than the simulation date (or known); WaitingDays counts the days left.
	OpensOn     Date `json:"opens_on,omitzero"`
	WaitingDays int  `json:"waiting_days,omitempty"`
	// Until is the last day the right is known to last or be kept.
	Until   Date     `json:"until,omitzero"`
	Amounts []Amount `json:"amounts,omitempty"`
	// Documents are checklist slugs of the guide ("ame", "css", ...).
	Documents []string `json:"documents,omitempty"`
	// Unconfirmed is true when anything in the answer rests on a rule or
	// figure marked UNCONFIRMED; a decisive one makes the outcome Maybe.
	Unconfirmed bool `json:"unconfirmed"`
}

// Result is the answer of Simulate.
type Result struct {
	At     Date          `json:"at"`
	Status StatusID      `json:"status"`
	Rights []RightResult `json:"rights"`
	// Notes apply to the whole simulation (for example the EU Pact).
	Notes []Message `json:"notes,omitempty"`
}

// Right returns the result for one right.
func (r Result) Right(id RightID) (RightResult, bool) {
	for _, x := range r.Rights {
		if x.Right == id {
			return x, true
		}
	}
	return RightResult{}, false
}

// RightInfo describes a right for the web layer.
type RightInfo struct {
	ID RightID `json:"id"`
	// Name and Description are message IDs.
	Name        string `json:"name"`
	Description string `json:"description"`
	// References and Sources list everything the rule may cite.
	References []string `json:"references"`
	Sources    []string `json:"sources"`
	// Documents are the checklist slugs the rule may ask for.
	Documents []string `json:"documents"`
}

// Rights returns the rights in evaluation order.
func Rights() []RightInfo {
	out := make([]RightInfo, 0, len(ruleList))
	for _, r := range ruleList {
		out = append(out, RightInfo{
			ID:          r.id,
			Name:        rightName(r.id),
			Description: "rights.right." + string(r.id) + ".description",
			References:  append([]string(nil), r.refs...),
			Sources:     append([]string(nil), r.sources...),
			Documents:   append([]string(nil), r.docs...),
		})
	}
	return out
}

func rightName(id RightID) string { return "rights.right." + string(id) + ".name" }

// Checklist slugs of the guide's "documents to bring" lists.
const (
	DocAME              = "ame"
	DocCSS              = "css"
	DocPUMa             = "puma"
	DocTransport        = "solidarite-transport"
	DocRSA              = "rsa"
	DocCAF              = "caf"
	DocDomiciliation    = "domiciliation"
	DocFranceTravail    = "france-travail"
	DocBankAccount      = "bank-account"
	DocSchool           = "school-enrolment"
	DocFrenchCourse     = "french-course"
	DocAsylumAppoint    = "asylum-appointment"
	DocADA              = "ada"
	DocWorkPermit       = "work-permit"
	DocEmergencyHousing = "emergency-accommodation"
)

// Checklists lists every checklist slug the rules can return, sorted.
func Checklists() []string {
	return []string{DocADA, DocAME, DocAsylumAppoint, DocBankAccount, DocCAF, DocCSS, DocDomiciliation,
		DocEmergencyHousing, DocFranceTravail, DocFrenchCourse, DocPUMa, DocRSA,
		DocSchool, DocTransport, DocWorkPermit}
}

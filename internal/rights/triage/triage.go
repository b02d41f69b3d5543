// Package triage is the legal triage grid of parcours: a short list of key
// yes/no and date questions that detect a complex administrative or legal
// situation (a refusal with an appeal deadline running, a Dublin transfer, an
// OQTF, a minor in doubt...) before a referral to a legal specialist.
//
// Questions returns the ordered questions; Assess turns the answers into
// flags, each with a severity, the deadlines it implies (concrete dates
// computed from the answers when possible), the legal references and the
// suggested referrals. The rules come from shared/domain/rights.md; a rule the
// note marks UNCONFIRMED is flagged, and the shortest plausible delay is shown
// when sources disagree. Computed dates add the delay to the notification
// date; they do not extend for weekends or public holidays and never replace
// the delay printed on the notification.
//
// All user-facing text is a message ID (prefix "rights.triage.") in
// locales/rights.*.json.
package triage

import (
	"parcours/internal/rights/rules"
)

// Kind is the kind of answer a question takes.
type Kind string

const (
	KindBool   Kind = "bool"   // "yes" or "no"
	KindDate   Kind = "date"   // "YYYY-MM-DD"
	KindChoice Kind = "choice" // one of the question's choice IDs
)

// Question is one question of the grid.
type Question struct {
	ID string `json:"id"`
	// Label and Help are message IDs.
	Label string `json:"label"`
	Help  string `json:"help,omitempty"`
	Kind  Kind   `json:"kind"`
	// Choices for KindChoice.
	Choices []Choice `json:"choices,omitempty"`
	// ShowIf names a bool question: this one is asked only when that one is
	// answered "yes".
	ShowIf string `json:"show_if,omitempty"`
	// Past: a date answer is an event that already happened (a
	// notification) and cannot be after the assessment date.
	Past bool `json:"past,omitempty"`
}

// Choice is one possible answer of a choice question.
type Choice struct {
	ID    string `json:"id"`
	Label string `json:"label"` // message ID
}

// Severity ranks flags; its label is "rights.triage.severity.<id>".
type Severity string

const (
	SeverityCritical Severity = "critical" // act now: a short deadline is running
	SeverityHigh     Severity = "high"     // a legal stake; refer soon
	SeverityMedium   Severity = "medium"   // to organise
	SeverityInfo     Severity = "info"     // context
)

// Severities lists the severities, most severe first.
func Severities() []Severity {
	return []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityInfo}
}

func (s Severity) rank() int {
	switch s {
	case SeverityCritical:
		return 0
	case SeverityHigh:
		return 1
	case SeverityMedium:
		return 2
	}
	return 3
}

// Referral is a kind of partner to refer the person to; its label is
// "rights.triage.referral.<id>".
type Referral string

const (
	ReferLegal         Referral = "legal_permanence"   // foreigners' law permanence, lawyer
	ReferAsylum        Referral = "asylum_association" // asylum permanence, SPADA
	ReferChild         Referral = "child_protection"   // minors: AMNA (France terre d'asile) in Paris, ASE, children's judge
	ReferHealth        Referral = "health_pass"        // hospital PASS, health access
	ReferDomiciliation Referral = "domiciliation"      // CCAS/CASVP or approved body
	ReferShelter       Referral = "emergency_shelter"  // 115 / SIAO
	ReferHousing       Referral = "housing"            // SIAO, CPH, social housing
	ReferOFII          Referral = "ofii"               // OFII (medical file, return help)
)

// Referrals lists the referral kinds.
func Referrals() []Referral {
	return []Referral{ReferLegal, ReferAsylum, ReferChild, ReferHealth, ReferDomiciliation, ReferShelter, ReferHousing, ReferOFII}
}

// Unit is the unit of a legal delay.
type Unit string

const (
	Hours  Unit = "hours"
	Days   Unit = "days"
	Months Unit = "months"
)

// Period is a legal delay.
type Period struct {
	Value int  `json:"value"`
	Unit  Unit `json:"unit"`
}

// after returns the last day of the delay counted from the event date. A
// delay in hours ends on the day the hours run out, counted from the start
// of the event day (48 h from a notification on day D ends on day D+2).
func (p Period) after(from rules.Date) rules.Date {
	switch p.Unit {
	case Hours:
		return from.AddDays((p.Value + 23) / 24)
	case Days:
		return from.AddDays(p.Value)
	}
	return from.AddMonths(p.Value)
}

// label returns the period as a message ("48 h", "7 jours", "1 mois").
func (p Period) label() rules.Message {
	return rules.NewCountMessage("rights.triage.period."+string(p.Unit), p.Value, false)
}

// Deadline is a date implied by the answers.
type Deadline struct {
	Kind  string        `json:"kind"`
	Label rules.Message `json:"label"` // "rights.triage.deadline.<kind>"
	// Date is the last day; From is the event it is counted from.
	Date rules.Date `json:"date"`
	From rules.Date `json:"from,omitzero"`
	// Period is the delay (zero when the date is given directly, as an
	// expiry date); PeriodLabel shows it.
	Period      Period         `json:"period,omitzero"`
	PeriodLabel *rules.Message `json:"period_label,omitempty"`
	// DaysLeft counts from the assessment date (negative when passed).
	DaysLeft int  `json:"days_left"`
	Passed   bool `json:"passed"`
	// Informative deadlines (a right kept until a date, a transfer period)
	// do not raise the severity.
	Informative bool `json:"informative,omitempty"`
	Unconfirmed bool `json:"unconfirmed,omitempty"`
}

// Flag is one detected situation.
type Flag struct {
	ID       string        `json:"id"`
	Title    rules.Message `json:"title"` // "rights.triage.flag.<id>.title"
	Severity Severity      `json:"severity"`
	// Details explain the flag, in order.
	Details    []rules.Message `json:"details"`
	Deadlines  []Deadline      `json:"deadlines,omitempty"`
	References []string        `json:"references"`
	Referrals  []Referral      `json:"referrals"`
	// Unconfirmed is true when a detail or deadline rests on a rule the
	// research note marks UNCONFIRMED.
	Unconfirmed bool `json:"unconfirmed"`
}

// Assessment is the result of Assess.
type Assessment struct {
	At    rules.Date `json:"at"`
	Flags []Flag     `json:"flags"`
}

// Practice thresholds (not legal delays).
const (
	// ExpiryWarningDays: a document expiring within this many days is
	// flagged, so that the renewal can be prepared.
	ExpiryWarningDays = 60
	// UrgentDays: a flag whose deadline falls within this many days is
	// critical.
	UrgentDays = 7
)

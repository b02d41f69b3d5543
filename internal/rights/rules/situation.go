package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Situation is what the simulator needs to know about a person. Every field
// is optional except Status; an unknown answer makes the rules that need it
// answer "maybe" rather than guess. Dates are calendar dates.
type Situation struct {
	// Status is the person's administrative status.
	Status StatusID `json:"status"`
	// Basis names the title behind the document, for StatusReceipt (the
	// title applied for or renewed), StatusMultiYearCard (the card's ground)
	// and StatusFamilyReunionProtected (the sponsor's protection: refugee,
	// subsidiary_protection or stateless).
	Basis StatusID `json:"basis,omitempty"`
	// Interim tells which document a StatusReceipt is.
	Interim InterimKind `json:"interim,omitempty"`

	// StatusGrantedOn is the date the current status or document began: the
	// GUDA registration for an asylum seeker, the date of the final negative
	// decision for a refused asylum seeker, the recognition for a protected
	// person, the first day of the current title otherwise.
	StatusGrantedOn Date `json:"status_granted_on,omitzero"`
	// StatusValidUntil is the last day of validity of the current document
	// (ATDA, title, receipt, APS). For a refused asylum seeker or a person
	// without a title, the expiry date of the last residence document held.
	StatusValidUntil Date `json:"status_valid_until,omitzero"`
	// ArrivedOn is the date of arrival in France (start of the uninterrupted
	// residence counted for the 3-month conditions).
	ArrivedOn Date `json:"arrived_on,omitzero"`
	// WorkTitleSince is the first day of the continuous period of residence
	// titles allowing work (the 5 years of L. 262-4 CASF for RSA).
	WorkTitleSince Date `json:"work_title_since,omitzero"`

	// BirthDate, or else Age (in full years at the simulation date; 0 means
	// unknown), of the person.
	BirthDate Date `json:"birth_date,omitzero"`
	Age       int  `json:"age,omitempty"`
	// Nationality is an ISO 3166-1 alpha-2 code; only "DZ" (Algeria, 1968
	// agreement) changes a rule here.
	Nationality string `json:"nationality,omitempty"`
	// Pregnant: the person is expecting a child (RSA age condition).
	Pregnant bool `json:"pregnant,omitempty"`

	// Adults is the number of adults in the household, the person included
	// (0 is read as 1). Children are the dependent children.
	Adults   int     `json:"adults,omitempty"`
	Children []Child `json:"children,omitempty"`

	// MonthlyResources is the household's average monthly net resources (the
	// CSS and AME tests use the last 12 months, the RSA and ADA tests the last
	// 3). ResourcesKnown must be true for it to be used: a zero amount with
	// ResourcesKnown false means "not asked yet".
	MonthlyResources Money `json:"monthly_resources_cents"`
	ResourcesKnown   bool  `json:"resources_known"`

	// Address is the person's postal address situation.
	Address AddressKind `json:"address,omitempty"`
	// Benefits are the rights and benefits the person already receives.
	Benefits []Benefit `json:"benefits,omitempty"`

	// Asylum seekers only.
	// CMAAccepted: the material reception conditions offered by OFII were
	// accepted.
	CMAAccepted YesNo `json:"cma_accepted,omitempty"`
	// Accommodation: what OFII offered (DNA place).
	Accommodation AccommodationKind `json:"accommodation,omitempty"`
	// OFPRAFiledOn: the date the application was filed at OFPRA.
	OFPRAFiledOn Date `json:"ofpra_filed_on,omitzero"`
	// OFPRARejectedOn: the date OFPRA's rejection was notified (zero if none).
	OFPRARejectedOn Date `json:"ofpra_rejected_on,omitzero"`
}

// Child is a dependent child of the household.
type Child struct {
	// BirthDate, or else Age in full years (0 with no birth date means
	// under one year or unknown).
	BirthDate Date `json:"birth_date,omitzero"`
	Age       int  `json:"age,omitempty"`
	// Entry is how the child's stay is regular, for family benefits
	// (D. 512-2 CSS).
	Entry ChildEntry `json:"entry,omitempty"`
}

// ChildEntry is the proof that a child's stay is regular (D. 512-2 CSS).
type ChildEntry string

const (
	EntryUnknown      ChildEntry = ""
	EntryBornInFrance ChildEntry = "born_in_france"
	// EntryFamilyReunion: came through family reunification (OFII medical
	// certificate) or réunification familiale.
	EntryFamilyReunion ChildEntry = "family_reunion"
	// EntryWithParent: the prefecture certifies the child entered no later
	// than the parent.
	EntryWithParent ChildEntry = "entered_with_parent"
	// EntryOther: came outside family reunification, no certificate.
	EntryOther ChildEntry = "other"
)

// ChildEntries lists the values of ChildEntry (labels "rights.child_entry.<id>").
func ChildEntries() []ChildEntry {
	return []ChildEntry{EntryBornInFrance, EntryFamilyReunion, EntryWithParent, EntryOther}
}

// InterimKind tells which interim document a StatusReceipt is (§9.1).
type InterimKind string

const (
	InterimUnknown InterimKind = ""
	// InterimRenewal: récépissé or attestation de prolongation d'instruction
	// for the renewal of a title.
	InterimRenewal InterimKind = "renewal"
	// InterimFirst: récépissé for a first application.
	InterimFirst InterimKind = "first"
	// InterimFavourable: attestation de décision favorable.
	InterimFavourable InterimKind = "favourable_decision"
)

// InterimKinds lists the values of InterimKind (labels "rights.interim.<id>").
func InterimKinds() []InterimKind {
	return []InterimKind{InterimRenewal, InterimFirst, InterimFavourable}
}

// AddressKind is the person's address situation.
type AddressKind string

const (
	AddressUnknown       AddressKind = ""
	AddressStable        AddressKind = "stable"
	AddressDomiciliation AddressKind = "domiciliation"
	AddressNone          AddressKind = "none"
)

// AddressKinds lists the values of AddressKind (labels "rights.address.<id>").
func AddressKinds() []AddressKind {
	return []AddressKind{AddressStable, AddressDomiciliation, AddressNone}
}

// AccommodationKind is what OFII offered an asylum seeker.
type AccommodationKind string

const (
	AccommodationUnknown AccommodationKind = ""
	// AccommodationHoused: housed in a DNA place (CADA, HUDA, CAES, PRAHDA).
	AccommodationHoused AccommodationKind = "housed"
	// AccommodationNotOffered: no place offered (ADA supplement).
	AccommodationNotOffered AccommodationKind = "not_offered"
	// AccommodationRefused: refused or left the place offered (ends the CMA).
	AccommodationRefused AccommodationKind = "refused_or_left"
)

// AccommodationKinds lists the values (labels "rights.accommodation.<id>").
func AccommodationKinds() []AccommodationKind {
	return []AccommodationKind{AccommodationHoused, AccommodationNotOffered, AccommodationRefused}
}

// YesNo is a yes/no answer that may be unknown ("").
type YesNo string

const (
	Yes      YesNo = "yes"
	No       YesNo = "no"
	NotAsked YesNo = ""
)

// Benefit is a right or benefit the person already receives.
type Benefit string

const (
	BenefitADA             Benefit = "ada"
	BenefitRSA             Benefit = "rsa"
	BenefitPUMa            Benefit = "puma"
	BenefitCSSFree         Benefit = "css_free"
	BenefitCSSContribution Benefit = "css_contribution"
	BenefitAME             Benefit = "ame"
	BenefitFamily          Benefit = "family_benefits"
	BenefitHousing         Benefit = "housing_benefit"
	BenefitAAH             Benefit = "aah"
	BenefitASPA            Benefit = "aspa" // minimum old-age benefit
	BenefitCASFAid         Benefit = "casf_aid"
	BenefitASS             Benefit = "ass" // allocation de solidarité spécifique
)

// Benefits lists the values of Benefit (labels "rights.benefit.<id>").
func Benefits() []Benefit {
	return []Benefit{BenefitADA, BenefitRSA, BenefitPUMa, BenefitCSSFree, BenefitCSSContribution, BenefitAME,
		BenefitFamily, BenefitHousing, BenefitAAH, BenefitASPA, BenefitCASFAid, BenefitASS}
}

// Limits checked by Validate.
const (
	maxAge       = 130
	maxMembers   = 30
	maxResources = Money(1_000_000_000) // 10 million euros a month
)

// ErrSituation is wrapped by every validation error.
var ErrSituation = errors.New("invalid situation")

func sitErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSituation, fmt.Sprintf(format, args...))
}

// Validate checks the situation and reports the first problem found.
func (s Situation) Validate() error {
	if !s.Status.Valid() {
		return sitErr("unknown status %q", s.Status)
	}
	if s.Basis != "" && !statusByID[s.Status].NeedsBasis {
		return sitErr("basis is only for receipt, multi_year_card and family_reunion_protected")
	}
	if !validBasis(s.Status, s.Basis) {
		return sitErr("basis %q is not possible for status %q", s.Basis, s.Status)
	}
	if s.Interim != InterimUnknown {
		if s.Status != StatusReceipt {
			return sitErr("interim is only for status receipt")
		}
		if !slices.Contains(InterimKinds(), s.Interim) {
			return sitErr("unknown interim kind %q", s.Interim)
		}
	}
	for name, d := range map[string]Date{
		"status_granted_on": s.StatusGrantedOn, "status_valid_until": s.StatusValidUntil,
		"arrived_on": s.ArrivedOn, "work_title_since": s.WorkTitleSince, "birth_date": s.BirthDate,
		"ofpra_filed_on": s.OFPRAFiledOn, "ofpra_rejected_on": s.OFPRARejectedOn,
	} {
		if !d.IsZero() && (d.Before(minDate) || d.After(maxDate)) {
			return sitErr("%s %s is outside 1900-2200", name, d)
		}
	}
	if !s.StatusGrantedOn.IsZero() && !s.StatusValidUntil.IsZero() && s.StatusValidUntil.Before(s.StatusGrantedOn) {
		return sitErr("status_valid_until is before status_granted_on")
	}
	if !s.OFPRAFiledOn.IsZero() && !s.OFPRARejectedOn.IsZero() && s.OFPRARejectedOn.Before(s.OFPRAFiledOn) {
		return sitErr("ofpra_rejected_on is before ofpra_filed_on")
	}
	if (!s.OFPRAFiledOn.IsZero() || !s.OFPRARejectedOn.IsZero() || s.CMAAccepted != NotAsked || s.Accommodation != AccommodationUnknown) &&
		!s.Status.isAsylumSeeker() && s.Status != StatusAsylumRefused {
		return sitErr("cma_accepted, accommodation and OFPRA dates are only for asylum statuses")
	}
	if s.Age < 0 || s.Age > maxAge {
		return sitErr("age %d is out of range", s.Age)
	}
	if s.Nationality != "" && !isCountryCode(s.Nationality) {
		return sitErr("nationality %q is not an ISO 3166-1 alpha-2 code", s.Nationality)
	}
	if s.Adults < 0 || s.Adults > maxMembers {
		return sitErr("adults %d is out of range", s.Adults)
	}
	if len(s.Children) > maxMembers {
		return sitErr("too many children")
	}
	for i, c := range s.Children {
		if c.Age < 0 || c.Age > maxAge {
			return sitErr("child %d: age %d is out of range", i+1, c.Age)
		}
		if !c.BirthDate.IsZero() && (c.BirthDate.Before(minDate) || c.BirthDate.After(maxDate)) {
			return sitErr("child %d: birth date is outside 1900-2200", i+1)
		}
		if c.Entry != EntryUnknown && !slices.Contains(ChildEntries(), c.Entry) {
			return sitErr("child %d: unknown entry %q", i+1, c.Entry)
		}
	}
	if s.MonthlyResources < 0 || s.MonthlyResources > maxResources {
		return sitErr("monthly resources are out of range")
	}
	if s.Address != AddressUnknown && !slices.Contains(AddressKinds(), s.Address) {
		return sitErr("unknown address kind %q", s.Address)
	}
	for _, b := range s.Benefits {
		if !slices.Contains(Benefits(), b) {
			return sitErr("unknown benefit %q", b)
		}
	}
	if s.CMAAccepted != NotAsked && s.CMAAccepted != Yes && s.CMAAccepted != No {
		return sitErr("cma_accepted must be yes, no or empty")
	}
	if s.Accommodation != AccommodationUnknown && !slices.Contains(AccommodationKinds(), s.Accommodation) {
		return sitErr("unknown accommodation %q", s.Accommodation)
	}
	return nil
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// ParseSituation decodes one JSON object into a Situation (unknown fields are
// rejected) and validates it.
func ParseSituation(data []byte) (Situation, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Situation
	if err := dec.Decode(&s); err != nil {
		return Situation{}, fmt.Errorf("%w: %v", ErrSituation, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Situation{}, sitErr("trailing data after the JSON object")
	}
	if err := s.Validate(); err != nil {
		return Situation{}, err
	}
	return s, nil
}

// householdSize is the number of persons in the household (at least 1).
func (s Situation) householdSize() int { return max(1, s.Adults) + len(s.Children) }

func (s Situation) receives(b Benefit) bool { return slices.Contains(s.Benefits, b) }

// ageAt returns the person's age in full years at the date.
func (s Situation) ageAt(at Date) (int, bool) {
	if !s.BirthDate.IsZero() {
		if s.BirthDate.After(at) {
			return 0, false
		}
		return s.BirthDate.YearsUntil(at), true
	}
	if s.Age > 0 {
		return s.Age, true
	}
	return 0, false
}

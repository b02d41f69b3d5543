package rights

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"parcours/internal/rights/rules"
)

// Input is a situation as the simulator form or a JSON client sends it,
// before validation: dates as "YYYY-MM-DD" text, choices as their IDs. Its
// JSON fields are those of rules.Situation, so a situation encoded by the
// rules package is accepted as it is.
type Input struct {
	Status           string       `json:"status"`
	Basis            string       `json:"basis"`
	Interim          string       `json:"interim"`
	StatusGrantedOn  string       `json:"status_granted_on"`
	StatusValidUntil string       `json:"status_valid_until"`
	ArrivedOn        string       `json:"arrived_on"`
	WorkTitleSince   string       `json:"work_title_since"`
	BirthDate        string       `json:"birth_date"`
	Age              int          `json:"age"`
	Nationality      string       `json:"nationality"`
	Pregnant         bool         `json:"pregnant"`
	Adults           int          `json:"adults"`
	Children         []ChildInput `json:"children"`
	MonthlyResources int64        `json:"monthly_resources_cents"`
	ResourcesKnown   bool         `json:"resources_known"`
	Address          string       `json:"address"`
	Benefits         []string     `json:"benefits"`
	CMAAccepted      string       `json:"cma_accepted"`
	Accommodation    string       `json:"accommodation"`
	OFPRAFiledOn     string       `json:"ofpra_filed_on"`
	OFPRARejectedOn  string       `json:"ofpra_rejected_on"`
}

// ChildInput is a dependent child as sent.
type ChildInput struct {
	BirthDate string `json:"birth_date"`
	Age       int    `json:"age"`
	Entry     string `json:"entry"`
}

// Limits of the simulator's input (within those of rules.Situation.Validate).
const (
	maxAge          = 130
	maxAdults       = 30
	maxChildren     = 20
	maxResources    = 10_000_000 // cents a month: 100,000 €
	maxBenefits     = 20
	maxChoiceLength = 40
)

// Field names of validation errors are the JSON field names; a child's are
// "children.N.age" (N from 0).
func childField(i int, name string) string { return fmt.Sprintf("children.%d.%s", i, name) }

// Situation validates the input field by field and builds the situation.
// The errors map field names to message IDs; the situation is usable only
// when there are none.
func (in Input) Situation() (rules.Situation, map[string]string) {
	fields := map[string]string{}
	fail := func(name, key string) {
		if _, ok := fields[name]; !ok {
			fields[name] = key
		}
	}
	date := func(name, v string) rules.Date {
		d, err := rules.ParseDate(strings.TrimSpace(v))
		if err != nil {
			fail(name, "common.form.date_invalid")
		}
		return d
	}
	s := rules.Situation{Status: rules.StatusID(in.Status), Basis: rules.StatusID(in.Basis), Interim: rules.InterimKind(in.Interim)}
	switch {
	case in.Status == "":
		fail("status", "common.form.required")
	case !s.Status.Valid():
		fail("status", "common.form.invalid_choice")
	}
	if in.Basis != "" && s.Status.Valid() && !slices.Contains(rules.Bases(s.Status), s.Basis) {
		fail("basis", "rights.web.sim.error.basis")
	}
	if in.Interim != "" {
		switch {
		case !slices.Contains(rules.InterimKinds(), s.Interim):
			fail("interim", "common.form.invalid_choice")
		case s.Status.Valid() && s.Status != rules.StatusReceipt:
			fail("interim", "rights.web.sim.error.interim")
		}
	}
	s.StatusGrantedOn = date("status_granted_on", in.StatusGrantedOn)
	s.StatusValidUntil = date("status_valid_until", in.StatusValidUntil)
	s.ArrivedOn = date("arrived_on", in.ArrivedOn)
	s.WorkTitleSince = date("work_title_since", in.WorkTitleSince)
	s.BirthDate = date("birth_date", in.BirthDate)
	s.OFPRAFiledOn = date("ofpra_filed_on", in.OFPRAFiledOn)
	s.OFPRARejectedOn = date("ofpra_rejected_on", in.OFPRARejectedOn)
	if !s.StatusGrantedOn.IsZero() && !s.StatusValidUntil.IsZero() && s.StatusValidUntil.Before(s.StatusGrantedOn) {
		fail("status_valid_until", "rights.web.sim.error.valid_until_order")
	}
	if !s.OFPRAFiledOn.IsZero() && !s.OFPRARejectedOn.IsZero() && s.OFPRARejectedOn.Before(s.OFPRAFiledOn) {
		fail("ofpra_rejected_on", "rights.web.sim.error.ofpra_order")
	}
	asylum := s.Status == rules.StatusAsylumNormal || s.Status == rules.StatusAsylumAccelerated ||
		s.Status == rules.StatusAsylumDublin || s.Status == rules.StatusAsylumRefused
	if s.Status.Valid() && !asylum {
		for name, set := range map[string]bool{"cma_accepted": in.CMAAccepted != "", "accommodation": in.Accommodation != "",
			"ofpra_filed_on": !s.OFPRAFiledOn.IsZero(), "ofpra_rejected_on": !s.OFPRARejectedOn.IsZero()} {
			if set {
				fail(name, "rights.web.sim.error.asylum_only")
			}
		}
	}
	switch in.CMAAccepted {
	case "", string(rules.Yes), string(rules.No):
		s.CMAAccepted = rules.YesNo(in.CMAAccepted)
	default:
		fail("cma_accepted", "common.form.invalid_choice")
	}
	s.Accommodation = rules.AccommodationKind(in.Accommodation)
	if in.Accommodation != "" && !slices.Contains(rules.AccommodationKinds(), s.Accommodation) {
		fail("accommodation", "common.form.invalid_choice")
	}
	s.Address = rules.AddressKind(in.Address)
	if in.Address != "" && !slices.Contains(rules.AddressKinds(), s.Address) {
		fail("address", "common.form.invalid_choice")
	}
	if in.Age < 0 || in.Age > maxAge {
		fail("age", "rights.web.sim.error.age")
	}
	s.Age = in.Age
	s.Nationality = strings.ToUpper(strings.TrimSpace(in.Nationality))
	if s.Nationality != "" && (len(s.Nationality) != 2 || strings.Trim(s.Nationality, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		fail("nationality", "rights.web.sim.error.nationality")
	}
	s.Pregnant = in.Pregnant
	if in.Adults < 0 || in.Adults > maxAdults {
		fail("adults", "rights.web.sim.error.adults")
	}
	s.Adults = in.Adults
	if len(in.Children) > maxChildren {
		fail("children", "rights.web.sim.error.children")
	} else {
		for i, c := range in.Children {
			ch := rules.Child{BirthDate: date(childField(i, "birth_date"), c.BirthDate), Age: c.Age, Entry: rules.ChildEntry(c.Entry)}
			if c.Age < 0 || c.Age > maxAge {
				fail(childField(i, "age"), "rights.web.sim.error.age")
			}
			if c.Entry != "" && !slices.Contains(rules.ChildEntries(), ch.Entry) {
				fail(childField(i, "entry"), "common.form.invalid_choice")
			}
			s.Children = append(s.Children, ch)
		}
	}
	if in.MonthlyResources < 0 || in.MonthlyResources > maxResources {
		fail("monthly_resources_cents", "rights.web.sim.error.resources")
	}
	s.MonthlyResources, s.ResourcesKnown = rules.Money(in.MonthlyResources), in.ResourcesKnown
	if len(in.Benefits) > maxBenefits {
		fail("benefits", "common.form.invalid_choice")
	}
	for _, b := range in.Benefits {
		if !slices.Contains(rules.Benefits(), rules.Benefit(b)) {
			fail("benefits", "common.form.invalid_choice")
			continue
		}
		if !slices.Contains(s.Benefits, rules.Benefit(b)) {
			s.Benefits = append(s.Benefits, rules.Benefit(b))
		}
	}
	if len(fields) == 0 {
		// The field checks above are stricter than the rules' own; this
		// guards against the two drifting apart.
		if err := s.Validate(); err != nil {
			fail("form", "common.error.invalid")
		}
	}
	return s, fields
}

// SimulateRequest is the body of POST /api/rights/simulate.
type SimulateRequest struct {
	// At is the simulation date (default: today in Paris).
	At        string `json:"at"`
	Situation *Input `json:"situation"`
}

// apiError is a problem with a JSON request: a message ID for the whole
// request, or per field (dotted paths: "situation.children.0.age").
type apiError struct {
	Key    string
	Fields map[string]string
}

// decodeSimulate reads and checks a simulation request. On success the
// situation is valid for rules.Simulate and at is set (or zero: today).
func decodeSimulate(data []byte) (rules.Situation, rules.Date, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var req SimulateRequest
	if err := dec.Decode(&req); err != nil {
		return rules.Situation{}, rules.Date{}, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return rules.Situation{}, rules.Date{}, &apiError{Key: "rights.web.api.error.json"}
	}
	fields := map[string]string{}
	at, err := rules.ParseDate(strings.TrimSpace(req.At))
	if err != nil {
		fields["at"] = "common.form.date_invalid"
	}
	if req.Situation == nil {
		fields["situation"] = "common.form.required"
		return rules.Situation{}, at, &apiError{Key: "common.error.invalid", Fields: fields}
	}
	s, errs := req.Situation.Situation()
	for k, v := range errs {
		fields["situation."+k] = v
	}
	if len(fields) > 0 {
		return rules.Situation{}, at, &apiError{Key: "common.error.invalid", Fields: fields}
	}
	return s, at, nil
}

// jsonError turns a decoding error into field errors where the decoder
// says which field (a wrong type, an unknown field).
func jsonError(err error) *apiError {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		return &apiError{Key: "common.error.invalid", Fields: map[string]string{te.Field: "rights.web.api.error.type"}}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if f, err := strconv.Unquote(name); err == nil {
			return &apiError{Key: "common.error.invalid", Fields: map[string]string{f: "rights.web.api.error.unknown_field"}}
		}
	}
	return &apiError{Key: "rights.web.api.error.json"}
}

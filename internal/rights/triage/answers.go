package triage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"parcours/internal/rights/rules"
)

// Answers maps question IDs to answers: "yes"/"no" for bool questions,
// "YYYY-MM-DD" for dates, a choice ID for choices. A missing or empty answer
// means "not answered".
type Answers map[string]string

// ErrAnswers is wrapped by every validation error.
var ErrAnswers = errors.New("invalid triage answers")

// Validate checks that every answer belongs to a known question and has the
// right form.
func (a Answers) Validate() error {
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids) // report the same error every time
	for _, id := range ids {
		v := a[id]
		q, ok := questionByID[id]
		if !ok {
			return fmt.Errorf("%w: unknown question %q", ErrAnswers, id)
		}
		if v == "" {
			continue
		}
		switch q.Kind {
		case KindBool:
			if v != "yes" && v != "no" {
				return fmt.Errorf("%w: %s must be yes or no", ErrAnswers, id)
			}
		case KindDate:
			if _, err := rules.ParseDate(v); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrAnswers, id, err)
			}
		case KindChoice:
			if !slices.ContainsFunc(q.Choices, func(c Choice) bool { return c.ID == v }) {
				return fmt.Errorf("%w: %s: unknown choice %q", ErrAnswers, id, v)
			}
		}
	}
	return nil
}

// ParseAnswers decodes a JSON object of string answers and validates it.
func ParseAnswers(data []byte) (Answers, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var a Answers
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAnswers, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: trailing data after the JSON object", ErrAnswers)
	}
	if a == nil {
		a = Answers{}
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// yes reports whether a bool question is answered "yes".
func (a Answers) yes(id string) bool { return a[id] == "yes" }

// no reports whether a bool question is answered "no".
func (a Answers) no(id string) bool { return a[id] == "no" }

// date returns a date answer (zero when unanswered; Validate ran first).
func (a Answers) date(id string) rules.Date {
	d, _ := rules.ParseDate(a[id])
	return d
}

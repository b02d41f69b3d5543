package rights

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"parcours/internal/platform/web"
	"parcours/internal/rights/rules"
)

// childRows is the number of child rows the simulator form shows.
const childRows = 4

// simForm is the simulator form as typed, shown back to the user.
type simForm struct {
	At, Status, Basis, Interim                          string
	StatusGrantedOn, StatusValidUntil, ArrivedOn        string
	WorkTitleSince, BirthDate, Age, Nationality, Adults string
	Resources, Address, CMAAccepted, Accommodation      string
	OFPRAFiledOn, OFPRARejectedOn                       string
	Pregnant                                            bool
	Benefits                                            []string
	Children                                            [childRows]childForm
}

type childForm struct{ BirthDate, Age, Entry string }

// HasBenefit tells the template whether a benefit's box is ticked.
func (f simForm) HasBenefit(b rules.Benefit) bool {
	for _, x := range f.Benefits {
		if x == string(b) {
			return true
		}
	}
	return false
}

// queryForm reads a GET request's query as a form, with web.Form's cleaning
// and error collection: the simulator answers GET requests too, so that
// another page (a person's pathway) can link to it prefilled.
func queryForm(r *http.Request) (*web.Form, error) {
	r2 := new(http.Request)
	*r2 = *r
	r2.PostForm = r.URL.Query()
	return web.ParseForm(r2)
}

// readSimForm reads the form's fields as typed.
func readSimForm(f *web.Form) simForm {
	v := func(name string) string { return f.Optional(name, maxChoiceLength) }
	sf := simForm{
		At: v("at"), Status: v("status"), Basis: v("basis"), Interim: v("interim"),
		StatusGrantedOn: v("status_granted_on"), StatusValidUntil: v("status_valid_until"), ArrivedOn: v("arrived_on"),
		WorkTitleSince: v("work_title_since"), BirthDate: v("birth_date"), Age: v("age"), Nationality: v("nationality"),
		Adults: v("adults"), Resources: v("monthly_resources"), Address: v("address"), CMAAccepted: v("cma_accepted"),
		Accommodation: v("accommodation"), OFPRAFiledOn: v("ofpra_filed_on"), OFPRARejectedOn: v("ofpra_rejected_on"),
		Pregnant: f.Bool("pregnant"), Benefits: f.Values("benefits"),
	}
	for i := range sf.Children {
		sf.Children[i] = childForm{BirthDate: v(childField(i, "birth_date")), Age: v(childField(i, "age")),
			Entry: v(childField(i, "entry"))}
	}
	return sf
}

// input converts the typed form; numbers that do not parse are recorded
// on f. rows gives, for each child of the input, its row in the form.
func (sf simForm) input(f *web.Form) (in Input, rows []int) {
	number := func(name, s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Fail(name, "rights.web.sim.error.number")
		}
		return n
	}
	in = Input{Status: sf.Status, Basis: sf.Basis, Interim: sf.Interim, StatusGrantedOn: sf.StatusGrantedOn,
		StatusValidUntil: sf.StatusValidUntil, ArrivedOn: sf.ArrivedOn, WorkTitleSince: sf.WorkTitleSince,
		BirthDate: sf.BirthDate, Age: number("age", sf.Age), Nationality: sf.Nationality, Pregnant: sf.Pregnant,
		Adults: number("adults", sf.Adults), Address: sf.Address, Benefits: sf.Benefits, CMAAccepted: sf.CMAAccepted,
		Accommodation: sf.Accommodation, OFPRAFiledOn: sf.OFPRAFiledOn, OFPRARejectedOn: sf.OFPRARejectedOn}
	if sf.Resources != "" {
		cents, ok := parseEuros(sf.Resources)
		if !ok {
			f.Fail("monthly_resources", "rights.web.sim.error.resources")
		}
		in.MonthlyResources, in.ResourcesKnown = cents, true
	}
	for i, c := range sf.Children {
		if c == (childForm{}) {
			continue
		}
		in.Children = append(in.Children, ChildInput{BirthDate: c.BirthDate, Age: number(childField(i, "age"), c.Age), Entry: c.Entry})
		rows = append(rows, i)
	}
	return in, rows
}

var eurosRe = regexp.MustCompile(`^(\d{1,9})(?:[.,](\d{1,2}))?$`)

// parseEuros reads an amount typed in euros ("1234", "1 234,5", "1234.56").
func parseEuros(s string) (int64, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '€' {
			return -1
		}
		return r
	}, s)
	m := eurosRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	euros, _ := strconv.ParseInt(m[1], 10, 64)
	cents := int64(0)
	if m[2] != "" {
		cents, _ = strconv.ParseInt(m[2], 10, 64)
		if len(m[2]) == 1 {
			cents *= 10
		}
	}
	return euros*100 + cents, true
}

// formFields renames the input's error fields to the form's: a child's
// index becomes its row, the resources field is typed in euros.
func formFields(errs map[string]string, rows []int) map[string]string {
	out := make(map[string]string, len(errs))
	for k, v := range errs {
		switch {
		case k == "monthly_resources_cents":
			k = "monthly_resources"
		case strings.HasPrefix(k, "children."):
			parts := strings.SplitN(k, ".", 3)
			if i, err := strconv.Atoi(parts[1]); err == nil && i < len(rows) && len(parts) == 3 {
				k = childField(rows[i], parts[2])
			}
		}
		out[k] = v
	}
	return out
}

package rights

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
	"parcours/internal/rights/rules"
)

type simData struct {
	// Path is the page's own path: /rights/simulator for professionals,
	// /simulator for anyone.
	Path   string
	Staff  bool
	Form   simForm
	Result *ResultView
	Groups []statusGroup
	Bases  []rules.StatusID
}

type statusGroup struct {
	Group    rules.StatusGroup
	Statuses []rules.StatusInfo
}

func statusGroups() []statusGroup {
	var out []statusGroup
	for _, g := range Groups {
		sg := statusGroup{Group: g}
		for _, st := range rules.Statuses() {
			if st.Group == g {
				sg.Statuses = append(sg.Statuses, st)
			}
		}
		out = append(out, sg)
	}
	return out
}

// basisChoices are the statuses a Basis may name for some status, in the
// form's order of statuses.
func basisChoices() []rules.StatusID {
	var out []rules.StatusID
	for _, b := range rules.Statuses() {
		for _, st := range rules.Statuses() {
			if slices.Contains(rules.Bases(st.ID), b.ID) {
				out = append(out, b.ID)
				break
			}
		}
	}
	return out
}

func options[T ~string](prefix string, ids []T) []web.Option {
	out := []web.Option{{Value: "", Label: "rights.web.sim.not_known"}}
	for _, id := range ids {
		out = append(out, web.Option{Value: string(id), Label: prefix + string(id)})
	}
	return out
}

// Option lists for the form's selects.
func (simData) InterimOptions() []web.Option { return options("rights.interim.", rules.InterimKinds()) }

func (simData) AddressOptions() []web.Option { return options("rights.address.", rules.AddressKinds()) }

func (simData) AccommodationOptions() []web.Option {
	return options("rights.accommodation.", rules.AccommodationKinds())
}

func (simData) EntryOptions() []web.Option {
	return options("rights.child_entry.", rules.ChildEntries())
}

func (simData) CMAOptions() []web.Option {
	return options("rights.web.", []rules.YesNo{rules.Yes, rules.No})
}

func (d simData) BasisOptions() []web.Option {
	out := []web.Option{{Value: "", Label: "rights.web.sim.not_known"}}
	for _, b := range d.Bases {
		out = append(out, web.Option{Value: string(b), Label: "rights.status." + string(b) + ".name"})
	}
	return out
}

// Benefits lists the benefit checkboxes.
func (simData) Benefits() []rules.Benefit { return rules.Benefits() }

// ChildRows numbers the child rows.
func (simData) ChildRows() []int {
	out := make([]int, childRows)
	for i := range out {
		out[i] = i
	}
	return out
}

// ChildField names a child row's field.
func (simData) ChildField(i int, name string) string { return childField(i, name) }

// Child returns a child row as typed.
func (d simData) Child(i int) childForm { return d.Form.Children[i] }

// today is the calendar date in Paris as a rules.Date.
func (s *Service) todayDate() rules.Date { return rules.DateOf(s.Clock.Now().In(clock.Paris)) }

// simulator shows the form and, once a status is given (by the form, or in
// the link another page built), the answer for each right.
func (h *HTTP) simulator(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	d := simData{Path: "/simulator", Staff: p != nil, Groups: statusGroups(), Bases: basisChoices()}
	if d.Staff {
		d.Path = "/rights/simulator"
	}
	var f *web.Form
	var err error
	if r.Method == http.MethodPost {
		f, err = web.ParseForm(r)
	} else {
		f, err = queryForm(r)
	}
	if err != nil {
		return err
	}
	d.Form = readSimForm(f)
	today := h.S.todayDate()
	if d.Form.At == "" {
		d.Form.At = today.String()
	}
	if r.Method == http.MethodGet && d.Form.Status == "" {
		if d.Form.Adults == "" {
			d.Form.Adults = "1"
		}
		return h.K.Render(w, r, http.StatusOK, "rights/simulator", d)
	}
	at, err := rules.ParseDate(d.Form.At)
	if err != nil {
		f.Fail("at", "common.form.date_invalid")
	}
	in, rows := d.Form.input(f)
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "rights/simulator", d, f.Errors)
	}
	s, errs := in.Situation()
	if len(errs) > 0 {
		return h.K.RenderInvalid(w, r, "rights/simulator", d, formFields(errs, rows))
	}
	res := presenter{h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)}.result(rules.Simulate(s, at.Time()))
	d.Result = &res
	return h.K.Render(w, r, http.StatusOK, "rights/simulator", d)
}

// The JSON API. It is anonymous, like the /simulator page: it stores and
// returns nothing about anyone beyond the answer to the request. Texts are
// in the language of ?lang=, else of Accept-Language, else French.

func apiLang(r *http.Request) i18n.Language {
	if l, ok := i18n.Lookup(r.URL.Query().Get("lang")); ok {
		return l
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

func writeJSON(w http.ResponseWriter, status int, lang string, v any) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Language", lang)
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// FieldError is a problem with one field of a JSON request.
type FieldError struct {
	Key     string `json:"key"`
	Message string `json:"message"`
}

// ErrorBody is the body of a refused JSON request.
type ErrorBody struct {
	Error struct {
		Key     string                `json:"key"`
		Message string                `json:"message"`
		Fields  map[string]FieldError `json:"fields,omitempty"`
	} `json:"error"`
}

func (h *HTTP) apiError(w http.ResponseWriter, r *http.Request, status int, e *apiError) error {
	l := h.K.Catalog.Localizer(apiLang(r).Tag)
	var body ErrorBody
	body.Error.Key, body.Error.Message = e.Key, l.T(e.Key)
	if len(e.Fields) > 0 {
		body.Error.Fields = map[string]FieldError{}
		for k, v := range e.Fields {
			body.Error.Fields[k] = FieldError{Key: v, Message: l.T(v)}
		}
	}
	return writeJSON(w, status, l.Tag, body)
}

func (h *HTTP) apiSimulate(w http.ResponseWriter, r *http.Request) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return h.apiError(w, r, http.StatusRequestEntityTooLarge, &apiError{Key: "common.error.too_large"})
		}
		return err
	}
	s, at, e := decodeSimulate(data)
	if e != nil {
		return h.apiError(w, r, http.StatusUnprocessableEntity, e)
	}
	if at.IsZero() {
		at = h.S.todayDate()
	}
	l := h.K.Catalog.Localizer(apiLang(r).Tag)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, l.Tag, presenter{l}.result(rules.Simulate(s, at.Time())))
}

func (h *HTTP) apiStatuses(w http.ResponseWriter, r *http.Request) error {
	l := h.K.Catalog.Localizer(apiLang(r).Tag)
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, l.Tag, map[string]any{"lang": l.Tag, "statuses": presenter{l}.statuses()})
}

func (h *HTTP) apiRights(w http.ResponseWriter, r *http.Request) error {
	l := h.K.Catalog.Localizer(apiLang(r).Tag)
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, l.Tag, map[string]any{"lang": l.Tag, "rights": presenter{l}.rights()})
}

package guide

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

// invalidErr returns the field errors of a validation error.
func invalidErr(err error) (map[string]string, bool) {
	if err == nil || !apperr.Is(err, apperr.Invalid) {
		return nil, false
	}
	ae, _ := apperr.As(err)
	return ae.Fields, true
}

// ---- Services list ----

type servicesData struct {
	Filter ServiceFilter
	Rows   []ServiceRow
	Today  time.Time
	Langs  []i18n.Language
}

// Stale reports whether a row is due for a check.
func (d servicesData) Stale(r ServiceRow) bool {
	return !d.Today.Before(r.CheckedOn.AddDate(0, RemindAfter, 0))
}

func (h *HTTP) services(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	q := r.URL.Query()
	f := ServiceFilter{Query: web.Clean(q.Get("q")), Status: q.Get("status"), Stale: q.Get("stale") == "1"}
	if f.Status != Draft && f.Status != Published {
		f.Status = ""
	}
	rows, err := h.S.Services(r.Context(), p, f)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_services", servicesData{Filter: f, Rows: rows, Today: h.S.today(), Langs: i18n.Languages[1:]})
}

// ---- Service form ----

type serviceForm struct {
	D             *Detail // nil for a new service
	Input         ServiceInput
	Organizations []Organization
	Locations     []Location
	Categories    []Category
	Spoken        []Spoken
	Checklists    []Checklist
	Phone         PhoneInput
	Kinds         []string
	Langs         []i18n.Language
	Today         time.Time
}

// Has reports whether v is in list (checkbox state).
func (serviceForm) Has(list []string, v string) bool { return slices.Contains(list, v) }

// OrgOptions are the choices of the organisation select.
func (f serviceForm) OrgOptions() []web.Option {
	out := []web.Option{{Value: "", Label: "guide.form.choose"}}
	for _, o := range f.Organizations {
		out = append(out, web.Option{Value: o.ID, Label: o.Name, Raw: true})
	}
	return out
}

// StatusOptions are the choices of the status select.
func (serviceForm) StatusOptions() []web.Option {
	return []web.Option{{Value: Draft, Label: "guide.status_draft"}, {Value: Published, Label: "guide.status_published"}}
}

// KindOptions are the kinds of phone line.
func (serviceForm) KindOptions() []web.Option {
	return []web.Option{{Value: "voice", Label: "guide.phone.voice"}, {Value: "text", Label: "guide.phone.text"}}
}

func (h *HTTP) serviceForm(r *http.Request, d *Detail, in ServiceInput) (*serviceForm, error) {
	p := auth.From(r.Context())
	orgs, err := h.S.Organizations(r.Context(), p)
	if err != nil {
		return nil, err
	}
	locs, err := h.S.Locations(r.Context(), p)
	if err != nil {
		return nil, err
	}
	f := &serviceForm{D: d, Input: in, Organizations: orgs, Locations: locs, Categories: Categories, Spoken: SpokenLanguages,
		Kinds: PhoneKinds, Phone: PhoneInput{Kind: "voice"}, Langs: i18n.Languages[1:], Today: h.S.today()}
	lang := web.Lang(r.Context()).Tag
	for _, slug := range ChecklistSlugs {
		f.Checklists = append(f.Checklists, Checklist{Slug: slug, Title: checklistTitle(h.checklists[slug], lang)})
	}
	return f, nil
}

func serviceInput(f *web.Form) ServiceInput {
	return ServiceInput{
		OrganizationID: f.Value("organization_id"), Status: f.OneOf("status", []string{Draft, Published}),
		Name: f.Required("name", 160), Description: f.Optional("description", 2000), Eligibility: f.Optional("eligibility", 1000),
		ApplicationProcess: f.Optional("application_process", 1000), DocumentsNote: f.Optional("documents_note", 1000),
		URL: f.Optional("url", 300), Email: f.Optional("email", 254),
		Free: f.Bool("free"), NoPapers: f.Bool("no_papers"), WelcomeMen: f.Bool("welcome_men"), WelcomeWomen: f.Bool("welcome_women"),
		WelcomeFamilies: f.Bool("welcome_families"), WelcomeMinors: f.Bool("welcome_minors"),
		WalkIn: f.Bool("walk_in"), Appointment: f.Bool("appointment"), Referral: f.Bool("referral"),
		Categories: f.Values("categories"), OnSite: f.Values("on_site"), Documents: f.Values("documents"), LocationIDs: f.Values("locations"),
	}
}

func (h *HTTP) serviceNew(w http.ResponseWriter, r *http.Request) error {
	f, err := h.serviceForm(r, nil, ServiceInput{Status: Draft, Free: true, WalkIn: true})
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_service", f)
}

func (h *HTTP) serviceEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := h.S.StaffService(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := h.serviceForm(r, d, d.Input())
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_service", f)
}

func (h *HTTP) serviceCreate(w http.ResponseWriter, r *http.Request) error {
	return h.serviceSave(w, r, "")
}

func (h *HTTP) serviceUpdate(w http.ResponseWriter, r *http.Request) error {
	return h.serviceSave(w, r, r.PathValue("id"))
}

func (h *HTTP) serviceSave(w http.ResponseWriter, r *http.Request, id string) error {
	p := auth.From(r.Context())
	var d *Detail
	if id != "" {
		var err error
		if d, err = h.S.StaffService(r.Context(), p, id); err != nil {
			return err
		}
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := serviceInput(form)
	f, err := h.serviceForm(r, d, in)
	if err != nil {
		return err
	}
	if !form.OK() {
		return h.K.RenderInvalid(w, r, "guide/admin_service", f, form.Errors)
	}
	sv, err := h.S.SaveService(r.Context(), p, id, in)
	if fields, ok := invalidErr(err); ok {
		return h.K.RenderInvalid(w, r, "guide/admin_service", f, fields)
	}
	if err != nil {
		return err
	}
	key := "guide.service.updated"
	if id == "" {
		key = "guide.service.created"
	}
	return h.K.Done(w, r, "/admin/guide/services/"+sv.ID, key, "Name", sv.Name)
}

func (h *HTTP) serviceChecked(w http.ResponseWriter, r *http.Request) error {
	sv, err := h.S.MarkChecked(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/services/"+sv.ID, "guide.service.checked", "Name", sv.Name)
}

func (h *HTTP) phoneAdd(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	d, err := h.S.StaffService(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := PhoneInput{Number: form.Required("phone_number", 30), Kind: form.Value("phone_kind"), Languages: form.Values("phone_languages")}
	err = h.S.AddPhone(r.Context(), p, d.Service.ID, in)
	if fields, ok := invalidErr(err); ok || !form.OK() {
		f, ferr := h.serviceForm(r, d, d.Input())
		if ferr != nil {
			return ferr
		}
		f.Phone = in
		errs := map[string]string{}
		for k, v := range fields {
			errs["phone_"+k] = v
		}
		for k, v := range form.Errors {
			errs[k] = v
		}
		return h.K.RenderInvalid(w, r, "guide/admin_service", f, errs)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/services/"+d.Service.ID+"#phones", "guide.phone.added")
}

func (h *HTTP) phoneDelete(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := h.S.DeletePhone(r.Context(), auth.From(r.Context()), id, r.PathValue("pid")); err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/services/"+id+"#phones", "guide.phone.deleted")
}

// ---- Hours ----

type hoursForm struct {
	D         *Detail
	Slots     []SlotInput
	Exception ExceptionInput
	Upcoming  []Exception
	Days      []int
	OSM       string
}

// emptyRows are the blank rows added under the slots of the hours form.
const emptyRows = 4

func (h *HTTP) hoursForm(d *Detail, slots []SlotInput, exc ExceptionInput) *hoursForm {
	f := &hoursForm{D: d, Slots: slots, Exception: exc, Upcoming: d.Hours.Upcoming(h.S.today()), Days: []int{1, 2, 3, 4, 5, 6, 7}, OSM: d.Hours.OSM()}
	for range emptyRows {
		f.Slots = append(f.Slots, SlotInput{})
	}
	return f
}

// SlotKey is the error key of row i.
func (hoursForm) SlotKey(i int) string { return "slot." + strconv.Itoa(i) }

func (h *HTTP) hoursEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := h.S.StaffService(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	slots, err := h.S.SlotInputs(r.Context(), d.Service.ID)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_hours", h.hoursForm(d, slots, ExceptionInput{Closed: true}))
}

// slotRows reads the rows of the hours form; blank rows are skipped and
// rows that do not parse are reported by position.
func slotRows(f *web.Form) []SlotInput {
	days, opens, closes := f.RawValues("weekday"), f.RawValues("opens"), f.RawValues("closes")
	froms, tos := f.RawValues("from"), f.RawValues("to")
	at := func(list []string, i int) string {
		if i < len(list) {
			return web.Clean(list[i])
		}
		return ""
	}
	var out []SlotInput
	for i := range days {
		sl := SlotInput{Opens: at(opens, i), Closes: at(closes, i)}
		wd, from, to := at(days, i), at(froms, i), at(tos, i)
		if wd == "" && sl.Opens == "" && sl.Closes == "" && from == "" && to == "" {
			continue
		}
		key := "slot." + strconv.Itoa(len(out))
		if n, err := strconv.Atoi(wd); err == nil {
			sl.Weekday = n
		}
		sl.ValidFrom = parseDate(f, key, from)
		sl.ValidTo = parseDate(f, key, to)
		out = append(out, sl)
	}
	return out
}

// parseDate reads an ISO date, recording an error under key.
func parseDate(f *web.Form, key, v string) *time.Time {
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		f.Fail(key, "common.form.date_invalid")
		return nil
	}
	return &t
}

func (h *HTTP) hoursSave(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	d, err := h.S.StaffService(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	slots := slotRows(form)
	if !form.OK() {
		return h.K.RenderInvalid(w, r, "guide/admin_hours", h.hoursForm(d, slots, ExceptionInput{Closed: true}), form.Errors)
	}
	err = h.S.SaveHours(r.Context(), p, d.Service.ID, slots)
	if fields, ok := invalidErr(err); ok {
		return h.K.RenderInvalid(w, r, "guide/admin_hours", h.hoursForm(d, slots, ExceptionInput{Closed: true}), fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/services/"+d.Service.ID+"/hours", "guide.hours.saved")
}

func (h *HTTP) exceptionAdd(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	d, err := h.S.StaffService(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := ExceptionInput{StartsOn: parseDate(form, "starts_on", form.Value("starts_on")), EndsOn: parseDate(form, "ends_on", form.Value("ends_on")),
		Closed: form.Value("closed") != "0", Opens: form.Value("opens_at"), Closes: form.Value("closes_at"), Reason: form.Optional("reason", 300)}
	if in.EndsOn == nil && form.Value("ends_on") == "" {
		in.EndsOn = in.StartsOn
	}
	rerender := func(fields map[string]string) error {
		slots, err := h.S.SlotInputs(r.Context(), d.Service.ID)
		if err != nil {
			return err
		}
		return h.K.RenderInvalid(w, r, "guide/admin_hours", h.hoursForm(d, slots, in), fields)
	}
	if !form.OK() {
		return rerender(form.Errors)
	}
	err = h.S.AddException(r.Context(), p, d.Service.ID, in)
	if fields, ok := invalidErr(err); ok {
		return rerender(fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/services/"+d.Service.ID+"/hours", "guide.exception.added")
}

func (h *HTTP) exceptionDelete(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := h.S.DeleteException(r.Context(), auth.From(r.Context()), id, r.PathValue("eid")); err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/services/"+id+"/hours", "guide.exception.deleted")
}

// ---- Organisations and locations ----

type orgsData struct {
	Organizations []Organization
	Locations     []Location
}

func (h *HTTP) organizations(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.S.Organizations(r.Context(), auth.From(r.Context()))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_orgs", orgsData{Organizations: orgs})
}

type orgForm struct {
	O     *Organization
	Input OrganizationInput
}

func (h *HTTP) organizationNew(w http.ResponseWriter, r *http.Request) error {
	return h.K.Render(w, r, http.StatusOK, "guide/admin_org", orgForm{})
}

func (h *HTTP) organizationEdit(w http.ResponseWriter, r *http.Request) error {
	o, err := h.S.Organization(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_org", orgForm{O: o, Input: OrganizationInput{Name: o.Name, Description: o.Description, Website: o.Website, Email: o.Email}})
}

func (h *HTTP) organizationSave(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	id := r.PathValue("id")
	var cur *Organization
	if id != "" {
		var err error
		if cur, err = h.S.Organization(r.Context(), p, id); err != nil {
			return err
		}
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := OrganizationInput{Name: form.Required("name", 160), Description: form.Optional("description", 2000),
		Website: form.Optional("website", 300), Email: form.Optional("email", 254)}
	if !form.OK() {
		return h.K.RenderInvalid(w, r, "guide/admin_org", orgForm{O: cur, Input: in}, form.Errors)
	}
	o, err := h.S.SaveOrganization(r.Context(), p, id, in)
	if fields, ok := invalidErr(err); ok {
		return h.K.RenderInvalid(w, r, "guide/admin_org", orgForm{O: cur, Input: in}, fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/organizations", "guide.org.saved", "Name", o.Name)
}

func (h *HTTP) locations(w http.ResponseWriter, r *http.Request) error {
	locs, err := h.S.Locations(r.Context(), auth.From(r.Context()))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_locations", orgsData{Locations: locs})
}

type locForm struct {
	L             *Location
	Input         LocationInput
	Organizations []Organization
	Lat, Lon      string
}

// OrgOptions are the choices of the organisation select.
func (f locForm) OrgOptions() []web.Option {
	return serviceForm{Organizations: f.Organizations}.OrgOptions()
}

// ArrOptions are the choices of the arrondissement select.
func (locForm) ArrOptions() []web.Option {
	out := []web.Option{{Value: "0", Label: "guide.arr_none"}}
	for _, a := range Arrondissements {
		out = append(out, web.Option{Value: strconv.Itoa(a), Label: strconv.Itoa(75000 + a), Raw: true})
	}
	return out
}

// Arr is the arrondissement as the select's value.
func (f locForm) Arr() string { return strconv.Itoa(f.Input.Arrondissement) }

func (h *HTTP) locForm(r *http.Request, l *Location, in LocationInput, lat, lon string) (locForm, error) {
	orgs, err := h.S.Organizations(r.Context(), auth.From(r.Context()))
	return locForm{L: l, Input: in, Organizations: orgs, Lat: lat, Lon: lon}, err
}

func (h *HTTP) locationNew(w http.ResponseWriter, r *http.Request) error {
	f, err := h.locForm(r, nil, LocationInput{City: "Paris", OrganizationID: r.URL.Query().Get("organization")}, "", "")
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_location", f)
}

func coord(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func (h *HTTP) locationEdit(w http.ResponseWriter, r *http.Request) error {
	l, err := h.S.Location(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	in := LocationInput{OrganizationID: l.OrganizationID, Name: l.Name, Address: l.Address, PostalCode: l.PostalCode, City: l.City,
		Directions: l.Directions, Arrondissement: l.Arrondissement, Latitude: l.Latitude, Longitude: l.Longitude}
	f, err := h.locForm(r, l, in, coord(l.Latitude), coord(l.Longitude))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_location", f)
}

// floatField reads an optional decimal number.
func floatField(f *web.Form, name, errKey string) *float64 {
	v := strings.ReplaceAll(f.Value(name), ",", ".")
	if v == "" {
		return nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		f.Fail(errKey, "guide.form.position_invalid")
		return nil
	}
	return &x
}

func (h *HTTP) locationSave(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	id := r.PathValue("id")
	var cur *Location
	if id != "" {
		var err error
		if cur, err = h.S.Location(r.Context(), p, id); err != nil {
			return err
		}
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := LocationInput{OrganizationID: form.Value("organization_id"), Name: form.Required("name", 160), Address: form.Optional("address", 200),
		PostalCode: form.Optional("postal_code", 5), City: form.Optional("city", 80), Directions: form.Optional("directions", 1000),
		Latitude: floatField(form, "latitude", "latitude"), Longitude: floatField(form, "longitude", "latitude")}
	if a, err := strconv.Atoi(form.Value("arrondissement")); err == nil {
		in.Arrondissement = a
	} else {
		form.Fail("arrondissement", "common.form.invalid_choice")
	}
	f, err := h.locForm(r, cur, in, form.Value("latitude"), form.Value("longitude"))
	if err != nil {
		return err
	}
	if !form.OK() {
		return h.K.RenderInvalid(w, r, "guide/admin_location", f, form.Errors)
	}
	l, err := h.S.SaveLocation(r.Context(), p, id, in)
	if fields, ok := invalidErr(err); ok {
		return h.K.RenderInvalid(w, r, "guide/admin_location", f, fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/locations", "guide.location.saved", "Name", l.Name)
}

// ---- Translations ----

type queueData struct {
	Lang  i18n.Language
	Langs []i18n.Language
	Rows  []QueueRow
}

func (h *HTTP) queue(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	lang, ok := i18n.Lookup(r.URL.Query().Get("lang"))
	if !ok || lang.Tag == i18n.Source {
		lang = i18n.Languages[1]
	}
	rows, err := h.S.Queue(r.Context(), p, lang.Tag)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_queue", queueData{Lang: lang, Langs: i18n.Languages[1:], Rows: rows})
}

type trData struct {
	D        *Detail
	Lang     i18n.Language
	Langs    []i18n.Language
	Items    []TrItem
	Reviewer bool
	// Typed keeps what was typed when the save failed.
	Typed map[string]TrInput
}

// Value is the text to show in an item's box: what was typed, else stored.
func (d trData) Value(it TrItem) string {
	if v, ok := d.Typed[it.Key()]; ok {
		return v.Value
	}
	return it.Value
}

// Checked tells whether an item's "reviewed" box is ticked.
func (d trData) Checked(it TrItem) bool {
	if v, ok := d.Typed[it.Key()]; ok {
		return v.Reviewed
	}
	return it.Status == TrReviewed
}

func (h *HTTP) trData(r *http.Request) (*trData, error) {
	p := auth.From(r.Context())
	lang, ok := i18n.Lookup(r.PathValue("lang"))
	if !ok {
		return nil, apperr.ErrNotFound
	}
	d, items, err := h.S.TranslationItems(r.Context(), p, r.PathValue("id"), lang.Tag)
	if err != nil {
		return nil, err
	}
	return &trData{D: d, Lang: lang, Langs: i18n.Languages[1:], Items: items, Reviewer: p.Can(auth.PermTranslate)}, nil
}

func (h *HTTP) translations(w http.ResponseWriter, r *http.Request) error {
	d, err := h.trData(r)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "guide/admin_translations", d)
}

func (h *HTTP) translationsSave(w http.ResponseWriter, r *http.Request) error {
	d, err := h.trData(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	d.Typed = map[string]TrInput{}
	for _, it := range d.Items {
		if _, sent := r.PostForm["tr."+it.Key()]; sent {
			d.Typed[it.Key()] = TrInput{Value: form.Value("tr." + it.Key()), Reviewed: form.Bool("rv." + it.Key())}
		}
	}
	n, err := h.S.SaveTranslations(r.Context(), auth.From(r.Context()), d.D.Service.ID, d.Lang.Tag, d.Typed)
	if fields, ok := invalidErr(err); ok {
		return h.K.RenderInvalid(w, r, "guide/admin_translations", d, fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/guide/services/"+d.D.Service.ID+"/translations/"+d.Lang.Tag, "guide.tr.saved", "Count", n)
}

// CategoryOptions are the category checkboxes.
func (f serviceForm) CategoryOptions() []web.Option {
	out := make([]web.Option, len(f.Categories))
	for i, c := range f.Categories {
		out[i] = web.Option{Value: c.Slug, Label: "guide.cat." + c.Slug}
	}
	return out
}

// LocationOptions are the location checkboxes.
func (f serviceForm) LocationOptions() []web.Option {
	out := make([]web.Option, len(f.Locations))
	for i, l := range f.Locations {
		out[i] = web.Option{Value: l.ID, Label: l.Name, Raw: true}
	}
	return out
}

// ChecklistOptions are the checklist checkboxes.
func (f serviceForm) ChecklistOptions() []web.Option {
	out := make([]web.Option, len(f.Checklists))
	for i, c := range f.Checklists {
		out[i] = web.Option{Value: c.Slug, Label: c.Title.Value, Raw: true}
	}
	return out
}

// SpokenOptions are the language checkboxes: name in itself and in French.
func (f serviceForm) SpokenOptions() []web.Option {
	out := make([]web.Option, len(f.Spoken))
	for i, s := range f.Spoken {
		out[i] = web.Option{Value: s.Code, Label: s.Name + " — " + s.French, Raw: true}
	}
	return out
}

// SpokenNames lists languages by their French names.
func (serviceForm) SpokenNames(codes []string) string {
	var names []string
	for _, c := range codes {
		if s, ok := SpokenByCode(c); ok {
			names = append(names, s.French)
		}
	}
	return strings.Join(names, ", ")
}

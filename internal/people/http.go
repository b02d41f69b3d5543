package people

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
	"parcours/internal/rights/rules"
)

//go:embed templates/*.html
var templatesFS embed.FS

// PanelHTML is a module's part of the person's page: Summary shows under
// the name (the next step), Body among the sections.
type PanelHTML struct {
	Summary, Body template.HTML
}

// Panel is a module that adds its part to the person's page.
type Panel interface {
	PersonPanel(r *http.Request, per *Person, a Access) (PanelHTML, error)
}

// HTTP serves the files: search, opening, the person's page and its forms,
// the export for the person, merging, erasure and the retention report.
type HTTP struct {
	S    *Service
	K    *web.Kit
	Auth *auth.HTTP
	// Panels are the other modules' parts of the person's page, in order.
	Panels []Panel
}

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("people", templatesFS, "templates"); err != nil {
		return err
	}
	k, need := h.K, h.Auth.Need
	read, manage := auth.PermPersonRead, auth.PermPersonManage
	rt.Handle("GET /people", need(read, k.H(h.search)))
	rt.Handle("GET /people/new", need(read, k.H(h.newForm)))
	rt.Handle("POST /people", need(read, k.H(h.create)))
	rt.Handle("GET /people/retention", need(manage, k.H(h.retention)))
	rt.Handle("GET /people/{id}", need(read, k.H(h.person)))
	rt.Handle("GET /people/{id}/edit", need(read, k.H(h.editForm)))
	rt.Handle("POST /people/{id}", need(read, k.H(h.update)))
	rt.Handle("POST /people/{id}/status", need(read, k.H(h.status)))
	rt.Handle("POST /people/{id}/notes", need(read, k.H(h.notes)))
	rt.Handle("POST /people/{id}/consents", need(read, k.H(h.consentGive)))
	rt.Handle("POST /people/{id}/consents/{cid}/withdraw", need(read, k.H(h.consentWithdraw)))
	rt.Handle("POST /people/{id}/referent", need(read, k.H(h.referent)))
	rt.Handle("POST /people/{id}/team", need(read, k.H(h.teamAdd)))
	rt.Handle("POST /people/{id}/team/{uid}/remove", need(read, k.H(h.teamRemove)))
	rt.Handle("POST /people/{id}/shares", need(read, k.H(h.shareAdd)))
	rt.Handle("POST /people/{id}/shares/{sid}/end", need(read, k.H(h.shareEnd)))
	rt.Handle("POST /people/{id}/household", need(read, k.H(h.memberAdd)))
	rt.Handle("GET /people/{id}/household/{hid}", need(read, k.H(h.memberEdit)))
	rt.Handle("POST /people/{id}/household/{hid}", need(read, k.H(h.memberUpdate)))
	rt.Handle("POST /people/{id}/household/{hid}/remove", need(read, k.H(h.memberRemove)))
	rt.Handle("GET /people/{id}/export", need(manage, k.H(h.exportPage)))
	rt.Handle("GET /people/{id}/export.json", need(manage, k.H(h.exportJSON)))
	rt.Handle("GET /people/{id}/merge", need(manage, k.H(h.mergeForm)))
	rt.Handle("POST /people/{id}/merge", need(manage, k.H(h.merge)))
	rt.Handle("POST /people/{id}/erase", need(manage, k.H(h.erase)))
	rt.Handle("POST /people/{id}/keep", need(manage, k.H(h.keep)))
	// Made-up paths under /people answer like the real ones (sign-in for
	// strangers, 404 once signed in), so the routes cannot be mapped.
	h.Auth.StaffArea(rt, "/people")
	return nil
}

func invalid(err error) (*apperr.Error, bool) {
	if err == nil || !apperr.Is(err, apperr.Invalid) {
		return nil, false
	}
	return apperr.As(err)
}

// ---- search ----

type searchData struct {
	Query     Query
	Results   []Person
	Mine      []Person
	Sites     map[string]string
	Today     time.Time
	Searched  bool
	CanManage bool
}

func (h *HTTP) search(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	v := r.URL.Query()
	q := Query{Name: clip(web.Clean(v.Get("q")), 100), Birth: clip(web.Clean(v.Get("birth")), 20),
		Phone: clip(web.Clean(v.Get("phone")), 40), Prefix: true}
	d := searchData{Query: q, Today: h.S.Clock.Now(), CanManage: p.Can(auth.PermPersonManage)}
	var fields map[string]string
	var err error
	if q.Name != "" || q.Birth != "" || q.Phone != "" {
		d.Searched = true
		d.Results, err = h.S.Search(r.Context(), p, q)
		if ae, ok := invalid(err); ok {
			fields, err = ae.Fields, nil
		}
		if err != nil {
			return err
		}
	} else if d.Mine, err = h.S.Mine(r.Context(), p, 50); err != nil {
		return err
	}
	if d.Sites, err = h.S.siteNames(r.Context(), p.OrgID); err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "person-results" {
		return h.K.Fragment(w, r, "people/search", "results", d)
	}
	if fields != nil {
		return h.K.RenderInvalid(w, r, "people/search", d, fields)
	}
	return h.K.Render(w, r, http.StatusOK, "people/search", d)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// Mine lists the files the user is the referent of or in the team of, by
// name. The two lists are read by their own indexes, then the files by
// primary key (a single OR query leads SQLite, without statistics, to scan
// the centre's files).
func (s *Service) Mine(ctx context.Context, p *auth.Principal, limit int) ([]Person, error) {
	var ids, team []string
	if err := s.DB.R.NewSelect().Table("persons").Column("id").Where("org_id = ? AND referent_id = ?", p.OrgID, p.UserID).
		Scan(ctx, &ids); err != nil {
		return nil, err
	}
	if err := s.DB.R.NewSelect().Table("person_team").Column("person_id").Where("org_id = ? AND user_id = ?", p.OrgID, p.UserID).
		Scan(ctx, &team); err != nil {
		return nil, err
	}
	ids = slices.Compact(slices.Sorted(slices.Values(append(ids, team...))))
	if len(ids) <= 500 {
		// One query sorts and cuts: only the page's rows are decoded.
		var out []Person
		err := s.DB.R.NewSelect().Model(&out).Where("p.id IN (?) AND p.merged_into = '' AND p.anonymised_at IS NULL", bun.List(ids)).
			Order("p.sort_name", "p.id").Limit(int64(limit)).Scan(ctx)
		return slices.DeleteFunc(out, func(per Person) bool { return per.OrgID != p.OrgID }), err
	}
	out, err := s.byIDs(ctx, p.OrgID, ids)
	if err != nil {
		return nil, err
	}
	out = slices.DeleteFunc(out, func(per Person) bool { return per.MergedInto != "" || per.Anonymised() })
	slices.SortFunc(out, func(a, b Person) int {
		if c := strings.Compare(a.SortName, b.SortName); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// byIDs loads files of a centre by primary key, in batches.
func (s *Service) byIDs(ctx context.Context, orgID string, ids []string) ([]Person, error) {
	var out []Person
	for i := 0; i < len(ids); i += 500 {
		var part []Person
		if err := s.DB.R.NewSelect().Model(&part).Where("p.id IN (?)", bun.List(ids[i:min(i+500, len(ids))])).Scan(ctx); err != nil {
			return nil, err
		}
		for _, per := range part {
			if per.OrgID == orgID {
				out = append(out, per)
			}
		}
	}
	return out, nil
}

// siteNames maps the centre's site IDs to their names.
func (s *Service) siteNames(ctx context.Context, orgID string) (map[string]string, error) {
	var rows []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	if err := s.DB.R.NewSelect().Table("sites").Column("id", "name").Where("org_id = ?", orgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Name
	}
	return m, nil
}

// SiteOption is a site in a form.
type SiteOption struct {
	ID, Name string
}

func (s *Service) activeSites(ctx context.Context, orgID string) ([]SiteOption, error) {
	var out []SiteOption
	err := s.DB.R.NewSelect().Table("sites").Column("id", "name").Where("org_id = ? AND archived_at IS NULL", orgID).
		Order("name").Scan(ctx, &out)
	return out, err
}

// ---- new file ----

type formData struct {
	Person     *Person
	Input      Input
	Sites      []SiteOption
	Langs      []i18n.Language
	Spoken     []SpokenLanguage
	Levels     []string
	Candidates []Candidate
	SiteNames  map[string]string
	Manage     bool
	Reason     string
	Today      time.Time
}

// BirthDateValue is the date field's value.
func (d formData) BirthDateValue() string { return isoDate(d.Input.BirthDate) }

// BirthYearValue is the year field's value.
func (d formData) BirthYearValue() string { return yearValue(d.Input.BirthYear, d.Input.BirthDate) }

// yearValue is a year-of-birth field's value: empty when a full date is
// known or no year is.
func yearValue(year int, date *time.Time) string {
	if year == 0 || date != nil {
		return ""
	}
	return strconv.Itoa(year)
}

// Speaks reports whether a language is ticked.
func (d formData) Speaks(code string) bool { return slices.Contains(d.Input.Languages, code) }

func isoDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (h *HTTP) formData(r *http.Request, in Input) (formData, error) {
	p := auth.From(r.Context())
	sites, err := h.S.activeSites(r.Context(), p.OrgID)
	if err != nil {
		return formData{}, err
	}
	sites = slices.DeleteFunc(sites, func(s SiteOption) bool { return !p.CanAt(auth.PermPersonRead, s.ID) })
	if in.SiteID == "" && len(sites) > 0 {
		in.SiteID = sites[0].ID
	}
	names, err := h.S.siteNames(r.Context(), p.OrgID)
	if err != nil {
		return formData{}, err
	}
	return formData{Input: in, Sites: sites, Langs: i18n.Languages, Spoken: SpokenLanguages, Levels: FrenchLevels,
		SiteNames: names, Today: h.S.Clock.Now()}, nil
}

func (h *HTTP) newForm(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	// Coming from a search that found nobody: keep what was typed.
	in := Input{MsgLang: web.Lang(r.Context()).Tag, HouseholdSize: 1, FamilyLatin: clip(web.Clean(v.Get("q")), maxName)}
	if !latin(in.FamilyLatin) {
		in.FamilyName, in.FamilyLatin = in.FamilyLatin, ""
	}
	d, err := h.formData(r, in)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "people/form", d)
}

// readInput reads the identity form.
func readInput(f *web.Form) Input {
	in := Input{SiteID: f.Value("site"), GivenName: f.Optional("given_name", maxName), FamilyName: f.Optional("family_name", maxName),
		GivenLatin: f.Optional("given_latin", maxName), FamilyLatin: f.Optional("family_latin", maxName),
		BirthDate: f.Date("birth_date"), Phone: f.Optional("phone", maxPhoneInput), MsgLang: f.Value("msg_lang"),
		Languages: f.Values("languages"), FrenchLevel: f.Value("french_level")}
	in.BirthYear = formInt(f, "birth_year", 0, "people.error.birth_year")
	in.HouseholdSize = formInt(f, "household_size", 1, "people.error.household")
	in.Dependants = formInt(f, "dependants", 0, "people.error.household")
	return in
}

// formInt reads an optional whole number (def when empty).
func formInt(f *web.Form, name string, def int, errKey string) int {
	v := f.Value(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || len(v) > 6 {
		f.Fail(name, errKey)
		return def
	}
	return n
}

func (h *HTTP) create(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := readInput(f)
	d, err := h.formData(r, in)
	if err != nil {
		return err
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "people/form", d, f.Errors)
	}
	per, cands, err := h.S.Create(r.Context(), p, in, CreateOptions{NotADuplicate: f.Bool("not_duplicate")})
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "people/form", d, ae.Fields)
	}
	if err == ErrDuplicates {
		d.Candidates = cands
		return h.K.RenderInvalid(w, r, "people/form", d, map[string]string{"duplicates": "people.duplicates.found"})
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+per.ID, "people.created", "Name", per.DisplayName())
}

// ---- the person's page ----

// EventView is a timeline line, translated.
type EventView struct {
	At   time.Time
	Text string
	Link string
	Kind string
}

type personData struct {
	P          *Person
	A          Access
	Age        int
	HasAge     bool
	Spoken     []SpokenLanguage
	SiteName   string
	Consents   []Consent
	Shares     []Share
	Team       []TeamMember
	Events     []EventView
	Panels     []PanelHTML
	Colleagues []Colleague
	Sites      []SiteOption
	Statuses   []web.Option
	Purposes   []Purpose
	Today      time.Time
	SiteNames  map[string]string
	Users      map[string]string
	Household  []MemberView
	Relations  []string
	Retention  bool // on the retention report
}

// MemberView is a household member on the person's page.
type MemberView struct {
	Member
	Age    int
	HasAge bool
	// Linked: the member's file, when the user may open it.
	Linked string
}

// NewMember is the empty household member form.
func (personData) NewMember() MemberInput { return MemberInput{Relation: "child"} }

// StatusUntilExpired reports whether the document's validity has ended.
func (d personData) StatusUntilExpired() bool {
	return d.P.StatusUntil != nil && d.P.StatusUntil.Before(Today(d.Today))
}

// StatusKey is the message ID of the file's status.
func (d personData) StatusKey() string { return StatusLabel(d.P.Status) }

// StatusOptions lists the statuses for the select ("" = not known).
func StatusOptions() []web.Option {
	out := []web.Option{{Value: "", Label: "people.status.unknown"}}
	for _, s := range rules.Statuses() {
		out = append(out, web.Option{Value: string(s.ID), Label: s.Name})
	}
	return out
}

// StatusLabel is the message ID of a status ("people.status.unknown" for "").
func StatusLabel(id string) string {
	if id == "" || !rules.StatusID(id).Valid() {
		return "people.status.unknown"
	}
	return "rights.status." + id + ".name"
}

func (h *HTTP) person(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	per, a, err := h.S.Read(r.Context(), p, r.PathValue("id"), "page")
	if err != nil {
		return err
	}
	if per.MergedInto != "" {
		return web.Redirect(w, r, "/people/"+per.MergedInto)
	}
	d, err := h.personData(r, per, a)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "people/person", d)
}

func (h *HTTP) personData(r *http.Request, per *Person, a Access) (*personData, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	now := h.S.Clock.Now()
	d := &personData{P: per, A: a, Today: Today(now), Statuses: StatusOptions(), Purposes: Purposes, Relations: Relations}
	d.Age, d.HasAge = per.AgeAt(now)
	for _, c := range strings.Split(per.Languages, ",") {
		if l, ok := SpokenLanguageByCode(c); ok {
			d.Spoken = append(d.Spoken, l)
		}
	}
	var err error
	if d.SiteNames, err = h.S.siteNames(ctx, p.OrgID); err != nil {
		return nil, err
	}
	d.SiteName = d.SiteNames[per.SiteID]
	if per.Anonymised() {
		return d, nil
	}
	if d.Consents, err = h.S.consents(ctx, h.S.DB.R, per.ID); err != nil {
		return nil, err
	}
	if err := h.S.DB.R.NewSelect().Model(&d.Shares).Where("person_id = ?", per.ID).
		Order("created_at DESC").Limit(20).Scan(ctx); err != nil {
		return nil, err
	}
	if d.Team, err = h.S.team(ctx, h.S.DB.R, per); err != nil {
		return nil, err
	}
	if d.Household, err = h.memberViews(ctx, p, per, now); err != nil {
		return nil, err
	}
	if d.Users, err = h.S.userNames(ctx, p.OrgID); err != nil {
		return nil, err
	}
	if d.Colleagues, err = h.S.Colleagues(ctx, p); err != nil {
		return nil, err
	}
	if d.Sites, err = h.S.activeSites(ctx, p.OrgID); err != nil {
		return nil, err
	}
	evs, err := h.S.events(ctx, h.S.DB.R, p.OrgID, per.ID, a, 100)
	if err != nil {
		return nil, err
	}
	d.Events = h.eventViews(web.Lang(ctx).Tag, evs, d.Users, d.SiteNames)
	n, err := h.S.DB.R.NewSelect().Table("person_retention").Where("person_id = ?", per.ID).Count(ctx)
	if err != nil {
		return nil, err
	}
	d.Retention = n > 0
	for _, pn := range h.Panels {
		ph, err := pn.PersonPanel(r, per, a)
		if err != nil {
			return nil, err
		}
		d.Panels = append(d.Panels, ph)
	}
	return d, nil
}

// memberViews lists the household with ages and the linked files the user
// may open.
func (h *HTTP) memberViews(ctx context.Context, p *auth.Principal, per *Person, now time.Time) ([]MemberView, error) {
	ms, err := h.S.household(ctx, h.S.DB.R, per.OrgID, per.ID)
	if err != nil {
		return nil, err
	}
	out := make([]MemberView, len(ms))
	for i, m := range ms {
		out[i] = MemberView{Member: m}
		out[i].Age, out[i].HasAge = m.AgeAt(now)
		if m.LinkedID == "" {
			continue
		}
		linked, _, err := h.S.Find(ctx, p, m.LinkedID)
		switch {
		case err == nil && !linked.Anonymised():
			out[i].Linked = linked.ID
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	return out, nil
}

// eventViews translates timeline events, turning the IDs their arguments
// carry (users, sites, statuses, purposes, rights) into names.
func (h *HTTP) eventViews(lang string, evs []EventRow, users, sites map[string]string) []EventView {
	l := h.K.Catalog.Localizer(lang)
	out := make([]EventView, len(evs))
	for i, e := range evs {
		out[i] = EventView{At: e.At, Link: e.Link, Kind: e.Kind, Text: l.TArgs(e.Key, LabelArgs(l, e.Args(), users, sites))}
	}
	return out
}

// LabelArgs turns the IDs event arguments carry into names in l's
// language: User (a user ID), Site (a site ID), Status (rules.StatusID),
// Purpose, Relation (of a household member), Right (rules.RightID or
// another application kind), and Date and Until (YYYY-MM-DD).
func LabelArgs(l *i18n.L, args map[string]any, users, sites map[string]string) map[string]any {
	if args == nil {
		return nil
	}
	out := make(map[string]any, len(args))
	for k, v := range args {
		s, _ := v.(string)
		switch k {
		case "User":
			v = users[s]
		case "Site":
			v = sites[s]
		case "Status":
			v = l.T(StatusLabel(s))
		case "Purpose":
			v = l.T("people.purpose." + s)
		case "Relation":
			v = l.T("people.relation." + s)
		case "Right":
			v = l.T(RightLabel(s))
		case "Date", "Until":
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				v = l.Date(t)
			}
		}
		out[k] = v
	}
	return out
}

// RightLabel is the message ID of a right or kind of application.
func RightLabel(id string) string {
	for _, r := range rules.Rights() {
		if string(r.ID) == id {
			return r.Name
		}
	}
	return "people.right." + id
}

func (s *Service) userNames(ctx context.Context, orgID string) (map[string]string, error) {
	var rows []Colleague
	if err := s.DB.R.NewSelect().Table("users").Column("id", "name").Where("org_id = ?", orgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Name
	}
	return m, nil
}

type ctxFields struct{}

// FieldErrors returns the field errors the person's page is rendered with
// (for panels: their forms show their own errors).
func FieldErrors(r *http.Request) map[string]string {
	m, _ := r.Context().Value(ctxFields{}).(map[string]string)
	return m
}

// RenderPerson re-renders the person's page (the file of the path's {id})
// with field errors, status 422: a module's form on the page failed.
func (h *HTTP) RenderPerson(w http.ResponseWriter, r *http.Request, fields map[string]string) error {
	return h.renderPerson(w, r, fields)
}

// renderPerson re-renders the person's page with field errors (a form of
// the page failed).
func (h *HTTP) renderPerson(w http.ResponseWriter, r *http.Request, fields map[string]string) error {
	r = r.WithContext(context.WithValue(r.Context(), ctxFields{}, fields))
	p := auth.From(r.Context())
	per, a, err := h.S.Find(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := h.personData(r, per, a)
	if err != nil {
		return err
	}
	return h.K.RenderInvalid(w, r, "people/person", d, fields)
}

// act runs a change of the person's page: a validation error re-renders
// the page, success confirms and goes back to it.
func (h *HTTP) act(w http.ResponseWriter, r *http.Request, err error, key string, args ...any) error {
	return h.actAt(w, r, err, "", key, args...)
}

// actAt is act going back to an anchor of the page ("#household").
func (h *HTTP) actAt(w http.ResponseWriter, r *http.Request, err error, anchor, key string, args ...any) error {
	if ae, ok := invalid(err); ok {
		return h.renderPerson(w, r, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+r.PathValue("id")+anchor, key, args...)
}

// ---- edit, rectify ----

func (h *HTTP) editForm(w http.ResponseWriter, r *http.Request) error {
	per, a, err := h.S.Read(r.Context(), auth.From(r.Context()), r.PathValue("id"), "edit")
	if err != nil {
		return err
	}
	if err := Writable(per); err != nil {
		return err
	}
	d, err := h.formData(r, InputOf(per))
	if err != nil {
		return err
	}
	d.Person, d.Manage = per, a.Manage
	return h.K.Render(w, r, http.StatusOK, "people/form", d)
}

func (h *HTTP) update(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	per, a, err := h.S.Find(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := readInput(f)
	reason := f.Optional("reason", 500)
	d, err := h.formData(r, in)
	if err != nil {
		return err
	}
	d.Person, d.Manage, d.Reason = per, a.Manage, reason
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "people/form", d, f.Errors)
	}
	key := "people.updated"
	if reason != "" && a.Manage {
		per, err = h.S.Rectify(r.Context(), p, per.ID, in, reason)
		key = "people.rectified"
	} else {
		per, err = h.S.Update(r.Context(), p, per.ID, in)
	}
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "people/form", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+per.ID, key, "Name", per.DisplayName())
}

// ---- status, notes ----

func (h *HTTP) status(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := StatusInput{Status: f.Value("status"), Document: f.Optional("document", 120), From: f.Date("from"), Until: f.Date("until")}
	if !f.OK() {
		return h.renderPerson(w, r, f.Errors)
	}
	return h.act(w, r, h.S.SetStatus(r.Context(), auth.From(r.Context()), r.PathValue("id"), in), "people.status_saved")
}

func (h *HTTP) notes(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	var n Notes
	if _, ok := r.PostForm["health_note"]; ok {
		v := f.Optional("health_note", maxNote)
		n.Health = &v
	}
	if _, ok := r.PostForm["legal_note"]; ok {
		v := f.Optional("legal_note", maxNote)
		n.Legal = &v
	}
	if !f.OK() {
		return h.renderPerson(w, r, f.Errors)
	}
	return h.act(w, r, h.S.SetNotes(r.Context(), auth.From(r.Context()), r.PathValue("id"), n), "people.notes_saved")
}

// ---- consents ----

func (h *HTTP) consentGive(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := ConsentInput{Purpose: Purpose(f.Value("purpose")), Partner: f.Optional("partner", 120), GivenOn: f.Date("given_on"),
		ExpiresOn: f.Date("expires_on")}
	if !f.OK() {
		return h.renderPerson(w, r, f.Errors)
	}
	_, err = h.S.GiveConsent(r.Context(), auth.From(r.Context()), r.PathValue("id"), in)
	l := h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)
	return h.act(w, r, err, "people.consent.recorded", "Purpose", l.T("people.purpose."+string(in.Purpose)))
}

func (h *HTTP) consentWithdraw(w http.ResponseWriter, r *http.Request) error {
	_, err := h.S.WithdrawConsent(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("cid"))
	return h.act(w, r, err, "people.consent.withdrawn")
}

// ---- team, shares ----

func (h *HTTP) referent(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	return h.act(w, r, h.S.SetReferent(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Value("user")), "people.referent_saved")
}

func (h *HTTP) teamAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	return h.act(w, r, h.S.AddToTeam(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Value("user")), "people.team_added")
}

func (h *HTTP) teamRemove(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, h.S.RemoveFromTeam(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("uid")), "people.team_removed")
}

func (h *HTTP) shareAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := ShareInput{SiteID: f.Value("site"), Reason: f.Optional("reason", 500), EndsOn: f.Date("ends_on")}
	if !f.OK() {
		return h.renderPerson(w, r, f.Errors)
	}
	_, err = h.S.ShareFile(r.Context(), auth.From(r.Context()), r.PathValue("id"), in)
	return h.act(w, r, err, "people.shared")
}

func (h *HTTP) shareEnd(w http.ResponseWriter, r *http.Request) error {
	return h.act(w, r, h.S.EndShare(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("sid")), "people.share_ended")
}

// ---- export ----

type exportData struct {
	X        *Export
	Age      int
	HasAge   bool
	Spoken   []SpokenLanguage
	Events   []EventView
	Sections []sectionView
	SiteName string
	Users    map[string]string
}

// StatusKey is the message ID of the file's status.
func (d exportData) StatusKey() string { return StatusLabel(d.X.Person.Status) }

type sectionView struct {
	Title string
	Rows  []rowView
}

type rowView struct {
	Label string
	Value string
	Date  *time.Time
}

func (h *HTTP) exportPage(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), auth.From(r.Context())
	x, err := h.S.Export(ctx, p, r.PathValue("id"), "print")
	if err != nil {
		return err
	}
	// The person's page links here in the person's language.
	l := h.K.Catalog.Localizer(web.Lang(ctx).Tag)
	d := exportData{X: x}
	d.Age, d.HasAge = x.Person.AgeAt(x.GeneratedAt)
	for _, c := range strings.Split(x.Person.Languages, ",") {
		if sl, ok := SpokenLanguageByCode(c); ok {
			d.Spoken = append(d.Spoken, sl)
		}
	}
	users, err := h.S.userNames(ctx, p.OrgID)
	if err != nil {
		return err
	}
	sites, err := h.S.siteNames(ctx, p.OrgID)
	if err != nil {
		return err
	}
	d.SiteName, d.Users = sites[x.Person.SiteID], users
	for _, e := range x.Timeline {
		d.Events = append(d.Events, EventView{At: e.At, Kind: e.Kind, Text: l.TArgs(e.Summary.Key, LabelArgs(l, e.Summary.Args, users, sites))})
	}
	for _, s := range x.Sections {
		sv := sectionView{Title: l.TArgs(s.Title.Key, LabelArgs(l, s.Title.Args, users, sites))}
		for _, row := range s.Rows {
			sv.Rows = append(sv.Rows, rowView{Label: l.TArgs(row.Label.Key, LabelArgs(l, row.Label.Args, users, sites)), Value: row.Value, Date: row.Date})
		}
		d.Sections = append(d.Sections, sv)
	}
	return h.K.Render(w, r, http.StatusOK, "people/export", d)
}

func (h *HTTP) exportJSON(w http.ResponseWriter, r *http.Request) error {
	x, err := h.S.Export(r.Context(), auth.From(r.Context()), r.PathValue("id"), "json")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="parcours-`+x.Person.ID+`.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(x)
}

// ---- merge, erase, retention ----

type mergeData struct {
	P       *Person
	Query   string
	Results []Person
	Dup     *Person
	Reason  string
	Sites   map[string]string
}

func (h *HTTP) mergeForm(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), auth.From(r.Context())
	per, a, err := h.S.Find(ctx, p, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !a.Manage {
		return apperr.ErrForbidden
	}
	d := mergeData{P: per, Query: clip(web.Clean(r.URL.Query().Get("q")), 100)}
	if d.Sites, err = h.S.siteNames(ctx, p.OrgID); err != nil {
		return err
	}
	var cands []Person
	if d.Query != "" {
		cands, err = h.S.Search(ctx, p, Query{Name: d.Query, Prefix: true})
	} else {
		var cs []Candidate
		cs, err = h.S.Duplicates(ctx, p, InputOf(per), per.ID)
		for _, c := range cs {
			if c.Person != nil {
				cands = append(cands, *c.Person)
			}
		}
	}
	if err != nil && !apperr.Is(err, apperr.Invalid) {
		return err
	}
	d.Results = slices.DeleteFunc(cands, func(c Person) bool { return c.ID == per.ID })
	return h.K.Render(w, r, http.StatusOK, "people/merge", d)
}

func (h *HTTP) merge(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	dup, reason := f.Value("duplicate"), f.Optional("reason", 500)
	err = h.S.Merge(r.Context(), p, r.PathValue("id"), dup, reason)
	if ae, ok := invalid(err); ok {
		per, _, ferr := h.S.Find(r.Context(), p, r.PathValue("id"))
		if ferr != nil {
			return ferr
		}
		d := mergeData{P: per, Reason: reason}
		if d.Sites, err = h.S.siteNames(r.Context(), p.OrgID); err != nil {
			return err
		}
		if dp, _, derr := h.S.Find(r.Context(), p, dup); derr == nil {
			d.Results = []Person{*dp}
		}
		return h.K.RenderInvalid(w, r, "people/merge", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+r.PathValue("id"), "people.merged")
}

func (h *HTTP) erase(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	err = h.S.Erase(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Optional("erase_reason", 500))
	if ae, ok := invalid(err); ok {
		return h.renderPerson(w, r, map[string]string{"erase_reason": ae.Fields["reason"]})
	}
	return h.act(w, r, err, "people.erased")
}

func (h *HTTP) keep(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	err = h.S.KeepFile(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Optional("reason", 500))
	if ae, ok := invalid(err); ok {
		return h.renderRetention(w, r, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/retention", "people.retention.kept")
}

type retentionData struct {
	Rows      []RetentionRow
	Sites     map[string]string
	Retention time.Duration
	Grace     time.Duration
}

// RetentionYears is the retention period in whole months, for the page.
func (d retentionData) RetentionMonths() int { return int(d.Retention.Hours() / 24 / 30.4) }

// GraceDays is the time on the report in days.
func (d retentionData) GraceDays() int { return int(d.Grace.Hours() / 24) }

func (h *HTTP) retention(w http.ResponseWriter, r *http.Request) error {
	return h.renderRetention(w, r, nil)
}

func (h *HTTP) renderRetention(w http.ResponseWriter, r *http.Request, fields map[string]string) error {
	p := auth.From(r.Context())
	rows, err := h.S.RetentionReport(r.Context(), p)
	if err != nil {
		return err
	}
	sites, err := h.S.siteNames(r.Context(), p.OrgID)
	if err != nil {
		return err
	}
	d := retentionData{Rows: rows, Sites: sites, Retention: h.S.retention(), Grace: RetentionGrace}
	if fields != nil {
		return h.K.RenderInvalid(w, r, "people/retention", d, fields)
	}
	return h.K.Render(w, r, http.StatusOK, "people/retention", d)
}

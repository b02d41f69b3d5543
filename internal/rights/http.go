package rights

import (
	"embed"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
	"parcours/internal/rights/rules"
	"parcours/internal/rights/sheets"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the fact sheets, the simulator (to professionals, to anyone
// on /simulator, and as a JSON API) and the triage grid.
type HTTP struct {
	S    *Service
	K    *web.Kit
	Auth *auth.HTTP
}

// Body limits: a sheet's nine sections, percent-encoded; a JSON situation.
const (
	editMaxBody = 2 << 20
	apiMaxBody  = 64 << 10
)

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("rights", templatesFS, "templates"); err != nil {
		return err
	}
	k, need := h.K, h.Auth.Need
	rt.Handle("GET /rights/sheets", need(auth.PermRightsRead, k.H(h.sheets)))
	rt.Handle("GET /rights/sheets/{slug}", need(auth.PermRightsRead, k.H(h.sheet)))
	rt.Handle("GET /rights/sheets/{slug}/versions/{version}", need(auth.PermRightsRead, k.H(h.version)))
	rt.Handle("GET /rights/sheets/{slug}/edit", need(auth.PermSheetsEdit, k.H(h.edit)))
	rt.Handle("POST /rights/sheets/{slug}", need(auth.PermSheetsEdit, k.HLimit(editMaxBody, h.update)))
	rt.Handle("POST /rights/sheets/{slug}/review", need(auth.PermSheetsEdit, k.H(h.review)))
	// The simulator stores nothing: professionals use it signed in (with
	// links to the sheets), anyone may use it on /simulator.
	rt.Handle("GET /rights/simulator", need(auth.PermRightsRead, k.H(h.simulator)))
	rt.Handle("POST /rights/simulator", need(auth.PermRightsRead, k.H(h.simulator)))
	rt.Handle("GET /simulator", k.H(h.simulator))
	rt.Handle("POST /simulator", k.H(h.simulator))
	rt.Handle("GET /rights/triage", need(auth.PermRightsRead, k.H(h.triage)))
	rt.Handle("POST /rights/triage", need(auth.PermRightsRead, k.H(h.triage)))
	rt.Root("POST /api/rights/simulate", k.HLimit(apiMaxBody, h.apiSimulate))
	rt.Root("GET /api/rights/statuses", k.H(h.apiStatuses))
	rt.Root("GET /api/rights/rights", k.H(h.apiRights))
	h.Auth.StaffArea(rt, "/rights")
	return nil
}

type sheetsData struct {
	Filter  SheetFilter
	Sheets  []Sheet
	Groups  []rules.StatusGroup
	Today   time.Time
	CanEdit bool
}

// GroupOptions are the choices of the group filter.
func (d sheetsData) GroupOptions() []web.Option {
	out := []web.Option{{Value: "", Label: "common.all"}}
	for _, g := range d.Groups {
		out = append(out, web.Option{Value: string(g), Label: "rights.web.group." + string(g)})
	}
	return out
}

func (h *HTTP) sheets(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	q := r.URL.Query()
	f := SheetFilter{Group: q.Get("group"), Query: web.Clean(q.Get("q")), Due: q.Get("due") == "1"}
	if !slices.Contains(Groups, rules.StatusGroup(f.Group)) {
		f.Group = ""
	}
	if r := []rune(f.Query); len(r) > 100 {
		f.Query = string(r[:100])
	}
	list, err := h.S.Sheets(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := sheetsData{Filter: f, Sheets: list, Groups: Groups, Today: h.S.today(), CanEdit: p.Can(auth.PermSheetsEdit)}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "sheet-rows" {
		return h.K.Fragment(w, r, "rights/sheets", "rows", d)
	}
	return h.K.Render(w, r, http.StatusOK, "rights/sheets", d)
}

// renderedSection is a section of a sheet, as HTML.
type renderedSection struct {
	Heading string
	HTML    template.HTML
}

// source is a footnote of a sheet, in the order of the "Références" section.
type source struct {
	ID   string
	HTML template.HTML
	// Cited tells whether the source is cited (it always is in a valid sheet).
	Cited bool
}

type sheetData struct {
	Sheet    *Sheet
	Version  *Version // the version shown
	Current  bool
	Doc      sheets.Sheet
	Sections []renderedSection
	// Notes is the prose of "Références" (the footnotes are Sources).
	Notes    template.HTML
	Sources  []source
	Versions []Version
	// Diff compares the version shown with the one before it.
	Diff     []SectionDiff
	Today    time.Time
	CanEdit  bool
	Statuses []rules.StatusInfo
}

// Due reports whether the sheet's review is due.
func (d sheetData) Due() bool { return d.Sheet.ReviewDue(d.Today) }

var footDefLine = regexp.MustCompile(`^\[\^([^\]\s]+)\]:(.*)$`)

// renderSheet turns a version into the page's sections and sources.
func renderSheet(doc sheets.Sheet) (sections []renderedSection, notes template.HTML, sources []source) {
	md := newMarkdown()
	last := len(doc.Sections) - 1
	for i, s := range doc.Sections {
		if i == last {
			notes = md.Section(s.Body)
			continue
		}
		sections = append(sections, renderedSection{Heading: s.Heading, HTML: md.Section(s.Body)})
	}
	for _, line := range strings.Split(doc.Sections[last].Body, "\n") {
		if m := footDefLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			id := m[1]
			sources = append(sources, source{ID: id, HTML: md.Inline(strings.TrimSpace(m[2]))})
		}
	}
	for i := range sources {
		sources[i].Cited = md.refs[sources[i].ID] > 0
	}
	return sections, notes, sources
}

func (h *HTTP) sheetPage(r *http.Request, slug string, version int) (*sheetData, error) {
	p := auth.From(r.Context())
	sh, vs, err := h.S.Sheet(r.Context(), p, slug)
	if err != nil {
		return nil, err
	}
	if version == 0 {
		version = sh.Version
	}
	i := slices.IndexFunc(vs, func(v Version) bool { return v.Version == version })
	if i < 0 {
		return nil, apperr.ErrNotFound
	}
	doc, err := vs[i].Parse()
	if err != nil {
		return nil, err
	}
	d := &sheetData{Sheet: sh, Version: &vs[i], Current: version == sh.Version, Doc: doc, Versions: vs,
		Today: h.S.today(), CanEdit: p.Can(auth.PermSheetsEdit), Statuses: StatusesOf(sh.Slug)}
	d.Sections, d.Notes, d.Sources = renderSheet(doc)
	if i+1 < len(vs) {
		prev, err := vs[i+1].Parse()
		if err != nil {
			return nil, err
		}
		d.Diff = diffSheets(prev, doc, h.K.Catalog.Localizer(web.Lang(r.Context()).Tag).T("rights.web.sheet.title_field"))
	}
	return d, nil
}

func (h *HTTP) sheet(w http.ResponseWriter, r *http.Request) error {
	d, err := h.sheetPage(r, r.PathValue("slug"), 0)
	if err != nil {
		return err
	}
	d.Diff = nil // the current page lists the versions; a version's page shows its changes
	return h.K.Render(w, r, http.StatusOK, "rights/sheet", d)
}

func (h *HTTP) version(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 {
		return apperr.ErrNotFound
	}
	d, err := h.sheetPage(r, r.PathValue("slug"), n)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "rights/sheet", d)
}

type editData struct {
	Sheet    *Sheet
	Input    EditInput
	Headings []string
	// Details give, per field, the footnote id or heading an error is about.
	Details map[string]any
}

// SectionField names section i's field (for the template).
func (editData) SectionField(i int) string { return SectionField(i) }

// AppliesFrom is the date field's value.
func (d editData) AppliesFrom() string {
	if d.Input.AppliesFrom.IsZero() {
		return ""
	}
	return d.Input.AppliesFrom.Format(time.DateOnly)
}

// Body returns the text of section i.
func (d editData) Body(i int) string {
	if i < len(d.Input.Sections) {
		return d.Input.Sections[i]
	}
	return ""
}

func (h *HTTP) edit(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	sh, vs, err := h.S.Sheet(r.Context(), p, r.PathValue("slug"))
	if err != nil {
		return err
	}
	doc, err := vs[0].Parse()
	if err != nil {
		return err
	}
	in := EditInput{Base: sh.Version, Title: doc.Title, AppliesFrom: h.S.today()}
	for _, s := range doc.Sections {
		in.Sections = append(in.Sections, s.Body)
	}
	return h.K.Render(w, r, http.StatusOK, "rights/sheet_form", editData{Sheet: sh, Input: in, Headings: sheets.Headings()})
}

func (h *HTTP) update(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	sh, _, err := h.S.Sheet(r.Context(), p, r.PathValue("slug"))
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := EditInput{Title: f.Optional("title", maxTitle), Changes: f.Optional("changes", maxChanges)}
	if in.Base, err = strconv.Atoi(f.Value("base")); err != nil {
		f.Fail("form", "common.error.invalid")
	}
	if v := f.Value("applies_from"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			f.Fail("applies_from", "common.form.date_invalid")
		}
		in.AppliesFrom = t
	}
	hs := sheets.Headings()
	for i := range hs {
		in.Sections = append(in.Sections, f.Optional(SectionField(i), maxSection))
	}
	d := editData{Sheet: sh, Input: in, Headings: hs}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "rights/sheet_form", d, f.Errors)
	}
	updated, err := h.S.Update(r.Context(), p, sh.Slug, in)
	if ae, ok := invalid(err); ok {
		d.Details = ae.Args
		return h.K.RenderInvalid(w, r, "rights/sheet_form", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/rights/sheets/"+updated.Slug, "rights.web.sheet.saved", "Title", updated.Title, "Version", updated.Version)
}

func (h *HTTP) review(w http.ResponseWriter, r *http.Request) error {
	sh, err := h.S.MarkReviewed(r.Context(), auth.From(r.Context()), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/rights/sheets/"+sh.Slug, "rights.web.sheet.reviewed_done", "Title", sh.Title)
}

func invalid(err error) (*apperr.Error, bool) {
	if err == nil || !apperr.Is(err, apperr.Invalid) {
		return nil, false
	}
	return apperr.As(err)
}

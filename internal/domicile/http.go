package domicile

import (
	"context"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"parcours/internal/org"
	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the domiciliation pages: the reception desk, the files, the
// worklists, the report, import, export, settings and the person's portal.
type HTTP struct {
	S    *Service
	K    *web.Kit
	Auth *auth.HTTP
}

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("domicile", templatesFS, "templates"); err != nil {
		return err
	}
	k, need := h.K, h.Auth.Need
	mail, instruct, decide, manage := auth.PermDomicileMail, auth.PermDomicileInstruct, auth.PermDomicileDecide, auth.PermDomicileManage
	rt.Handle("GET /domiciliation", need(mail, k.H(h.home)))
	rt.Handle("GET /domiciliation/counters", need(mail, k.H(h.counters)))
	rt.Handle("GET /domiciliation/search", need(mail, k.H(h.search)))
	rt.Handle("GET /domiciliation/mail", need(mail, k.H(h.desk)))
	rt.Handle("POST /domiciliation/mail", need(mail, k.H(h.intake)))
	rt.Handle("GET /domiciliation/mail/batch", need(mail, k.H(h.batchForm)))
	rt.Handle("POST /domiciliation/mail/batch", need(mail, k.HLimit(1<<20, h.batch)))
	rt.Handle("GET /domiciliation/new", need(instruct, k.H(h.newForm)))
	rt.Handle("POST /domiciliation", need(instruct, k.H(h.create)))
	rt.Handle("GET /domiciliation/files/{id}", need(mail, k.H(h.file)))
	rt.Handle("POST /domiciliation/files/{id}/identity", need(instruct, k.H(h.identity)))
	rt.Handle("GET /domiciliation/files/{id}/interview", need(instruct, k.H(h.interviewForm)))
	rt.Handle("POST /domiciliation/files/{id}/interview", need(instruct, k.H(h.interview)))
	rt.Handle("POST /domiciliation/files/{id}/receipt", need(instruct, k.H(h.receipt)))
	rt.Handle("GET /domiciliation/files/{id}/decision", need(instruct, k.H(h.decisionForm)))
	rt.Handle("POST /domiciliation/files/{id}/decision", need(instruct, k.H(h.decide)))
	rt.Handle("POST /domiciliation/files/{id}/undo", need(decide, k.H(h.undo)))
	rt.Handle("POST /domiciliation/files/{id}/renew", need(instruct, k.H(h.renew)))
	rt.Handle("GET /domiciliation/files/{id}/cerfa/{kind}", need(mail, k.H(h.cerfa)))
	rt.Handle("GET /domiciliation/files/{id}/letters/{kind}", need(instruct, k.H(h.letter)))
	rt.Handle("GET /domiciliation/files/{id}/card", need(mail, k.H(h.card)))
	rt.Handle("POST /domiciliation/files/{id}/contacts", need(mail, k.H(h.contact)))
	rt.Handle("POST /domiciliation/files/{id}/excuse", need(instruct, k.H(h.excuse)))
	rt.Handle("POST /domiciliation/files/{id}/mail/out", need(mail, k.H(h.mailOut)))
	rt.Handle("POST /domiciliation/files/{id}/proxies", need(mail, k.H(h.proxyAdd)))
	rt.Handle("POST /domiciliation/files/{id}/proxies/{pid}/end", need(mail, k.H(h.proxyEnd)))
	rt.Handle("POST /domiciliation/files/{id}/forward", need(mail, k.H(h.forwardSet)))
	rt.Handle("POST /domiciliation/files/{id}/forward/end", need(mail, k.H(h.forwardEnd)))
	rt.Handle("POST /domiciliation/files/{id}/portal", need(mail, k.H(h.portalToggle)))
	rt.Handle("GET /domiciliation/worklists/{list}", need(mail, k.H(h.worklist)))
	rt.Handle("GET /domiciliation/report", need(mail, k.H(h.report)))
	rt.Handle("GET /domiciliation/report.xlsx", need(mail, k.H(h.reportXLSX)))
	rt.Handle("GET /domiciliation/import", need(manage, k.H(h.importForm)))
	rt.Handle("GET /domiciliation/import/template.csv", need(manage, k.H(h.importTemplate)))
	rt.Handle("POST /domiciliation/import", need(manage, k.HLimit(MaxImportBytes+(1<<20), h.importUpload)))
	rt.Handle("GET /domiciliation/import/{id}", need(manage, k.H(h.importPreview)))
	rt.Handle("POST /domiciliation/import/{id}", need(manage, k.H(h.importConfirm)))
	rt.Handle("GET /domiciliation/export", need(manage, k.H(h.exportForm)))
	rt.Handle("POST /domiciliation/export", need(manage, k.H(h.export)))
	rt.Handle("GET /domiciliation/retention", need(manage, k.H(h.retention)))
	rt.Handle("GET /domiciliation/settings", need(manage, k.H(h.settingsForm)))
	rt.Handle("POST /domiciliation/settings", need(manage, k.H(h.settings)))
	// The retention period is the whole centre's: administrators.
	rt.Handle("POST /domiciliation/settings/retention", need(auth.PermSitesManage, k.H(h.retentionSet)))
	h.Auth.StaffArea(rt, "/domiciliation")
	h.registerPortal(rt)
	return nil
}

func invalid(err error) (*apperr.Error, bool) {
	if err == nil || !apperr.Is(err, apperr.Invalid) {
		return nil, false
	}
	return apperr.As(err)
}

// conflict returns err as a Conflict to tell on the page, if it is one.
func conflict(err error) (*apperr.Error, bool) {
	if err == nil || !apperr.Is(err, apperr.Conflict) {
		return nil, false
	}
	return apperr.As(err)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// intField reads an integer field, recording an error outside [lo, hi];
// empty gives def.
func intField(f *web.Form, name string, lo, hi, def int) int {
	v := f.Value(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		f.Fail(name, "domicile.error.number_range")
		return def
	}
	return n
}

// SitesData is what pages with a site choice need.
type SitesData struct {
	Sites []org.Site
	Names map[string]string
}

func (h *HTTP) sites(ctx context.Context, p *auth.Principal, perm auth.Perm) (SitesData, error) {
	ss, err := h.S.Sites(ctx, p, perm)
	if err != nil {
		return SitesData{}, err
	}
	d := SitesData{Sites: ss, Names: map[string]string{}}
	for _, s := range ss {
		d.Names[s.ID] = s.Name
	}
	return d, nil
}

// siteParam returns the site chosen in the query if the user may use it.
func siteParam(r *http.Request, sd SitesData) string {
	id := r.URL.Query().Get("site")
	if _, ok := sd.Names[id]; ok {
		return id
	}
	return ""
}

// SiteOptions lists the sites for a select, with "every site" first when
// allowed.
func (d SitesData) SiteOptions(all bool) []web.Option {
	var out []web.Option
	if all {
		out = append(out, web.Option{Value: "", Label: "domicile.all_sites"})
	}
	for _, s := range d.Sites {
		out = append(out, web.Option{Value: s.ID, Label: s.Name, Raw: true})
	}
	return out
}

// ---- home, counters, search ----

type homeData struct {
	SitesData
	Site      string
	Counters  *Counters
	Query     string
	Results   []Entry
	Searched  bool
	Today     time.Time
	Instruct  bool
	Manage    bool
	Worklists []string
}

func (h *HTTP) home(w http.ResponseWriter, r *http.Request) error {
	d, err := h.homeData(r)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/home", d)
}

func (h *HTTP) homeData(r *http.Request) (*homeData, error) {
	p := auth.From(r.Context())
	sd, err := h.sites(r.Context(), p, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	d := &homeData{SitesData: sd, Site: siteParam(r, sd), Today: h.S.Clock.Now(), Worklists: Worklists,
		Instruct: p.Can(auth.PermDomicileInstruct), Manage: p.Can(auth.PermDomicileManage)}
	if d.Counters, err = h.S.Counters(r.Context(), p, d.Site); err != nil {
		return nil, err
	}
	return d, nil
}

func (h *HTTP) counters(w http.ResponseWriter, r *http.Request) error {
	d, err := h.homeData(r)
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		return h.K.Fragment(w, r, "domicile/home", "counters", d)
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/home", d)
}

func (h *HTTP) search(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	sd, err := h.sites(r.Context(), p, auth.PermDomicileMail)
	if err != nil {
		return err
	}
	d := &homeData{SitesData: sd, Query: clip(web.Clean(r.URL.Query().Get("q")), 100), Today: h.S.Clock.Now(), Searched: true,
		Instruct: p.Can(auth.PermDomicileInstruct)}
	if d.Results, err = h.S.Find(r.Context(), p, d.Query, 30); err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "dom-results" {
		return h.K.Fragment(w, r, "domicile/search", "results", d)
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/search", d)
}

// ---- worklists ----

type worklistData struct {
	SitesData
	List    string
	Site    string
	Entries []Entry
	Page    web.Page
	Today   time.Time
	Decide  bool
}

func (h *HTTP) worklist(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	list := r.PathValue("list")
	if !oneOf(Worklists, list) {
		return apperr.ErrNotFound
	}
	sd, err := h.sites(r.Context(), p, auth.PermDomicileMail)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(1, min(page, 10000))
	d := worklistData{SitesData: sd, List: list, Site: siteParam(r, sd), Today: h.S.Clock.Now(), Decide: p.Can(auth.PermDomicileInstruct)}
	es, more, err := h.S.Worklist(r.Context(), p, list, d.Site, page)
	if err != nil {
		return err
	}
	d.Entries = es
	d.Page = web.Page{Number: page}
	if page > 1 {
		d.Page.Prev = pageQuery(d.Site, page-1)
	}
	if more {
		d.Page.Next = pageQuery(d.Site, page+1)
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/worklist", d)
}

func pageQuery(site string, page int) string {
	q := "page=" + strconv.Itoa(page)
	if site != "" {
		q += "&site=" + site
	}
	return q
}

// ---- the person's page ----

type panelData struct {
	File     *File
	PersonID string
	Today    time.Time
	Instruct bool
}

// PersonPanel adds the domiciliation to the person's page (package people):
// the file's number, status and pending mail, or a link to open a request.
func (h *HTTP) PersonPanel(r *http.Request, per *people.Person, _ people.Access) (people.PanelHTML, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	if !p.Can(auth.PermDomicileMail) && !p.Can(auth.PermDomicileInstruct) {
		return people.PanelHTML{}, nil
	}
	f, err := h.S.FileOfPerson(ctx, p, per.ID)
	if err != nil {
		return people.PanelHTML{}, err
	}
	if f != nil && !p.CanAt(auth.PermDomicileMail, f.SiteID) {
		f = nil
	}
	d := panelData{File: f, PersonID: per.ID, Today: h.S.today(), Instruct: p.Can(auth.PermDomicileInstruct)}
	v := &web.View{L: h.K.Catalog.Localizer(web.Lang(ctx).Tag), Data: d, User: web.ViewerFrom(ctx), Path: r.URL.Path}
	body, err := h.K.R.Execute("domicile/home", "person_panel", v)
	if err != nil {
		return people.PanelHTML{}, err
	}
	return people.PanelHTML{Body: template.HTML(body)}, nil //nolint:gosec // rendered by html/template
}

// safeName keeps a download's file name to safe characters.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_' {
			return r
		}
		return '-'
	}, s)
}

// download writes a file as an attachment.
func download(w http.ResponseWriter, name, ctype string, b []byte) error {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeName(name)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err := w.Write(b)
	return err
}

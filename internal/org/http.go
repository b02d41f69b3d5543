package org

import (
	"embed"
	"net/http"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the staff home, sites and users pages.
type HTTP struct {
	S    *Service
	K    *web.Kit
	Auth *auth.HTTP
}

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("org", templatesFS, "templates"); err != nil {
		return err
	}
	k, need := h.K, h.Auth.Need
	rt.Handle("GET /staff", need(auth.PermStaff, k.H(h.home)))
	rt.Handle("GET /admin/sites", need(auth.PermSitesView, k.H(h.sites)))
	rt.Handle("GET /admin/sites/new", need(auth.PermSitesManage, k.H(h.siteNew)))
	rt.Handle("POST /admin/sites", need(auth.PermSitesManage, k.H(h.siteCreate)))
	rt.Handle("GET /admin/sites/{id}", need(auth.PermSitesView, k.H(h.site)))
	rt.Handle("GET /admin/sites/{id}/edit", need(auth.PermSitesManage, k.H(h.siteEdit)))
	rt.Handle("POST /admin/sites/{id}", need(auth.PermSitesManage, k.H(h.siteUpdate)))
	rt.Handle("POST /admin/sites/{id}/archive", need(auth.PermSitesManage, k.H(h.siteArchive)))
	rt.Handle("POST /admin/sites/{id}/restore", need(auth.PermSitesManage, k.H(h.siteRestore)))
	rt.Handle("GET /admin/users", need(auth.PermUsersManage, k.H(h.users)))
	rt.Handle("GET /admin/users/new", need(auth.PermUsersManage, k.H(h.userNew)))
	rt.Handle("POST /admin/users", need(auth.PermUsersManage, k.H(h.userCreate)))
	rt.Handle("GET /admin/users/{id}", need(auth.PermUsersManage, k.H(h.user)))
	rt.Handle("POST /admin/users/{id}", need(auth.PermUsersManage, k.H(h.userUpdate)))
	rt.Handle("POST /admin/users/{id}/disable", need(auth.PermUsersManage, k.H(h.userDisable)))
	rt.Handle("POST /admin/users/{id}/enable", need(auth.PermUsersManage, k.H(h.userEnable)))
	rt.Handle("POST /admin/users/{id}/reset-totp", need(auth.PermUsersManage, k.H(h.userResetTOTP)))
	rt.Handle("POST /admin/users/{id}/reinvite", need(auth.PermUsersManage, k.H(h.userReinvite)))
	return nil
}

type homeData struct {
	P     *auth.Principal
	Sites []Site
}

func (h *HTTP) home(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	d := homeData{P: p}
	if p.Can(auth.PermSitesView) {
		sites, err := h.S.Sites(r.Context(), p, SiteFilter{})
		if err != nil {
			return err
		}
		d.Sites = sites
	}
	return h.K.Render(w, r, http.StatusOK, "org/home", d)
}

type sitesData struct {
	Filter    SiteFilter
	Sites     []Site
	Kinds     []string
	CanManage bool
	Today     time.Time
}

func (h *HTTP) sites(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	q := r.URL.Query()
	f := SiteFilter{Query: web.Clean(q.Get("q")), Kind: q.Get("kind"), Archived: q.Get("archived") == "1"}
	if f.Kind != "" && !contains(SiteKinds, f.Kind) {
		f.Kind = ""
	}
	if len(f.Query) > 100 {
		f.Query = f.Query[:100]
	}
	sites, err := h.S.Sites(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := sitesData{Filter: f, Sites: sites, Kinds: SiteKinds, CanManage: p.Can(auth.PermSitesManage), Today: h.S.Clock.Now()}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "site-rows" {
		return h.K.Fragment(w, r, "org/sites", "rows", d)
	}
	return h.K.Render(w, r, http.StatusOK, "org/sites", d)
}

type siteData struct {
	Site      *Site
	Input     SiteInput
	Kinds     []string
	CanManage bool
	Users     []UserRow
}

// KindOptions are the choices of the kind select.
func (d siteData) KindOptions() []web.Option {
	out := make([]web.Option, len(d.Kinds))
	for i, k := range d.Kinds {
		out[i] = web.Option{Value: k, Label: "org.site.kind." + k}
	}
	return out
}

func (h *HTTP) site(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	s, err := h.S.Site(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := siteData{Site: s, CanManage: p.Can(auth.PermSitesManage)}
	if p.CanAt(auth.PermUsersManage, s.ID) {
		if d.Users, err = h.S.Users(r.Context(), p, UserFilter{SiteID: s.ID}); err != nil {
			return err
		}
	}
	return h.K.Render(w, r, http.StatusOK, "org/site", d)
}

func (h *HTTP) siteNew(w http.ResponseWriter, r *http.Request) error {
	return h.K.Render(w, r, http.StatusOK, "org/site_form", siteData{Kinds: SiteKinds, Input: SiteInput{Kind: "psa", City: "Paris"}})
}

func siteInput(f *web.Form) SiteInput {
	in := SiteInput{
		Name: f.Required("name", 120), Kind: f.OneOf("kind", SiteKinds), Address: f.Optional("address", 200),
		PostalCode: f.Optional("postal_code", 5), City: f.Optional("city", 80), Phone: f.Optional("phone", 30),
		Email: f.Optional("email", 254),
	}
	in.OpensOn = f.Date("opens_on")
	in.ClosesOn = f.Date("closes_on")
	return in
}

func (h *HTTP) siteCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := siteInput(f)
	d := siteData{Kinds: SiteKinds, Input: in}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "org/site_form", d, f.Errors)
	}
	s, err := h.S.CreateSite(r.Context(), auth.From(r.Context()), in)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "org/site_form", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/sites/"+s.ID, "org.site.created", "Name", s.Name)
}

func (h *HTTP) siteEdit(w http.ResponseWriter, r *http.Request) error {
	s, err := h.S.Site(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	in := SiteInput{Name: s.Name, Kind: s.Kind, Address: s.Address, PostalCode: s.PostalCode, City: s.City,
		Phone: s.Phone, Email: s.Email, OpensOn: s.OpensOn, ClosesOn: s.ClosesOn}
	return h.K.Render(w, r, http.StatusOK, "org/site_form", siteData{Site: s, Kinds: SiteKinds, Input: in})
}

func (h *HTTP) siteUpdate(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	cur, err := h.S.Site(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := siteInput(f)
	d := siteData{Site: cur, Kinds: SiteKinds, Input: in}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "org/site_form", d, f.Errors)
	}
	s, err := h.S.UpdateSite(r.Context(), p, cur.ID, in)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "org/site_form", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/sites/"+s.ID, "org.site.updated", "Name", s.Name)
}

func (h *HTTP) siteArchive(w http.ResponseWriter, r *http.Request) error {
	s, err := h.S.SetArchived(r.Context(), auth.From(r.Context()), r.PathValue("id"), true)
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/sites/"+s.ID, "org.site.archived", "Name", s.Name)
}

func (h *HTTP) siteRestore(w http.ResponseWriter, r *http.Request) error {
	s, err := h.S.SetArchived(r.Context(), auth.From(r.Context()), r.PathValue("id"), false)
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/sites/"+s.ID, "org.site.restored", "Name", s.Name)
}

func invalid(err error) (*apperr.Error, bool) {
	if err == nil || !apperr.Is(err, apperr.Invalid) {
		return nil, false
	}
	return apperr.As(err)
}

type usersData struct {
	Filter   UserFilter
	Users    []UserRow
	Sites    map[string]string // id -> name
	Roles    []auth.Role
	SiteList []Site
}

func (h *HTTP) siteNames(r *http.Request, orgID string) (map[string]string, []Site, error) {
	sites, err := h.S.AllSites(r.Context(), orgID)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]string, len(sites))
	for _, s := range sites {
		m[s.ID] = s.Name
	}
	return m, sites, nil
}

func (h *HTTP) users(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	q := r.URL.Query()
	f := UserFilter{Query: web.Clean(q.Get("q")), Role: q.Get("role"), SiteID: q.Get("site"), Disabled: q.Get("disabled") == "1"}
	if f.Role != "" && !auth.ValidRole(f.Role) {
		f.Role = ""
	}
	if len(f.Query) > 100 {
		f.Query = f.Query[:100]
	}
	names, sites, err := h.siteNames(r, p.OrgID)
	if err != nil {
		return err
	}
	if _, ok := names[f.SiteID]; !ok {
		f.SiteID = ""
	}
	users, err := h.S.Users(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := usersData{Filter: f, Users: users, Sites: names, Roles: auth.Roles, SiteList: sites}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "user-rows" {
		return h.K.Fragment(w, r, "org/users", "rows", d)
	}
	return h.K.Render(w, r, http.StatusOK, "org/users", d)
}

// RoleRow is one line of the roles table of the user form.
type RoleRow struct {
	Role   string
	SiteID string
}

type userData struct {
	User      *UserRow
	Input     UserInput
	Rows      []RoleRow
	Roles     []auth.Role
	Sites     []Site
	SiteNames map[string]string
	AllSites  bool // the signed-in user may give centre-wide roles
	Langs     []i18n.Language
	Self      bool
}

const roleRows = 5

func (h *HTTP) userForm(r *http.Request, u *UserRow, in UserInput) (*userData, error) {
	p := auth.From(r.Context())
	names, sites, err := h.siteNames(r, p.OrgID)
	if err != nil {
		return nil, err
	}
	scope := p.ScopeOf(auth.PermUsersManage)
	if !scope.All {
		var mine []Site
		for _, s := range sites {
			if scope.Contains(s.ID) {
				mine = append(mine, s)
			}
		}
		sites = mine
	}
	d := &userData{User: u, Input: in, Roles: auth.Roles, Sites: sites, SiteNames: names, Langs: i18n.Languages,
		AllSites: len(p.AssignableAt("")) > 0}
	if !d.AllSites {
		d.Roles = p.AssignableAt(firstSite(sites))
	}
	for _, m := range in.Memberships {
		d.Rows = append(d.Rows, RoleRow{Role: string(m.Role), SiteID: m.SiteID})
	}
	for len(d.Rows) < max(roleRows, len(in.Memberships)+2) {
		d.Rows = append(d.Rows, RoleRow{})
	}
	if u != nil {
		d.Self = u.ID == p.UserID
	}
	return d, nil
}

func firstSite(s []Site) string {
	if len(s) == 0 {
		return ""
	}
	return s[0].ID
}

func (h *HTTP) userNew(w http.ResponseWriter, r *http.Request) error {
	d, err := h.userForm(r, nil, UserInput{Lang: i18n.Source})
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "org/user_form", d)
}

func userInput(f *web.Form) UserInput {
	in := UserInput{Name: f.Required("name", 120), Email: f.Value("email"), Lang: f.Value("lang"), PartnerOrg: f.Optional("partner_org", 120)}
	// Role and site come in pairs, one pair per row of the table; empty
	// rows are skipped, so the positions of raw values matter.
	raw, rawSites := f.RawValues("role"), f.RawValues("site")
	for i, role := range raw {
		role = web.Clean(role)
		if role == "" {
			continue
		}
		site := ""
		if i < len(rawSites) {
			site = web.Clean(rawSites[i])
		}
		if site == "*" {
			site = ""
		}
		in.Memberships = append(in.Memberships, auth.Membership{Role: auth.Role(role), SiteID: site})
	}
	return in
}

func (h *HTTP) userCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := userInput(f)
	d, err := h.userForm(r, nil, in)
	if err != nil {
		return err
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "org/user_form", d, f.Errors)
	}
	u, err := h.S.CreateUser(r.Context(), auth.From(r.Context()), in)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "org/user_form", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/users/"+u.ID, "org.user.created", "Name", u.Name, "Email", u.Email)
}

func (h *HTTP) user(w http.ResponseWriter, r *http.Request) error {
	u, err := h.S.User(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := h.userForm(r, u, UserInput{Name: u.Name, Email: u.Email, Lang: u.Lang, PartnerOrg: u.PartnerOrg, Memberships: u.Memberships})
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "org/user_form", d)
}

func (h *HTTP) userUpdate(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	u, err := h.S.User(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := userInput(f)
	in.Email = u.Email
	d, err := h.userForm(r, u, in)
	if err != nil {
		return err
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "org/user_form", d, f.Errors)
	}
	err = h.S.UpdateUser(r.Context(), p, u.ID, in)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "org/user_form", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/admin/users/"+u.ID, "org.user.updated", "Name", in.Name)
}

func (h *HTTP) userAction(action func(*http.Request, *auth.Principal, string) error, key string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := auth.From(r.Context())
		id := r.PathValue("id")
		if err := action(r, p, id); err != nil {
			return err
		}
		u, err := h.S.User(r.Context(), p, id)
		if err != nil {
			return err
		}
		return h.K.Done(w, r, "/admin/users/"+id, key, "Name", u.Name)
	}
}

func (h *HTTP) userDisable(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(func(r *http.Request, p *auth.Principal, id string) error {
		return h.S.SetDisabled(r.Context(), p, id, true)
	}, "org.user.disabled")(w, r)
}

func (h *HTTP) userEnable(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(func(r *http.Request, p *auth.Principal, id string) error {
		return h.S.SetDisabled(r.Context(), p, id, false)
	}, "org.user.enabled")(w, r)
}

func (h *HTTP) userResetTOTP(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(func(r *http.Request, p *auth.Principal, id string) error {
		return h.S.ResetSecondFactor(r.Context(), p, id)
	}, "org.user.totp_reset")(w, r)
}

func (h *HTTP) userReinvite(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(func(r *http.Request, p *auth.Principal, id string) error {
		return h.S.Reinvite(r.Context(), p, id)
	}, "org.user.reinvited")(w, r)
}

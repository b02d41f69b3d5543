package exchange

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/guide"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

//go:embed profile.json
var profileJSON []byte

// OpenAPIURL is the HSDS 3.0 OpenAPI document this API follows.
const OpenAPIURL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"

// Paging of the lists.
const (
	DefaultPerPage = 50
	MaxPerPage     = 500
	maxPage        = 1_000_000
)

// API serves the HSDS API.
type API struct {
	S *Service
	K *web.Kit
}

// apiError is a refused request: its status, message ID and parameter.
type apiError struct {
	Status int
	Key    string
	Param  string
}

func (e *apiError) Error() string { return e.Key + " " + e.Param }

func badParam(name string) error {
	return &apiError{Status: http.StatusBadRequest, Key: "exchange.api.bad_param", Param: name}
}

var errNotFound = &apiError{Status: http.StatusNotFound, Key: "common.error.not_found"}

// Register adds the API's root routes.
func (a *API) Register(rt *web.Router) error {
	rt.Root("GET /hsds/{$}", a.h(a.root, nil))
	rt.Root("GET /hsds/profile", a.K.H(a.profile))
	rt.Root("GET /hsds/services", a.h(a.services, listParams("search", "taxonomy_term_id", "taxonomy_id", "organization_id",
		"modified_after", "minimal", "full")))
	rt.Root("GET /hsds/services/{id}", a.h(a.service, nil))
	rt.Root("GET /hsds/organizations", a.h(a.organizations, listParams("search", "full_service", "full")))
	rt.Root("GET /hsds/organizations/{id}", a.h(a.organization, []string{"full_service"}))
	rt.Root("GET /hsds/service_at_locations", a.h(a.serviceAtLocations, listParams("search", "taxonomy_term_id", "taxonomy_id",
		"organization_id", "modified_after", "full", "postcode", "proximity")))
	rt.Root("GET /hsds/taxonomies", a.h(a.taxonomies, listParams("search")))
	rt.Root("GET /hsds/taxonomies/{id}", a.h(a.taxonomy, nil))
	rt.Root("GET /hsds/taxonomy_terms", a.h(a.taxonomyTerms, listParams("search", "taxonomy_id", "top_only", "parent_id")))
	rt.Root("GET /hsds/taxonomy_terms/{id}", a.h(a.taxonomyTerm, nil))
	rt.Root("/hsds/", a.h(func(*request) (any, error) { return nil, errNotFound }, nil))
	return nil
}

func listParams(extra ...string) []string {
	return append([]string{"page", "per_page", "format"}, extra...)
}

// request is a parsed API request.
type request struct {
	r     *http.Request
	ctx   context.Context
	bd    *builder
	query map[string]string
}

// h adapts an endpoint: it checks the parameters (the endpoint's, and
// lang), negotiates the language, writes the JSON with a validator, and
// turns errors into JSON errors.
func (a *API) h(fn func(*request) (any, error), params []string) http.Handler {
	allowed := append([]string{"lang"}, params...)
	return a.K.H(func(w http.ResponseWriter, r *http.Request) error {
		lang := i18n.Negotiate(r.Header.Get("Accept-Language")).Tag
		req := &request{r: r, ctx: r.Context(), query: map[string]string{}}
		v, err := func() (any, error) {
			for name, vals := range r.URL.Query() {
				if !slices.Contains(allowed, name) {
					return nil, &apiError{Status: http.StatusBadRequest, Key: "exchange.api.unknown_param", Param: name}
				}
				if len(vals) != 1 || !utf8.ValidString(vals[0]) || len(vals[0]) > 200 {
					return nil, badParam(name)
				}
				req.query[name] = vals[0]
			}
			if l, ok := req.query["lang"]; ok {
				found, ok := i18n.Lookup(l)
				if !ok {
					return nil, badParam("lang")
				}
				lang = found.Tag
			}
			if f, ok := req.query["format"]; ok && f != "json" {
				return nil, &apiError{Status: http.StatusBadRequest, Key: "exchange.api.unsupported", Param: "format"}
			}
			req.bd = &builder{lang: lang, l: a.K.Catalog.Localizer(lang), today: a.S.today(), baseURL: a.S.BaseURL}
			return fn(req)
		}()
		if err != nil {
			return a.writeError(w, r, lang, err)
		}
		return writeJSON(w, r, lang, v)
	})
}

// writeJSON writes v with a strong ETag (304 when the client has it).
func writeJSON(w http.ResponseWriter, r *http.Request, lang string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Language", lang)
	h.Add("Vary", "Accept-Language")
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("ETag", etag)
	h.Set("Access-Control-Allow-Origin", "*")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ErrorBody is the body of a refused request.
type ErrorBody struct {
	Error struct {
		Status    int    `json:"status"`
		Key       string `json:"key"`
		Message   string `json:"message"`
		Parameter string `json:"parameter,omitempty"`
	} `json:"error"`
}

func (a *API) writeError(w http.ResponseWriter, r *http.Request, lang string, err error) error {
	ae, ok := errors.AsType[*apiError](err)
	if !ok {
		if aerr, isApp := apperr.As(err); isApp && aerr.Kind == apperr.NotFound {
			ae = errNotFound
		} else {
			web.Log(r.Context()).Error("hsds api", "err", err)
			ae = &apiError{Status: http.StatusInternalServerError, Key: "common.error.internal"}
		}
	}
	var body ErrorBody
	body.Error.Status, body.Error.Key, body.Error.Parameter = ae.Status, ae.Key, ae.Param
	body.Error.Message = a.K.Catalog.Localizer(lang).T(ae.Key, "Param", ae.Param)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Language", lang)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(ae.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(body)
}

// ---- parameters ----

func (q *request) boolean(name string) (bool, error) {
	v, ok := q.query[name]
	if !ok {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badParam(name)
	}
	return b, nil
}

// paging reads page and per_page.
func (q *request) paging() (page, per int, err error) {
	page, per = 1, DefaultPerPage
	for name, dst := range map[string]*int{"page": &page, "per_page": &per} {
		v, ok := q.query[name]
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || (name == "page" && n > maxPage) || (name == "per_page" && n > MaxPerPage) {
			return 0, 0, badParam(name)
		}
		*dst = n
	}
	return page, per, nil
}

// uuidParam reads an id parameter.
func (q *request) uuidParam(name string) (string, error) {
	v, ok := q.query[name]
	if !ok {
		return "", nil
	}
	if !validUUID(v) {
		return "", badParam(name)
	}
	return strings.ToLower(v), nil
}

// search reads the words of a search.
func (q *request) search() ([]string, error) {
	v, ok := q.query["search"]
	if !ok {
		return nil, nil
	}
	if utf8.RuneCountInString(v) > guide.MaxQuery {
		return nil, badParam("search")
	}
	return guide.ParseQuery(v), nil
}

// since reads modified_after: a date-time (RFC 3339) or a date.
func (q *request) since() (*time.Time, error) {
	v, ok := q.query["modified_after"]
	if !ok {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil && t.Year() >= 1900 && t.Year() <= 2200 {
			return &t, nil
		}
	}
	return nil, badParam("modified_after")
}

// serviceFilter is what selects services in /services and
// /service_at_locations.
type serviceFilter struct {
	terms        []string
	termID       string
	taxonomyID   string
	organization string
	since        *time.Time
}

func (q *request) serviceFilter() (serviceFilter, error) {
	var f serviceFilter
	var err error
	if f.terms, err = q.search(); err != nil {
		return f, err
	}
	if f.termID, err = q.uuidParam("taxonomy_term_id"); err != nil {
		return f, err
	}
	if f.taxonomyID, err = q.uuidParam("taxonomy_id"); err != nil {
		return f, err
	}
	if f.organization, err = q.uuidParam("organization_id"); err != nil {
		return f, err
	}
	f.since, err = q.since()
	return f, err
}

// apply adds the filter to a query on guide_services AS svc.
func (f serviceFilter) apply(sel *bun.SelectQuery) *bun.SelectQuery {
	sel = sel.Where("svc.status = ?", guide.Published)
	for _, t := range f.terms {
		sel = sel.Where("svc.search_text LIKE ? ESCAPE '\\'", "%"+db.LikeEscape(t)+"%")
	}
	if f.organization != "" {
		sel = sel.Where("svc.organization_id = ?", f.organization)
	}
	if f.termID != "" {
		_, t, ok := termByID(f.termID)
		switch {
		case !ok:
			sel = sel.Where("1 = 0")
		case t.Flag != "":
			sel = sel.Where("svc." + t.Flag) // a column name of taxonomy.go
		default:
			sel = sel.Where("svc.id IN (SELECT service_id FROM guide_service_categories WHERE term_id = ?)", t.ID)
		}
	}
	if f.taxonomyID != "" {
		tx, ok := taxonomyByID(f.taxonomyID)
		switch {
		case !ok:
			sel = sel.Where("1 = 0")
		case tx.Name == taxCategories:
			sel = sel.Where("svc.id IN (SELECT service_id FROM guide_service_categories)")
		default:
			cols := make([]string, len(tx.Terms))
			for i, t := range tx.Terms {
				cols[i] = "svc." + t.Flag
			}
			sel = sel.Where("(" + strings.Join(cols, " OR ") + ")")
		}
	}
	if f.since != nil {
		sel = modifiedAfter(sel, *f.since)
	}
	return sel
}

// page builds the Page envelope of the HSDS API.
func page(total, number, per int, contents any, size int) hsdsPage {
	pages := (total + per - 1) / per
	return hsdsPage{TotalItems: total, TotalPages: pages, PageNumber: number, Size: size, FirstPage: number == 1,
		LastPage: number >= pages, Empty: total == 0, Contents: contents}
}

// ---- endpoints ----

func (a *API) root(q *request) (any, error) {
	base := strings.TrimRight(a.S.BaseURL, "/")
	return hsdsRoot{Version: "3.0", Profile: base + "/hsds/profile", OpenAPIURL: OpenAPIURL}, nil
}

func (a *API) profile(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "application/schema+json")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Access-Control-Allow-Origin", "*")
	_, err := w.Write(profileJSON)
	return err
}

func (a *API) services(q *request) (any, error) {
	pg, per, err := q.paging()
	if err != nil {
		return nil, err
	}
	f, err := q.serviceFilter()
	if err != nil {
		return nil, err
	}
	full, err := q.boolean("full")
	if err != nil {
		return nil, err
	}
	minimal, err := q.boolean("minimal")
	if err != nil {
		return nil, err
	}
	sel := f.apply(a.S.DB.R.NewSelect().TableExpr("guide_services AS svc"))
	total, err := sel.Count(q.ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := sel.Column("svc.id").OrderExpr("svc.name, svc.id").Limit(int64(per)).Offset(int64((pg-1)*per)).Scan(q.ctx, &ids); err != nil {
		return nil, err
	}
	b, err := a.S.loadServices(q.ctx, ids, full && !minimal)
	if err != nil {
		return nil, err
	}
	q.bd.bundle = b
	out := make([]*hsdsService, 0, len(b.services))
	for _, sv := range b.services {
		switch {
		case minimal:
			out = append(out, &hsdsService{ID: sv.ID, Name: q.bd.text(q.bd.lang, sv.ID, "name", sv.Name), Status: "active",
				LastModified: b.modified(sv).UTC().Format("2006-01-02T15:04:05.000Z")})
		case full:
			out = append(out, q.bd.serviceFull(sv))
		default:
			out = append(out, q.bd.serviceBasic(sv))
		}
	}
	return page(int(total), pg, per, out, len(out)), nil
}

func (a *API) service(q *request) (any, error) {
	id := q.r.PathValue("id")
	if !validUUID(id) {
		return nil, errNotFound
	}
	b, err := a.S.loadServices(q.ctx, []string{strings.ToLower(id)}, true)
	if err != nil {
		return nil, err
	}
	if len(b.services) == 0 {
		return nil, errNotFound
	}
	q.bd.bundle = b
	return q.bd.serviceFull(b.services[0]), nil
}

// publishedOrgs lists the organisations with a published service, by name.
func (a *API) publishedOrgs(ctx context.Context, id string) ([]*guide.Organization, error) {
	var orgs []*guide.Organization
	sel := a.S.DB.R.NewSelect().Model(&orgs).
		Where("id IN (SELECT organization_id FROM guide_services WHERE status = ?)", guide.Published).OrderExpr("name, id")
	if id != "" {
		sel = sel.Where("id = ?", id)
	}
	return orgs, sel.Scan(ctx)
}

// matches reports whether every word is in one of the texts.
func matches(terms []string, texts ...string) bool {
	hay := " " + guide.Normalize(strings.Join(texts, " ")) + " "
	for _, t := range terms {
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

// orgServices loads the published services of organisations.
func (a *API) orgServices(ctx context.Context, orgIDs []string, full bool) (*bundle, map[string][]*guide.Service, error) {
	var ids []string
	if len(orgIDs) > 0 {
		if err := a.S.DB.R.NewSelect().Model((*guide.Service)(nil)).Column("id").
			Where("organization_id IN (?) AND status = ?", bun.List(orgIDs), guide.Published).OrderExpr("name, id").Scan(ctx, &ids); err != nil {
			return nil, nil, err
		}
	}
	b, err := a.S.loadServices(ctx, ids, full)
	if err != nil {
		return nil, nil, err
	}
	by := map[string][]*guide.Service{}
	for _, sv := range b.services {
		by[sv.OrganizationID] = append(by[sv.OrganizationID], sv)
	}
	return b, by, nil
}

// orgFull is an organisation with its places and services.
func (bd *builder) orgFull(o *guide.Organization, svcs []*guide.Service, fullService bool) *hsdsOrganization {
	out := bd.orgBasic(o)
	out.Translations = bd.translations("organization", o.ID, func(string) string { return o.Description })
	seen := map[string]bool{}
	for _, sv := range svcs {
		for _, r := range bd.sals[sv.ID] {
			if l, ok := bd.locs[r.LocationID]; ok && !seen[l.ID] {
				seen[l.ID] = true
				out.Locations = append(out.Locations, bd.location(l, true))
			}
		}
		var s *hsdsService
		if fullService {
			s = bd.serviceFull(sv)
		} else {
			s = bd.serviceBasic(sv)
		}
		s.Organization = nil
		out.Services = append(out.Services, s)
	}
	slices.SortFunc(out.Locations, func(x, y hsdsLocation) int { return strings.Compare(x.Name+x.ID, y.Name+y.ID) })
	return out
}

func (a *API) organizations(q *request) (any, error) {
	pg, per, err := q.paging()
	if err != nil {
		return nil, err
	}
	terms, err := q.search()
	if err != nil {
		return nil, err
	}
	full, err := q.boolean("full")
	if err != nil {
		return nil, err
	}
	fullService, err := q.boolean("full_service")
	if err != nil {
		return nil, err
	}
	orgs, err := a.publishedOrgs(q.ctx, "")
	if err != nil {
		return nil, err
	}
	var hits []*guide.Organization
	for _, o := range orgs {
		if matches(terms, o.Name, o.Description) {
			hits = append(hits, o)
		}
	}
	from, to := min((pg-1)*per, len(hits)), min(pg*per, len(hits))
	shown := hits[from:to]
	out := make([]*hsdsOrganization, 0, len(shown))
	if full || fullService {
		ids := make([]string, len(shown))
		for i, o := range shown {
			ids[i] = o.ID
		}
		b, by, err := a.orgServices(q.ctx, ids, fullService)
		if err != nil {
			return nil, err
		}
		q.bd.bundle = b
		for _, o := range shown {
			out = append(out, q.bd.orgFull(o, by[o.ID], fullService))
		}
	} else {
		q.bd.bundle, err = a.orgTexts(q.ctx, shown)
		if err != nil {
			return nil, err
		}
		for _, o := range shown {
			out = append(out, q.bd.orgBasic(o))
		}
	}
	return page(len(hits), pg, per, out, len(out)), nil
}

// orgTexts loads the translations of organisations.
func (a *API) orgTexts(ctx context.Context, orgs []*guide.Organization) (*bundle, error) {
	b := &bundle{tr: map[string]map[string]guide.Translation{}}
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	return b, b.loadTranslations(ctx, a.S.DB.R, ids)
}

func (a *API) organization(q *request) (any, error) {
	id := q.r.PathValue("id")
	if !validUUID(id) {
		return nil, errNotFound
	}
	fullService, err := q.boolean("full_service")
	if err != nil {
		return nil, err
	}
	orgs, err := a.publishedOrgs(q.ctx, strings.ToLower(id))
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return nil, errNotFound
	}
	b, by, err := a.orgServices(q.ctx, []string{orgs[0].ID}, fullService)
	if err != nil {
		return nil, err
	}
	q.bd.bundle = b
	return q.bd.orgFull(orgs[0], by[orgs[0].ID], fullService), nil
}

func (a *API) serviceAtLocations(q *request) (any, error) {
	pg, per, err := q.paging()
	if err != nil {
		return nil, err
	}
	if _, ok := q.query["proximity"]; ok {
		return nil, &apiError{Status: http.StatusBadRequest, Key: "exchange.api.unsupported", Param: "proximity"}
	}
	f, err := q.serviceFilter()
	if err != nil {
		return nil, err
	}
	full, err := q.boolean("full")
	if err != nil {
		return nil, err
	}
	sel := f.apply(a.S.DB.R.NewSelect().TableExpr("guide_service_at_locations AS sal").
		Join("JOIN guide_services AS svc ON svc.id = sal.service_id"))
	if pc, ok := q.query["postcode"]; ok {
		if len(pc) != 5 || strings.Trim(pc, "0123456789") != "" {
			return nil, badParam("postcode")
		}
		sel = sel.Where("sal.location_id IN (SELECT id FROM guide_locations WHERE postal_code = ?)", pc)
	}
	total, err := sel.Count(q.ctx)
	if err != nil {
		return nil, err
	}
	var rows []guide.ServiceLocationRow
	if err := sel.ColumnExpr("sal.*").OrderExpr("svc.name, sal.id").Limit(int64(per)).Offset(int64((pg-1)*per)).Scan(q.ctx, &rows); err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range rows {
		if !slices.Contains(ids, r.ServiceID) {
			ids = append(ids, r.ServiceID)
		}
	}
	b, err := a.S.loadServices(q.ctx, ids, full)
	if err != nil {
		return nil, err
	}
	q.bd.bundle = b
	svcs := map[string]*guide.Service{}
	for _, sv := range b.services {
		svcs[sv.ID] = sv
	}
	out := make([]hsdsSAL, 0, len(rows))
	for _, r := range rows {
		sv, l := svcs[r.ServiceID], b.locs[r.LocationID]
		if sv == nil || l == nil {
			continue
		}
		loc := q.bd.location(l, full)
		if !full {
			// The lists give one-to-one fields only.
			loc.Addresses = nil
		}
		item := hsdsSAL{ID: r.ID, ServiceID: sv.ID, LocationID: l.ID, Location: &loc}
		if full {
			item.Service = q.bd.serviceFull(sv)
		} else {
			item.Service = q.bd.serviceBasic(sv)
		}
		out = append(out, item)
	}
	return page(int(total), pg, per, out, len(out)), nil
}

func (a *API) taxonomies(q *request) (any, error) {
	pg, per, err := q.paging()
	if err != nil {
		return nil, err
	}
	terms, err := q.search()
	if err != nil {
		return nil, err
	}
	var hits []*hsdsTaxonomy
	for i := range Taxonomies {
		t := q.bd.taxonomy(&Taxonomies[i])
		if matches(terms, t.Name, t.Description) {
			hits = append(hits, t)
		}
	}
	shown := hits[min((pg-1)*per, len(hits)):min(pg*per, len(hits))]
	return page(len(hits), pg, per, shown, len(shown)), nil
}

func (a *API) taxonomy(q *request) (any, error) {
	tx, ok := taxonomyByID(strings.ToLower(q.r.PathValue("id")))
	if !ok {
		return nil, errNotFound
	}
	return q.bd.taxonomy(tx), nil
}

func (a *API) taxonomyTerms(q *request) (any, error) {
	pg, per, err := q.paging()
	if err != nil {
		return nil, err
	}
	terms, err := q.search()
	if err != nil {
		return nil, err
	}
	taxID, err := q.uuidParam("taxonomy_id")
	if err != nil {
		return nil, err
	}
	parent, err := q.uuidParam("parent_id")
	if err != nil {
		return nil, err
	}
	if _, err := q.boolean("top_only"); err != nil {
		return nil, err
	}
	var hits []*hsdsTerm
	// The guide's taxonomies are flat: every term is a top term, none has
	// a parent.
	if parent == "" {
		for i := range Taxonomies {
			tx := &Taxonomies[i]
			if taxID != "" && tx.ID != taxID {
				continue
			}
			for _, t := range tx.Terms {
				ht := q.bd.term(tx, t)
				if matches(terms, ht.Name, ht.Code) {
					hits = append(hits, ht)
				}
			}
		}
	}
	shown := hits[min((pg-1)*per, len(hits)):min(pg*per, len(hits))]
	return page(len(hits), pg, per, shown, len(shown)), nil
}

func (a *API) taxonomyTerm(q *request) (any, error) {
	tx, t, ok := termByID(strings.ToLower(q.r.PathValue("id")))
	if !ok {
		return nil, errNotFound
	}
	return q.bd.term(tx, t), nil
}

package app_test

import (
	"context"
	"net/url"

	"parcours/internal/guide/exchange"
)

// Rows of the guide's data exchange (internal/guide/exchange): the HSDS
// API is public; the data·inclusion export and import are for the guide's
// editors (auth.PermGuideEdit).

// exchangeImport uploads a small data·inclusion file for centre 1 and
// returns its preview path (a fresh one each time: a confirmation uses it).
func (z *azWorld) exchangeImport() string {
	g := z.guide()
	s := &exchange.Service{DB: z.DB, Audit: z.App.Audit, Clock: z.Clock, Guide: z.App.Guide, BaseURL: z.App.Cfg.BaseURL}
	id, err := s.Upload(context.Background(), g.p, []exchange.File{{Name: "structures.json",
		Data: []byte(`[{"source": "autorisations", "id": "s-1", "nom": "Partenaire importé", "date_maj": "2026-11-01"}]`)}})
	if err != nil {
		z.T.Fatal(err)
	}
	return "/fr/admin/guide/exchange/import/" + id
}

func exchangeRows() []azRow {
	imp := func(z *azWorld) string { return z.exchangeImport() }
	return []azRow{
		{pattern: "GET /hsds/{$}", path: fixed("/hsds/"), want: 200},
		{pattern: "GET /hsds/profile", path: fixed("/hsds/profile"), want: 200},
		{pattern: "GET /hsds/services", path: fixed("/hsds/services?per_page=5&lang=ar"), want: 200},
		{pattern: "GET /hsds/services/{id}", path: func(z *azWorld) string { return "/hsds/services/" + z.guide().service }, want: 200},
		{pattern: "GET /hsds/organizations", path: fixed("/hsds/organizations"), want: 200},
		{pattern: "GET /hsds/organizations/{id}", path: func(z *azWorld) string { return "/hsds/organizations/" + z.guide().org }, want: 200},
		{pattern: "GET /hsds/service_at_locations", path: fixed("/hsds/service_at_locations?full=true"), want: 200},
		{pattern: "GET /hsds/taxonomies", path: fixed("/hsds/taxonomies"), want: 200},
		{pattern: "GET /hsds/taxonomies/{id}", path: fixed("/hsds/taxonomies/0193a000-0000-7000-8000-000000000000"), want: 200},
		{pattern: "GET /hsds/taxonomy_terms", path: fixed("/hsds/taxonomy_terms"), want: 200},
		{pattern: "GET /hsds/taxonomy_terms/{id}", path: fixed("/hsds/taxonomy_terms/0193a000-0000-7000-8000-000000000008"), want: 200},
		{pattern: "/hsds/", verb: "GET", path: fixed("/hsds/made-up"), want: 404},
		{pattern: "GET /admin/guide/exchange", staff: guideEditors, path: fixed("/fr/admin/guide/exchange"), want: 200},
		{pattern: "POST /admin/guide/exchange/export", staff: guideEditors, path: fixed("/fr/admin/guide/exchange/export"), want: 200,
			form: func(*azWorld) url.Values { return url.Values{"table": {"services"}, "format": {"json"}} }},
		// The row's form is not a file upload: the form comes back (422).
		{pattern: "POST /admin/guide/exchange/import", staff: guideEditors, path: fixed("/fr/admin/guide/exchange/import"), want: 422},
		{pattern: "GET /admin/guide/exchange/import/{id}", staff: guideEditors, path: imp, want: 200},
		{pattern: "POST /admin/guide/exchange/import/{id}", staff: guideEditors, path: imp, want: 303, loc: at("/fr/admin/guide?status=draft")},
	}
}

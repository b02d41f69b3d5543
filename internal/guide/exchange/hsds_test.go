package exchange_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"parcours/internal/guide"
	"parcours/internal/org"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// hx is a world with the demo centre's guide (the guide's demo loader)
// and a second centre with a published service and a draft.
type hx struct {
	*testkit.World
	t                         *testing.T
	demo, other               *org.Org
	p                         *auth.Principal // the second centre's administrator
	admin                     *auth.User
	otherOrg                  string
	otherDraft, otherPublic   string
	draftOnlyOrg, demoService string
	published                 int
}

func newHX(t *testing.T, e db.Engine) *hx {
	t.Helper()
	w := testkit.NewWorld(t, e)
	x := &hx{World: w, t: t}
	ctx := context.Background()
	x.demo = w.Org("Centre démo")
	n, err := w.App.Guide.LoadDemo(ctx, x.demo.ID)
	if err != nil || n < 60 {
		t.Fatalf("demo: %d, %v", n, err)
	}
	x.other = w.Org("Centre deux")
	admin := w.User(x.other, "admin@deux.test", auth.Membership{Role: auth.Admin})
	x.admin = admin
	x.p = &auth.Principal{UserID: admin.ID, OrgID: x.other.ID, Name: admin.Name, Memberships: []auth.Membership{{Role: auth.Admin}}}
	s := w.App.Guide
	o, err := s.SaveOrganization(ctx, x.p, "", guide.OrganizationInput{Name: "Partenaire Deux", Description: "Association du centre deux.",
		Website: "https://deux.example", Email: "contact@deux.example"})
	if err != nil {
		t.Fatal(err)
	}
	x.otherOrg = o.ID
	lat, lon := 48.85, 2.35
	l, err := s.SaveLocation(ctx, x.p, "", guide.LocationInput{OrganizationID: o.ID, Name: "Lieu Deux", Address: "1 rue de Rivoli",
		PostalCode: "75004", City: "Paris", Arrondissement: 4, Latitude: &lat, Longitude: &lon, Directions: "Métro Saint-Paul."})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := s.SaveService(ctx, x.p, "", guide.ServiceInput{OrganizationID: o.ID, Status: guide.Published, Name: "Bagagerie du centre deux",
		Description: "Casiers pour laisser ses affaires la journée.", Categories: []string{"showers-hygiene"}, LocationIDs: []string{l.ID},
		Free: true, WalkIn: true, WelcomeWomen: true, OnSite: []string{"fr", "ar"}, Documents: []string{"domiciliation"}})
	if err != nil {
		t.Fatal(err)
	}
	x.otherPublic = pub.ID
	if err := s.AddPhone(ctx, x.p, pub.ID, guide.PhoneInput{Number: "01 02 03 04 05", Kind: "voice", Languages: []string{"ar"}}); err != nil {
		t.Fatal(err)
	}
	draft, err := s.SaveService(ctx, x.p, "", guide.ServiceInput{OrganizationID: o.ID, Status: guide.Draft, Name: "Brouillon secret",
		Categories: []string{"food"}})
	if err != nil {
		t.Fatal(err)
	}
	x.otherDraft = draft.ID
	lonely, err := s.SaveOrganization(ctx, x.p, "", guide.OrganizationInput{Name: "Partenaire sans service publié"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveService(ctx, x.p, "", guide.ServiceInput{OrganizationID: lonely.ID, Status: guide.Draft, Name: "Autre brouillon",
		Categories: []string{"food"}}); err != nil {
		t.Fatal(err)
	}
	x.draftOnlyOrg = lonely.ID
	cnt, err := w.DB.R.NewSelect().Model((*guide.Service)(nil)).Where("status = ?", guide.Published).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x.published = int(cnt)
	if err := w.DB.R.NewSelect().Model((*guide.Service)(nil)).Column("id").Where("org_id = ? AND name = ?", x.demo.ID,
		"Domiciliation au PSA Belleville").Scan(ctx, &x.demoService); err != nil {
		t.Fatal(err)
	}
	return x
}

// get fetches an API path; header is name, value pairs.
func (x *hx) get(path string, header ...string) (int, []byte, http.Header) {
	x.t.Helper()
	req, err := http.NewRequest(http.MethodGet, x.Server.URL+path, nil)
	if err != nil {
		x.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		x.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body, resp.Header
}

// ok fetches a path that must answer 200 with JSON.
func (x *hx) ok(path string, header ...string) []byte {
	x.t.Helper()
	st, body, h := x.get(path, header...)
	if st != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "json") {
		x.t.Fatalf("GET %s: %d %s\n%s", path, st, h.Get("Content-Type"), truncate(string(body), 500))
	}
	return body
}

type page struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	FirstPage  bool              `json:"first_page"`
	LastPage   bool              `json:"last_page"`
	Empty      bool              `json:"empty"`
	Contents   []json.RawMessage `json:"contents"`
}

func decodePage(t *testing.T, body []byte) page {
	t.Helper()
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

type item struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// ids reads the ids of a page's contents.
func ids(t *testing.T, p page) []string {
	t.Helper()
	var out []string
	for _, c := range p.Contents {
		var it item
		if err := json.Unmarshal(c, &it); err != nil {
			t.Fatal(err)
		}
		out = append(out, it.ID)
	}
	return out
}

// validatePage checks a list against its Page schema, strictly once the
// profile's additions are out, and full services against the profile.
func validatePage(t *testing.T, name string, body []byte) page {
	t.Helper()
	validate(t, "https://hsds.test/page/"+name, withoutProfile(t, body))
	p := decodePage(t, body)
	if strings.HasSuffix(name, "_full") || name == "services" {
		for _, c := range p.Contents {
			validate(t, "https://hsds.test/profile.json", c)
		}
	}
	return p
}

// validateService checks a full service against HSDS, strictly, and our
// profile.
func validateService(t *testing.T, body []byte) {
	t.Helper()
	validate(t, hsdsBase+"service.json", body)
	validate(t, strictBase+"service.json", withoutProfile(t, body))
	validate(t, "https://hsds.test/profile.json", body)
}

func TestHSDSEveryEndpointValidates(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		root := x.ok("/hsds/")
		validate(t, hsdsBase+"openapi.json#/paths/~1/get/responses/200/content/application~1json/schema", root)
		var r struct{ Version, Profile, OpenAPIURL string }
		_ = json.Unmarshal(root, &r)
		if r.Version != "3.0" || r.Profile != "http://parcours.test/hsds/profile" {
			t.Errorf("root: %s", root)
		}
		var profile map[string]any
		if err := json.Unmarshal(x.ok("/hsds/profile"), &profile); err != nil || profile["$schema"] == nil {
			t.Errorf("profile: %v", err)
		}

		// Every published service, page by page, then one by one.
		var all []string
		for n := 1; ; n++ {
			p := validatePage(t, "services", x.ok(fmt.Sprintf("/hsds/services?per_page=25&page=%d", n)))
			all = append(all, ids(t, p)...)
			if p.LastPage {
				break
			}
		}
		if len(all) != x.published {
			t.Fatalf("%d services listed, %d published", len(all), x.published)
		}
		for _, id := range all {
			validateService(t, x.ok("/hsds/services/"+id))
		}
		validatePage(t, "services_full", x.ok("/hsds/services?full=true&per_page=20"))
		validatePage(t, "services", x.ok("/hsds/services?minimal=true&per_page=500"))
		validateService(t, x.ok("/hsds/services/"+x.demoService+"?lang=ar"))

		// Organisations, with their places and services.
		orgs := validatePage(t, "organizations", x.ok("/hsds/organizations?per_page=100"))
		if orgs.TotalItems < 30 {
			t.Errorf("%d organisations", orgs.TotalItems)
		}
		for _, id := range ids(t, orgs) {
			for _, q := range []string{"", "?full_service=true"} {
				body := x.ok("/hsds/organizations/" + id + q)
				validate(t, hsdsBase+"organization.json", body)
				validate(t, strictBase+"organization.json", withoutProfile(t, body, "services"))
				var o struct{ Services []json.RawMessage }
				_ = json.Unmarshal(body, &o)
				if len(o.Services) == 0 {
					t.Errorf("organisation %s without services", id)
				}
				for _, s := range o.Services {
					validate(t, hsdsBase+"service.json", s)
					validate(t, strictBase+"service.json", withoutProfile(t, s))
				}
			}
		}
		validatePage(t, "organizations_full", x.ok("/hsds/organizations?full=true&full_service=true&per_page=5"))

		sal := validatePage(t, "service_at_locations", x.ok("/hsds/service_at_locations?per_page=500"))
		if sal.TotalItems < x.published-5 {
			t.Errorf("%d services at locations", sal.TotalItems)
		}
		full := validatePage(t, "service_at_locations_full", x.ok("/hsds/service_at_locations?full=true&per_page=10"))
		for _, c := range full.Contents {
			var it struct{ Service json.RawMessage }
			_ = json.Unmarshal(c, &it)
			validateService(t, it.Service)
		}
		validatePage(t, "service_at_locations", x.ok("/hsds/service_at_locations?postcode=75004"))

		taxes := validatePage(t, "taxonomies", x.ok("/hsds/taxonomies"))
		if taxes.TotalItems != 3 {
			t.Errorf("%d taxonomies", taxes.TotalItems)
		}
		for _, id := range ids(t, taxes) {
			validate(t, hsdsBase+"taxonomy.json", x.ok("/hsds/taxonomies/"+id))
			validate(t, strictBase+"taxonomy.json", x.ok("/hsds/taxonomies/"+id))
		}
		terms := validatePage(t, "taxonomy_terms", x.ok("/hsds/taxonomy_terms?per_page=100&lang=ti"))
		if terms.TotalItems != 18+5+4 {
			t.Errorf("%d terms", terms.TotalItems)
		}
		for _, id := range ids(t, terms) {
			body := x.ok("/hsds/taxonomy_terms/" + id)
			validate(t, hsdsBase+"taxonomy_term.json", body)
			validate(t, strictBase+"taxonomy_term.json", body)
		}
	})
}

func TestHSDSPaging(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		n, per := x.published, 7
		pages := (n + per - 1) / per
		seen := map[string]bool{}
		for i := 1; i <= pages+1; i++ {
			p := decodePage(t, x.ok(fmt.Sprintf("/hsds/services?per_page=%d&page=%d", per, i)))
			want := per
			switch {
			case i == pages:
				want = n - per*(pages-1)
			case i > pages:
				want = 0
			}
			if p.TotalItems != n || p.TotalPages != pages || p.PageNumber != i || p.Size != want || len(p.Contents) != want ||
				p.FirstPage != (i == 1) || p.LastPage != (i >= pages) || p.Empty {
				t.Errorf("page %d: %+v (want size %d of %d pages)", i, p, want, pages)
			}
			for _, id := range ids(t, p) {
				if seen[id] {
					t.Errorf("service %s on two pages", id)
				}
				seen[id] = true
			}
		}
		if len(seen) != n {
			t.Errorf("%d services seen, %d published", len(seen), n)
		}
		p := decodePage(t, x.ok("/hsds/services?search=zzzzzz"))
		if p.TotalItems != 0 || p.TotalPages != 0 || !p.Empty || !p.FirstPage || !p.LastPage || len(p.Contents) != 0 {
			t.Errorf("empty result: %+v", p)
		}
		d := decodePage(t, x.ok("/hsds/services"))
		if d.Size != min(n, 50) {
			t.Errorf("default page size %d", d.Size)
		}
		if body := x.ok("/hsds/services?search=zzzzzz"); !strings.Contains(string(body), `"contents":[]`) {
			t.Errorf("empty contents must be a list: %s", body)
		}
	})
}

func TestHSDSOnlyPublished(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		for _, path := range []string{"/hsds/services/" + x.otherDraft, "/hsds/services/" + db.NewID(), "/hsds/services/not-an-id",
			"/hsds/organizations/" + x.draftOnlyOrg, "/hsds/taxonomies/" + db.NewID(), "/hsds/taxonomy_terms/x", "/hsds/nothing"} {
			st, body, h := x.get(path)
			var eb struct{ Error struct{ Status int } }
			if st != http.StatusNotFound || json.Unmarshal(body, &eb) != nil || eb.Error.Status != 404 ||
				!strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("GET %s: %d %s", path, st, body)
			}
		}
		// The public guide is city-wide: another centre's published service is served.
		x.ok("/hsds/services/" + x.otherPublic)
		for _, path := range []string{"/hsds/services?per_page=500", "/hsds/organizations?per_page=500",
			"/hsds/service_at_locations?per_page=500", "/hsds/services?full=true&per_page=500",
			"/hsds/organizations/" + x.otherOrg + "?full_service=true"} {
			body := string(x.ok(path))
			for _, secret := range []string{x.otherDraft, "Brouillon secret", x.draftOnlyOrg, "Autre brouillon"} {
				if strings.Contains(body, secret) {
					t.Errorf("%s shows %q", path, secret)
				}
			}
		}
		// A service sent back to draft disappears.
		d, err := x.App.Guide.StaffService(context.Background(), x.p, x.otherPublic)
		if err != nil {
			t.Fatal(err)
		}
		in := d.Input()
		in.Status = guide.Draft
		if _, err := x.App.Guide.SaveService(context.Background(), x.p, x.otherPublic, in); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := x.get("/hsds/services/" + x.otherPublic); st != http.StatusNotFound {
			t.Errorf("unpublished service: %d", st)
		}
	})
}

func TestHSDSBadParameters(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		for _, tc := range []struct{ path, param string }{
			{"/hsds/services?per_page=0", "per_page"}, {"/hsds/services?per_page=501", "per_page"}, {"/hsds/services?page=-1", "page"},
			{"/hsds/services?page=abc", "page"}, {"/hsds/services?page=1&page=2", "page"},
			{"/hsds/services?taxonomy_term_id=food", "taxonomy_term_id"}, {"/hsds/services?organization_id=1", "organization_id"},
			{"/hsds/services?modified_after=yesterday", "modified_after"}, {"/hsds/services?full=maybe", "full"},
			{"/hsds/services?lang=xx", "lang"}, {"/hsds/services?format=ndjson", "format"}, {"/hsds/services?foo=bar", "foo"},
			{"/hsds/services?search=" + strings.Repeat("a", 101), "search"}, {"/hsds/service_at_locations?proximity=500", "proximity"},
			{"/hsds/service_at_locations?postcode=75", "postcode"}, {"/hsds/taxonomy_terms?parent_id=x", "parent_id"},
			{"/hsds/taxonomy_terms?top_only=2", "top_only"}, {"/hsds/organizations?full_service=oui", "full_service"},
			{"/hsds/services/" + x.demoService + "?full=true", "full"}, {"/hsds/?page=1", "page"},
		} {
			st, body, _ := x.get(tc.path, "Accept-Language", "en")
			var eb ErrorBody
			if st != http.StatusBadRequest || json.Unmarshal(body, &eb) != nil || eb.Error.Parameter != tc.param || eb.Error.Message == "" ||
				strings.Contains(eb.Error.Message, "{{") {
				t.Errorf("GET %s: %d %s", tc.path, st, body)
			}
		}
	})
}

// ErrorBody is the API's error, as a client reads it.
type ErrorBody struct {
	Error struct {
		Status    int
		Key       string
		Message   string
		Parameter string
	}
}

func TestHSDSFilters(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		food, _ := guide.CategoryBySlug("food")
		all := func(path string) []json.RawMessage {
			return decodePage(t, x.ok(path+"&per_page=500&full=true")).Contents
		}
		attrs := func(raw json.RawMessage) []string {
			var s struct {
				Attributes []struct {
					TaxonomyTermID string `json:"taxonomy_term_id"`
				}
			}
			_ = json.Unmarshal(raw, &s)
			var out []string
			for _, a := range s.Attributes {
				out = append(out, a.TaxonomyTermID)
			}
			return out
		}
		foods := all("/hsds/services?taxonomy_term_id=" + food.ID)
		if len(foods) < 5 {
			t.Errorf("%d food services", len(foods))
		}
		for _, s := range foods {
			if !slices.Contains(attrs(s), food.ID) {
				t.Errorf("not food: %s", truncate(string(s), 200))
			}
		}
		women := "0193a000-0000-7000-8001-000000000003"
		for _, s := range all("/hsds/services?taxonomy_term_id=" + women) {
			if !slices.Contains(attrs(s), women) {
				t.Errorf("not for women: %s", truncate(string(s), 200))
			}
		}
		if n := len(all("/hsds/services?organization_id=" + x.otherOrg)); n != 1 {
			t.Errorf("%d services of the second centre's partner", n)
		}
		// Filters are cumulative (AND).
		if n := len(all("/hsds/services?organization_id=" + x.otherOrg + "&taxonomy_term_id=" + food.ID)); n != 0 {
			t.Errorf("%d services with both filters", n)
		}
		if n := len(all("/hsds/services?search=douches")); n < 2 {
			t.Errorf("%d services for douches", n)
		}
		future := url.QueryEscape(x.Clock.Now().Add(time.Hour).Format(time.RFC3339))
		if n := len(all("/hsds/services?modified_after=" + future)); n != 0 {
			t.Errorf("%d services modified in the future", n)
		}
		if n := len(all("/hsds/services?modified_after=2020-01-01")); n != x.published {
			t.Errorf("%d services modified since 2020", n)
		}
		// A reviewed translation changes the service's modified date.
		x.Clock.Advance(2 * time.Hour)
		since := url.QueryEscape(x.Clock.Now().Add(-time.Minute).Format(time.RFC3339))
		if _, err := x.App.Guide.SaveTranslations(context.Background(), x.p, x.otherPublic, "ar",
			map[string]guide.TrInput{x.otherPublic + ".name": {Value: "خزائن الأمتعة", Reviewed: true}}); err != nil {
			t.Fatal(err)
		}
		got := all("/hsds/services?modified_after=" + since)
		if len(got) != 1 || !strings.Contains(string(got[0]), x.otherPublic) {
			t.Errorf("modified after the translation: %d", len(got))
		}
		if n := decodePage(t, x.ok("/hsds/taxonomy_terms?taxonomy_id=0193a000-0000-7000-8002-000000000000")).TotalItems; n != 4 {
			t.Errorf("%d access terms", n)
		}
	})
}

// A service's last_modified moves with every edit of what the API returns
// for it, each made through the staff pages: weekly and seasonal hours, a
// dated closure added and removed, a phone line added and removed, a
// translation written and removed. modified_after selects it, and no other
// service moves.
func TestHSDSLastModifiedFollowsEdits(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		ctx := context.Background()
		id := x.otherPublic
		b := x.Browser().Login(x.admin)
		svc := "/fr/admin/guide/services/" + id
		lastModified := func(path string) string {
			t.Helper()
			var s struct {
				LastModified string `json:"last_modified"`
			}
			if err := json.Unmarshal(x.ok(path), &s); err != nil || s.LastModified == "" {
				t.Fatalf("%s: no last_modified (%v)", path, err)
			}
			return s.LastModified
		}
		post := func(path string, form url.Values) {
			t.Helper()
			if r := b.Post(path, form); r.Status != 303 {
				t.Fatalf("POST %s: %d", path, r.Status)
			}
		}
		childID := func(model any) string {
			t.Helper()
			var cid string
			if err := x.DB.R.NewSelect().Model(model).Column("id").Where("service_id = ?", id).OrderExpr("id DESC").Limit(1).Scan(ctx, &cid); err != nil {
				t.Fatal(err)
			}
			return cid
		}
		hours := url.Values{"weekday": {"1", "3"}, "opens": {"09:00", "14:00"}, "closes": {"12:00", "18:00"}, "from": {"", ""}, "to": {"", ""}}
		edits := []struct {
			what string
			do   func()
		}{
			{"weekly hours", func() { post(svc+"/hours", hours) }},
			{"a seasonal row", func() {
				h := url.Values{}
				for k, v := range hours {
					h[k] = append(slices.Clone(v), map[string]string{"weekday": "6", "opens": "10:00", "closes": "16:00", "from": "2026-11-01", "to": "2027-03-31"}[k])
				}
				post(svc+"/hours", h)
			}},
			{"a closure", func() {
				post(svc+"/exceptions", url.Values{"starts_on": {"2026-12-24"}, "ends_on": {"2026-12-26"}, "closed": {"1"}, "reason": {"Fêtes"}})
			}},
			{"the closure's reason translated", func() {
				post(svc+"/translations/ar", url.Values{"tr." + childID((*guide.ExceptionRow)(nil)) + ".reason": {"الأعياد"}})
			}},
			{"the closure deleted", func() { post(svc+"/exceptions/"+childID((*guide.ExceptionRow)(nil))+"/delete", nil) }},
			{"a phone line", func() {
				post(svc+"/phones", url.Values{"phone_number": {"06 12 34 56 78"}, "phone_kind": {"text"}, "phone_languages": {"fa"}})
			}},
			{"the phone line deleted", func() { post(svc+"/phones/"+childID((*guide.Phone)(nil))+"/delete", nil) }},
			{"languages, categories and documents", func() {
				var loc string
				if err := x.DB.R.NewSelect().Model((*guide.ServiceLocationRow)(nil)).Column("location_id").Where("service_id = ?", id).Scan(ctx, &loc); err != nil {
					t.Fatal(err)
				}
				post(svc, url.Values{"organization_id": {x.otherOrg}, "status": {"published"}, "name": {"Bagagerie du centre deux"},
					"description": {"Casiers pour laisser ses affaires la journée."}, "categories": {"showers-hygiene", "phone-charging"},
					"locations": {loc}, "free": {"1"}, "walk_in": {"1"}, "welcome_women": {"1"}, "on_site": {"fr", "ar", "ti"},
					"documents": {"domiciliation", "ame"}})
			}},
			{"the name translated", func() { post(svc+"/translations/ar", url.Values{"tr." + id + ".name": {"خزائن الأمتعة"}}) }},
			{"the translation removed", func() { post(svc+"/translations/ar", url.Values{"tr." + id + ".name": {""}}) }},
		}
		other := lastModified("/hsds/services/" + x.demoService)
		for _, ed := range edits {
			before := lastModified("/hsds/services/" + id)
			x.Clock.Advance(time.Minute)
			b = x.Browser().Login(x.admin)
			ed.do()
			after := lastModified("/hsds/services/" + id)
			if after <= before {
				t.Errorf("%s: last_modified %s, was %s", ed.what, after, before)
			}
			list := decodePage(t, x.ok("/hsds/services?minimal=true&organization_id="+x.otherOrg)).Contents
			var listed struct {
				LastModified string `json:"last_modified"`
			}
			if len(list) != 1 || json.Unmarshal(list[0], &listed) != nil || listed.LastModified != after {
				t.Errorf("%s: the list says %q, the service %s", ed.what, listed.LastModified, after)
			}
			since := url.QueryEscape(x.Clock.Now().Add(-time.Second).Format(time.RFC3339))
			got := decodePage(t, x.ok("/hsds/services?minimal=true&modified_after="+since)).Contents
			if len(got) != 1 || !strings.Contains(string(got[0]), id) {
				t.Errorf("%s: %d services modified after it", ed.what, len(got))
			}
		}
		if got := lastModified("/hsds/services/" + x.demoService); got != other {
			t.Errorf("another centre's service moved: %s, was %s", got, other)
		}
	})
}

// The API shows what the public service page shows.
func TestHSDSSameAsPublicPage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		ctx := context.Background()
		for _, id := range []string{x.demoService, x.otherPublic} {
			d, err := x.App.Guide.PublicService(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var s struct {
				Organization       struct{ Name string }
				ServiceAtLocations []struct{ Location struct{ Name string } } `json:"service_at_locations"`
				Phones             []struct{ Number string }
				Languages          []struct{ Code string }
				RequiredDocuments  []struct{ URI string } `json:"required_documents"`
				Schedules          []struct{ Byday string }
				Attributes         []struct {
					TaxonomyTermID string `json:"taxonomy_term_id"`
				}
			}
			body := x.ok("/hsds/services/" + id)
			_ = json.Unmarshal(body, &s)
			var flat map[string]any
			_ = json.Unmarshal(body, &flat)
			if flat["name"] != d.Service.Name || flat["description"] != d.Service.Description || flat["status"] != "active" ||
				flat["assured_date"] != d.Service.CheckedOn.Format(time.DateOnly) || s.Organization.Name != d.Organization.Name {
				t.Errorf("service %s: %v", id, flat)
			}
			var locs, phones, codes, docs []string
			for _, l := range s.ServiceAtLocations {
				locs = append(locs, l.Location.Name)
			}
			for _, l := range d.Locations {
				if !slices.Contains(locs, l.Name) {
					t.Errorf("place %q missing", l.Name)
				}
			}
			for _, p := range s.Phones {
				phones = append(phones, p.Number)
			}
			for _, p := range d.Phones {
				if !slices.Contains(phones, p.Number) {
					t.Errorf("phone %q missing", p.Number)
				}
			}
			for _, l := range s.Languages {
				codes = append(codes, l.Code)
			}
			slices.Sort(codes)
			onSite := slices.Sorted(slices.Values(d.OnSite))
			if !slices.Equal(codes, onSite) {
				t.Errorf("languages %v, page %v", codes, onSite)
			}
			for _, r := range s.RequiredDocuments {
				if r.URI != "" {
					docs = append(docs, r.URI[strings.LastIndex(r.URI, "/")+1:])
				}
			}
			if !slices.Equal(docs, d.Documents) {
				t.Errorf("documents %v, page %v", docs, d.Documents)
			}
			if len(s.Schedules) != len(d.Hours.Slots)+len(d.Hours.Exceptions) {
				t.Errorf("%d schedules, page %d slots", len(s.Schedules), len(d.Hours.Slots))
			}
			for _, c := range d.Categories {
				if !slices.ContainsFunc(s.Attributes, func(a struct {
					TaxonomyTermID string `json:"taxonomy_term_id"`
				}) bool {
					return a.TaxonomyTermID == c.ID
				}) {
					t.Errorf("category %s missing", c.Slug)
				}
			}
			page := x.Browser().Get("/fr/guide/services/" + id)
			if page.Status != 200 || !strings.Contains(page.Body, escapeHTML(d.Service.Name)) || !strings.Contains(page.Body, escapeHTML(d.Organization.Name)) {
				t.Errorf("public page of %s: %d", id, page.Status)
			}
		}
		// In Arabic, the reviewed translation, as on the Arabic page.
		st, body, h := x.get("/hsds/services/"+x.demoService, "Accept-Language", "ar")
		var s map[string]any
		_ = json.Unmarshal(body, &s)
		name, _ := s["name"].(string)
		if st != 200 || h.Get("Content-Language") != "ar" || !strings.Contains(name, "عنوان") || s["alternate_name"] != "Domiciliation au PSA Belleville" {
			t.Errorf("Arabic: %d %s %v", st, h.Get("Content-Language"), s["name"])
		}
		if page := x.Browser().Get("/ar/guide/services/" + x.demoService); !strings.Contains(page.Body, name) {
			t.Errorf("the Arabic page does not show %q", name)
		}
		tr, _ := s["translations"].(map[string]any)
		if tr == nil || fmt.Sprint(tr["name"].(map[string]any)["ar"]) != "map[status:reviewed value:"+name+"]" ||
			fmt.Sprint(tr["name"].(map[string]any)["ti"]) != "map[status:missing]" {
			t.Errorf("translations: %v", tr)
		}
		// Dari falls back to Farsi, then French; ?lang= wins over Accept-Language.
		_, body, h = x.get("/hsds/services/"+x.demoService+"?lang=fa-AF", "Accept-Language", "ar")
		_ = json.Unmarshal(body, &s)
		if h.Get("Content-Language") != "fa-AF" || s["name"] != "Domiciliation au PSA Belleville" {
			t.Errorf("Dari: %s %v", h.Get("Content-Language"), s["name"])
		}
		// During a dated closure: temporarily closed, with its reason.
		var cpam string
		if err := x.DB.R.NewSelect().Model((*guide.Service)(nil)).Column("id").Where("name = ?", "Permanence CPAM au PSA Bastille").Scan(ctx, &cpam); err != nil {
			t.Fatal(err)
		}
		x.Clock.Advance(48 * time.Hour)
		_ = json.Unmarshal(x.ok("/hsds/services/"+cpam), &s)
		if s["status"] != "temporarily closed" || s["alert"] != "Formation de l'équipe." {
			t.Errorf("closed service: %v %v", s["status"], s["alert"])
		}
	})
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestHSDSCacheValidators(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newHX(t, e)
		_, _, h := x.get("/hsds/services/" + x.otherPublic)
		etag := h.Get("ETag")
		if etag == "" || h.Get("Cache-Control") == "" || !slices.Contains(h.Values("Vary"), "Accept-Language") {
			t.Fatalf("headers: %v", h)
		}
		if st, body, _ := x.get("/hsds/services/"+x.otherPublic, "If-None-Match", etag); st != http.StatusNotModified || len(body) != 0 {
			t.Errorf("If-None-Match: %d", st)
		}
		if st, _, _ := x.get("/hsds/services/"+x.otherPublic+"?lang=ar", "If-None-Match", etag); st != http.StatusOK {
			t.Errorf("another language, same ETag: %d", st)
		}
	})
}

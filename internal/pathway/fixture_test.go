package pathway_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"parcours/internal/guide"
	"parcours/internal/org"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// fx is a centre with two sites (Bastille, Belleville), one account per
// role that matters, a partner of "La Cimade" with a legal permanence in
// the guide, and a second centre.
type fx struct {
	*testkit.World
	org, org2       *org.Org
	siteA, siteB    *org.Site
	worker, workerB *auth.User
	reception       *auth.User
	legal, manager  *auth.User
	volunteer       *auth.User
	partner, admin2 *auth.User
	serviceID       string
	browsers        map[*auth.User]*testkit.Browser
}

func newFx(t *testing.T, e db.Engine, opts ...testkit.Options) *fx {
	t.Helper()
	w := testkit.NewWorld(t, e, opts...)
	f := &fx{World: w, browsers: map[*auth.User]*testkit.Browser{}}
	f.org, f.org2 = w.Org("CASVP test"), w.Org("Autre centre")
	f.siteA = w.Site(f.org, "PSA Bastille", "psa")
	f.siteB = w.Site(f.org, "PSA Belleville", "psa")
	site2 := w.Site(f.org2, "Accueil Autre", "psa")
	f.worker = w.User(f.org, "sarah@casvp.test", auth.Membership{Role: auth.SocialWorker, SiteID: f.siteA.ID})
	f.workerB = w.User(f.org, "ousmane@casvp.test", auth.Membership{Role: auth.SocialWorker, SiteID: f.siteB.ID})
	f.reception = w.User(f.org, "accueil@casvp.test", auth.Membership{Role: auth.ReceptionAgent, SiteID: f.siteA.ID})
	f.legal = w.User(f.org, "juriste@casvp.test", auth.Membership{Role: auth.LegalSpecialist, SiteID: f.siteB.ID})
	f.manager = w.User(f.org, "responsable@casvp.test", auth.Membership{Role: auth.SiteManager, SiteID: f.siteA.ID})
	f.volunteer = w.User(f.org, "benevole@casvp.test", auth.Membership{Role: auth.Volunteer, SiteID: f.siteA.ID})
	f.partner = w.User(f.org, "karim@cimade.test", auth.Membership{Role: auth.Partner, SiteID: f.siteA.ID})
	f.admin2 = w.User(f.org2, "admin@autre.test", auth.Membership{Role: auth.Admin})
	_ = site2
	ctx := context.Background()
	if err := w.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Table("users").Set("partner_org = ?", "La Cimade").Where("id = ?", f.partner.ID).Exec(ctx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The guide: La Cimade's permanence, published.
	admin := &auth.Principal{UserID: f.manager.ID, OrgID: f.org.ID, Memberships: []auth.Membership{{Role: auth.Admin}}}
	gorg, err := w.App.Guide.SaveOrganization(ctx, admin, "", guide.OrganizationInput{Name: "La Cimade"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := w.App.Guide.SaveService(ctx, admin, "", guide.ServiceInput{OrganizationID: gorg.ID, Status: guide.Published,
		Name: "Permanence juridique étrangers", Description: "Droit des étrangers, recours", Categories: []string{"legal-aid"}})
	if err != nil {
		t.Fatal(err)
	}
	f.serviceID = svc.ID
	return f
}

// as returns the signed-in browser of u.
func (f *fx) as(u *auth.User) *testkit.Browser {
	if b, ok := f.browsers[u]; ok {
		return b
	}
	b := f.Browser().Login(u)
	f.browsers[u] = b
	return b
}

// fr is a French text of the catalogs, as it appears in HTML.
func (f *fx) fr(id string, args ...any) string {
	return html.EscapeString(f.App.Catalog.Localizer("fr").T(id, args...))
}

// raw is a French text of the catalogs, unescaped.
func (f *fx) raw(id string, args ...any) string { return f.App.Catalog.Localizer("fr").T(id, args...) }

// post sends a form and expects a redirect; it returns the Location.
func post(t *testing.T, b *testkit.Browser, path string, form url.Values) string {
	t.Helper()
	r := b.Post(path, form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: %d %s", path, r.Status, errorsOf(r.Body))
	}
	return r.Location
}

// get expects a 200 page.
func get(t *testing.T, b *testkit.Browser, path string) string {
	t.Helper()
	r := b.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %q", path, r.Status, r.Location)
	}
	return r.Body
}

// errorsOf extracts the field errors of a page, for failure messages.
func errorsOf(body string) string {
	var out []string
	for _, part := range strings.Split(body, `class="error"`)[1:] {
		if i := strings.Index(part, "</p>"); i > 0 {
			out = append(out, strings.TrimSpace(strings.TrimPrefix(part[:i], ">")))
		}
	}
	if len(out) == 0 && len(body) > 300 {
		return body[:300]
	}
	return strings.Join(out, "; ")
}

// openFile creates a file through the form and returns its id.
func (f *fx) openFile(t *testing.T, u *auth.User, form url.Values) string {
	t.Helper()
	if form.Get("site") == "" {
		form.Set("site", f.siteA.ID)
	}
	if form.Get("household_size") == "" {
		form.Set("household_size", "1")
	}
	loc := post(t, f.as(u), "/fr/people", form)
	return strings.TrimPrefix(loc, "/fr/people/")
}

// scalar reads one value.
func (f *fx) scalar(t *testing.T, dest any, query string, args ...any) {
	t.Helper()
	if err := f.DB.R.NewRaw(query, args...).Scan(context.Background(), dest); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

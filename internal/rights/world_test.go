package rights_test

import (
	"context"
	"html"
	"net/url"
	"strings"
	"testing"

	"parcours/internal/org"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
	"parcours/internal/rights"
	"parcours/internal/rights/sheets"
)

// world is two centres: in the first, a site and one user per role of
// interest; in the second, a legal specialist.
type world struct {
	*testkit.World
	org1, org2                                   *org.Org
	site                                         *org.Site
	admin, legal, worker, reception, volunteer   *auth.User
	partner, coordinator, translator, legalOther *auth.User
	browsers                                     map[*auth.User]*testkit.Browser
}

func newWorld(t *testing.T, e db.Engine, opts ...testkit.Options) *world {
	t.Helper()
	w := &world{World: testkit.NewWorld(t, e, opts...), browsers: map[*auth.User]*testkit.Browser{}}
	w.org1, w.org2 = w.Org("CASVP Test"), w.Org("CCAS Voisin")
	w.site = w.Site(w.org1, "PSA Bastille", "psa")
	site2 := w.Site(w.org2, "PSA Voisin", "psa")
	in := func(r auth.Role) auth.Membership { return auth.Membership{Role: r, SiteID: w.site.ID} }
	w.admin = w.User(w.org1, "admin@casvp.test", auth.Membership{Role: auth.Admin})
	w.legal = w.User(w.org1, "juriste@casvp.test", in(auth.LegalSpecialist))
	w.worker = w.User(w.org1, "as@casvp.test", in(auth.SocialWorker))
	w.reception = w.User(w.org1, "accueil@casvp.test", in(auth.ReceptionAgent))
	w.volunteer = w.User(w.org1, "benevole@casvp.test", in(auth.Volunteer))
	w.partner = w.User(w.org1, "partenaire@asso.test", in(auth.Partner))
	w.coordinator = w.User(w.org1, "coord@casvp.test", in(auth.VolunteerCoordinator))
	w.translator = w.User(w.org1, "traduction@casvp.test", in(auth.Translator))
	w.legalOther = w.User(w.org2, "juriste@voisin.test", auth.Membership{Role: auth.LegalSpecialist, SiteID: site2.ID})
	return w
}

// as returns a browser signed in as u (one per user).
func (w *world) as(u *auth.User) *testkit.Browser {
	if b, ok := w.browsers[u]; ok {
		return b
	}
	b := w.Browser().Login(u)
	w.browsers[u] = b
	return b
}

// fr is a French text as the page shows it (HTML-escaped).
func (w *world) fr(id string, args ...any) string {
	return html.EscapeString(w.App.Catalog.Localizer("fr").T(id, args...))
}

// audits returns the centre's audit entries of an action.
func (w *world) audits(t *testing.T, orgID, action string) []audit.Entry {
	t.Helper()
	var es []audit.Entry
	if err := w.DB.R.NewSelect().Model(&es).Where("org_id = ? AND action = ?", orgID, action).Order("seq").
		Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return es
}

// editForm is the edit form of a sheet as the page fills it, from the
// current version (read the way the page reads it).
func (w *world) editForm(t *testing.T, b *testkit.Browser, slug string) url.Values {
	t.Helper()
	r := b.Get("/fr/rights/sheets/" + slug + "/edit")
	if r.Status != 200 {
		t.Fatalf("edit page of %s: %d", slug, r.Status)
	}
	f := url.Values{}
	f.Set("base", attrValue(t, r.Body, `name="base" value="`))
	f.Set("title", html.UnescapeString(attrValue(t, r.Body, `name="title" type="text" value="`)))
	f.Set("applies_from", attrValue(t, r.Body, `name="applies_from" type="date" value="`))
	for i := range sheets.Headings() {
		f.Set(rights.SectionField(i), textarea(t, r.Body, rights.SectionField(i)))
	}
	return f
}

func attrValue(t *testing.T, body, prefix string) string {
	t.Helper()
	i := strings.Index(body, prefix)
	if i < 0 {
		t.Fatalf("no %q in the page", prefix)
	}
	rest := body[i+len(prefix):]
	return rest[:strings.IndexByte(rest, '"')]
}

func textarea(t *testing.T, body, name string) string {
	t.Helper()
	start := `name="` + name + `"`
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("no textarea %s", name)
	}
	rest := body[i:]
	rest = rest[strings.IndexByte(rest, '>')+1:]
	return html.UnescapeString(rest[:strings.Index(rest, "</textarea>")])
}

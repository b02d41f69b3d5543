package domicile_test

import (
	"context"
	htmlpkg "html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/domicile"
	"parcours/internal/org"
	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// fx is a CCAS with two sites (PSA Bastille domiciles, PSA Belleville too),
// one account per role that matters, and a second centre.
type fx struct {
	*testkit.World
	org, org2                *org.Org
	siteA, siteB             *org.Site
	admin, manager, worker   *auth.User
	reception, receptionB    *auth.User
	volunteer, legal, admin2 *auth.User
	browsers                 map[*auth.User]*testkit.Browser
}

func newFx(t *testing.T, e db.Engine, opts ...testkit.Options) *fx {
	t.Helper()
	w := testkit.NewWorld(t, e, opts...)
	f := &fx{World: w, browsers: map[*auth.User]*testkit.Browser{}}
	f.org, f.org2 = w.Org("CASVP test"), w.Org("Autre centre")
	f.siteA = w.Site(f.org, "PSA Bastille", "psa")
	f.siteB = w.Site(f.org, "PSA Belleville", "psa")
	w.Site(f.org2, "Accueil Autre", "psa")
	f.admin = w.User(f.org, "admin@casvp.test", auth.Membership{Role: auth.Admin})
	f.manager = w.User(f.org, "responsable@casvp.test", auth.Membership{Role: auth.SiteManager, SiteID: f.siteA.ID})
	f.worker = w.User(f.org, "sarah@casvp.test", auth.Membership{Role: auth.SocialWorker, SiteID: f.siteA.ID})
	f.reception = w.User(f.org, "accueil@casvp.test", auth.Membership{Role: auth.ReceptionAgent, SiteID: f.siteA.ID})
	f.receptionB = w.User(f.org, "accueil-b@casvp.test", auth.Membership{Role: auth.ReceptionAgent, SiteID: f.siteB.ID})
	f.volunteer = w.User(f.org, "benevole@casvp.test", auth.Membership{Role: auth.Volunteer, SiteID: f.siteA.ID})
	f.legal = w.User(f.org, "juriste@casvp.test", auth.Membership{Role: auth.LegalSpecialist, SiteID: f.siteA.ID})
	f.admin2 = w.User(f.org2, "admin@autre.test", auth.Membership{Role: auth.Admin})
	return f
}

func (f *fx) as(u *auth.User) *testkit.Browser {
	if b, ok := f.browsers[u]; ok {
		return b
	}
	b := f.Browser().Login(u)
	f.browsers[u] = b
	return b
}

// p is the principal of a user, as the HTTP layer builds it.
func (f *fx) p(u *auth.User) *auth.Principal {
	ms, err := auth.MembershipsOf(context.Background(), f.DB.R, u.OrgID, u.ID)
	if err != nil {
		f.T.Fatal(err)
	}
	return &auth.Principal{UserID: u.ID, OrgID: u.OrgID, Email: u.Email, Name: u.Name, Memberships: ms}
}

// ctx is a request context of a user (the audit actor set).
func (f *fx) ctx(u *auth.User) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{UserID: u.ID, OrgID: u.OrgID, Label: u.Email})
}

func (f *fx) s() *domicile.Service { return f.App.Domicile }

// person opens a person's file in site A.
func (f *fx) person(t *testing.T, given, family string, birth string) *people.Person {
	t.Helper()
	in := people.Input{SiteID: f.siteA.ID, GivenName: given, FamilyName: family, MsgLang: "fr", HouseholdSize: 1}
	if birth != "" {
		b, err := time.Parse(time.DateOnly, birth)
		if err != nil {
			t.Fatal(err)
		}
		in.BirthDate = &b
	}
	per, _, err := f.App.People.Create(f.ctx(f.worker), f.p(f.worker), in, people.CreateOptions{NotADuplicate: true})
	if err != nil {
		t.Fatal(err)
	}
	return per
}

// domiciled takes a person to a valid election through the service: the
// request, the interview, the grant (today unless on is given).
func (f *fx) domiciled(t *testing.T, per *people.Person) *domicile.File {
	t.Helper()
	s, pw, pm := f.s(), f.p(f.worker), f.p(f.manager)
	fl, err := s.CreateRequest(f.ctx(f.worker), pw, domicile.RequestInput{PersonID: per.ID, SiteID: f.siteA.ID, Civility: "mme"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveInterview(f.ctx(f.worker), pw, fl.ID, domicile.Interview{Link: "residential", Cause: "eviction"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(f.ctx(f.manager), pm, fl.ID, domicile.DecisionInput{To: domicile.StatusValid}); err != nil {
		t.Fatal(err)
	}
	return f.file(t, fl.ID)
}

// file re-reads a file.
func (f *fx) file(t *testing.T, id string) *domicile.File {
	t.Helper()
	fl := new(domicile.File)
	if err := f.DB.R.NewSelect().Model(fl).Where("f.id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fl
}

func (f *fx) fr(id string, args ...any) string {
	return htmlpkg.EscapeString(f.App.Catalog.Localizer("fr").T(id, args...))
}

func (f *fx) frN(id string, n int, args ...any) string {
	return htmlpkg.EscapeString(f.App.Catalog.Localizer("fr").N(id, n, args...))
}

// post sends a form and expects a redirect (done), returning the flash page
// it leads to.
func post(t *testing.T, b *testkit.Browser, path string, form url.Values) string {
	t.Helper()
	r := b.Post(path, form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: %d, want 303\n%s", path, r.Status, errorsOf(r.Body))
	}
	return get(t, b, r.Location)
}

func get(t *testing.T, b *testkit.Browser, path string) string {
	t.Helper()
	r := b.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %q\n%s", path, r.Status, r.Location, errorsOf(r.Body))
	}
	return r.Body
}

var errRe = regexp.MustCompile(`(?s)<p class="error"[^>]*>(.*?)</p>|<div class="flash[^"]*"[^>]*>(.*?)</div>|<main[^>]*>(.{0,400})`)

// errorsOf extracts what a page says went wrong.
func errorsOf(body string) string {
	var out []string
	for _, m := range errRe.FindAllStringSubmatch(body, 10) {
		out = append(out, strings.TrimSpace(m[1]+m[2]+m[3]))
	}
	return strings.Join(out, " | ")
}

var idRe = regexp.MustCompile(`/domiciliation/files/([0-9a-f-]{36})`)

// fileIDIn finds the first file link of a page.
func fileIDIn(t *testing.T, body string) string {
	t.Helper()
	m := idRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no file link in page: %s", errorsOf(body))
	}
	return m[1]
}

func mustContain(t *testing.T, body, what string, markers ...string) {
	t.Helper()
	for _, m := range markers {
		if !strings.Contains(body, m) {
			t.Errorf("%s: missing %q", what, m)
		}
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testMembership is a reception role in site A.
func testMembership(f *fx) auth.Membership {
	return auth.Membership{Role: auth.ReceptionAgent, SiteID: f.siteA.ID}
}

// html escapes a text as the pages show it.
func html(s string) string { return htmlpkg.EscapeString(s) }

package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// The authorization test: every registered route has a row saying who may
// use it, and each row is checked through the real HTTP interface for the
// nine roles, an anonymous visitor, an htmx request and a half-signed-in
// user (password given, code not yet). A route without a row fails the test.

// Role sets, written out (not derived from the permission matrix) so that a
// change of the matrix shows up here as a deliberate change.
var (
	everyone    = auth.Roles
	siteViewers = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker, auth.ReceptionAgent, auth.LegalSpecialist, auth.VolunteerCoordinator}
	userAdmins  = []auth.Role{auth.Admin, auth.SiteManager}
	adminOnly   = []auth.Role{auth.Admin}
)

// azRow is one route's authorization.
type azRow struct {
	pattern string
	// staff: roles that may use the route (others get 403, anonymous users
	// go to sign-in). nil: a public route, served to everyone.
	staff []auth.Role
	path  func(z *azWorld) string              // with the language prefix for language routes
	form  func(z *azWorld) url.Values          // POST body
	want  int                                  // status for allowed roles (staff) or anonymous visitors (public)
	loc   func(z *azWorld, path string) string // expected Location prefix when want is a redirect
	ends  bool                                 // the request ends the session of the browser that sends it
	verb  string                               // method for a pattern without one
}

func fixed(p string) func(*azWorld) string { return func(*azWorld) string { return p } }
func at(prefix string) func(*azWorld, string) string {
	return func(*azWorld, string) string { return prefix }
}
func self(z *azWorld, path string) string { return path }

func azRows() []azRow {
	siteA := func(z *azWorld) string { return "/fr/admin/sites/" + z.siteA.ID }
	siteD := func(z *azWorld) string { return "/fr/admin/sites/" + z.siteD.ID }
	target := func(z *azWorld) string { return "/fr/admin/users/" + z.target.ID }
	siteForm := func(z *azWorld) url.Values {
		return url.Values{"name": {"Site Delta"}, "kind": {"psa"}, "postal_code": {"75012"}, "city": {"Paris"}}
	}
	userForm := func(z *azWorld) url.Values {
		return url.Values{"name": {"Cible Un"}, "lang": {"fr"}, "role": {"social_worker"}, "site": {z.siteA.ID}}
	}
	resetLink := func(z *azWorld) string { return z.freshLink() }
	samePassword := url.Values{"current": {testkit.Password}, "password": {testkit.Password}, "confirm": {testkit.Password}}
	return append([]azRow{
		// Public pages.
		{pattern: "GET /{$}", path: fixed("/fr/"), want: 200},
		{pattern: "GET /about", path: fixed("/fr/about"), want: 200},
		{pattern: "GET /accessibility", path: fixed("/fr/accessibility"), want: 200},
		// Sign-in, open to all; the half-open steps send strangers to sign-in.
		{pattern: "GET /login", path: fixed("/fr/login"), want: 200},
		{pattern: "POST /login", path: fixed("/fr/login"), want: 303, loc: at("/fr/staff"), ends: true,
			form: func(z *azWorld) url.Values {
				return url.Values{"email": {z.visitor.Email}, "password": {testkit.Password}}
			}},
		{pattern: "GET /login/totp", path: fixed("/fr/login/totp"), want: 303, loc: at("/fr/login")},
		{pattern: "POST /login/totp", path: fixed("/fr/login/totp"), want: 303, loc: at("/fr/login"),
			form: func(*azWorld) url.Values { return url.Values{"code": {"000000"}} }},
		{pattern: "GET /login/totp/setup", path: fixed("/fr/login/totp/setup"), want: 303, loc: at("/fr/login")},
		{pattern: "POST /login/totp/setup/new", path: fixed("/fr/login/totp/setup/new"), want: 303, loc: at("/fr/login")},
		{pattern: "POST /login/totp/setup", path: fixed("/fr/login/totp/setup"), want: 303, loc: at("/fr/login"),
			form: func(*azWorld) url.Values { return url.Values{"code": {"000000"}} }},
		{pattern: "POST /logout", path: fixed("/fr/logout"), want: 303, loc: at("/fr/login"), ends: true},
		{pattern: "GET /password/forgot", path: fixed("/fr/password/forgot"), want: 200},
		{pattern: "POST /password/forgot", path: fixed("/fr/password/forgot"), want: 303, loc: at("/fr/login"),
			form: func(z *azWorld) url.Values { return url.Values{"email": {z.resetee.Email}} }},
		{pattern: "GET /password/reset/{token}", path: resetLink, want: 200},
		{pattern: "POST /password/reset/{token}", path: resetLink, want: 303, loc: at("/fr/login"),
			form: func(*azWorld) url.Values {
				return url.Values{"password": {testkit.Password}, "confirm": {testkit.Password}}
			}},
		{pattern: "POST /login/sso", path: fixed("/fr/login/sso"), want: 303, ends: true,
			loc: func(z *azWorld, _ string) string { return z.idp.URL + "/authorize?" }},
		// Without the state cookie of a sign-in started in this browser, refused.
		{pattern: "GET /auth/oidc/callback", path: fixed("/auth/oidc/callback?code=c&state=s"), want: 401},
		// Outside the language prefix.
		{pattern: "GET /static/", path: fixed("/static/css/app.css"), want: 200},
		{pattern: "GET /healthz", path: fixed("/healthz"), want: 200},
		{pattern: "GET /readyz", path: fixed("/readyz"), want: 200},
		{pattern: "GET /metrics", path: fixed("/metrics"), want: 200},

		// Own account: every role.
		{pattern: "GET /account", staff: everyone, path: fixed("/fr/account"), want: 200},
		{pattern: "POST /account/password", staff: everyone, path: fixed("/fr/account/password"), want: 303, loc: at("/fr/account"),
			form: func(*azWorld) url.Values { return samePassword }},
		{pattern: "POST /account/logout-everywhere", staff: everyone, path: fixed("/fr/account/logout-everywhere"), want: 303,
			loc: at("/fr/login"), ends: true},
		// Staff home and sites.
		{pattern: "GET /staff", staff: everyone, path: fixed("/fr/staff"), want: 200},
		{pattern: "GET /admin/sites", staff: siteViewers, path: fixed("/fr/admin/sites"), want: 200},
		{pattern: "GET /admin/sites/new", staff: adminOnly, path: fixed("/fr/admin/sites/new"), want: 200},
		{pattern: "POST /admin/sites", staff: adminOnly, path: fixed("/fr/admin/sites"), want: 303, loc: at("/fr/admin/sites/"),
			form: func(z *azWorld) url.Values {
				return url.Values{"name": {fmt.Sprintf("Site Nouveau %d", z.next())}, "kind": {"chu"}, "postal_code": {"75011"}}
			}},
		{pattern: "GET /admin/sites/{id}", staff: siteViewers, path: siteA, want: 200},
		{pattern: "GET /admin/sites/{id}/edit", staff: adminOnly, path: func(z *azWorld) string { return siteD(z) + "/edit" }, want: 200},
		{pattern: "POST /admin/sites/{id}", staff: adminOnly, path: siteD, form: siteForm, want: 303, loc: self},
		{pattern: "POST /admin/sites/{id}/archive", staff: adminOnly, path: func(z *azWorld) string { return siteD(z) + "/archive" },
			want: 303, loc: func(z *azWorld, _ string) string { return siteD(z) }},
		{pattern: "POST /admin/sites/{id}/restore", staff: adminOnly, path: func(z *azWorld) string { return siteD(z) + "/restore" },
			want: 303, loc: func(z *azWorld, _ string) string { return siteD(z) }},
		// Users.
		{pattern: "GET /admin/users", staff: userAdmins, path: fixed("/fr/admin/users"), want: 200},
		{pattern: "GET /admin/users/new", staff: userAdmins, path: fixed("/fr/admin/users/new"), want: 200},
		{pattern: "POST /admin/users", staff: userAdmins, path: fixed("/fr/admin/users"), want: 303, loc: at("/fr/admin/users/"),
			form: func(z *azWorld) url.Values {
				return url.Values{"name": {"Nouvelle Recrue"}, "email": {fmt.Sprintf("recrue%d@un.example", z.next())}, "lang": {"fr"},
					"role": {"reception_agent"}, "site": {z.siteA.ID}}
			}},
		{pattern: "GET /admin/users/{id}", staff: userAdmins, path: target, want: 200},
		{pattern: "POST /admin/users/{id}", staff: userAdmins, path: target, form: userForm, want: 303, loc: self},
		{pattern: "POST /admin/users/{id}/disable", staff: userAdmins, path: func(z *azWorld) string { return target(z) + "/disable" },
			want: 303, loc: func(z *azWorld, _ string) string { return target(z) }},
		{pattern: "POST /admin/users/{id}/enable", staff: userAdmins, path: func(z *azWorld) string { return target(z) + "/enable" },
			want: 303, loc: func(z *azWorld, _ string) string { return target(z) }},
		{pattern: "POST /admin/users/{id}/reset-totp", staff: userAdmins, path: func(z *azWorld) string { return target(z) + "/reset-totp" },
			want: 303, loc: func(z *azWorld, _ string) string { return target(z) }},
		{pattern: "POST /admin/users/{id}/reinvite", staff: userAdmins, path: func(z *azWorld) string { return target(z) + "/reinvite" },
			want: 303, loc: func(z *azWorld, _ string) string { return target(z) }},
		// Administrator views.
		{pattern: "GET /admin/audit", staff: adminOnly, path: fixed("/fr/admin/audit"), want: 200},
		{pattern: "GET /admin/outbox", staff: adminOnly, path: fixed("/fr/admin/outbox"), want: 200},
		// The rest of the staff area: made-up paths and methods are a 404
		// once signed in, and send strangers to sign-in like real pages.
		{pattern: "/staff", verb: "POST", staff: everyone, path: fixed("/fr/staff"), want: 404},
		{pattern: "/staff/", verb: "GET", staff: everyone, path: fixed("/fr/staff/made-up"), want: 404},
		{pattern: "/admin", verb: "GET", staff: everyone, path: fixed("/fr/admin"), want: 404},
		{pattern: "/admin/", verb: "GET", staff: everyone, path: func(z *azWorld) string { return "/fr/admin/users/" + z.target.ID + "/export" }, want: 404},
		{pattern: "/account", verb: "POST", staff: everyone, path: fixed("/fr/account"), want: 404},
		{pattern: "/account/", verb: "GET", staff: everyone, path: fixed("/fr/account/made-up"), want: 404},
		// Rights: fact sheets, simulator (staff and public), triage grid, JSON API.
		{pattern: "GET /rights/sheets", staff: rightsReaders, path: fixed("/fr/rights/sheets"), want: 200},
		{pattern: "GET /rights/sheets/{slug}", staff: rightsReaders, path: fixed("/fr/rights/sheets/refugie"), want: 200},
		{pattern: "GET /rights/sheets/{slug}/versions/{version}", staff: rightsReaders, path: fixed("/fr/rights/sheets/refugie/versions/1"), want: 200},
		{pattern: "GET /rights/sheets/{slug}/edit", staff: sheetEditors, path: fixed("/fr/rights/sheets/dublin/edit"), want: 200},
		{pattern: "POST /rights/sheets/{slug}", staff: sheetEditors, path: fixed("/fr/rights/sheets/dublin"), form: rightsSheetEdit, want: 303, loc: self},
		{pattern: "POST /rights/sheets/{slug}/review", staff: sheetEditors, path: fixed("/fr/rights/sheets/dublin/review"), want: 303,
			loc: at("/fr/rights/sheets/dublin")},
		{pattern: "GET /rights/simulator", staff: rightsReaders, path: fixed("/fr/rights/simulator?status=refugee"), want: 200},
		{pattern: "POST /rights/simulator", staff: rightsReaders, path: fixed("/fr/rights/simulator"), form: rightsSimForm, want: 200},
		{pattern: "GET /simulator", path: fixed("/fr/simulator?status=refugee"), want: 200},
		{pattern: "POST /simulator", path: fixed("/fr/simulator"), form: rightsSimForm, want: 200},
		{pattern: "GET /rights/triage", staff: rightsReaders, path: fixed("/fr/rights/triage"), want: 200},
		{pattern: "POST /rights/triage", staff: rightsReaders, path: fixed("/fr/rights/triage"), form: rightsTriageForm, want: 200},
		// The API takes JSON: the row's form body is refused (422); the JSON
		// itself is tested in internal/rights.
		{pattern: "POST /api/rights/simulate", path: fixed("/api/rights/simulate"), form: rightsSimForm, want: 422},
		{pattern: "GET /api/rights/statuses", path: fixed("/api/rights/statuses"), want: 200},
		{pattern: "GET /api/rights/rights", path: fixed("/api/rights/rights"), want: 200},
		{pattern: "/rights", verb: "POST", staff: everyone, path: fixed("/fr/rights"), want: 404},
		{pattern: "/rights/", verb: "GET", staff: everyone, path: fixed("/fr/rights/made-up"), want: 404},
		// Glossary (internal/guide/glossary): public pages, sheets, screen,
		// offline, audio; staff audio pages for translators and administrators.
		{pattern: "GET /guide/glossary", path: fixed("/fr/guide/glossary?q=prefecture"), want: 200},
		{pattern: "GET /guide/glossary/a-z", path: fixed("/fr/guide/glossary/a-z"), want: 200},
		{pattern: "GET /guide/glossary/themes/{theme}", path: fixed("/fr/guide/glossary/themes/health"), want: 200},
		{pattern: "GET /guide/glossary/themes/{theme}/print", path: fixed("/fr/guide/glossary/themes/health/print"), want: 200},
		{pattern: "GET /guide/glossary/{slug}", path: fixed("/fr/guide/glossary/prefecture"), want: 200},
		{pattern: "GET /guide/checklists", path: fixed("/fr/guide/checklists"), want: 200},
		{pattern: "GET /guide/checklists/{slug}", path: fixed("/fr/guide/checklists/ame"), want: 200},
		{pattern: "GET /guide/checklists/{slug}/print", path: fixed("/fr/guide/checklists/ame/print"), want: 200},
		// No such service (and none at all until the directory is wired in).
		{pattern: "GET /guide/services/{id}/print", path: fixed("/fr/guide/services/0190f0aa-0000-7000-8000-00000000dead/print"), want: 404},
		{pattern: "GET /guide/screen", path: fixed("/fr/guide/screen?pace=20&theme=health"), want: 200},
		{pattern: "GET /guide/screen/bilingual", path: fixed("/fr/guide/screen/bilingual"), want: 200},
		{pattern: "GET /guide/saved", path: fixed("/fr/guide/saved"), want: 200},
		// No recording in this world.
		{pattern: "GET /audio/glossary/{lang}/{file}", path: fixed("/audio/glossary/fr/prefecture.opus"), want: 404},
		{pattern: "GET /sw.js", path: fixed("/sw.js"), want: 200},
		{pattern: "GET /admin/glossary/audio", staff: []auth.Role{auth.Admin, auth.Translator}, path: fixed("/fr/admin/glossary/audio"), want: 200},
		{pattern: "GET /admin/glossary/audio/{slug}", staff: []auth.Role{auth.Admin, auth.Translator}, path: fixed("/fr/admin/glossary/audio/prefecture"), want: 200},
		// The row's form is not a file upload: refused with the form shown again (422).
		{pattern: "POST /admin/glossary/audio/{slug}", staff: []auth.Role{auth.Admin, auth.Translator}, path: fixed("/fr/admin/glossary/audio/prefecture"),
			form: func(*azWorld) url.Values { return url.Values{"lang": {"fr"}} }, want: 422},
		// No human recording to delete in this world.
		{pattern: "POST /admin/glossary/audio/{slug}/delete", staff: []auth.Role{auth.Admin, auth.Translator}, path: fixed("/fr/admin/glossary/audio/prefecture/delete"),
			form: func(*azWorld) url.Values { return url.Values{"lang": {"fr"}} }, want: 404},
	}, slices.Concat(guideRows(), peopleRows(), domicileRows())...)
}

// azWorld is two centres: centre 1 with sites A, B and D (D has no staff,
// administrators edit it), one user per role (administrator centre-wide,
// the others in A), a target user in A, a user only in B and one in A and B;
// centre 2 with site C, its administrator and a social worker.
type azWorld struct {
	*testkit.World
	idp                        *httptest.Server
	org1, org2                 *org.Org
	siteA, siteB, siteD, siteC *org.Site
	roles                      map[auth.Role]*auth.User
	target, bOnly, both        *auth.User
	visitor, resetee, halfway  *auth.User
	admin2, worker2            *auth.User
	browsers                   map[auth.Role]*testkit.Browser
	n                          int
}

func newAZWorld(t *testing.T, e db.Engine) *azWorld {
	t.Helper()
	// Single sign-on is configured so that its routes are registered; the
	// provider only answers discovery (enough to start a sign-in).
	mux := http.NewServeMux()
	idp := httptest.NewServer(mux)
	t.Cleanup(idp.Close)
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": idp.URL, "authorization_endpoint": idp.URL + "/authorize",
			"token_endpoint": idp.URL + "/token", "jwks_uri": idp.URL + "/jwks", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	w := testkit.NewWorld(t, e, testkit.Options{Configure: func(c *config.Config) {
		c.OIDC = config.OIDC{Issuer: idp.URL, ClientID: "parcours", ClientSecret: "secret", Label: "SSO"}
	}})
	z := &azWorld{World: w, idp: idp, roles: map[auth.Role]*auth.User{}, browsers: map[auth.Role]*testkit.Browser{}}
	z.org1, z.org2 = w.Org("Centre Un"), w.Org("Centre Deux")
	z.siteA = w.Site(z.org1, "Site Alpha", "psa")
	z.siteB = w.Site(z.org1, "Site Bravo", "esi")
	z.siteD = w.Site(z.org1, "Site Delta", "psa")
	z.siteC = w.Site(z.org2, "Site Charlie", "psa")
	for _, r := range auth.Roles {
		m := auth.Membership{Role: r, SiteID: z.siteA.ID}
		if r == auth.Admin {
			m.SiteID = ""
		}
		z.roles[r] = w.User(z.org1, strings.ReplaceAll(string(r), "_", "-")+"@un.example", m)
	}
	z.target = w.User(z.org1, "cible@un.example", auth.Membership{Role: auth.SocialWorker, SiteID: z.siteA.ID})
	z.bOnly = w.User(z.org1, "bravo-seulement@un.example", auth.Membership{Role: auth.SocialWorker, SiteID: z.siteB.ID})
	z.both = w.User(z.org1, "alpha-et-bravo@un.example", auth.Membership{Role: auth.ReceptionAgent, SiteID: z.siteA.ID},
		auth.Membership{Role: auth.ReceptionAgent, SiteID: z.siteB.ID})
	z.visitor = w.User(z.org1, "visiteur@un.example", auth.Membership{Role: auth.Translator, SiteID: z.siteA.ID})
	z.resetee = w.User(z.org1, "oublieux@un.example", auth.Membership{Role: auth.Translator, SiteID: z.siteA.ID})
	z.halfway = w.User(z.org1, "a-mi-chemin@un.example", auth.Membership{Role: auth.SocialWorker, SiteID: z.siteA.ID})
	z.admin2 = w.User(z.org2, "admin@deux.example", auth.Membership{Role: auth.Admin})
	z.worker2 = w.User(z.org2, "travailleur@deux.example", auth.Membership{Role: auth.SocialWorker, SiteID: z.siteC.ID})
	return z
}

func (z *azWorld) next() int { z.n++; return z.n }

// as returns a signed-in browser of the role's user in centre 1.
func (z *azWorld) as(r auth.Role) *testkit.Browser {
	if b, ok := z.browsers[r]; ok {
		return b
	}
	b := z.Browser().Login(z.roles[r])
	z.browsers[r] = b
	return b
}

// halfOpen is a browser that gave the password of a user who needs a code.
func (z *azWorld) halfOpen(t *testing.T) *testkit.Browser {
	t.Helper()
	b := z.Browser()
	r := b.Post("/fr/login", url.Values{"email": {z.halfway.Email}, "password": {testkit.Password}})
	if !strings.HasPrefix(r.Location, "/fr/login/totp") {
		t.Fatalf("half-open sign-in: %d %q", r.Status, r.Location)
	}
	return b
}

var azLinkRe = regexp.MustCompile(`https?://[^/\s]+(/fr/password/reset/[A-Za-z0-9_-]+)`)

// freshLink e-mails the resetee a new one-time link and returns its path.
func (z *azWorld) freshLink() string {
	t := z.T
	ctx := context.Background()
	err := z.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return z.App.Auth.Invite(ctx, tx, z.resetee) })
	if err != nil {
		t.Fatal(err)
	}
	var body string
	if err := z.DB.R.NewRaw("SELECT body FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1", z.resetee.Email).Scan(ctx, &body); err != nil {
		t.Fatal(err)
	}
	m := azLinkRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link in %q", body)
	}
	return m[1]
}

func (z *azWorld) fr(id string, args ...any) string {
	return html.EscapeString(z.App.Catalog.Localizer("fr").T(id, args...))
}

// do sends the row's request.
func (z *azWorld) do(t *testing.T, b *testkit.Browser, method, path string, form url.Values, header ...string) *testkit.Response {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		if form == nil {
			form = url.Values{}
		}
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, z.Server.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", z.Server.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &testkit.Response{Status: resp.StatusCode, Body: string(raw), Location: resp.Header.Get("Location"), Header: resp.Header}
}

// azSnapshot fingerprints every table (sessions without last_seen_at), so

func (row azRow) method() string {
	if row.verb != "" {
		return row.verb
	}
	m, _, _ := strings.Cut(row.pattern, " ")
	return m
}

// stripLang removes the language prefix of a language route's path.
func stripLang(p string) string {
	if strings.HasPrefix(p, "/fr/") {
		return p[len("/fr"):]
	}
	return p
}

func TestAuthorizationEveryRoute(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		z := newAZWorld(t, e)
		rows := azRows()

		// Every registered route has exactly one row, and every row a route.
		byPattern := map[string]azRow{}
		for _, row := range rows {
			if _, dup := byPattern[row.pattern]; dup {
				t.Errorf("two rows for %q", row.pattern)
			}
			byPattern[row.pattern] = row
		}
		registered := map[string]bool{}
		for _, rt := range z.App.Router.Routes() {
			registered[rt.Pattern] = true
			row, ok := byPattern[rt.Pattern]
			if !ok {
				t.Errorf("route %q has no authorization row: add one to azRows", rt.Pattern)
				continue
			}
			// The row's path must reach this very pattern.
			p := row.path(z)
			if rt.Lang != strings.HasPrefix(p, "/fr/") {
				t.Errorf("row %q: path %q and the language prefix disagree", rt.Pattern, p)
			}
			mux := http.NewServeMux()
			mux.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
			u, _ := url.Parse(stripLang(p))
			if _, got := mux.Handler(&http.Request{Method: row.method(), URL: u, Host: "x"}); got != rt.Pattern {
				t.Errorf("row %q: path %q does not reach the pattern (got %q)", rt.Pattern, p, got)
			}
		}
		for _, row := range rows {
			if !registered[row.pattern] {
				t.Errorf("row %q: no such route", row.pattern)
			}
		}
		if t.Failed() {
			t.FailNow()
		}

		checked := 0
		for _, row := range rows {
			t.Run(strings.NewReplacer("/", "_", " ", "_", "{", "", "}", "", "$", "").Replace(row.pattern), func(t *testing.T) {
				if row.staff == nil {
					checked += z.checkPublic(t, row)
				} else {
					checked += z.checkStaff(t, row)
				}
			})
		}
		t.Logf("%d routes, %d requests checked", len(rows), checked)
	})
}

func (z *azWorld) form(row azRow) url.Values {
	if row.form == nil {
		return nil
	}
	return row.form(z)
}

func (z *azWorld) expectLoc(t *testing.T, row azRow, path string, r *testkit.Response, who string) {
	t.Helper()
	if row.loc == nil {
		return
	}
	if want := row.loc(z, path); !strings.HasPrefix(r.Location, want) {
		t.Errorf("%s: redirect to %q, want %q...", who, r.Location, want)
	}
}

func (z *azWorld) checkPublic(t *testing.T, row azRow) int {
	n := 0
	// Anonymous visitors are served.
	p := row.path(z)
	r := z.do(t, z.Browser(), row.method(), p, z.form(row))
	n++
	if r.Status != row.want {
		t.Errorf("anonymous %s %s: %d %q, want %d", row.method(), p, r.Status, r.Location, row.want)
	}
	z.expectLoc(t, row, p, r, "anonymous")
	// Every role is served too: never refused, never sent to sign-in by Need.
	for _, role := range everyone {
		p := row.path(z)
		r := z.do(t, z.as(role), row.method(), p, z.form(row))
		n++
		if r.Status == http.StatusForbidden || r.Status >= 500 || strings.HasPrefix(r.Location, "/fr/login?next=") {
			t.Errorf("%s %s %s: %d %q", role, row.method(), p, r.Status, r.Location)
		}
		if row.ends {
			delete(z.browsers, role)
		}
	}
	return n
}

func (z *azWorld) checkStaff(t *testing.T, row azRow) int {
	n := 0
	for _, role := range everyone {
		b := z.as(role)
		p := row.path(z)
		allowed := slices.Contains(row.staff, role)
		var before map[string]string
		if !allowed {
			before = testkit.Snapshot(t, z.DB)
		}
		r := z.do(t, b, row.method(), p, z.form(row))
		n++
		switch {
		case allowed && r.Status != row.want:
			t.Errorf("%s may %s %s: got %d %q, want %d", role, row.method(), p, r.Status, r.Location, row.want)
		case allowed:
			z.expectLoc(t, row, p, r, string(role))
			if row.ends {
				delete(z.browsers, role)
			}
		case r.Status != http.StatusForbidden || !strings.Contains(r.Body, z.fr("common.error.forbidden")):
			t.Errorf("%s may not %s %s: got %d %q, want 403", role, row.method(), p, r.Status, r.Location)
		default:
			testkit.SameState(t, before, testkit.Snapshot(t, z.DB), fmt.Sprintf("refused %s for %s", row.pattern, role))
		}
	}

	p := row.path(z)
	wantLoc := "/fr/login?next=" + url.QueryEscape(stripLang(p))
	before := testkit.Snapshot(t, z.DB)
	// Anonymous: to sign-in, coming back to the page afterwards.
	r := z.do(t, z.Browser(), row.method(), p, z.form(row))
	if r.Status != http.StatusSeeOther || r.Location != wantLoc {
		t.Errorf("anonymous %s %s: %d %q, want 303 %q", row.method(), p, r.Status, r.Location, wantLoc)
	}
	// htmx: 401 with the sign-in page to load.
	r = z.do(t, z.Browser(), row.method(), p, z.form(row), "HX-Request", "true")
	if r.Status != http.StatusUnauthorized || r.Header.Get("HX-Redirect") != wantLoc {
		t.Errorf("anonymous htmx %s %s: %d HX-Redirect %q", row.method(), p, r.Status, r.Header.Get("HX-Redirect"))
	}
	testkit.SameState(t, before, testkit.Snapshot(t, z.DB), "anonymous "+row.pattern)
	// Password given, code not yet: to the code page.
	half := z.halfOpen(t)
	mid := testkit.Snapshot(t, z.DB)
	r = z.do(t, half, row.method(), p, z.form(row))
	if r.Status != http.StatusSeeOther || r.Location != "/fr/login/totp" {
		t.Errorf("half-open session %s %s: %d %q", row.method(), p, r.Status, r.Location)
	}
	testkit.SameState(t, mid, testkit.Snapshot(t, z.DB), "half-open session on "+row.pattern)
	return n + 3
}

// An anonymous visitor cannot tell a real staff route from a made-up one,
// nor a real record from another centre's or a missing one: every path of
// the staff area sends them to sign-in. Signed in, made-up paths are 404.
func TestAuthorizationAnonymousCannotMapStaffArea(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		z := newAZWorld(t, e)
		probes := []struct {
			method, path string
			real         bool
		}{
			{"GET", "/fr/admin/users/" + z.target.ID, true},
			{"GET", "/fr/admin/users/" + z.worker2.ID, true},
			{"GET", "/fr/admin/users/" + db.NewID(), true},
			{"GET", "/fr/admin/users/not-an-id", true},
			{"POST", "/fr/admin/users/" + z.target.ID + "/disable", true},
			{"GET", "/fr/admin/nothing", false},
			{"GET", "/fr/admin/users/" + z.target.ID + "/export", false},
			{"GET", "/fr/admin/sites/" + z.siteA.ID + "/archive", false}, // POST only
			{"POST", "/fr/admin/audit", false},                           // GET only
			{"DELETE", "/fr/admin/users/" + z.target.ID, false},
			{"GET", "/fr/admin", false},
			{"GET", "/fr/admin/", false},
			{"POST", "/fr/account", false},
			{"GET", "/fr/account/nothing", false},
			{"POST", "/fr/staff", false},
			{"GET", "/fr/staff/nothing", false},
		}
		admin := z.as(auth.Admin)
		for _, p := range probes {
			want := "/fr/login?next=" + url.QueryEscape(stripLang(p.path))
			if r := z.do(t, z.Browser(), p.method, p.path, nil); r.Status != http.StatusSeeOther || r.Location != want {
				t.Errorf("anonymous %s %s: %d %q, want 303 %q", p.method, p.path, r.Status, r.Location, want)
			}
			if p.real {
				continue
			}
			if r := z.do(t, admin, p.method, p.path, nil); r.Status != http.StatusNotFound || !strings.Contains(r.Body, z.fr("common.error.not_found")) {
				t.Errorf("administrator %s %s: %d, want the 404 page", p.method, p.path, r.Status)
			}
		}
		// Outside the staff area, made-up paths stay a plain 404 for everyone.
		if r := z.do(t, z.Browser(), "GET", "/fr/nothing", nil); r.Status != http.StatusNotFound {
			t.Errorf("anonymous /fr/nothing: %d", r.Status)
		}
	})
}

// mustNotContain fails when a page shows any of the markers.
func mustNotContain(t *testing.T, r *testkit.Response, what string, markers ...string) {
	t.Helper()
	for _, m := range markers {
		if strings.Contains(r.Body, m) {
			t.Errorf("%s shows %q", what, m)
		}
	}
}

func (z *azWorld) get200(t *testing.T, b *testkit.Browser, path string) *testkit.Response {
	t.Helper()
	r := b.Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %q", path, r.Status, r.Location)
	}
	return r
}

// A site manager of site A manages the accounts of A, and nothing of B.
func TestAuthorizationSiteScoping(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		z := newAZWorld(t, e)
		sm := z.as(auth.SiteManager)
		bOnlyName := z.bOnly.Name

		sites := z.get200(t, sm, "/fr/admin/sites?archived=1")
		if !strings.Contains(sites.Body, "Site Alpha") {
			t.Fatal("site A missing from the site manager's sites")
		}
		mustNotContain(t, sites, "sites of the site manager", "Site Bravo", z.siteB.ID, "Site Delta", "Site Charlie")
		mustNotContain(t, z.get200(t, sm, "/fr/admin/sites?q=Bravo"), "site search", "Site Bravo", z.siteB.ID)
		mustNotContain(t, z.get200(t, sm, "/fr/staff"), "home of the site manager", "Site Bravo", z.siteB.ID)
		users := z.get200(t, sm, "/fr/admin/users?disabled=1")
		for _, u := range []*auth.User{z.target, z.both} {
			if !strings.Contains(users.Body, u.Email) {
				t.Errorf("%s (a user of A) missing from the site manager's users", u.Email)
			}
		}
		mustNotContain(t, users, "users of the site manager", bOnlyName, z.bOnly.Email, z.roles[auth.Admin].Email, "deux.example")
		for _, q := range []string{"?q=bravo", "?site=" + z.siteB.ID, "?role=social_worker&disabled=1"} {
			mustNotContain(t, z.get200(t, sm, "/fr/admin/users"+q), "users "+q, z.bOnly.Email)
		}
		// The new-user form offers A only, and only the roles a site manager may give.
		form := z.get200(t, sm, "/fr/admin/users/new")
		if !strings.Contains(form.Body, `value="`+z.siteA.ID+`"`) {
			t.Error("site A not offered in the user form")
		}
		mustNotContain(t, form, "user form of the site manager", `value="`+z.siteB.ID+`"`, `value="*"`,
			`<option value="admin"`, `<option value="site_manager"`, `<option value="partner"`)

		// Records only in B, or in another centre: 404, and nothing changes.
		before := testkit.Snapshot(t, z.DB)
		for _, p := range []string{"/fr/admin/users/" + z.bOnly.ID, "/fr/admin/users/" + z.roles[auth.Admin].ID, "/fr/admin/users/" + z.worker2.ID,
			"/fr/admin/sites/" + z.siteB.ID, "/fr/admin/sites/" + z.siteD.ID, "/fr/admin/sites/" + z.siteC.ID} {
			if r := sm.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("site manager GET %s: %d, want 404", p, r.Status)
			}
		}
		for _, id := range []string{z.bOnly.ID, z.roles[auth.Admin].ID, z.worker2.ID} {
			for _, action := range []string{"", "/disable", "/enable", "/reset-totp", "/reinvite"} {
				p := "/fr/admin/users/" + id + action
				r := sm.Post(p, url.Values{"name": {"Pris"}, "lang": {"fr"}, "role": {"social_worker"}, "site": {z.siteA.ID}})
				if r.Status != http.StatusNotFound {
					t.Errorf("site manager POST %s: %d, want 404", p, r.Status)
				}
			}
		}
		// A user of A and B is visible, read-only.
		page := z.get200(t, sm, "/fr/admin/users/"+z.both.ID)
		if !strings.Contains(page.Body, z.fr("org.user.read_only")) {
			t.Error("a user of A and B is not read-only for the site manager of A")
		}
		for _, action := range []string{"", "/disable", "/reset-totp"} {
			p := "/fr/admin/users/" + z.both.ID + action
			if r := sm.Post(p, url.Values{"name": {"Pris"}, "lang": {"fr"}, "role": {"reception_agent"}, "site": {z.siteA.ID}}); r.Status != http.StatusForbidden {
				t.Errorf("site manager POST %s: %d, want 403", p, r.Status)
			}
		}
		testkit.SameState(t, before, testkit.Snapshot(t, z.DB), "refused requests of the site manager")

		// Roles the site manager cannot give, or in sites not theirs.
		bad := []struct{ role, site, why string }{
			{"social_worker", z.siteB.ID, "a role in B"},
			{"social_worker", z.siteC.ID, "a role in another centre's site"},
			{"social_worker", "*", "a centre-wide role"},
			{"admin", "*", "the administrator role"},
			{"admin", z.siteA.ID, "the administrator role in A"},
			{"site_manager", z.siteA.ID, "their own role"},
			{"partner", z.siteA.ID, "the partner role"},
			{"no_such_role", z.siteA.ID, "a made-up role"},
		}
		for _, c := range bad {
			before := testkit.Snapshot(t, z.DB)
			r := sm.Post("/fr/admin/users", url.Values{"name": {"Intrus"}, "email": {"intrus@un.example"}, "lang": {"fr"},
				"role": {"social_worker", c.role}, "site": {z.siteA.ID, c.site}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("create with %s: %d %q, want 422", c.why, r.Status, r.Location)
			}
			r = sm.Post("/fr/admin/users/"+z.target.ID, url.Values{"name": {"Cible Un"}, "lang": {"fr"},
				"role": {"social_worker", c.role}, "site": {z.siteA.ID, c.site}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("give the target %s: %d %q, want 422", c.why, r.Status, r.Location)
			}
			testkit.SameState(t, before, testkit.Snapshot(t, z.DB), "refused role "+c.why)
		}
		// What the site manager may do, they can.
		r := sm.Post("/fr/admin/users", url.Values{"name": {"Recrue Alpha"}, "email": {"recrue-alpha@un.example"}, "lang": {"fr"},
			"role": {"legal_specialist", "volunteer"}, "site": {z.siteA.ID, z.siteA.ID}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create in A: %d", r.Status)
		}

		// Staff with a role in A only see A.
		sw := z.as(auth.SocialWorker)
		mustNotContain(t, z.get200(t, sw, "/fr/admin/sites?archived=1"), "sites of a social worker", "Site Bravo", "Site Delta")
		for _, s := range []*org.Site{z.siteB, z.siteD, z.siteC} {
			if r := sw.Get("/fr/admin/sites/" + s.ID); r.Status != http.StatusNotFound {
				t.Errorf("social worker of A opens %s: %d, want 404", s.Name, r.Status)
			}
		}
	})
}

// Two centres on one server see nothing of each other: every id of the
// other centre is 404, and no list, audit entry or message leaks through.
func TestAuthorizationCentreIsolation(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		z := newAZWorld(t, e)
		admin1 := z.as(auth.Admin)
		admin2 := z.Browser().Login(z.admin2)

		// Activity in both centres: sites and accounts created through the
		// pages (invitation e-mails), failed and successful sign-ins.
		type centre struct {
			name          string
			admin         *testkit.Browser
			siteIDs       []string
			userIDs       []string
			markers       []string // text only this centre's pages may show
			newSite, mail string
			adminEmail    string
		}
		c1 := &centre{name: "centre 1", admin: admin1, newSite: "Site Echo Un", mail: "invite@un.example", adminEmail: z.roles[auth.Admin].Email}
		c2 := &centre{name: "centre 2", admin: admin2, newSite: "Site Echo Deux", mail: "invite@deux.example", adminEmail: z.admin2.Email}
		for _, c := range []*centre{c1, c2} {
			r := c.admin.Post("/fr/admin/sites", url.Values{"name": {c.newSite}, "kind": {"chu"}, "postal_code": {"75019"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("%s creates a site: %d", c.name, r.Status)
			}
			c.siteIDs = append(c.siteIDs, strings.TrimPrefix(r.Location, "/fr/admin/sites/"))
			site := c.siteIDs[0]
			r = c.admin.Post("/fr/admin/users", url.Values{"name": {"Invite " + c.name}, "email": {c.mail}, "lang": {"fr"},
				"role": {"social_worker"}, "site": {site}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("%s invites a user: %d", c.name, r.Status)
			}
			c.userIDs = append(c.userIDs, strings.TrimPrefix(r.Location, "/fr/admin/users/"))
		}
		c1.siteIDs = append(c1.siteIDs, z.siteA.ID, z.siteB.ID, z.siteD.ID)
		c1.userIDs = append(c1.userIDs, z.roles[auth.Admin].ID, z.target.ID, z.bOnly.ID)
		c1.markers = []string{"Centre Un", "Site Alpha", "Site Bravo", "Site Delta", "Site Echo Un", "un.example", "Invite centre 1"}
		c2.siteIDs = append(c2.siteIDs, z.siteC.ID)
		c2.userIDs = append(c2.userIDs, z.admin2.ID, z.worker2.ID)
		c2.markers = []string{"Centre Deux", "Site Charlie", "Site Echo Deux", "deux.example", "Invite centre 2"}
		for _, u := range []*auth.User{z.worker2, z.target} {
			z.Browser().Post("/fr/login", url.Values{"email": {u.Email}, "password": {"wrong password!"}})
			z.Browser().Login(u)
		}

		for _, pair := range [][2]*centre{{c1, c2}, {c2, c1}} {
			me, them := pair[0], pair[1]
			b := me.admin
			// Their records: 404 on every route that takes an id, nothing changes.
			before := testkit.Snapshot(t, z.DB)
			for _, id := range them.siteIDs {
				for _, p := range []string{"/fr/admin/sites/" + id, "/fr/admin/sites/" + id + "/edit"} {
					if r := b.Get(p); r.Status != http.StatusNotFound {
						t.Errorf("%s GET %s: %d, want 404", me.name, p, r.Status)
					}
				}
				for _, action := range []string{"", "/archive", "/restore"} {
					p := "/fr/admin/sites/" + id + action
					if r := b.Post(p, url.Values{"name": {"Pris"}, "kind": {"psa"}}); r.Status != http.StatusNotFound {
						t.Errorf("%s POST %s: %d, want 404", me.name, p, r.Status)
					}
				}
			}
			for _, id := range them.userIDs {
				if r := b.Get("/fr/admin/users/" + id); r.Status != http.StatusNotFound {
					t.Errorf("%s GET user %s: %d, want 404", me.name, id, r.Status)
				}
				for _, action := range []string{"", "/disable", "/enable", "/reset-totp", "/reinvite"} {
					p := "/fr/admin/users/" + id + action
					if r := b.Post(p, url.Values{"name": {"Pris"}, "lang": {"fr"}, "role": {"admin"}, "site": {"*"}}); r.Status != http.StatusNotFound {
						t.Errorf("%s POST %s: %d, want 404", me.name, p, r.Status)
					}
				}
			}
			// Nor can a role be given in one of their sites.
			r := b.Post("/fr/admin/users", url.Values{"name": {"Passe-muraille"}, "email": {"passe@example.org"}, "lang": {"fr"},
				"role": {"social_worker"}, "site": {them.siteIDs[0]}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s gives a role in the other centre's site: %d", me.name, r.Status)
			}
			testkit.SameState(t, before, testkit.Snapshot(t, z.DB), me.name+" touching the other centre")

			// Lists, filters, the audit trail and the outbox show none of theirs.
			pages := []string{"/fr/staff", "/fr/admin/sites", "/fr/admin/sites?archived=1", "/fr/admin/sites?q=Site",
				"/fr/admin/users", "/fr/admin/users?disabled=1", "/fr/admin/users?q=example", "/fr/admin/users?site=" + them.siteIDs[0],
				"/fr/admin/users/new", "/fr/admin/audit", "/fr/admin/audit?action=auth.", "/fr/admin/audit?action=user.create",
				"/fr/admin/audit?actor=" + them.userIDs[0], "/fr/admin/audit?object_type=user&object_id=" + them.userIDs[1],
				"/fr/admin/outbox", "/fr/admin/outbox?channel=email&status=queued", "/fr/account"}
			for _, p := range pages {
				r := z.get200(t, b, p)
				mustNotContain(t, r, me.name+" "+p, them.markers...)
				for _, id := range append(slices.Clone(them.siteIDs), them.userIDs...) {
					if !strings.Contains(p, id) { // an id typed in the filter is shown back
						mustNotContain(t, r, me.name+" "+p, id)
					}
				}
			}
			// And their own is there (the pages do list things).
			if r := z.get200(t, b, "/fr/admin/audit"); !strings.Contains(r.Body, "user.create") || !strings.Contains(r.Body, me.adminEmail) {
				t.Errorf("%s: own audit entries missing", me.name)
			}
			if r := z.get200(t, b, "/fr/admin/outbox"); !strings.Contains(r.Body, me.mail) {
				t.Errorf("%s: own invitation missing from the outbox", me.name)
			}
			if r := z.get200(t, b, "/fr/admin/sites"); !strings.Contains(r.Body, me.newSite) {
				t.Errorf("%s: own site missing", me.name)
			}
		}
	})
}

// Every staff route lives under a root registered with Auth.StaffArea, so
// that the previous test holds for each module's pages too.
func TestAuthorizationStaffAreasCovered(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		z := newAZWorld(t, e)
		registered := map[string]bool{}
		for _, rt := range z.App.Router.Routes() {
			registered[rt.Pattern] = true
		}
		for _, row := range azRows() {
			if row.staff == nil {
				continue
			}
			p := stripLang(row.path(z))
			seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
			root := "/" + strings.SplitN(seg, "?", 2)[0]
			if !registered[root] || !registered[root+"/"] {
				t.Errorf("staff route %q is outside the staff areas: call Auth.StaffArea(rt, %q) in the module's Register", row.pattern, root)
			}
		}
	})
}

package web_test

import (
	"context"
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
	"time"

	"parcours/internal/org"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/testkit"
	"parcours/internal/platform/web"
)

// secWorld is a centre with two sites, an administrator, a volunteer and a
// social worker; one of the sites is archived, one account disabled, so
// that the pages show every state.
type secWorld struct {
	*testkit.World
	o            *org.Org
	site, other  *org.Site
	admin, vol   *auth.User
	worker, gone *auth.User
}

func newSecWorld(t *testing.T, e db.Engine, opts ...testkit.Options) *secWorld {
	t.Helper()
	w := testkit.NewWorld(t, e, opts...)
	s := &secWorld{World: w, o: w.Org("Centre Sécurité")}
	s.site = w.Site(s.o, "PSA Bastille", "psa")
	s.other = w.Site(s.o, "Gymnase Japy", "gymnase")
	s.admin = w.User(s.o, "admin@example.org", auth.Membership{Role: auth.Admin})
	s.vol = w.User(s.o, "benevole@example.org", auth.Membership{Role: auth.Volunteer, SiteID: s.site.ID})
	s.worker = w.User(s.o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.site.ID})
	s.gone = w.User(s.o, "parti@example.org", auth.Membership{Role: auth.ReceptionAgent, SiteID: s.other.ID})
	return s
}

func (s *secWorld) fr(id string, args ...any) string {
	return html.EscapeString(s.App.Catalog.Localizer("fr").T(id, args...))
}

// request sends a request through client (a browser's when nil).
func request(t *testing.T, base string, client *http.Client, method, path, body string, header ...string) *testkit.Response {
	t.Helper()
	var rd io.Reader
	if body != "" || method == http.MethodPost {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &testkit.Response{Status: resp.StatusCode, Body: string(raw), Location: resp.Header.Get("Location"), Header: resp.Header}
}

// sameOrigin are the headers a browser sends with a form of the site itself.
func (s *secWorld) sameOrigin() []string {
	return []string{"Origin", s.Server.URL, "Sec-Fetch-Site", "same-origin"}
}

// checkHeaders verifies the security headers every response carries.
func checkHeaders(t *testing.T, what string, r *testkit.Response, hsts bool) {
	t.Helper()
	h := r.Header
	if got := h.Get("Content-Security-Policy"); got != web.CSP {
		t.Errorf("%s: CSP %q", what, got)
	}
	if got := h.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options %q", what, got)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", what, got)
	}
	if got := h.Get("Referrer-Policy"); got != "same-origin" && got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q", what, got)
	}
	if h.Get("X-Request-ID") == "" {
		t.Errorf("%s: no X-Request-ID", what)
	}
	got := h.Get("Strict-Transport-Security")
	switch {
	case hsts && (!strings.HasPrefix(got, "max-age=") || strings.HasPrefix(got, "max-age=0")):
		t.Errorf("%s: over TLS, Strict-Transport-Security %q", what, got)
	case !hsts && got != "":
		t.Errorf("%s: Strict-Transport-Security %q over plain HTTP", what, got)
	}
}

func TestCSPPolicy(t *testing.T) {
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "unsafe-hashes", "*", "http:", "https:"} {
		if strings.Contains(web.CSP, bad) {
			t.Errorf("CSP allows %q: %s", bad, web.CSP)
		}
	}
	for _, need := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
		"base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(web.CSP, need) {
			t.Errorf("CSP lacks %q", need)
		}
	}
}

// Every kind of response carries the security headers: pages, fragments,
// redirects, every error status, static files, health and metrics.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSecWorld(t, e)
		admin := s.Browser().Login(s.admin)
		vol := s.Browser().Login(s.vol)
		anon := s.Browser()
		big := "email=a%40b.c&password=" + strings.Repeat("x", web.DefaultMaxBody+1)
		base := s.Server.URL
		cases := []struct {
			name   string
			b      *testkit.Browser
			method string
			path   string
			body   string
			header []string
			status int
		}{
			{"public page", anon, "GET", "/fr/", "", nil, 200},
			{"public page, HEAD", anon, "HEAD", "/fr/about", "", nil, 200},
			{"public page, gzip", anon, "GET", "/fr/accessibility", "", []string{"Accept-Encoding", "gzip"}, 200},
			{"staff page", admin, "GET", "/fr/staff", "", nil, 200},
			{"htmx fragment", admin, "GET", "/fr/admin/sites?q=PSA", "", []string{"HX-Request", "true", "HX-Target", "site-rows"}, 200},
			{"home redirect", anon, "GET", "/", "", nil, 303},
			{"language redirect", anon, "GET", "/fa-af/about", "", nil, 301},
			{"sign-in redirect", anon, "GET", "/fr/admin/users", "", nil, 303},
			{"htmx sign-in", anon, "GET", "/fr/admin/users", "", []string{"HX-Request", "true"}, 401},
			{"wrong password", anon, "POST", "/fr/login", "email=admin%40example.org&password=nope", s.sameOrigin(), 401},
			{"invalid form", anon, "POST", "/fr/login", "email=&password=", s.sameOrigin(), 422},
			{"forbidden", vol, "GET", "/fr/admin/sites", "", nil, 403},
			{"cross-origin", anon, "POST", "/fr/login", "email=a", []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, 403},
			{"not found", anon, "GET", "/fr/nothing", "", nil, 404},
			{"not found, no language", anon, "GET", "/nothing", "", nil, 404},
			{"record not found", admin, "GET", "/fr/admin/sites/" + db.NewID(), "", nil, 404},
			{"too large", anon, "POST", "/fr/login", big, s.sameOrigin(), 413},
			{"static file", anon, "GET", "/static/css/app.css", "", []string{"Accept-Encoding", "gzip"}, 200},
			{"static, missing", anon, "GET", "/static/nothing.js", "", nil, 404},
			{"health", anon, "GET", "/healthz", "", nil, 200},
			{"ready", anon, "GET", "/readyz", "", nil, 200},
			{"metrics", anon, "GET", "/metrics", "", nil, 200},
		}
		for _, c := range cases {
			r := request(t, base, c.b.Client, c.method, c.path, c.body, c.header...)
			if r.Status != c.status {
				t.Errorf("%s: status %d, want %d", c.name, r.Status, c.status)
			}
			checkHeaders(t, c.name, r, false)
		}
		// A sign-in link page keeps its token out of referrers.
		anon.Post("/fr/password/forgot", url.Values{"email": {s.vol.Email}})
		var body string
		if err := s.DB.R.NewRaw("SELECT body FROM outbox WHERE recipient = ?", s.vol.Email).Scan(context.Background(), &body); err != nil {
			t.Fatal(err)
		}
		link := regexp.MustCompile(`/fr/password/reset/[A-Za-z0-9_-]+`).FindString(body)
		r := anon.Get(link)
		if r.Status != 200 || r.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("reset page: %d, Referrer-Policy %q", r.Status, r.Header.Get("Referrer-Policy"))
		}
		checkHeaders(t, "reset page", r, false)
		// Pages with personal data are not stored by caches.
		for _, p := range []string{"/fr/staff", "/fr/admin/users", "/fr/admin/users/" + s.worker.ID, "/fr/account", "/fr/admin/audit"} {
			if r := admin.Get(p); r.Status != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
				t.Errorf("%s: %d, Cache-Control %q", p, r.Status, r.Header.Get("Cache-Control"))
			}
		}
	})
}

// HSTS is sent over TLS (directly, or from a trusted proxy), never over
// plain HTTP and never on an untrusted X-Forwarded-Proto.
func TestHSTS(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSecWorld(t, e)
		tlsSrv := httptest.NewTLSServer(s.App.Handler)
		defer tlsSrv.Close()
		c := tlsSrv.Client()
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		for _, p := range []string{"/fr/", "/", "/fr/admin/users", "/fr/nothing", "/static/css/app.css", "/healthz"} {
			r := request(t, tlsSrv.URL, c, "GET", p, "")
			if r.Header.Get("Strict-Transport-Security") != "max-age=63072000; includeSubDomains" {
				t.Errorf("TLS %s: HSTS %q", p, r.Header.Get("Strict-Transport-Security"))
			}
			checkHeaders(t, "TLS "+p, r, true)
		}
		// Untrusted proxy header: ignored.
		plain := s.Browser().Client
		r := request(t, s.Server.URL, plain, "GET", "/fr/", "", "X-Forwarded-Proto", "https")
		checkHeaders(t, "untrusted X-Forwarded-Proto", r, false)

		proxied := newSecWorld(t, e, testkit.Options{Configure: func(c *config.Config) { c.TrustProxy = true }})
		pc := proxied.Browser().Client
		r = request(t, proxied.Server.URL, pc, "GET", "/fr/", "", "X-Forwarded-Proto", "https")
		checkHeaders(t, "trusted proxy, https", r, true)
		r = request(t, proxied.Server.URL, pc, "GET", "/fr/", "", "X-Forwarded-Proto", "http")
		checkHeaders(t, "trusted proxy, http", r, false)
	})
}

// A form posted from another site is refused with the translated 403 page
// and changes nothing: sign-in and staff forms alike.
func TestCrossOriginPostRefused(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSecWorld(t, e)
		admin := s.Browser().Login(s.admin)
		msg := s.fr("common.error.cross_origin")
		base := s.Server.URL
		login := url.Values{"email": {s.vol.Email}, "password": {testkit.Password}}.Encode()
		siteForm := url.Values{"name": {"Site pirate"}, "kind": {"psa"}}.Encode()
		attacks := [][]string{
			{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"},
			{"Origin", "https://evil.example"},                                     // an older browser: no Sec-Fetch-Site
			{"Origin", "https://sub.parcours.test", "Sec-Fetch-Site", "same-site"}, // a sibling site
		}
		for _, h := range attacks {
			before := testkit.Snapshot(t, s.DB)
			anon := s.Browser()
			r := request(t, base, anon.Client, "POST", "/fr/login", login, h...)
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, msg) {
				t.Errorf("cross-origin sign-in %v: %d", h, r.Status)
			}
			if strings.Contains(r.Header.Get("Set-Cookie"), s.App.AuthWeb.CookieName()) {
				t.Errorf("cross-origin sign-in %v set a session", h)
			}
			for _, p := range []struct{ path, body string }{
				{"/fr/admin/sites", siteForm},
				{"/fr/admin/users/" + s.worker.ID + "/disable", ""},
				{"/fr/account/password", url.Values{"current": {testkit.Password}, "password": {"pirate passphrase!"}, "confirm": {"pirate passphrase!"}}.Encode()},
				{"/fr/account/logout-everywhere", ""},
				{"/fr/logout", ""},
			} {
				r := request(t, base, admin.Client, "POST", p.path, p.body, h...)
				if r.Status != http.StatusForbidden || !strings.Contains(r.Body, msg) {
					t.Errorf("cross-origin %s %v: %d %q", p.path, h, r.Status, r.Location)
				}
			}
			testkit.SameState(t, before, testkit.Snapshot(t, s.DB), fmt.Sprintf("cross-origin posts %v", h))
			if r := admin.Get("/fr/staff"); r.Status != 200 {
				t.Fatalf("the administrator was signed out by a cross-origin post: %d", r.Status)
			}
		}
		// The same forms from the site itself work (the refusals above are not
		// about the forms), and links from elsewhere still open pages.
		r := request(t, base, admin.Client, "POST", "/fr/admin/sites", siteForm, s.sameOrigin()...)
		if r.Status != http.StatusSeeOther {
			t.Errorf("same-origin site form: %d", r.Status)
		}
		r = request(t, base, s.Browser().Client, "POST", "/fr/login", login, s.sameOrigin()...)
		if r.Status != http.StatusSeeOther {
			t.Errorf("same-origin sign-in: %d", r.Status)
		}
		if r := request(t, base, admin.Client, "GET", "/fr/staff", "", "Sec-Fetch-Site", "cross-site"); r.Status != 200 {
			t.Errorf("cross-site link: %d", r.Status)
		}
	})
}

// Bodies over 1 MiB are refused with the translated 413 page; smaller ones
// are read.
func TestBodyLimit(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSecWorld(t, e)
		admin := s.Browser().Login(s.admin)
		msg := s.fr("common.error.too_large")
		base := s.Server.URL
		pad := func(n int) string { return strings.Repeat("a", n) }

		r := request(t, base, s.Browser().Client, "POST", "/fr/login", "email=a%40b.c&password="+pad(web.DefaultMaxBody), s.sameOrigin()...)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, msg) {
			t.Errorf("sign-in over 1 MiB: %d", r.Status)
		}
		before := testkit.Snapshot(t, s.DB)
		r = request(t, base, admin.Client, "POST", "/fr/admin/sites", "kind=psa&name=Grand&address="+pad(web.DefaultMaxBody), s.sameOrigin()...)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.Body, msg) {
			t.Errorf("staff form over 1 MiB: %d", r.Status)
		}
		testkit.SameState(t, before, testkit.Snapshot(t, s.DB), "a body over the limit")
		// Just under the limit, the form is read (and refused for its content).
		r = request(t, base, s.Browser().Client, "POST", "/fr/login", "email=a%40b.c&password="+pad(web.DefaultMaxBody-100), s.sameOrigin()...)
		if r.Status != http.StatusUnauthorized {
			t.Errorf("sign-in just under 1 MiB: %d", r.Status)
		}
	})
}

var leakRe = regexp.MustCompile(`(?i)select |insert |no such table|relation "|does not exist|sqlstate|database is closed|sql:|goroutine|panic|\.go:\d+|runtime/`)

func checkInternalError(t *testing.T, s *secWorld, r *testkit.Response, what string) {
	t.Helper()
	if r.Status != http.StatusInternalServerError {
		t.Fatalf("%s: status %d %q, want 500", what, r.Status, r.Location)
	}
	id := r.Header.Get("X-Request-ID")
	if !strings.Contains(r.Body, s.fr("common.error.internal")) || !strings.Contains(r.Body, s.fr("common.error.reference", "ID", id)) {
		t.Errorf("%s: the page lacks the generic message or the request id %s", what, id)
	}
	if m := leakRe.FindString(r.Body); m != "" {
		t.Errorf("%s: the page shows %q", what, m)
	}
	checkHeaders(t, what, r, false)
}

// An internal error shows a generic message and the request id, never the
// SQL, the driver's message or a stack trace; a broken database is an
// error, not a sign-out.
func TestInternalErrorPage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSecWorld(t, e)
		admin := s.Browser().Login(s.admin)
		if _, err := s.DB.W.ExecContext(context.Background(), "ALTER TABLE sites RENAME TO sites_moved"); err != nil {
			t.Fatal(err)
		}
		checkInternalError(t, s, admin.Get("/fr/admin/sites"), "missing table")
		checkInternalError(t, s, admin.Get("/fr/staff"), "missing table, home")
		checkInternalError(t, s, request(t, s.Server.URL, admin.Client, "POST", "/fr/admin/sites",
			"name=Nouveau&kind=psa", s.sameOrigin()...), "missing table, form")

		s2 := newSecWorld(t, e)
		admin2 := s2.Browser().Login(s2.admin)
		half := s2.Browser()
		half.Post("/fr/login", url.Values{"email": {s2.worker.Email}, "password": {testkit.Password}})
		if err := s2.DB.Close(); err != nil {
			t.Fatal(err)
		}
		checkInternalError(t, s2, admin2.Get("/fr/staff"), "closed database, staff page")
		checkInternalError(t, s2, request(t, s2.Server.URL, admin2.Client, "POST", "/fr/admin/sites", "name=Nouveau&kind=psa",
			s2.sameOrigin()...), "closed database, staff form")
		checkInternalError(t, s2, s2.Browser().Post("/fr/login", url.Values{"email": {s2.vol.Email}, "password": {testkit.Password}}),
			"closed database, sign-in")
		checkInternalError(t, s2, half.Post("/fr/login/totp", url.Values{"code": {"123456"}}), "closed database, code")
		if r := s2.Browser().Get("/readyz"); r.Status != http.StatusServiceUnavailable || leakRe.MatchString(r.Body) {
			t.Errorf("readyz with a closed database: %d %q", r.Status, r.Body)
		}
	})
}

var (
	hrefRe     = regexp.MustCompile(`<(?:a|link)\b[^>]*?\shref="([^"]*)"`)
	scriptRe   = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	tagRe      = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	styleAttr  = regexp.MustCompile(`(?i)\sstyle\s*=`)
	handlerRe  = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	styleTagRe = regexp.MustCompile(`(?i)<style\b`)
	jsURLRe    = regexp.MustCompile(`(?i)(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:`)
)

// checkHTML fails on inline script, inline style or event handlers: the
// CSP would block them, so the page would break in browsers.
func checkHTML(t *testing.T, page, body string) {
	t.Helper()
	for _, m := range scriptRe.FindAllStringSubmatch(body, -1) {
		if strings.TrimSpace(m[2]) != "" || !strings.Contains(m[1], "src=") {
			t.Errorf("%s: inline <script>%.60s", page, m[2])
		}
	}
	if styleTagRe.MatchString(body) {
		t.Errorf("%s: <style> element", page)
	}
	if jsURLRe.MatchString(body) {
		t.Errorf("%s: javascript: URL", page)
	}
	for _, tag := range tagRe.FindAllString(body, -1) {
		if styleAttr.MatchString(tag) {
			t.Errorf("%s: style attribute in %.80s", page, tag)
		}
		if handlerRe.MatchString(tag) {
			t.Errorf("%s: event handler attribute in %.80s", page, tag)
		}
	}
}

// crawler fetches the same-site GET links reachable from its seeds: every
// route, a few records of each in French, one page of each route in the
// other languages (same template, other words).
type crawler struct {
	t      *testing.T
	s      *secWorld
	b      *testkit.Browser
	seen   map[string]bool
	pages  []string // fetched, in order
	shape  map[string]int
	mux    *http.ServeMux // the language routes, to tell a URL's route
	frOnly bool           // skip the other languages
}

// perRoute bounds the pages of one route in one language (a glossary of
// two hundred words is one template).
func perRoute(lang string) int {
	if lang == "fr" {
		return 6
	}
	return 1
}

func newCrawler(t *testing.T, s *secWorld, b *testkit.Browser) *crawler {
	c := &crawler{t: t, s: s, b: b, seen: map[string]bool{}, shape: map[string]int{}, mux: http.NewServeMux()}
	for _, rt := range s.App.Router.Routes() {
		if rt.Lang {
			c.mux.HandleFunc(rt.Pattern, func(http.ResponseWriter, *http.Request) {})
		}
	}
	return c
}

func (c *crawler) crawl(seeds ...string) {
	queue := append([]string(nil), seeds...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if c.seen[p] {
			continue
		}
		c.seen[p] = true
		if len(c.pages) > 3000 {
			c.t.Fatalf("the crawl does not end: %v", c.pages[len(c.pages)-20:])
		}
		r := c.b.Get(p)
		c.pages = append(c.pages, p)
		checkHeaders(c.t, "GET "+p, r, false)
		if r.Status == http.StatusSeeOther || r.Status == http.StatusMovedPermanently {
			queue = append(queue, r.Location)
			continue
		}
		if r.Status != http.StatusOK {
			c.t.Errorf("GET %s: %d (a broken link)", p, r.Status)
			continue
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			continue
		}
		checkHTML(c.t, p, r.Body)
		base, _ := url.Parse(p)
		for _, m := range hrefRe.FindAllStringSubmatch(r.Body, -1) {
			ref, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil || ref.Scheme != "" || ref.Host != "" {
				continue
			}
			u := base.ResolveReference(ref)
			u.Fragment = ""
			next := u.RequestURI()
			if strings.HasPrefix(next, "/static/") || c.seen[next] {
				continue
			}
			if lang, rest := splitLang(u.Path); lang != "" {
				_, route := c.mux.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: rest}, Host: "x"})
				key := lang + " " + route
				if c.shape[key] >= perRoute(lang) || (c.frOnly && lang != "fr") {
					continue
				}
				c.shape[key]++
			}
			queue = append(queue, next)
		}
	}
}

func splitLang(p string) (string, string) {
	seg, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if _, ok := i18n.Lookup(seg); ok {
		return seg, "/" + rest
	}
	return "", p
}

// auditAfter returns the actions of the audit entries after seq.
func auditAfter(t *testing.T, d *db.DB, seq int64) []string {
	t.Helper()
	var actions []string
	if err := d.R.NewRaw("SELECT action FROM audit_log WHERE seq > ? ORDER BY seq", seq).Scan(context.Background(), &actions); err != nil {
		t.Fatal(err)
	}
	return actions
}

func isRead(action string) bool {
	return strings.HasSuffix(action, ".read") || strings.HasPrefix(action, "export.")
}

func maxSeq(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.R.NewRaw("SELECT COALESCE(MAX(seq), 0) FROM audit_log").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// withoutAudit drops the audit tables from a snapshot (compared apart).
func withoutAudit(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if k != "audit_log" && k != "audit_head" {
			out[k] = v
		}
	}
	return out
}

// Every page an administrator can reach by links (in every language), and
// the public and sign-in pages, are free of inline script and style; and
// GET changes nothing in the database (apart from a session's last-seen
// time and audit entries of reads).
func TestCrawlGetPages(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSecWorld(t, e)
		winter := s.Site(s.o, "Gymnase hiver", "gymnase")
		admin := s.Browser().Login(s.admin)
		// Give the pages something to show: an archived site, a seasonal one,
		// a disabled account, an invitation, audit entries and messages.
		for _, f := range []struct {
			path string
			form url.Values
		}{
			{"/fr/admin/sites/" + s.other.ID + "/archive", nil},
			{"/fr/admin/sites/" + winter.ID, url.Values{"name": {"Gymnase hiver"}, "kind": {"gymnase"}, "opens_on": {"2026-11-01"}, "closes_on": {"2027-03-31"}}},
			{"/fr/admin/users/" + s.gone.ID + "/disable", nil},
			{"/fr/admin/users", url.Values{"name": {"Nouvelle"}, "email": {"nouvelle@example.org"}, "lang": {"ar"}, "role": {"translator"}, "site": {s.site.ID}}},
		} {
			if r := admin.Post(f.path, f.form); r.Status != http.StatusSeeOther {
				t.Fatalf("POST %s: %d", f.path, r.Status)
			}
		}
		worker := s.Browser().Login(s.worker)
		half := s.Browser()
		half.Post("/fr/login", url.Values{"email": {"nouvelle@example.org"}, "password": {"x"}})
		half.Post("/fr/login", url.Values{"email": {s.worker.Email}, "password": {testkit.Password}})

		before := testkit.Snapshot(t, s.DB)
		seq := maxSeq(t, s.DB)
		c := newCrawler(t, s, admin)
		c.crawl("/fr/staff", "/fr/admin/sites?archived=1&kind=gymnase&q=hiver", "/fr/admin/users?disabled=1", "/fr/admin/users?disabled=1&role=admin&site="+s.site.ID+"&q=a",
			"/fr/admin/audit?action=auth.&from=2026-01-01&to=2027-01-01", "/fr/admin/outbox?channel=email&status=queued")
		// Let the sessions' last-seen time move, then crawl as a social worker.
		s.Clock.Advance(2 * time.Minute)
		c.b, c.frOnly = worker, true
		c.seen, c.shape = map[string]bool{}, map[string]int{}
		c.crawl("/fr/staff")
		// The language menu keeps the filters of a list.
		if r := admin.Get("/fr/admin/users?disabled=1&q=a"); !strings.Contains(r.Body, `href="/ar/admin/users?disabled=1&amp;q=a"`) {
			t.Error("the language menu loses the query of the page")
		}
		// htmx fragments.
		for _, p := range []string{"/fr/admin/sites?q=PSA", "/fr/admin/users?q=a"} {
			target := map[bool]string{true: "site-rows", false: "user-rows"}[strings.Contains(p, "sites")]
			r := admin.Get(p, "HX-Request", "true", "HX-Target", target)
			if r.Status != 200 || strings.Contains(r.Body, "<html") {
				t.Errorf("fragment %s: %d", p, r.Status)
			}
			checkHTML(t, "fragment "+p, r.Body)
		}
		// Public and sign-in pages, anonymous and half-signed-in.
		anon := newCrawler(t, s, s.Browser())
		anon.crawl("/", "/fr/", "/fr/login", "/fr/password/forgot", "/fr/admin/users", "/fr/admin/users/"+s.worker.ID, "/fr/account")
		hc := newCrawler(t, s, half)
		hc.crawl("/fr/login/totp", "/fr/login/totp/setup", "/fr/staff")
		after := testkit.Snapshot(t, s.DB)

		if len(c.pages) < 20 {
			t.Errorf("the crawl reached only %d pages: %v", len(c.pages), c.pages)
		}
		for _, must := range []string{"/fr/admin/sites/" + s.site.ID, "/fr/admin/sites/" + s.site.ID + "/edit", "/fr/admin/users/" + s.gone.ID,
			"/fr/admin/sites/new", "/fr/admin/users/new", "/fr/admin/outbox", "/fr/account", "/ar/admin/audit"} {
			if !slices.ContainsFunc(c.pages, func(p string) bool { return p == must || strings.HasPrefix(p, must+"?") }) {
				t.Errorf("the crawl missed %s", must)
			}
		}
		testkit.SameState(t, withoutAudit(before), withoutAudit(after), "GET requests")
		for _, a := range auditAfter(t, s.DB, seq) {
			if !isRead(a) {
				t.Errorf("a GET request wrote the audit entry %q", a)
			}
		}
		var seen int
		if err := s.DB.R.NewRaw("SELECT COUNT(*) FROM sessions WHERE last_seen_at > created_at").Scan(context.Background(), &seen); err != nil {
			t.Fatal(err)
		}
		if seen == 0 {
			t.Error("no session's last-seen time moved: the exception for it was not exercised")
		}
		t.Logf("crawled %d staff pages, %d public and sign-in pages", len(c.pages), len(anon.pages)+len(hc.pages))
	})
}

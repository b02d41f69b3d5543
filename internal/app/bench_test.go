package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"parcours/internal/app"
	"parcours/internal/platform/testkit"
)

// The handler benchmarks run the whole middleware stack (request id, log,
// metrics, security headers, gzip, cross-origin check, router) through
// a.Handler, without a network. See docs/PERFORMANCE.md.
//
//	go test ./internal/app -run '^$' -bench . -benchmem

// BenchmarkPublicHome is GET /fr/ as a returning browser sends it, served
// from the page cache of public pages, then rendered every time.
func BenchmarkPublicHome(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(string(e), func(b *testing.B) {
			w := testkit.NewWorld(b, e)
			for _, enc := range []string{"gzip", "identity"} {
				b.Run(enc, func(b *testing.B) {
					benchPage(b, w.App.Handler, "/fr/", "parcours_lang=fr", enc)
				})
			}
			// The same page rendered on every request: what the first
			// visitor after each page-cache period, and every visitor of a
			// page with a query, costs.
			b.Run("gzip-uncached", func(b *testing.B) {
				ttl := w.App.Router.Cache.TTL
				w.App.Router.Cache.TTL = 0
				defer func() { w.App.Router.Cache.TTL = ttl }()
				benchPage(b, w.App.Handler, "/fr/", "parcours_lang=fr", "gzip")
			})
		})
	}
}

// BenchmarkStaffHome is GET /fr/staff for the demo administrator, signed in
// through the real pages (password, then TOTP code).
func BenchmarkStaffHome(b *testing.B) {
	for _, e := range testkit.Engines(b) {
		b.Run(string(e), func(b *testing.B) {
			w := testkit.NewWorld(b, e)
			cookie := demoAdmin(b, w)
			benchPage(b, w.App.Handler, "/fr/staff", cookie, "gzip")
		})
	}
}

func benchPage(b *testing.B, h http.Handler, path, cookie, encoding string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Accept-Encoding", encoding)
	req.Header.Set("Cookie", cookie)
	// One check before timing: the page answers 200.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Header().Get("Location"))
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "B/resp")
}

// demoAdmin loads the demo data and signs in as its administrator; it
// returns the Cookie header of the session.
func demoAdmin(b *testing.B, w *testkit.World) string {
	b.Helper()
	if _, err := app.LoadDemo(context.Background(), w.App); err != nil {
		b.Fatal(err)
	}
	br := w.Browser()
	r := br.Post("/fr/login", url.Values{"email": {"admin@demo.invalid"}, "password": {app.DemoPassword}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "/login/totp") {
		b.Fatalf("sign-in: %d %q", r.Status, r.Location)
	}
	w.Clock.Advance(31 * time.Second)
	code, err := testkit.TOTPCode(app.DemoTOTPSecret, w.Clock.Now())
	if err != nil {
		b.Fatal(err)
	}
	r = br.Post("/fr/login/totp", url.Values{"code": {code}})
	if r.Status != http.StatusSeeOther || strings.Contains(r.Location, "/login") {
		b.Fatalf("code: %d %q", r.Status, r.Location)
	}
	u, _ := url.Parse(w.Server.URL)
	var parts []string
	for _, c := range br.Client.Jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

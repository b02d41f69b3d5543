package guide_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"parcours/internal/app"
	"parcours/internal/guide"
	"parcours/internal/guide/seed"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// demoWorld is the app with its demo data (the centre's guide: 64
// services), at the fake clock's start: Wednesday 25 November 2026, 10:30
// in Paris.
func demoWorld(t *testing.T, e db.Engine) *testkit.World {
	t.Helper()
	w := testkit.NewWorld(t, e)
	if _, err := app.LoadDemo(context.Background(), w.App); err != nil {
		t.Fatal(err)
	}
	return w
}

// checklistTitle is a checklist's title in a language, from the seed.
func checklistTitle(t *testing.T, slug, lang string) string {
	t.Helper()
	cls, err := seed.Checklists()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cls {
		if c.Slug == slug {
			return c.Title[lang]
		}
	}
	t.Fatalf("no checklist %s", slug)
	return ""
}

// TestBrowserDoneWhen: on a 360x800 phone, in Tigrinya then Arabic, a
// person taps "legal aid", filters on "open now" and their language, opens
// the first permanence, sees it is open and speaks their language, and
// opens what to bring, saves the permanence, and finds it again offline
// with the date it was saved; every page passes axe.
func TestBrowserDoneWhen(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := demoWorld(t, e)
		c := w.Chrome()
		c.Viewport(t, 360, 800)
		saved := map[string]string{}
		for _, lang := range []string{"ti", "ar"} {
			l := w.App.Catalog.Localizer(lang)
			if st := c.Open(t, "/"+lang+"/"); st != 200 {
				t.Fatalf("%s home: %d", lang, st)
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, "guide-"+lang+"-1-home", 360, 800)
			c.Follow(t, `ul.tiles a[href="/`+lang+`/guide/search?cat=legal-aid"]`)
			if got := c.Text(t, "main h1"); got != l.T("guide.cat.legal-aid") {
				t.Fatalf("%s: results title %q", lang, got)
			}
			// The filters are folded on a phone once a category is chosen.
			c.Click(t, "details.gfilters > summary")
			c.Click(t, `input[name=open]`)
			c.Select(t, "#g-spoken", lang)
			c.Follow(t, "details.gfilters button[type=submit]")
			if p := c.Path(t); !strings.Contains(p, "open=1") || !strings.Contains(p, "spoken="+lang) {
				t.Fatalf("%s: filters not applied: %s", lang, p)
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, "guide-"+lang+"-2-results", 360, 800)
			var n int
			c.Eval(t, `document.querySelectorAll("ol.hits > li").length`, &n)
			if n == 0 {
				t.Fatalf("%s: no open legal-aid service speaking the language", lang)
			}
			c.Follow(t, "ol.hits > li:first-child a.hit-link")
			if got := c.Attr(t, ".gstatus", "class"); got != "gstatus open" {
				t.Fatalf("%s: the service is not shown open (%q)", lang, got)
			}
			if got := c.Text(t, "section[aria-labelledby=g-langs]"); !strings.Contains(got, map[string]string{"ti": "ትግርኛ", "ar": "العربية"}[lang]) {
				t.Fatalf("%s: language not listed: %q", lang, got)
			}
			if !c.Has(t, "p.gdemo") {
				t.Fatalf("%s: demo data not announced", lang)
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, "guide-"+lang+"-3-service", 360, 800)
			servicePath := c.Path(t)
			// Save the permanence on the phone (no account).
			c.WaitVisible(t, "[data-save]")
			c.Click(t, "[data-save]")
			c.WaitVisible(t, "[data-saved-note]")
			// What to bring: the checklist, in the person's language.
			title := checklistTitle(t, "asylum-appointment", lang)
			if got := c.Text(t, `section[aria-labelledby=g-docs] a[href="/`+lang+`/guide/checklists/asylum-appointment"]`); got != title {
				t.Fatalf("%s: checklist link %q, want %q", lang, got, title)
			}
			if st := c.Follow(t, `section[aria-labelledby=g-docs] a[href="/`+lang+`/guide/checklists/asylum-appointment"]`); st != 200 {
				t.Fatalf("%s: checklist page: %d", lang, st)
			}
			if got := c.Attr(t, "html", "lang"); got != lang {
				t.Fatalf("checklist page in %q", got)
			}
			c.Screenshot(t, "guide-"+lang+"-4-checklist", 360, 800)
			saved[lang] = servicePath
		}

		// Without network, each saved permanence is still there, in its
		// language, with what to bring and the date it was saved.
		c.WaitTrue(t, "the service worker", `navigator.serviceWorker.ready.then(r => !!r.active)`)
		c.Offline(t, true)
		for _, lang := range []string{"ti", "ar"} {
			if st := c.Open(t, saved[lang]); st != 200 {
				t.Fatalf("%s: saved service offline: %d", lang, st)
			}
			if got := c.Attr(t, "html", "lang"); got != lang {
				t.Fatalf("%s: offline copy in %q", lang, got)
			}
			if !c.Has(t, "section[aria-labelledby=g-docs]") {
				t.Fatalf("%s: the offline copy lacks what to bring", lang)
			}
			c.WaitVisible(t, "[data-saved-note]")
			var today string
			c.Eval(t, `new Date().toLocaleDateString("`+lang+`-u-nu-latn", {day: "numeric", month: "long", year: "numeric"})`, &today)
			if note := c.Text(t, "[data-saved-note]"); !strings.Contains(note, today) {
				t.Fatalf("%s: offline note %q lacks the date %q", lang, note, today)
			}
			c.Screenshot(t, "guide-"+lang+"-5-offline", 360, 800)
		}
	})
}

// TestBrowserAxeGuide: axe-core finds no violation on the home page, a
// results page and a service page, in French, Arabic, Tigrinya and
// Bengali, on a phone and on a laptop.
func TestBrowserAxeGuide(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := demoWorld(t, e)
		c := w.Chrome()
		id := firstService(t, w, "Permanence juridique du PSA Belleville")
		for _, size := range [][2]int{{360, 800}, {1366, 768}} {
			c.Viewport(t, size[0], size[1])
			for _, lang := range []string{"fr", "ar", "ti", "bn"} {
				for _, p := range []string{"/", "/guide/search?cat=legal-aid&open=1", "/guide/services/" + id} {
					if st := c.Open(t, "/"+lang+p); st != 200 {
						t.Fatalf("%s%s: %d", lang, p, st)
					}
					c.CheckAxe(t, lang)
					if lang == "fr" || lang == "ar" {
						name := map[string]string{"/": "home", "/guide/search?cat=legal-aid&open=1": "search"}[p]
						if name == "" {
							name = "service"
						}
						c.Screenshot(t, fmt.Sprintf("guide-axe-%s-%s", lang, name), size[0], size[1])
					}
				}
			}
		}
	})
}

// TestBrowserNearMeAndNoJS: "near me" asks for the position only when
// tapped and sorts by distance; without JavaScript the button stays hidden
// and the arrondissement choice works.
func TestBrowserNearMeAndNoJS(t *testing.T) {
	w := demoWorld(t, db.SQLite)
	c := w.Chrome()
	c.Viewport(t, 360, 800)
	c.Open(t, "/fr/")
	// Grant a position near the Gare du Nord (10th arrondissement).
	c.Eval(t, `(() => { navigator.geolocation.getCurrentPosition = (ok) => ok({coords: {latitude: 48.8809, longitude: 2.3553}}); return true })()`, nil)
	c.Follow(t, "button[data-near]")
	if p := c.Path(t); !strings.Contains(p, "near=48.881%2C2.355") && !strings.Contains(p, "near=48.881,2.355") {
		t.Fatalf("near me: at %s", p)
	}
	if got := c.Text(t, "ol.hits > li:first-child .hit-where"); !strings.Contains(got, "Paris 10e") {
		t.Errorf("the nearest service should be in the 10th: %q", got)
	}
	c.DisableJS(t)
	c.Open(t, "/fr/")
	if c.Has(t, "button[data-near]:not([hidden])") {
		t.Errorf("the near-me button shows without JavaScript")
	}
	if st := c.Follow(t, "form.gnear button[type=submit]"); st != 200 || !strings.Contains(c.Path(t), "/fr/guide/search?") {
		t.Errorf("the arrondissement form without JavaScript: %d at %s", st, c.Path(t))
	}
}

// firstService finds a demo service's id by its French name.
func firstService(t *testing.T, w *testkit.World, name string) string {
	t.Helper()
	var id string
	if err := w.DB.R.NewSelect().Table("guide_services").Column("id").Where("name = ?", name).Limit(1).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestPageWeights measures, for the home, a results page and a service
// page in French and Arabic: the HTML gzipped, and everything the first
// view loads (HTML, CSS, scripts, pictograms; gzipped as served) in a
// fresh browser. Budgets: HTML <= 14 KB, first view <= 60 KB.
func TestPageWeights(t *testing.T) {
	w := demoWorld(t, db.SQLite)
	id := firstService(t, w, "Permanence juridique du PSA Belleville")
	pages := []string{"/", "/guide/search?cat=legal-aid&open=1", "/guide/services/" + id}
	var report strings.Builder
	fmt.Fprintf(&report, "| page | lang | HTML gzip | first view gzip (requests) |\n|---|---|---|---|\n")
	for _, lang := range []string{"fr", "ar"} {
		for _, p := range pages {
			html := gzipSize(t, w.Server.URL+"/"+lang+p)
			c := w.Chrome()
			c.Viewport(t, 360, 800)
			if st := c.Open(t, "/"+lang+p); st != 200 {
				t.Fatalf("%s: %d", p, st)
			}
			var total struct{ Bytes, Requests int }
			c.Eval(t, `new Promise(done => setTimeout(() => {
				const nav = performance.getEntriesByType("navigation")[0];
				const res = performance.getEntriesByType("resource");
				done({bytes: nav.encodedBodySize + res.reduce((s, r) => s + r.encodedBodySize, 0), requests: 1 + res.length});
			}, 300))`, &total)
			c.Close()
			fmt.Fprintf(&report, "| %s | %s | %.1f KB | %.1f KB (%d) |\n", strings.SplitN(p, "?", 2)[0], lang, kb(html), kb(total.Bytes), total.Requests)
			if html > 14*1024 {
				t.Errorf("%s%s: HTML %d bytes gzipped, budget 14 KB", lang, p, html)
			}
			if total.Bytes > 60*1024 {
				t.Errorf("%s%s: first view %d bytes gzipped, budget 60 KB", lang, p, total.Bytes)
			}
		}
	}
	t.Logf("page weights (360x800, fresh cache):\n%s", report.String())
	if out := os.Getenv("PARCOURS_GUIDE_WEIGHTS"); out != "" {
		_ = os.WriteFile(out, []byte(report.String()), 0o644)
	}
}

func kb(n int) float64 { return float64(n) / 1024 }

// gzipSize fetches a page as a browser does (gzip accepted) and returns
// the size of the compressed body.
func gzipSize(t *testing.T, u string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") != "gzip" {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Len()
	}
	return len(b)
}

// signIn signs a user in through the real pages (password, then the code
// an authenticator would show at the fake time when the role needs one).
func signIn(t *testing.T, w *testkit.World, c *testkit.Chrome, email string) {
	t.Helper()
	c.Open(t, "/fr/login")
	c.Submit(t, `main form[action="/fr/login"] button[type=submit]`, "#f-email", email, "#f-password", testkit.Password)
	if strings.HasPrefix(c.Path(t), "/fr/login/totp") {
		w.Clock.Advance(31 * time.Second)
		c.Submit(t, `main form[action="/fr/login/totp"] button[type=submit]`, "#f-code", w.Code())
	}
	if p := c.Path(t); p != "/fr/staff" {
		t.Fatalf("after signing in: at %s", p)
	}
}

// TestBrowserStaffGuide: a social worker edits a service through the menu
// and its forms and marks it checked; a translator reviews its Arabic name
// side by side with the French, which then shows on the public page. The
// staff pages pass axe in French and Arabic.
func TestBrowserStaffGuide(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		sv := f.add(svc{in: guide.ServiceInput{Name: "Permanence juridique", Description: "Une juriste répond.", WalkIn: true,
			OnSite: []string{"fr", "ar"}}, arr: 20, hours: "1-5 09:30-12:30"})
		site := f.Site(f.centre, "PSA Belleville", "psa")
		worker := f.User(f.centre, "worker@casvp.test", auth.Membership{Role: auth.SocialWorker, SiteID: site.ID})
		translator := f.User(f.centre, "translator@casvp.test", auth.Membership{Role: auth.Translator})
		c := f.Chrome()
		signIn(t, f.World, c, worker.Email)
		c.Menu(t, `/fr/admin/guide`)
		c.CheckAxe(t, "fr")
		c.Screenshot(t, "guide-staff-fr-list", 1366, 768)
		c.Follow(t, `main a[href="/fr/admin/guide/services/`+sv.ID+`"]`)
		c.CheckAxe(t, "fr")
		c.Fill(t, "#f-description", "Une juriste répond à vos questions, avec un interprète.")
		c.Follow(t, `main form.panel .actions button[type=submit]`)
		if got := c.Text(t, "main .flash.ok"); !strings.Contains(got, "Permanence juridique") {
			t.Fatalf("after saving: %q", got)
		}
		c.Screenshot(t, "guide-staff-fr-service", 1366, 768)
		c.Screenshot(t, "guide-staff-fr-service", 360, 800)
		c.Follow(t, `main form[action$="/checked"] button[type=submit]`)
		c.Follow(t, `main a[href="/fr/admin/guide/services/`+sv.ID+`/hours"]`)
		c.CheckAxe(t, "fr")
		c.Screenshot(t, "guide-staff-fr-hours", 1366, 768)
		c.Open(t, "/ar/admin/guide/services/"+sv.ID)
		c.CheckAxe(t, "ar")
		c.Screenshot(t, "guide-staff-ar-service", 360, 800)
		c.Open(t, "/ar/admin/guide/services/"+sv.ID+"/hours")
		c.CheckAxe(t, "ar")
		c.Screenshot(t, "guide-staff-ar-hours", 1366, 768)

		// The translator: queue, side-by-side page, reviewed.
		c2 := f.Chrome()
		signIn(t, f.World, c2, translator.Email)
		c2.Menu(t, `/fr/admin/guide/translations`)
		c2.Follow(t, `.gtabs a[hreflang="ar"]`)
		c2.CheckAxe(t, "fr")
		c2.Follow(t, `main a[href="/fr/admin/guide/services/`+sv.ID+`/translations/ar"]`)
		c2.CheckAxe(t, "fr")
		key := "tr." + sv.ID + ".name"
		// (An empty text area cannot be cleared by the Fill helper: set it.)
		c2.Eval(t, `document.getElementById("f-`+key+`").value = "استشارة قانونية"`, nil)
		c2.Click(t, `input[name="rv.`+sv.ID+`.name"]`)
		c2.Screenshot(t, "guide-staff-fr-translate", 1366, 768)
		c2.Follow(t, "main form .actions button[type=submit]")
		c2.Open(t, "/ar/admin/guide/services/"+sv.ID+"/translations/ar")
		c2.CheckAxe(t, "ar")
		c2.Screenshot(t, "guide-staff-ar-translate", 360, 800)
		c2.Open(t, "/ar/guide/services/"+sv.ID)
		if got := c2.Text(t, "main h1"); !strings.Contains(got, "استشارة قانونية") {
			t.Fatalf("public Arabic title %q", got)
		}
	})
}

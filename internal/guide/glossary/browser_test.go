package glossary_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"parcours/internal/app"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// A person on a phone opens a word, saves it, loses the network, and
// still reads it, with the date it was saved; the saved pages' page lists
// it offline; staff pages never enter the caches.
func TestBrowserOffline(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, _ := world(t, e)
		c := w.Chrome()
		c.Viewport(t, 360, 800)
		const page = "/ar/guide/glossary/prefecture"
		if st := c.Open(t, page); st != 200 {
			t.Fatalf("open: %d", st)
		}
		c.WaitTrue(t, "the service worker", `navigator.serviceWorker.ready.then(r => !!r.active)`)
		c.Open(t, page) // now under the worker's control
		c.WaitTrue(t, "control", `!!navigator.serviceWorker.controller`)
		c.Open(t, "/ar/guide/checklists/ame") // visited, not saved
		c.Open(t, "/fr/login")                // not a guide page
		c.Open(t, page)
		c.WaitVisible(t, "[data-save]")
		before := c.Text(t, "[data-save]")
		c.Click(t, "[data-save]")
		c.WaitVisible(t, "[data-saved-note]")
		if after := c.Text(t, "[data-save]"); after == before {
			t.Errorf("the save button still says %q", after)
		}
		var today string
		c.Eval(t, `new Date().toLocaleDateString("ar-u-nu-latn", {day: "numeric", month: "long", year: "numeric"})`, &today)
		note := c.Text(t, "[data-saved-note]")
		if !strings.Contains(note, today) {
			t.Fatalf("saved note %q lacks the date %q", note, today)
		}
		c.Screenshot(t, "glossary-saved-ar", 360, 800)

		c.Offline(t, true)
		if st := c.Open(t, page); st != 200 {
			t.Fatalf("offline reload: %d", st)
		}
		var onLine bool
		c.Eval(t, `navigator.onLine`, &onLine)
		if onLine {
			t.Error("navigator.onLine is still true")
		}
		if h := c.Text(t, "h1 .fr"); h != "préfecture" {
			t.Fatalf("offline page shows %q", h)
		}
		c.WaitVisible(t, "[data-saved-note]")
		if n := c.Text(t, "[data-saved-note]"); !strings.Contains(n, today) {
			t.Fatalf("offline, the note says %q", n)
		}
		if c.Attr(t, "html", "dir") != "rtl" {
			t.Error("offline copy lost its direction")
		}
		c.Screenshot(t, "glossary-offline-ar", 360, 800)
		// The list of saved pages, offline.
		if st := c.Open(t, "/ar/guide/saved"); st != 200 {
			t.Fatalf("saved pages offline: %d", st)
		}
		c.WaitVisible(t, `.savedlist a[href="`+page+`"]`)
		if item := c.Text(t, ".savedlist li"); !strings.Contains(item, today) || !strings.Contains(item, "préfecture") {
			t.Errorf("saved list item %q", item)
		}
		// A visited page is there too, saying it is a copy.
		c.Open(t, "/ar/guide/checklists/ame")
		c.WaitVisible(t, "[data-saved-note]")
		// A page never opened: the worker's request fails too, and the
		// saved pages' page stands in.
		c.Open(t, "/ar/guide/glossary/ofpra")
		if got := c.Path(t); got != "/ar/guide/glossary/ofpra" || !c.Has(t, "[data-saved-list]") {
			t.Errorf("never-opened page offline: at %s, saved list shown: %v", got, c.Has(t, "[data-saved-list]"))
		}
		c.Offline(t, false)

		// Nothing but public guide pages and files in the caches.
		var keys []string
		c.Eval(t, `caches.keys().then(ns => Promise.all(ns.map(n => caches.open(n).then(c => c.keys()).then(ks => ks.map(k => n + " " + new URL(k.url).pathname))))).then(a => a.flat())`, &keys)
		if len(keys) == 0 {
			t.Fatal("nothing cached")
		}
		for _, k := range keys {
			if strings.Contains(k, "/login") || strings.Contains(k, "/admin") || strings.Contains(k, "/staff") || strings.Contains(k, "/account") {
				t.Errorf("cached: %s", k)
			}
		}
		// Removing the favourite.
		c.Open(t, page)
		c.WaitVisible(t, `[data-save][data-saved="1"]`)
		c.Click(t, "[data-save]")
		c.WaitTrue(t, "removal", `caches.open("parcours-saved").then(c => c.keys()).then(k => k.length === 0)`)
	})
}

// axe-core finds nothing on the glossary, a word and a checklist, in
// French, Arabic, Tigrinya and Bengali; screenshots for review.
func TestBrowserAxe(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, _ := world(t, e)
		c := w.Chrome()
		pages := []string{"/guide/glossary", "/guide/glossary/prefecture", "/guide/checklists/ame", "/guide/glossary?q=carte",
			"/guide/checklists", "/guide/glossary/themes/health", "/guide/saved"}
		for _, lang := range []string{"fr", "ar", "ti", "bn"} {
			for _, p := range pages {
				if st := c.Open(t, "/"+lang+p); st != 200 {
					t.Fatalf("%s%s: %d", lang, p, st)
				}
				c.CheckAxe(t, lang)
				if e == db.SQLite && (lang == "fr" || lang == "ar") {
					name := "glossary-" + lang + strings.NewReplacer("/guide/", "-", "/", "-", "?q=", "-q-").Replace(p)
					c.Screenshot(t, name, 360, 800)
					c.Screenshot(t, name, 1366, 768)
				}
			}
		}
		for _, p := range []string{"/guide/checklists/ame/print", "/guide/glossary/themes/papers/print", "/guide/screen", "/guide/screen/bilingual"} {
			for _, lang := range []string{"fr", "ar"} {
				c.Open(t, "/"+lang+p+map[bool]string{true: "?i=3", false: ""}[strings.Contains(p, "screen")])
				c.CheckAxe(t, lang)
				if e == db.SQLite {
					name := "glossary-" + lang + strings.NewReplacer("/guide/", "-", "/", "-").Replace(p)
					c.Screenshot(t, name, 360, 800)
					c.Screenshot(t, name, 1366, 768)
				}
			}
		}
	})
}

// The screen changes slide by itself, at the pace asked, without input.
func TestBrowserScreenRotates(t *testing.T) {
	w, _ := world(t, db.SQLite)
	c := w.Chrome()
	c.Open(t, "/fr/guide/screen?pace=5&i=0")
	first := c.Text(t, "[data-slide]:not([hidden]) h2")
	if c.Has(t, "[data-screen-next]:not([hidden])") {
		t.Error("the next link is shown although the screen rotates by itself")
	}
	time.Sleep(5600 * time.Millisecond)
	var cur string
	c.Eval(t, `document.querySelector("[data-screen]").getAttribute("data-current")`, &cur)
	second := c.Text(t, "[data-slide]:not([hidden]) h2")
	if cur != "1" || second == first {
		t.Fatalf("after one pace: current %s, %q then %q", cur, first, second)
	}
	var visible int
	c.Eval(t, `document.querySelectorAll("[data-slide]:not([hidden])").length`, &visible)
	if visible != 1 {
		t.Fatalf("%d slides visible", visible)
	}
	// Without JavaScript one slide shows, and the link to the next one.
	c2 := w.Chrome()
	c2.DisableJS(t)
	c2.Open(t, "/fr/guide/screen?i=4")
	c2.WaitVisible(t, "[data-screen-next]")
	if got := c2.Text(t, "[data-slide]:not([hidden]) h2"); got == "" {
		t.Fatal("no slide without JavaScript")
	}
}

// A demo service's printed sheet and its slide on the waiting-room screen
// say first, visibly and in the reader's language, that it is demo data to
// verify; axe finds nothing; screenshots for review.
func TestBrowserDemoNotice(t *testing.T) {
	w := testkit.NewWorld(t, db.SQLite)
	if _, err := app.LoadDemo(context.Background(), w.App); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := w.DB.R.NewSelect().Table("guide_services").Column("id").Where("name = ?", "Permanence CPAM au PSA Bastille").
		Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	c := w.Chrome()
	for _, lang := range []string{"fr", "ar"} {
		l := w.App.Catalog.Localizer(lang)
		want := l.T("guide.demo.title")
		if st := c.Open(t, "/"+lang+"/guide/services/"+id+"/print"); st != 200 {
			t.Fatalf("%s sheet: %d", lang, st)
		}
		c.WaitVisible(t, ".sheet-demo")
		if got := c.Text(t, ".sheet-demo"); !strings.Contains(got, want) {
			t.Errorf("%s sheet: notice %q", lang, got)
		}
		if c.Box(t, ".sheet-demo").Y > c.Box(t, ".sheet-facts").Y {
			t.Errorf("%s sheet: the notice is below the facts", lang)
		}
		c.CheckAxe(t, lang)
		c.Screenshot(t, "glossary-"+lang+"-demo-service-print", 360, 800)
		c.Screenshot(t, "glossary-"+lang+"-demo-service-print", 1366, 768)

		c.Open(t, "/"+lang+"/guide/screen?theme=checklists")
		var at int
		c.Eval(t, `[...document.querySelectorAll("[data-slide]")].findIndex(s => s.classList.contains("slide-service"))`, &at)
		if at < 0 {
			t.Fatalf("%s: no service on the screen", lang)
		}
		c.Open(t, "/"+lang+"/guide/screen?theme=checklists&pace=300&i="+strconv.Itoa(at))
		c.WaitVisible(t, "[data-slide]:not([hidden]) .slide-notice")
		if got := c.Text(t, "[data-slide]:not([hidden]) .slide-notice"); !strings.Contains(got, want) {
			t.Errorf("%s screen: notice %q", lang, got)
		}
		c.CheckAxe(t, lang)
		c.Screenshot(t, "glossary-"+lang+"-demo-screen", 360, 800)
		c.Screenshot(t, "glossary-"+lang+"-demo-screen", 1366, 768)
	}
}

package guide_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/app"
	"parcours/internal/guide"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

var hitRe = regexp.MustCompile(`<a class="hit-link" href="/[^/]+/guide/services/([0-9a-f-]{36})"`)

// hits returns the names of the services listed by a search page.
func (f *fx) hits(t *testing.T, query string, names map[string]string) []string {
	t.Helper()
	r := f.Browser().Get("/fr/guide/search?" + query)
	if r.Status != 200 {
		t.Fatalf("search %q: %d", query, r.Status)
	}
	var out []string
	for _, m := range hitRe.FindAllStringSubmatch(r.Body, -1) {
		out = append(out, names[m[1]])
	}
	return out
}

// At the fake clock's start (Wednesday 25 November 2026, 10:30 in Paris),
// each filter keeps exactly the services it should.
func TestSearchFilters(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		names := map[string]string{}
		add := func(name string, s svc) {
			s.in.Name = name
			names[f.add(s).ID] = name
		}
		add("Avocats Bastille", svc{in: guide.ServiceInput{Description: "Conseil juridique gratuit.", Free: true, NoPapers: true, WelcomeWomen: true,
			WelcomeMen: true, WalkIn: true, OnSite: []string{"fr", "ti"}, Categories: []string{"legal-aid"}}, arr: 11, hours: "1-5 09:00-12:00"})
		add("Cimade après-midi", svc{in: guide.ServiceInput{Description: "Permanence étrangers.", Free: true, Appointment: true, WelcomeMen: true,
			OnSite: []string{"fr", "ar"}, Categories: []string{"legal-aid", "asylum"}}, arr: 18, hours: "3 14:00-17:00"})
		add("Santé des femmes", svc{in: guide.ServiceInput{Description: "Sage-femme.", Free: true, NoPapers: true, WelcomeWomen: true, Referral: true,
			OnSite: []string{"fr", "bn"}, Categories: []string{"health", "women"}}, arr: 13, hours: "1-7 08:00-20:00"})
		add("Cours du soir", svc{in: guide.ServiceInput{Description: "Français langue étrangère.", WelcomeMinors: true, Appointment: true,
			Categories: []string{"french-courses"}}, hours: "1-4 18:30-20:30"})
		add("Brouillon caché", svc{in: guide.ServiceInput{Status: guide.Draft, Free: true, Categories: []string{"legal-aid"}}, arr: 11, hours: "1-7 00:00-24:00"})

		for _, c := range []struct{ query, want string }{
			{"", "Avocats Bastille|Cimade après-midi|Cours du soir|Santé des femmes"},
			{"cat=legal-aid", "Avocats Bastille|Cimade après-midi"},
			{"open=1", "Avocats Bastille|Santé des femmes"},
			{"open=1&cat=legal-aid&spoken=ti", "Avocats Bastille"},
			{"spoken=ar", "Cimade après-midi"},
			{"free=1&nopapers=1", "Avocats Bastille|Santé des femmes"},
			{"who=women", "Avocats Bastille|Santé des femmes"},
			{"who=minors", "Cours du soir"},
			{"access=referral", "Santé des femmes"},
			{"access=appointment", "Cimade après-midi|Cours du soir"},
			{"arr=18", "Cimade après-midi"},
			{"q=GRATUIT", "Avocats Bastille"},
			{"q=JURIDIQUE", "Avocats Bastille|Cimade après-midi"}, // the category's name
			{"q=etrangere", "Cours du soir"},
			{"q=" + url.QueryEscape("مساعدة قانونية"), "Avocats Bastille|Cimade après-midi"},
			{"q=" + url.QueryEscape("ሕጋዊ"), "Avocats Bastille|Cimade après-midi"},
			{"q=" + url.QueryEscape("100%_"), ""},
			{"q=caché", ""},
			{"near=48.892,2.348", "Cimade après-midi|Avocats Bastille|Santé des femmes|Cours du soir"},
			{"cat=nope&who=x", "Avocats Bastille|Cimade après-midi|Cours du soir|Santé des femmes"},
		} {
			if got := strings.Join(f.hits(t, c.query, names), "|"); got != c.want {
				t.Errorf("search %q:\n got %s\nwant %s", c.query, got, c.want)
			}
		}
		// Later in the day, open-now follows the clock.
		f.Clock.Set(time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)) // 15:30 in Paris
		if got := strings.Join(f.hits(t, "open=1", names), "|"); got != "Cimade après-midi|Santé des femmes" {
			t.Errorf("open at 15:30: %s", got)
		}
		f.Clock.Set(time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)) // 19:00
		if got := strings.Join(f.hits(t, "open=1", names), "|"); got != "Cours du soir|Santé des femmes" {
			t.Errorf("open at 19:00: %s", got)
		}
	})
}

// Pages of results: 20 per page, next and previous links keep the filters.
func TestSearchPages(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		names := map[string]string{}
		for i := range 45 {
			name := "Service " + string(rune('A'+i/26)) + string(rune('a'+i%26))
			names[f.add(svc{in: guide.ServiceInput{Name: name}, hours: "1-7 08:00-20:00"}).ID] = name
		}
		for _, q := range []string{"cat=legal-aid", "cat=legal-aid&open=1"} {
			p1, p3 := f.hits(t, q, names), f.hits(t, q+"&page=3", names)
			if len(p1) != 20 || p1[0] != "Service Aa" || len(p3) != 5 || p3[4] != "Service Bs" {
				t.Errorf("%s: page 1 %v, page 3 %v", q, p1, p3)
			}
			r := f.Browser().Get("/fr/guide/search?" + q + "&page=2")
			if !strings.Contains(r.Body, "page=3") || !strings.Contains(r.Body, "page=1") {
				t.Errorf("%s page 2 has no links to pages 1 and 3:\n%s", q, r.Body[strings.Index(r.Body, "</ol>"):])
			}
		}
	})
}

// The service page: closures first, today's status, fallback marker,
// documents linked to checklists, tappable phones, share links, the
// printable sheet, and the staleness flag after 12 months.
func TestServicePage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx := context.Background()
		sv := f.add(svc{in: guide.ServiceInput{Name: "Permanence juridique", Description: "Une juriste répond.", Free: true, WalkIn: true,
			OnSite: []string{"fr", "ti"}, Documents: []string{"domiciliation", "asylum-appointment"}}, arr: 20, hours: "1-5 09:30-12:30"})
		if err := f.S.AddPhone(ctx, f.p, sv.ID, guide.PhoneInput{Number: "01 23 45 67 89", Kind: "voice", Languages: []string{"ar"}}); err != nil {
			t.Fatal(err)
		}
		next := guide.DateOf(f.Clock.Now()).AddDate(0, 0, 2)
		if err := f.S.AddException(ctx, f.p, sv.ID, guide.ExceptionInput{StartsOn: &next, EndsOn: &next, Closed: true, Reason: "Formation"}); err != nil {
			t.Fatal(err)
		}
		b := f.Browser()
		r := b.Get("/fr/guide/services/" + sv.ID)
		if r.Status != 200 {
			t.Fatalf("service page: %d", r.Status)
		}
		body := r.Body
		closure, status := strings.Index(body, `class="flash bad gexc"`), strings.Index(body, `class="gstatus open"`)
		if closure < 0 || status < 0 || closure > status {
			t.Errorf("the closure must come first, then today's status (closure at %d, status at %d)", closure, status)
		}
		for _, want := range []string{
			"Fermé du 27/11/2026 au 27/11/2026.", "Formation",
			"Ouvert maintenant · ferme à 12:30",
			`href="/fr/guide/checklists/domiciliation"`, `href="/fr/guide/checklists/asylum-appointment"`,
			`href="tel:0123456789"><span dir="ltr">01 23 45 67 89</span>`,
			`href="sms:?&amp;body=Permanence`, `href="https://wa.me/?text=Permanence`,
			`href="/fr/guide/services/` + sv.ID + `/print"`,
			`<bdi lang="ti" dir="ltr">ትግርኛ</bdi>`, `<bdi lang="ar" dir="rtl">العربية</bdi>`,
			"https://www.openstreetmap.org/search?query=Paris%2075020",
			"Informations vérifiées le 25/11/2026.",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("service page lacks %q", want)
			}
		}
		if strings.Contains(body, "gdemo") {
			t.Errorf("a real centre's service is marked as demo")
		}
		// In Tigrinya, untranslated texts are shown in French, marked so.
		ti := b.Get("/ti/guide/services/" + sv.ID).Body
		if !strings.Contains(ti, `<span lang="fr" dir="ltr">Permanence juridique</span> <small class="fallback">`) ||
			!strings.Contains(ti, `<div class="gtext" lang="fr" dir="ltr">Une juriste répond.</div> <small class="fallback">`) {
			t.Errorf("Tigrinya page does not mark the French fallback")
		}
		if !strings.Contains(ti, `<html lang="ti" dir="ltr">`) {
			t.Errorf("Tigrinya page language")
		}
		// The printable sheet (internal/guide/glossary) reads the service
		// through guide.HTTP: bilingual, the closure and the hours.
		pr := b.Get("/ar/guide/services/" + sv.ID + "/print")
		if pr.Status != 200 || !strings.Contains(pr.Body, "Permanence juridique") || !strings.Contains(pr.Body, "Formation") {
			t.Errorf("printable sheet: %d", pr.Status)
		}
		// Not checked for 12 months: flagged.
		if strings.Contains(body, "n'ont pas été vérifiées") {
			t.Errorf("a fresh service is flagged")
		}
		f.setChecked(sv.ID, guide.DateOf(f.Clock.Now()).AddDate(-1, 0, 0))
		if !strings.Contains(b.Get("/fr/guide/services/"+sv.ID).Body, "Attention : ces informations n&#39;ont pas été vérifiées depuis le 25/11/2025.") {
			t.Errorf("a service unchecked for 12 months is not flagged")
		}
		// Drafts, other ids and garbage are 404.
		draft := f.add(svc{in: guide.ServiceInput{Name: "Brouillon", Status: guide.Draft}})
		for _, id := range []string{draft.ID, db.NewID(), "nope", "%00"} {
			if r := b.Get("/fr/guide/services/" + id); r.Status != 404 {
				t.Errorf("service %q: %d, want 404", id, r.Status)
			}
		}
	})
}

// The home page: 18 category tiles with a word each, the search box, the
// arrondissement choice, the staff link; demo data are announced.
func TestHomePage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		r := f.Browser().Get("/ar/")
		if r.Status != 200 || !strings.Contains(r.Body, `<html lang="ar" dir="rtl">`) {
			t.Fatalf("home: %d", r.Status)
		}
		if n := strings.Count(r.Body, `href="/ar/guide/search?cat=`); n != len(guide.Categories) {
			t.Errorf("%d category tiles, want %d", n, len(guide.Categories))
		}
		for _, want := range []string{"مساعدة قانونية", `name="q"`, `name="arr"`, `href="/ar/login"`, "/static/js/guide.js"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("home lacks %q", want)
			}
		}
		if strings.Contains(r.Body, "gdemo") {
			t.Errorf("home announces demo data without any")
		}
		f.add(svc{in: guide.ServiceInput{Name: "Service de démonstration"}})
		if _, err := f.DB.W.NewUpdate().Table("orgs").Set("demo = ?", true).Where("id = ?", f.centre.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(f.Browser().Get("/fr/").Body, "Données de démonstration.") {
			t.Errorf("home does not announce demo data")
		}
	})
}

// The demo guide: at least 60 published services of the partners the plan
// names, marked as demo data on every page that shows them (printed sheet
// included), English texts reviewed, other languages falling back.
func TestDemoContent(t *testing.T) {
	w := demoWorld(t, db.SQLite)
	ctx := context.Background()
	n, err := w.DB.R.NewSelect().Model((*guide.Service)(nil)).Where("status = ?", guide.Published).Count(ctx)
	if err != nil || n < 60 {
		t.Fatalf("%d demo services (%v), want 60 or more", n, err)
	}
	var names []string
	if err := w.DB.R.NewSelect().Table("guide_organizations").Column("name").Scan(ctx, &names); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Droits d'urgence", "La Cimade", "Gisti", "Comède", "Centre Primo Levi", "Cité des métiers", "Meet My Mama", "Cultures du Cœur"} {
		found := false
		for _, n := range names {
			found = found || strings.HasPrefix(n, want)
		}
		if !found {
			t.Errorf("no demo organisation %q", want)
		}
	}
	b := w.Browser()
	id := firstService(t, w, "Permanence CPAM au PSA Bastille")
	for _, p := range []string{"/fr/", "/fr/guide/search?cat=health", "/fr/guide/services/" + id, "/fr/guide/services/" + id + "/print"} {
		if r := b.Get(p); r.Status != 200 || !strings.Contains(r.Body, "Données de démonstration") {
			t.Errorf("%s: %d, demo data not announced", p, r.Status)
		}
	}
	// In the reader's language too (the sheet and the screen: print_test.go).
	for _, p := range []string{"/ar/guide/services/" + id, "/ar/guide/services/" + id + "/print"} {
		if r := b.Get(p); r.Status != 200 || !strings.Contains(r.Body, "بيانات تجريبية.") {
			t.Errorf("%s: %d, demo data not announced in Arabic", p, r.Status)
		}
	}
	en := b.Get("/en/guide/services/" + id).Body
	if !strings.Contains(en, "Health insurance (CPAM) desk at PSA Bastille") || !strings.Contains(en, "Closed from") {
		t.Errorf("English demo page: translation or closure missing")
	}
	if ro := b.Get("/ro/guide/services/" + id).Body; !strings.Contains(ro, "(netradus încă: în franceză)") {
		t.Errorf("Romanian demo page: the French fallback is not marked")
	}
	stale := firstService(t, w, "Douches de l'ESI Coty")
	if !strings.Contains(b.Get("/fr/guide/services/"+stale).Body, "n&#39;ont pas été vérifiées") {
		t.Errorf("the demo service unchecked for 13 months is not flagged")
	}
	// Demo data is loaded once.
	if _, err := app.LoadDemo(ctx, w.App); err != nil {
		t.Fatal(err)
	}
	if again, _ := w.DB.R.NewSelect().Model((*guide.Service)(nil)).Count(ctx); again != n {
		t.Errorf("loading the demo twice: %d services, then %d", n, again)
	}
}

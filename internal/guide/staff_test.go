package guide_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/guide"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

var serviceURL = regexp.MustCompile(`^/fr/admin/guide/services/([0-9a-f-]{36})$`)

func (f *fx) audited(t *testing.T, action string) int {
	t.Helper()
	n, err := f.DB.R.NewSelect().Model((*audit.Entry)(nil)).Where("action = ?", action).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// A social worker creates an organisation, a place and a service through
// the forms, fixes a refused save without retyping, sets hours, a closure
// and a phone line, and marks the service checked; each change is audited.
func TestStaffEditsAService(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		site := f.Site(f.centre, "PSA Belleville", "psa")
		worker := f.User(f.centre, "worker@casvp.test", auth.Membership{Role: auth.SocialWorker, SiteID: site.ID})
		b := f.Browser().Login(worker)

		r := b.Post("/fr/admin/guide/organizations", url.Values{"name": {"La Cimade"}, "description": {"Solidarité avec les migrants."}})
		if r.Status != 303 {
			t.Fatalf("create organisation: %d", r.Status)
		}
		orgs, _ := f.S.Organizations(context.Background(), f.p)
		var cimade string
		for _, o := range orgs {
			if o.Name == "La Cimade" {
				cimade = o.ID
			}
		}
		// A bad place is refused with its errors, what was typed kept.
		r = b.Post("/fr/admin/guide/locations", url.Values{"organization_id": {cimade}, "name": {"Permanence Cimade"},
			"postal_code": {"750"}, "arrondissement": {"11"}, "latitude": {"48.85"}, "directions": {"Métro Voltaire"}})
		if r.Status != 422 || !strings.Contains(r.Body, "Code postal à 5 chiffres.") || !strings.Contains(r.Body, "Donnez la latitude et la longitude") ||
			!strings.Contains(r.Body, "Métro Voltaire") || !strings.Contains(r.Body, `value="Permanence Cimade"`) {
			t.Fatalf("invalid place: %d", r.Status)
		}
		r = b.Post("/fr/admin/guide/locations", url.Values{"organization_id": {cimade}, "name": {"Permanence Cimade"},
			"postal_code": {"75011"}, "city": {"Paris"}, "arrondissement": {"11"}, "latitude": {"48.857"}, "longitude": {"2.38"},
			"directions": {"Métro Voltaire"}})
		if r.Status != 303 {
			t.Fatalf("create place: %d", r.Status)
		}
		locs, _ := f.S.Locations(context.Background(), f.p)
		var place string
		for _, l := range locs {
			if l.Name == "Permanence Cimade" {
				place = l.ID
			}
		}
		form := url.Values{"organization_id": {cimade}, "status": {"published"}, "name": {"Permanence étrangers"},
			"description": {"Conseils sur le séjour et l'asile."}, "categories": {"legal-aid", "asylum"}, "locations": {place},
			"free": {"1"}, "no_papers": {"1"}, "walk_in": {"1"}, "welcome_women": {"1"}, "on_site": {"fr", "ti", "xx"},
			"documents": {"asylum-appointment"}, "url": {"javascript:alert(1)"}}
		r = b.Post("/fr/admin/guide/services", form)
		if r.Status != 422 || !strings.Contains(r.Body, "Adresse web non valable") || !strings.Contains(r.Body, "Conseils sur le séjour et l&#39;asile.") {
			t.Fatalf("invalid service: %d", r.Status)
		}
		form.Set("url", "https://www.lacimade.org/")
		form["on_site"] = []string{"fr", "ti"}
		r = b.Post("/fr/admin/guide/services", form)
		m := serviceURL.FindStringSubmatch(r.Location)
		if r.Status != 303 || m == nil {
			t.Fatalf("create service: %d %q", r.Status, r.Location)
		}
		id := m[1]
		if page := b.Get(r.Location); !strings.Contains(page.Body, "Service « Permanence étrangers » créé.") || !strings.Contains(page.Body, `value="ti" checked`) {
			t.Errorf("service form after creation")
		}
		// Hours: a bad row is reported by position and the rows are kept.
		hours := url.Values{"weekday": {"3", "5", ""}, "opens": {"09:00", "25:00", ""}, "closes": {"12:00", "18:00", ""},
			"from": {"", "", ""}, "to": {"", "", ""}}
		r = b.Post("/fr/admin/guide/services/"+id+"/hours", hours)
		if r.Status != 422 || !strings.Contains(r.Body, "Heures non valables") || !strings.Contains(r.Body, `value="25:00"`) {
			t.Fatalf("bad hours: %d", r.Status)
		}
		hours["opens"][1] = "14:00"
		if r = b.Post("/fr/admin/guide/services/"+id+"/hours", hours); r.Status != 303 {
			t.Fatalf("hours: %d", r.Status)
		}
		if r = b.Post("/fr/admin/guide/services/"+id+"/exceptions", url.Values{"starts_on": {"2026-12-24"}, "ends_on": {"2026-12-20"}, "closed": {"1"}}); r.Status != 422 {
			t.Fatalf("closure ending before it starts: %d", r.Status)
		}
		if r = b.Post("/fr/admin/guide/services/"+id+"/exceptions", url.Values{"starts_on": {"2026-12-24"}, "ends_on": {"2026-12-26"}, "closed": {"1"}, "reason": {"Fêtes"}}); r.Status != 303 {
			t.Fatalf("closure: %d", r.Status)
		}
		if r = b.Post("/fr/admin/guide/services/"+id+"/phones", url.Values{"phone_number": {"hello"}, "phone_kind": {"voice"}}); r.Status != 422 || !strings.Contains(r.Body, "Numéro non valable.") {
			t.Fatalf("bad phone: %d", r.Status)
		}
		if r = b.Post("/fr/admin/guide/services/"+id+"/phones", url.Values{"phone_number": {"01 44 18 60 50"}, "phone_kind": {"voice"}, "phone_languages": {"ar"}}); r.Status != 303 {
			t.Fatalf("phone: %d", r.Status)
		}
		d, err := f.S.StaffService(context.Background(), f.p, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Hours.OSM(); got != "We 09:00-12:00; Fr 14:00-18:00; 2026 Dec 24-2026 Dec 26 off" {
			t.Errorf("hours saved: %q", got)
		}
		if len(d.Phones) != 1 || d.Phones[0].Number != "0144186050" || strings.Join(d.Phones[0].Languages, ",") != "ar" {
			t.Errorf("phone saved: %+v", d.Phones)
		}
		if strings.Join(d.OnSite, ",") != "fr,ti" || len(d.Categories) != 2 || d.Documents[0] != "asylum-appointment" {
			t.Errorf("links saved: %v %v %v", d.OnSite, d.Categories, d.Documents)
		}
		// Public: found by its filters, open now on Wednesday morning.
		pub := f.Browser().Get("/fr/guide/search?cat=asylum&spoken=ti&open=1")
		if !strings.Contains(pub.Body, "Permanence étrangers") {
			t.Errorf("the new service is not found by the public search")
		}
		// Checked today, a month later.
		f.Clock.Advance(31 * 24 * time.Hour)
		b = f.Browser().Login(worker) // the session has expired meanwhile
		if r = b.Post("/fr/admin/guide/services/"+id+"/checked", nil); r.Status != 303 {
			t.Fatalf("mark checked: %d", r.Status)
		}
		d, _ = f.S.StaffService(context.Background(), f.p, id)
		if got := d.Service.CheckedOn.Format(time.DateOnly); got != "2026-12-26" || d.Service.CheckedBy != worker.Name {
			t.Errorf("checked on %s by %q", got, d.Service.CheckedBy)
		}
		for _, action := range []string{"guide.organization.create", "guide.location.create", "guide.service.create", "guide.service.hours",
			"guide.exception.create", "guide.phone.create", "guide.service.checked"} {
			if n := f.audited(t, action); n < 1 {
				t.Errorf("%s not audited", action)
			}
		}
		// A reception agent reads the guide but does not edit it.
		agent := f.User(f.centre, "agent@casvp.test", auth.Membership{Role: auth.ReceptionAgent, SiteID: site.ID})
		ab := f.Browser().Login(agent)
		if r := ab.Get("/fr/admin/guide"); r.Status != 403 {
			t.Errorf("reception agent on the guide list: %d", r.Status)
		}
		if r := ab.Post("/fr/admin/guide/services/"+id+"/checked", nil); r.Status != 403 {
			t.Errorf("reception agent marks checked: %d", r.Status)
		}
	})
}

// Another centre's editor sees none of this centre's guide: its services,
// places and organisations are 404 on every staff route.
func TestStaffTenancy(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		sv := f.add(svc{in: guide.ServiceInput{Name: "Service du centre un"}, arr: 12})
		other := f.Org("Centre deux")
		admin2 := f.User(other, "admin@deux.test", auth.Membership{Role: auth.Admin})
		b := f.Browser().Login(admin2)
		for _, p := range []string{"/fr/admin/guide/services/" + sv.ID, "/fr/admin/guide/services/" + sv.ID + "/hours",
			"/fr/admin/guide/services/" + sv.ID + "/translations/ar", "/fr/admin/guide/organizations/" + f.orgID,
			"/fr/admin/guide/locations/" + f.loc(12)} {
			if r := b.Get(p); r.Status != 404 {
				t.Errorf("other centre GET %s: %d", p, r.Status)
			}
		}
		for _, p := range []string{"/fr/admin/guide/services/" + sv.ID, "/fr/admin/guide/services/" + sv.ID + "/checked",
			"/fr/admin/guide/services/" + sv.ID + "/hours", "/fr/admin/guide/services/" + sv.ID + "/translations/ar"} {
			if r := b.Post(p, url.Values{"name": {"Volé"}, "status": {"draft"}}); r.Status != 404 {
				t.Errorf("other centre POST %s: %d", p, r.Status)
			}
		}
		if r := b.Get("/fr/admin/guide"); strings.Contains(r.Body, "Service du centre un") {
			t.Errorf("other centre lists this centre's service")
		}
		// Its own service must use its own organisation.
		r := b.Post("/fr/admin/guide/services", url.Values{"organization_id": {f.orgID}, "status": {"draft"}, "name": {"X"}, "categories": {"food"}})
		if r.Status != 422 {
			t.Errorf("service on another centre's organisation: %d", r.Status)
		}
	})
}

// Translations: an editor's text is a draft and stays off the public page;
// a translator marks it reviewed, it appears; a change of the French sends
// it back to draft; the queue counts what is missing and in draft.
func TestTranslations(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		sv := f.add(svc{in: guide.ServiceInput{Name: "Permanence juridique", Description: "Une juriste répond."}, arr: 20})
		site := f.Site(f.centre, "PSA", "psa")
		editor := f.Browser().Login(f.User(f.centre, "editor2@casvp.test", auth.Membership{Role: auth.SocialWorker, SiteID: site.ID}))
		translator := f.Browser().Login(f.User(f.centre, "tr@casvp.test", auth.Membership{Role: auth.Translator}))
		trPath := "/fr/admin/guide/services/" + sv.ID + "/translations/ar"
		name, desc := "tr."+sv.ID+".name", "tr."+sv.ID+".description"

		page := editor.Get(trPath)
		if page.Status != 200 || !strings.Contains(page.Body, `lang="ar" dir="rtl"`) || strings.Contains(page.Body, `name="rv.`) {
			t.Fatalf("editor's translation page: %d", page.Status)
		}
		if r := editor.Post(trPath, url.Values{name: {"استشارة قانونية"}, desc: {strings.Repeat("ا", 2001)}}); r.Status != 422 ||
			!strings.Contains(r.Body, "استشارة قانونية") {
			t.Fatalf("too long a translation: %d", r.Status)
		}
		if r := editor.Post(trPath, url.Values{name: {"استشارة قانونية"}, "rv." + sv.ID + ".name": {"1"}}); r.Status != 303 {
			t.Fatalf("editor saves: %d", r.Status)
		}
		pub := f.Browser()
		if body := pub.Get("/ar/guide/services/" + sv.ID).Body; strings.Contains(body, "استشارة قانونية") || !strings.Contains(body, "لم يُترجم بعد") {
			t.Errorf("a draft is shown to the public, or the fallback is not said")
		}
		queue := translator.Get("/fr/admin/guide/translations?lang=ar").Body
		if !strings.Contains(queue, `<td class="num">3</td><td class="num">1</td>`) {
			t.Errorf("queue should count 3 missing (description, the organisation's, directions) and 1 draft")
		}
		if r := translator.Post(trPath, url.Values{name: {"استشارة قانونية"}, "rv." + sv.ID + ".name": {"1"}}); r.Status != 303 {
			t.Fatalf("translator reviews: %d", r.Status)
		}
		if body := pub.Get("/ar/guide/services/" + sv.ID).Body; !strings.Contains(body, `<span lang="ar" dir="rtl">استشارة قانونية</span>`) {
			t.Errorf("the reviewed translation is not shown")
		}
		// Searching in Arabic finds it.
		if body := pub.Get("/ar/guide/search?q=" + url.QueryEscape("استشارة")).Body; !strings.Contains(body, sv.ID) {
			t.Errorf("the translation is not searchable")
		}
		// The French changes: back to draft.
		d, _ := f.S.StaffService(context.Background(), f.p, sv.ID)
		in := d.Input()
		in.Name = "Permanence d'accès au droit"
		if _, err := f.S.SaveService(context.Background(), f.p, sv.ID, in); err != nil {
			t.Fatal(err)
		}
		var status string
		if err := f.DB.R.NewSelect().Model((*guide.Translation)(nil)).Column("status").Where("owner_id = ? AND field = 'name' AND lang = 'ar'", sv.ID).Scan(context.Background(), &status); err != nil || status != guide.TrDraft {
			t.Errorf("after a French change the translation is %q (%v), want draft", status, err)
		}
		if n := f.audited(t, "guide.translation.save"); n != 2 {
			t.Errorf("%d translation saves audited, want 2", n)
		}
		// Emptying a translation removes it.
		translator.Post(trPath, url.Values{name: {""}})
		if n, _ := f.DB.R.NewSelect().Model((*guide.Translation)(nil)).Where("owner_id = ?", sv.ID).Count(context.Background()); n != 0 {
			t.Errorf("%d translations left", n)
		}
		// French has no translation page; unknown languages neither.
		for _, p := range []string{"/fr/admin/guide/services/" + sv.ID + "/translations/fr", "/fr/admin/guide/services/" + sv.ID + "/translations/xx"} {
			if r := translator.Get(p); r.Status != 404 {
				t.Errorf("%s: %d", p, r.Status)
			}
		}
	})
}

// The freshness job: six months after the last check, one e-mail to each
// editor of the centre, once; a new check starts the count again; at
// twelve months the public page is flagged.
func TestFreshnessReminders(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx := context.Background()
		old := f.add(svc{in: guide.ServiceInput{Name: "Ancien service"}})
		fresh := f.add(svc{in: guide.ServiceInput{Name: "Service récent"}})
		site := f.Site(f.centre, "PSA", "psa")
		f.User(f.centre, "worker@casvp.test", auth.Membership{Role: auth.SocialWorker, SiteID: site.ID})
		f.User(f.centre, "agent@casvp.test", auth.Membership{Role: auth.ReceptionAgent, SiteID: site.ID})
		other := f.Org("Centre deux")
		f.User(other, "admin@deux.test", auth.Membership{Role: auth.Admin})
		today := guide.DateOf(f.Clock.Now())
		f.setChecked(old.ID, today.AddDate(0, -6, 0))
		f.setChecked(fresh.ID, today.AddDate(0, -6, 1))

		n, err := f.S.SendReminders(ctx)
		if err != nil || n != 2 {
			t.Fatalf("reminders: %d %v, want 2 (the administrator and the social worker)", n, err)
		}
		var bodies []string
		if err := f.DB.R.NewRaw("SELECT recipient || ' ' || body FROM outbox WHERE purpose = 'guide.freshness' ORDER BY recipient").Scan(ctx, &bodies); err != nil {
			t.Fatal(err)
		}
		if len(bodies) != 2 || !strings.HasPrefix(bodies[0], "editor@casvp.test") || !strings.Contains(bodies[0], "- Ancien service — 25/05/2026") ||
			strings.Contains(bodies[0], "Service récent") || !strings.Contains(bodies[1], "/fr/admin/guide?stale=1") {
			t.Errorf("reminder e-mails: %q", bodies)
		}
		if n, _ := f.S.SendReminders(ctx); n != 0 {
			t.Errorf("the reminder was sent again (%d)", n)
		}
		f.Clock.Advance(24 * time.Hour)
		if n, _ := f.S.SendReminders(ctx); n != 2 {
			t.Errorf("the next day, the other service's reminder: %d", n)
		}
		if f.audited(t, "guide.freshness.reminder") != 2 {
			t.Errorf("reminders not audited")
		}
		// Checked again: no reminder until six months later.
		if _, err := f.S.MarkChecked(ctx, f.p, old.ID); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(150 * 24 * time.Hour)
		if n, _ := f.S.SendReminders(ctx); n != 0 {
			t.Errorf("reminded five months after a check: %d", n)
		}
		f.Clock.Advance(35 * 24 * time.Hour)
		if n, _ := f.S.SendReminders(ctx); n != 2 {
			t.Errorf("six months after the new check: %d", n)
		}
		// The job runs through River as well.
		w := newFx(t, e, testkit.Options{Work: true})
		s := w.add(svc{in: guide.ServiceInput{Name: "Par le job"}})
		w.setChecked(s.ID, guide.DateOf(w.Clock.Now()).AddDate(-1, 0, 0))
		if _, err := w.App.Jobs.Insert(ctx, guide.FreshnessArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			var sent int
			if err := w.DB.R.NewRaw("SELECT count(*) FROM outbox WHERE purpose = 'guide.freshness'").Scan(ctx, &sent); err != nil {
				t.Fatal(err)
			}
			if sent == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the River job sent %d reminders", sent)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if !strings.Contains(w.Browser().Get("/fr/guide/services/"+s.ID).Body, "n&#39;ont pas été vérifiées depuis le 25/11/2025") {
			t.Errorf("a service unchecked for a year is not flagged")
		}
	})
}

package people_test

import (
	"net/url"
	"strings"
	"testing"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

func TestSmoke(t *testing.T) {
	w := testkit.NewWorld(t, db.SQLite)
	o := w.Org("Centre A")
	s := w.Site(o, "PSA Test", "psa")
	u := w.User(o, "sw@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
	m := w.User(o, "m@example.org", auth.Membership{Role: auth.SiteManager, SiteID: s.ID})
	b := w.Browser().Login(u)
	r := b.Get("/fr/people")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	r = b.Get("/fr/people/new")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	r = b.Post("/fr/people", url.Values{"site": {s.ID}, "given_name": {"محمد"}, "given_latin": {"Mohamed"}, "family_latin": {"Benali"}, "birth_date": {"1990-03-02"}, "msg_lang": {"ar"}, "household_size": {"1"}})
	if r.Status != 303 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	loc := r.Location
	r = b.Get(loc)
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	t.Log(len(r.Body))
	id := strings.TrimPrefix(loc, "/fr/people/")
	for _, p := range []string{"/fr/people/" + id + "/edit", "/fr/worklists", "/fr/people/" + id + "/triage", "/fr/people/" + id + "/referrals/new", "/fr/people?q=muhammad"} {
		r = b.Get(p)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", p, r.Status, r.Body)
		}
	}
	mb := w.Browser().Login(m)
	for _, p := range []string{"/fr/people/" + id + "/export", "/ar/people/" + id + "/export", "/fr/people/" + id + "/export.json", "/fr/people/retention", "/fr/pathway/stats", "/fr/people/" + id + "/merge"} {
		r = mb.Get(p)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", p, r.Status, r.Body)
		}
	}
}

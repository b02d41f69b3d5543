package people_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parcours/internal/people"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// fr is a French text of the catalogs, as it appears in HTML.
func (x *pw) fr(id string, args ...any) string {
	return html.EscapeString(x.App.Catalog.Localizer("fr").T(id, args...))
}

// count reads one number.
func (x *pw) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := x.DB.R.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// memberID returns the id of the file's member with that given name.
func (x *pw) memberID(t *testing.T, personID, given string) string {
	t.Helper()
	var id string
	if err := x.DB.R.NewRaw("SELECT id FROM person_household WHERE person_id = ? AND given_name = ?", personID, given).
		Scan(context.Background(), &id); err != nil {
		t.Fatalf("member %s: %v", given, err)
	}
	return id
}

// Household members: listed on the page, the counters kept consistent with
// the list, a link to another file the user may open, the export, merge
// and erasure; and nobody outside the file's readers changes them.
func TestHouseholdMembers(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		per := x.create(t, x.sw, people.Input{GivenLatin: "Awa", FamilyLatin: "Koné"})
		spouse := x.create(t, x.sw, people.Input{GivenLatin: "Moussa", FamilyLatin: "Koné"})
		elsewhere := x.create(t, x.swB, people.Input{SiteID: x.b.ID, GivenLatin: "Issa", FamilyLatin: "Koné"})
		b := x.Browser().Login(x.sw)
		base := "/fr/people/" + per.ID
		counts := func(size, deps int) {
			t.Helper()
			var gotSize, gotDeps int
			if err := x.DB.R.NewRaw("SELECT household_size, dependants FROM persons WHERE id = ?", per.ID).Scan(context.Background(), &gotSize, &gotDeps); err != nil {
				t.Fatal(err)
			}
			if gotSize != size || gotDeps != deps {
				t.Errorf("counters %d/%d, want %d/%d", gotSize, gotDeps, size, deps)
			}
		}

		// A child: the counters follow (2 persons, 1 dependant).
		r := b.Post(base+"/household", url.Values{"member_given": {"Fanta"}, "member_family": {"Koné"}, "member_relation": {"child"},
			"member_birth_date": {"2019-04-02"}})
		if r.Status != http.StatusSeeOther || r.Location != base+"#household" {
			t.Fatalf("add a child: %d %s", r.Status, r.Location)
		}
		counts(2, 1)
		// An adult child of unknown birth is not counted as a dependant.
		if r := b.Post(base+"/household", url.Values{"member_given": {"Sékou"}, "member_relation": {"child"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add an adult child: %d", r.Status)
		}
		counts(3, 1)
		// Refused: no name, an unknown relation, a birth in the future.
		for _, bad := range []url.Values{{"member_relation": {"child"}}, {"member_given": {"X"}, "member_relation": {"cousin"}},
			{"member_given": {"X"}, "member_relation": {"child"}, "member_birth_date": {"2030-01-01"}}} {
			if r := b.Post(base+"/household", bad); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("member %v: %d", bad, r.Status)
			}
		}
		// The identity form cannot go below the list.
		r = b.Post(base, url.Values{"given_latin": {"Awa"}, "family_latin": {"Koné"}, "household_size": {"1"}, "dependants": {"0"}, "msg_lang": {"fr"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, x.fr("people.error.household_list")) ||
			!strings.Contains(r.Body, x.fr("people.error.dependants_list")) {
			t.Errorf("counters below the list: %d", r.Status)
		}
		counts(3, 1)

		// The spouse, linked to their own file through the member's page.
		if r := b.Post(base+"/household", url.Values{"member_given": {"Moussa"}, "member_relation": {"spouse"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add the spouse: %d", r.Status)
		}
		counts(4, 1)
		mid := x.memberID(t, per.ID, "Moussa")
		page := b.Get(base + "/household/" + mid + "?q=Moussa")
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `value="`+spouse.ID+`"`) {
			t.Fatalf("member's page with the search: %d", page.Status)
		}
		link := func(target string) *testkit.Response {
			return b.Post(base+"/household/"+mid, url.Values{"member_given": {"Moussa"}, "member_family": {"Koné"}, "member_relation": {"spouse"},
				"member_birth_year": {"1985"}, "member_link": {target}})
		}
		if r := link(elsewhere.ID); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("link to a file the user cannot open: %d", r.Status)
		}
		if r := link(per.ID); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, x.fr("people.error.member_link")) {
			t.Errorf("link to the file itself: %d", r.Status)
		}
		if r := link(spouse.ID); r.Status != http.StatusSeeOther {
			t.Fatalf("link to the spouse's file: %d", r.Status)
		}
		page = b.Get(base)
		for _, want := range []string{"Fanta Koné", "Sékou", "Moussa Koné", `href="/fr/people/` + spouse.ID + `"`, x.fr("people.relation.spouse")} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("person's page lacks %q", want)
			}
		}
		// A reader of the file who may not open the linked file sees the
		// member, not the link.
		sh := "/fr/people/" + per.ID + "/shares"
		if r := b.Post(sh, url.Values{"site": {x.b.ID}, "reason": {"Suivi ESI"}, "ends_on": {"2026-12-20"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("share: %d", r.Status)
		}
		pb := x.Browser().Login(x.swB).Get(base)
		if pb.Status != http.StatusOK || !strings.Contains(pb.Body, "Moussa Koné") || strings.Contains(pb.Body, spouse.ID) {
			t.Errorf("another site's reader: %d", pb.Status)
		}
		// Outside the file's readers: nothing.
		for _, u := range []*struct {
			b    *testkit.Browser
			want int
		}{{x.Browser().Login(x.admin2), http.StatusNotFound}, {x.Browser().Login(x.vol), http.StatusForbidden},
			{x.Browser().Login(x.partner), http.StatusForbidden}} {
			if r := u.b.Post(base+"/household", url.Values{"member_given": {"Intrus"}, "member_relation": {"other"}}); r.Status != u.want {
				t.Errorf("outsider adds a member: %d, want %d", r.Status, u.want)
			}
			if r := u.b.Post(base+"/household/"+mid+"/remove", nil); r.Status != u.want {
				t.Errorf("outsider removes a member: %d, want %d", r.Status, u.want)
			}
		}

		// Removing a member leaves the counters as declared.
		if r := b.Post(base+"/household/"+x.memberID(t, per.ID, "Sékou")+"/remove", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("remove: %d", r.Status)
		}
		counts(4, 1)
		if n := x.count(t, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'person.household.%' AND object_id = ?", per.ID); n != 5 {
			t.Errorf("%d audited household changes, want 5", n)
		}

		// The person's copy: JSON and the printable page.
		mgr := x.Browser().Login(x.mgr)
		if r := mgr.Get(base + "/export.json"); !strings.Contains(r.Body, `"given_name": "Fanta"`) || !strings.Contains(r.Body, `"relation": "spouse"`) ||
			strings.Contains(r.Body, spouse.ID) {
			t.Errorf("JSON export: %d", r.Status)
		}
		if r := mgr.Get(base + "/export"); !strings.Contains(r.Body, "Fanta Koné") {
			t.Errorf("printable export: %d", r.Status)
		}

		// Merge: the duplicate's members move over, links to it follow.
		dup := x.create(t, x.sw, people.Input{GivenLatin: "Awa", FamilyLatin: "Kone"})
		ctx, p := x.ctx(t, x.sw)
		if _, err := x.App.People.SaveMember(ctx, p, dup.ID, "", people.MemberInput{GivenName: "Binta", Relation: "parent", BirthYear: 1960}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.App.People.SaveMember(ctx, p, spouse.ID, "", people.MemberInput{GivenName: "Awa", Relation: "spouse", LinkedID: dup.ID}); err != nil {
			t.Fatal(err)
		}
		if r := mgr.Post(base+"/merge", url.Values{"duplicate": {dup.ID}, "reason": {"Même personne"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("merge: %d", r.Status)
		}
		if n := x.count(t, "SELECT COUNT(*) FROM person_household WHERE person_id = ?", per.ID); n != 3 {
			t.Errorf("kept file has %d members, want 3", n)
		}
		counts(4, 1)
		if n := x.count(t, "SELECT COUNT(*) FROM person_household WHERE person_id = ? AND linked_person_id = ?", spouse.ID, per.ID); n != 1 {
			t.Error("the link to the duplicate does not point to the kept file")
		}
		// Erasure: the members go, and other files' links to it.
		if r := mgr.Post(base+"/erase", url.Values{"erase_reason": {"Demande de la personne"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("erase: %d", r.Status)
		}
		if n := x.count(t, "SELECT COUNT(*) FROM person_household WHERE person_id = ?", per.ID); n != 0 {
			t.Errorf("erased file keeps %d members", n)
		}
		if n := x.count(t, "SELECT COUNT(*) FROM person_household WHERE linked_person_id = ?", per.ID); n != 0 {
			t.Errorf("%d links to the erased file remain", n)
		}
		if n := x.count(t, "SELECT COUNT(*) FROM person_household WHERE person_id = ?", spouse.ID); n != 1 {
			t.Errorf("the other file lost its member: %d", n)
		}
	})
}

package people_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// pw is a centre with two sites and the accounts the tests use.
type pw struct {
	*testkit.World
	o, o2                    *org.Org
	a, b                     *org.Site
	sw, swB, rec, legal, mgr *auth.User
	vol, partner, admin2     *auth.User
}

func newPW(t *testing.T, e db.Engine) *pw {
	w := testkit.NewWorld(t, e)
	x := &pw{World: w}
	x.o, x.o2 = w.Org("Centre"), w.Org("Autre centre")
	x.a, x.b = w.Site(x.o, "PSA Bastille", "psa"), w.Site(x.o, "ESI Coty", "esi")
	x.sw = w.User(x.o, "sw@c.test", auth.Membership{Role: auth.SocialWorker, SiteID: x.a.ID})
	x.swB = w.User(x.o, "swb@c.test", auth.Membership{Role: auth.SocialWorker, SiteID: x.b.ID})
	x.rec = w.User(x.o, "rec@c.test", auth.Membership{Role: auth.ReceptionAgent, SiteID: x.a.ID})
	x.legal = w.User(x.o, "legal@c.test", auth.Membership{Role: auth.LegalSpecialist, SiteID: x.b.ID})
	x.mgr = w.User(x.o, "mgr@c.test", auth.Membership{Role: auth.SiteManager, SiteID: x.a.ID})
	x.vol = w.User(x.o, "vol@c.test", auth.Membership{Role: auth.Volunteer, SiteID: x.a.ID})
	x.partner = w.User(x.o, "partner@c.test", auth.Membership{Role: auth.Partner, SiteID: x.a.ID})
	x.admin2 = w.User(x.o2, "admin@autre.test", auth.Membership{Role: auth.Admin})
	return x
}

// principal is the user as the services see them.
func (x *pw) principal(t *testing.T, u *auth.User) *auth.Principal {
	t.Helper()
	ms, err := auth.MembershipsOf(context.Background(), x.DB.R, u.OrgID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Principal{UserID: u.ID, OrgID: u.OrgID, Email: u.Email, Name: u.Name, PartnerOrg: u.PartnerOrg, Memberships: ms}
}

// ctx carries u as the acting user (audit entries).
func (x *pw) ctx(t *testing.T, u *auth.User) (context.Context, *auth.Principal) {
	p := x.principal(t, u)
	ctx := auth.WithPrincipal(context.Background(), p)
	return audit.WithActor(ctx, audit.Actor{UserID: p.UserID, OrgID: p.OrgID, Label: p.Email}), p
}

func (x *pw) create(t *testing.T, u *auth.User, in people.Input) *people.Person {
	t.Helper()
	ctx, p := x.ctx(t, u)
	if in.SiteID == "" {
		in.SiteID = x.a.ID
	}
	if in.HouseholdSize == 0 {
		in.HouseholdSize = 1
	}
	per, _, err := x.App.People.Create(ctx, p, in, people.CreateOptions{NotADuplicate: true})
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return per
}

func date(s string) *time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return &t
}

// Duplicates are found across spellings, transliterations and scripts,
// with a compatible birth; a different birth date is another person.
func TestDuplicatesAcrossSpellings(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		x.create(t, x.sw, people.Input{GivenLatin: "Mohammed", FamilyLatin: "Benali", BirthDate: date("1990-03-02")})
		x.create(t, x.sw, people.Input{GivenLatin: "Abdelkader", FamilyLatin: "Haddad", BirthYear: 1985})
		x.create(t, x.sw, people.Input{GivenName: "فاطمة", FamilyName: "الزهراء", GivenLatin: "Fatima", FamilyLatin: "Zahra",
			BirthDate: date("2001-07-09"), Phone: "+33698765432"})
		cases := []struct {
			name string
			in   people.Input
			want string // reason of the first candidate, "" for none
		}{
			{"Mohamed Ben Ali", people.Input{GivenLatin: "Mohamed", FamilyLatin: "Ben Ali", BirthDate: date("1990-03-02")}, "name_birth"},
			{"Muhammad Benali", people.Input{GivenLatin: "Muhammad", FamilyLatin: "Benali", BirthDate: date("1990-03-02")}, "name_birth"},
			{"Arabic script", people.Input{GivenName: "محمد", FamilyName: "بن علي", GivenLatin: "Mohamad", FamilyLatin: "Benali", BirthYear: 1990}, "name_birth"},
			{"names swapped", people.Input{GivenLatin: "Benali", FamilyLatin: "Mohamed", BirthDate: date("1990-03-02")}, "name_birth"},
			{"day and month swapped", people.Input{GivenLatin: "Mohamed", FamilyLatin: "Benali", BirthDate: date("1990-02-03")}, "name_birth"},
			{"no birth given", people.Input{GivenLatin: "Mouhamed", FamilyLatin: "Benali"}, "name"},
			{"another birth date", people.Input{GivenLatin: "Mohamed", FamilyLatin: "Benali", BirthDate: date("1972-11-20")}, ""},
			{"Abd el Kader", people.Input{GivenLatin: "Abd el Kader", FamilyLatin: "Haddad", BirthDate: date("1986-01-01")}, "name_birth"},
			{"Abdul Kader", people.Input{GivenLatin: "Abdul Kader", FamilyLatin: "Hadad"}, "name"},
			{"عبد القادر", people.Input{GivenName: "عبد القادر", FamilyName: "حداد", FamilyLatin: "Haddad", BirthYear: 1985}, "name_birth"},
			{"Fatma, Latin only", people.Input{GivenLatin: "Fatma", FamilyLatin: "Zahra", BirthDate: date("2001-07-09")}, "name_birth"},
			{"same phone, other name", people.Input{GivenLatin: "Leila", FamilyLatin: "Martin", Phone: "06 98 76 54 32"}, "phone"},
			{"someone else", people.Input{GivenLatin: "Jean", FamilyLatin: "Dupont", BirthYear: 1990}, ""},
		}
		ctx, p := x.ctx(t, x.rec)
		for _, c := range cases {
			c.in.SiteID, c.in.HouseholdSize, c.in.MsgLang = x.a.ID, 1, "fr"
			_, cands, err := x.App.People.Create(ctx, p, c.in, people.CreateOptions{})
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s: %v (%d candidates)", c.name, err, len(cands))
			case c.want != "" && err != people.ErrDuplicates:
				t.Errorf("%s: no duplicate found (err %v)", c.name, err)
			case c.want != "" && cands[0].Reason != c.want:
				t.Errorf("%s: reason %q, want %q", c.name, cands[0].Reason, c.want)
			case c.want != "" && (cands[0].Person == nil || cands[0].Hidden):
				t.Errorf("%s: candidate hidden from a user of its site", c.name)
			}
		}
		// A worker of another site learns only that a file exists there.
		ctxB, pB := x.ctx(t, x.swB)
		_, cands, err := x.App.People.Create(ctxB, pB, people.Input{SiteID: x.b.ID, GivenLatin: "Mohamed", FamilyLatin: "Benali",
			BirthDate: date("1990-03-02"), HouseholdSize: 1}, people.CreateOptions{})
		if err != people.ErrDuplicates || !cands[0].Hidden || cands[0].Person != nil || cands[0].SiteID != x.a.ID || cands[0].BirthYear != 1990 {
			t.Fatalf("other site's duplicate: %v %+v", err, cands)
		}
		// Through the form: the candidates are shown, then confirmed.
		b := x.Browser().Login(x.rec)
		form := url.Values{"site": {x.a.ID}, "given_latin": {"Muhamad"}, "family_latin": {"Ben-Ali"}, "birth_date": {"02/03/1990"}, "household_size": {"1"}}
		r := b.Post("/fr/people", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Mohammed Benali") || !strings.Contains(r.Body, `name="not_duplicate"`) {
			t.Fatalf("form with a duplicate: %d", r.Status)
		}
		form.Set("not_duplicate", "1")
		if r = b.Post("/fr/people", form); r.Status != http.StatusSeeOther {
			t.Fatalf("confirmed: %d", r.Status)
		}
	})
}

// The search finds a file in any spelling or script, scoped to the files
// the user may open.
func TestSearch(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		x.create(t, x.sw, people.Input{GivenName: "يوسف", GivenLatin: "Youssef", FamilyLatin: "El Amrani", BirthDate: date("1995-05-05"), Phone: "0611223344"})
		x.create(t, x.sw, people.Input{GivenLatin: "Abdelkader", FamilyLatin: "Haddad", BirthYear: 1985})
		x.create(t, x.swB, people.Input{SiteID: x.b.ID, GivenLatin: "Yusuf", FamilyLatin: "Amrani"})
		ctx, p := x.ctx(t, x.sw)
		for _, c := range []struct {
			q    people.Query
			want []string
		}{
			{people.Query{Name: "yusuf"}, []string{"Youssef"}},
			{people.Query{Name: "يوسف العمراني"}, []string{"Youssef"}},
			{people.Query{Name: "Amrani"}, []string{"Youssef"}},
			{people.Query{Name: "abd el kader"}, []string{"Abdelkader"}},
			{people.Query{Name: "Abdelk", Prefix: true}, []string{"Abdelkader"}},
			{people.Query{Name: "yous", Birth: "1995"}, nil},
			{people.Query{Name: "yous", Birth: "1995", Prefix: true}, []string{"Youssef"}},
			{people.Query{Birth: "05/05/1995"}, []string{"Youssef"}},
			{people.Query{Phone: "06 11 22 33 44"}, []string{"Youssef"}},
			{people.Query{Name: "Haddad", Birth: "1970"}, nil},
			{people.Query{}, nil},
		} {
			got, err := x.App.People.Search(ctx, p, c.q)
			if err != nil {
				t.Fatalf("%+v: %v", c.q, err)
			}
			var names []string
			for _, g := range got {
				names = append(names, g.GivenLatin)
			}
			if strings.Join(names, ",") != strings.Join(c.want, ",") {
				t.Errorf("search %+v: %v, want %v", c.q, names, c.want)
			}
		}
		if _, err := x.App.People.Search(ctx, p, people.Query{Birth: "31/02/1990"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("bad birth: %v", err)
		}
		// Type-ahead through htmx returns the rows only.
		b := x.Browser().Login(x.sw)
		r := b.Get("/fr/people?q=muhamad+Youss", "HX-Request", "true", "HX-Target", "person-results")
		if r.Status != 200 || strings.Contains(r.Body, "<html") {
			t.Errorf("htmx search: %d", r.Status)
		}
	})
}

// What needs consent is blocked without it, and stops when it is
// withdrawn or expires.
func TestConsent(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		per := x.create(t, x.sw, people.Input{GivenLatin: "Amina", FamilyLatin: "Diallo"})
		ctx, p := x.ctx(t, x.sw)
		s := x.App.People
		blocked := func(what string, err error) {
			t.Helper()
			if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Forbidden || !strings.HasPrefix(ae.Key, "people.consent.missing.") {
				t.Errorf("%s: %v, want a missing consent", what, err)
			}
		}
		blocked("SMS before consent", s.RequireConsent(ctx, per.ID, people.PurposeSMS))
		blocked("partner before consent", s.RequirePartnerConsent(ctx, per.ID, "La Cimade"))
		if _, err := s.GiveConsent(ctx, p, per.ID, people.ConsentInput{Purpose: people.PurposeSMS, ExpiresOn: date("2026-12-31")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GiveConsent(ctx, p, per.ID, people.ConsentInput{Purpose: people.PurposeSharePartner, Partner: "La  Cimade"}); err != nil {
			t.Fatal(err)
		}
		if err := s.RequireConsent(ctx, per.ID, people.PurposeSMS); err != nil {
			t.Errorf("SMS after consent: %v", err)
		}
		if err := s.RequirePartnerConsent(ctx, per.ID, "la cimade"); err != nil {
			t.Errorf("named partner: %v", err)
		}
		blocked("another partner", s.RequirePartnerConsent(ctx, per.ID, "Gisti"))
		blocked("another purpose", s.RequireConsent(ctx, per.ID, people.PurposeVolunteer))
		if _, err := s.GiveConsent(ctx, p, per.ID, people.ConsentInput{Purpose: people.PurposeSharePartner}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("partner consent without a partner: %v", err)
		}
		// Expiry.
		x.Clock.Set(time.Date(2027, 1, 2, 10, 0, 0, 0, time.UTC))
		blocked("SMS after expiry", s.RequireConsent(ctx, per.ID, people.PurposeSMS))
		// Withdrawal, through the page.
		cs, err := s.Consents(ctx, p, per.ID)
		if err != nil {
			t.Fatal(err)
		}
		var partnerConsent string
		for _, c := range cs {
			if c.Purpose == people.PurposeSharePartner {
				partnerConsent = c.ID
			}
		}
		b := x.Browser().Login(x.sw)
		if r := b.Post("/fr/people/"+per.ID+"/consents/"+partnerConsent+"/withdraw", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", r.Status)
		}
		blocked("partner after withdrawal", s.RequirePartnerConsent(ctx, per.ID, "La Cimade"))
	})
}

// A share with another site opens the file there until its end date, then
// access ends by itself; the sweep closes the row.
func TestShareEndsByItself(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		per := x.create(t, x.sw, people.Input{GivenLatin: "Tesfay", FamilyLatin: "Gebre"})
		bB := x.Browser().Login(x.swB)
		if r := bB.Get("/fr/people/" + per.ID); r.Status != http.StatusNotFound {
			t.Fatalf("before the share: %d", r.Status)
		}
		ctxB, pB := x.ctx(t, x.swB)
		if got, _ := x.App.People.Search(ctxB, pB, people.Query{Name: "Tesfay"}); len(got) != 0 {
			t.Error("search finds an unshared file of another site")
		}
		b := x.Browser().Login(x.sw)
		r := b.Post("/fr/people/"+per.ID+"/shares", url.Values{"site": {x.b.ID}, "reason": {"Accueil de jour à l'ESI"}, "ends_on": {"2026-11-28"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("share: %d", r.Status)
		}
		if r := b.Post("/fr/people/"+per.ID+"/shares", url.Values{"site": {x.b.ID}, "reason": {""}, "ends_on": {""}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("share without reason and end: %d", r.Status)
		}
		if r := bB.Get("/fr/people/" + per.ID); r.Status != http.StatusOK || !strings.Contains(r.Body, "Tesfay") {
			t.Fatalf("during the share: %d", r.Status)
		}
		if got, _ := x.App.People.Search(ctxB, pB, people.Query{Name: "Tesfay"}); len(got) != 1 {
			t.Error("search does not find the shared file")
		}
		// The day after the end date: closed at read time, before any sweep.
		x.Clock.Set(time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC))
		bB = x.Browser().Login(x.swB)
		if r := bB.Get("/fr/people/" + per.ID); r.Status != http.StatusNotFound {
			t.Fatalf("after the end date: %d", r.Status)
		}
		if got, _ := x.App.People.Search(ctxB, pB, people.Query{Name: "Tesfay"}); len(got) != 0 {
			t.Error("search still finds the file after the share ended")
		}
		n, err := x.App.People.SweepShares(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("sweep: %d, %v", n, err)
		}
		var open int
		if err := x.DB.R.NewRaw("SELECT COUNT(*) FROM person_shares WHERE ended_at IS NULL").Scan(context.Background(), &open); err != nil || open != 0 {
			t.Errorf("open shares after the sweep: %d %v", open, err)
		}
	})
}

// Field visibility by role, and who may open a file at all.
func TestVisibilityByRole(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		per := x.create(t, x.sw, people.Input{GivenLatin: "Nadia", FamilyLatin: "Karimi"})
		ctx, p := x.ctx(t, x.sw)
		health, legal := "Suivi psychologique au Centre Primo Levi", "Recours CNDA en cours"
		if err := x.App.People.SetNotes(ctx, p, per.ID, people.Notes{Health: &health, Legal: &legal}); err != nil {
			t.Fatal(err)
		}
		sees := func(u *auth.User, wantStatus int, wantHealth, wantLegal bool) {
			t.Helper()
			r := x.Browser().Login(u).Get("/fr/people/" + per.ID)
			if r.Status != wantStatus {
				t.Errorf("%s: status %d, want %d", u.Email, r.Status, wantStatus)
				return
			}
			if got := strings.Contains(r.Body, health); got != wantHealth {
				t.Errorf("%s sees the health note: %v", u.Email, got)
			}
			if got := strings.Contains(r.Body, legal); got != wantLegal {
				t.Errorf("%s sees the legal note: %v", u.Email, got)
			}
		}
		sees(x.sw, 200, true, true)
		sees(x.rec, 200, false, false)
		sees(x.mgr, 200, false, false)
		sees(x.swB, 404, false, false)
		sees(x.legal, 404, false, false)
		sees(x.vol, 403, false, false)
		sees(x.partner, 403, false, false)
		sees(x.admin2, 404, false, false)
		// The legal specialist of another site joins the follow-up team:
		// the legal note, not the health note.
		if err := x.App.People.AddToTeam(ctx, p, per.ID, x.legal.ID); err != nil {
			t.Fatal(err)
		}
		sees(x.legal, 200, false, true)
		// A reception agent cannot write the notes either.
		ctxR, pR := x.ctx(t, x.rec)
		if err := x.App.People.SetNotes(ctxR, pR, per.ID, people.Notes{Health: &health}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("reception writes the health note: %v", err)
		}
		// Every read is audited.
		var reads int
		if err := x.DB.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = 'person.read' AND object_id = ?", per.ID).Scan(ctx, &reads); err != nil {
			t.Fatal(err)
		}
		if reads != 4 {
			t.Errorf("%d person.read entries, want 4 (social worker, reception, manager, legal specialist once in the team)", reads)
		}
	})
}

// Merge keeps both histories on the kept file; erasure and retention
// leave no personal data; the export gives the person everything.
func TestMergeEraseExportRetention(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		keep := x.create(t, x.sw, people.Input{GivenLatin: "Mohamed", FamilyLatin: "Diallo", BirthYear: 1980})
		dup := x.create(t, x.sw, people.Input{GivenName: "محمد", GivenLatin: "Mamadou", FamilyLatin: "Diallo", Phone: "0612121212"})
		ctx, p := x.ctx(t, x.mgr)
		if err := x.App.People.Merge(ctx, p, keep.ID, dup.ID, ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("merge without reason: %v", err)
		}
		ctxS, pS := x.ctx(t, x.sw)
		if err := x.App.People.Merge(ctxS, pS, keep.ID, dup.ID, "same person"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a social worker merges: %v", err)
		}
		b := x.Browser().Login(x.mgr)
		if r := b.Post("/fr/people/"+keep.ID+"/merge", url.Values{"duplicate": {dup.ID}, "reason": {"Même personne (carte AME)"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("merge: %d", r.Status)
		}
		got, _, err := x.App.People.Find(ctx, p, keep.ID)
		if err != nil || got.Phone != "+33612121212" {
			t.Errorf("kept file not completed from the duplicate: %+v %v", got, err)
		}
		if r := b.Get("/fr/people/" + dup.ID); r.Status != http.StatusSeeOther || r.Location != "/fr/people/"+keep.ID {
			t.Errorf("duplicate's page: %d %s", r.Status, r.Location)
		}
		// The duplicate's spelling still finds the kept file.
		if res, _ := x.App.People.Search(ctx, p, people.Query{Name: "محمد ديالو"}); len(res) != 1 || res[0].ID != keep.ID {
			t.Errorf("search by the duplicate's name: %v", res)
		}
		var events int
		if err := x.DB.R.NewRaw("SELECT COUNT(*) FROM person_events WHERE person_id = ?", keep.ID).Scan(ctx, &events); err != nil || events != 3 {
			t.Errorf("kept file has %d events, want 3 (two openings, the merge)", events)
		}
		// Export: JSON and the printable page in the person's language.
		r := b.Get("/fr/people/" + keep.ID + "/export.json")
		if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "json") || !strings.Contains(r.Body, `"family_latin": "Diallo"`) {
			t.Errorf("JSON export: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		if r = b.Get("/ar/people/" + keep.ID + "/export"); r.Status != 200 || !strings.Contains(r.Body, `lang="ar" dir="rtl"`) {
			t.Errorf("export page in Arabic: %d", r.Status)
		}
		if r = x.Browser().Login(x.sw).Get("/fr/people/" + keep.ID + "/export.json"); r.Status != http.StatusForbidden {
			t.Errorf("a social worker exports: %d", r.Status)
		}
		// Retention: two years without contact -> on the report, then anonymised 30 days later.
		old := x.create(t, x.sw, people.Input{GivenLatin: "Ancien", FamilyLatin: "Dossier", Phone: "0699887766"})
		x.Clock.Set(testkit.Start.Add(people.DefaultRetention + 24*time.Hour))
		if err := x.App.People.KeepFile(ctx, p, keep.ID, "Rendez-vous prévu"); err != nil {
			t.Fatal(err)
		}
		res, err := x.App.People.RunRetention(context.Background())
		// The kept file had a contact; the merged duplicate is closed.
		if err != nil || res.Noticed != 1 || res.Anonymised != 0 {
			t.Fatalf("first run: %+v %v", res, err)
		}
		b = x.Browser().Login(x.mgr)
		page := b.Get("/fr/people/retention")
		if !strings.Contains(page.Body, "Ancien Dossier") || strings.Contains(page.Body, "Mohamed") {
			t.Errorf("retention report: %d", page.Status)
		}
		x.Clock.Set(testkit.Start.Add(people.DefaultRetention + people.RetentionGrace + 48*time.Hour))
		if res, err = x.App.People.RunRetention(context.Background()); err != nil || res.Anonymised != 1 {
			t.Fatalf("second run: %+v %v", res, err)
		}
		var name, phone string
		if err := x.DB.R.NewRaw("SELECT given_latin, phone FROM persons WHERE id = ?", old.ID).Scan(ctx, &name, &phone); err != nil || name != "" || phone != "" {
			t.Errorf("anonymised file keeps %q %q (%v)", name, phone, err)
		}
		// Erasure by a manager.
		b = x.Browser().Login(x.mgr)
		if r := b.Post("/fr/people/"+keep.ID+"/erase", url.Values{"erase_reason": {""}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("erase without reason: %d", r.Status)
		}
		if r := b.Post("/fr/people/"+keep.ID+"/erase", url.Values{"erase_reason": {"Demande de la personne du 12/01"}}); r.Status != http.StatusSeeOther ||
			r.Location != "/fr/people/"+keep.ID {
			t.Fatalf("erase: %d %s", r.Status, r.Location)
		}
		var keys int
		if err := x.DB.R.NewRaw("SELECT COUNT(*) FROM person_name_keys WHERE person_id = ?", keep.ID).Scan(ctx, &keys); err != nil || keys != 0 {
			t.Errorf("erased file still searchable: %d keys", keys)
		}
		var erased int
		if err := x.DB.R.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = 'person.erase' AND object_id = ?", keep.ID).Scan(ctx, &erased); err != nil || erased != 1 {
			t.Errorf("erasure not audited: %d", erased)
		}
	})
}

// Events other modules append: their audience hides them from those who
// may not see the notes; a contact restarts the retention clock.
func TestTimelineAppend(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newPW(t, e)
		per := x.create(t, x.sw, people.Input{GivenLatin: "Rahim", FamilyLatin: "Ahmadi"})
		ctx := context.Background()
		later := testkit.Start.Add(48 * time.Hour)
		x.Clock.Set(later)
		err := x.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			if err := x.App.People.Append(ctx, tx, x.o.ID, people.Event{PersonID: per.ID, Kind: "domiciliation.mail", Contact: true,
				Summary: people.Message{Key: "people.event.kept"}}); err != nil {
				return err
			}
			return x.App.People.Append(ctx, tx, x.o.ID, people.Event{PersonID: per.ID, Kind: "health.test", Audience: people.AudienceHealth,
				Summary: people.Message{Key: "people.event.updated"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := x.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			return x.App.People.Append(ctx, tx, x.o2.ID, people.Event{PersonID: per.ID, Kind: "x.y", Summary: people.Message{Key: "people.event.kept"}})
		}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("append to another centre's file: %v", err)
		}
		ctxS, pS := x.ctx(t, x.sw)
		evS, _ := x.App.People.Events(ctxS, pS, per.ID, 0)
		ctxR, pR := x.ctx(t, x.rec)
		evR, _ := x.App.People.Events(ctxR, pR, per.ID, 0)
		if len(evS) != 3 || len(evR) != 2 {
			t.Errorf("events: social worker %d (want 3), reception %d (want 2)", len(evS), len(evR))
		}
		got, _, _ := x.App.People.Find(ctxS, pS, per.ID)
		if !got.LastContactAt.Equal(later) {
			t.Errorf("last contact %v, want %v", got.LastContactAt, later)
		}
	})
}

package pathway_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"parcours/internal/pathway"
	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// chromeSignIn signs u in through the real pages of lang (password, then
// the code for the roles that need one), and checks it lands on the staff
// home.
func chromeSignIn(t *testing.T, f *fx, c *testkit.Chrome, u *auth.User, lang string) {
	t.Helper()
	if st := c.Open(t, "/"+lang+"/login"); st != 200 {
		t.Fatalf("sign-in page: %d", st)
	}
	c.Submit(t, `main form[action="/`+lang+`/login"] button[type=submit]`, "#f-email", u.Email, "#f-password", testkit.Password)
	if c.Path(t) == "/"+lang+"/staff" {
		return // a volunteer: no second factor
	}
	f.Clock.Advance(31 * time.Second)
	c.Submit(t, `main form[action="/`+lang+`/login/totp"] button[type=submit]`, "#f-code", f.Code())
	if p := c.Path(t); p != "/"+lang+"/staff" {
		t.Fatalf("after sign-in: at %s", p)
	}
}

// TestBrowserMainFlow: in French and in Arabic, a social worker finds a
// person with the type-ahead search (another spelling), adds the next step
// and refers the person to the legal permanence with the person's consent;
// the partner accepts in the inbox. The pages pass axe-core, the Arabic
// ones are right-to-left. Screenshots go to $PARCOURS_SHOTS when set.
func TestBrowserMainFlow(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		c := f.Chrome()
		p := &auth.Principal{UserID: f.worker.ID, OrgID: f.org.ID, Email: f.worker.Email,
			Memberships: []auth.Membership{{Role: auth.SocialWorker, SiteID: f.siteA.ID}}}
		ctx := audit.WithActor(context.Background(), audit.Actor{UserID: f.worker.ID, OrgID: f.org.ID, Label: f.worker.Email})
		per, _, err := f.App.People.Create(ctx, p, people.Input{SiteID: f.siteA.ID, GivenName: "محمد", FamilyName: "الأمين",
			GivenLatin: "Mohammed", FamilyLatin: "El Amine", BirthYear: 1988, Phone: "0611223344", MsgLang: "ar",
			Languages: []string{"ar", "fr"}, FrenchLevel: "a1", HouseholdSize: 2, Dependants: 1}, people.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Each language adds an earlier step, which becomes the next one.
		due := map[string][2]string{"fr": {"2026-11-30", "30/11/2026"}, "ar": {"2026-11-27", "27/11/2026"}}
		for _, lang := range []string{"fr", "ar"} {
			l := f.App.Catalog.Localizer(lang)
			chromeSignIn(t, f, c, f.worker, lang)
			if got, want := c.Attr(t, "html", "dir"), l.Dir(); got != want {
				t.Fatalf("%s: dir %q", lang, got)
			}
			// The people menu entry, then the type-ahead search (htmx).
			c.Follow(t, `nav.mainnav a[data-shortcut="p"]`)
			c.Fill(t, "#f-q", "Muhamad")
			c.WaitVisible(t, `#person-results a[href="/`+lang+`/people/`+per.ID+`"]`)
			c.Follow(t, `#person-results a[href="/`+lang+`/people/`+per.ID+`"]`)
			c.WaitVisible(t, "section.nextstep")
			c.CheckAxe(t, lang)
			// Add the next step.
			c.Click(t, "details#add-step > summary")
			title := "RDV CPAM " + lang
			c.Fill(t, "#f-step_title", title)
			c.Eval(t, `document.querySelector("#f-step_due").value = "`+due[lang][0]+`"`, nil)
			c.Follow(t, `details#add-step button[type=submit]`)
			if got := c.Text(t, ".flash.ok"); got != l.T("pathway.step.added", "Title", title) {
				t.Errorf("%s: flash %q", lang, got)
			}
			if got := c.Text(t, "section.nextstep"); !strings.Contains(got, title) || !strings.Contains(got, due[lang][1]) {
				t.Errorf("%s: next step %q", lang, got)
			}
			c.Screenshot(t, lang+"-person", 1366, 768)
			c.Screenshot(t, lang+"-person", 360, 800)
			// Refer to the legal permanence, with the person's consent.
			c.Follow(t, `#referrals a.button`)
			c.CheckAxe(t, lang)
			c.Click(t, `input[name=service][value="`+f.serviceID+`"]`)
			c.Eval(t, `document.querySelector("#f-ref_reason").value = "Refus de séjour : recours"`, nil)
			c.Click(t, `input[name=consent_now]`)
			c.Follow(t, `form[action$="/referrals"] button[type=submit]`)
			if got := c.Text(t, ".flash.ok"); got != l.T("pathway.referral.sent", "Org", "La Cimade") {
				t.Errorf("%s: flash %q", lang, got)
			}
			// The worklists.
			c.Follow(t, `nav.mainnav a[data-shortcut="w"]`)
			c.CheckAxe(t, lang)
			c.Screenshot(t, lang+"-worklists", 1366, 768)
			c.Screenshot(t, lang+"-worklists", 360, 800)
			c.Click(t, "details.usermenu > summary")
			c.Follow(t, `form[action="/`+lang+`/logout"] button`)

			// The partner accepts in the inbox.
			chromeSignIn(t, f, c, f.partner, lang)
			c.Follow(t, `nav.mainnav a[data-shortcut="i"]`)
			c.CheckAxe(t, lang)
			c.Screenshot(t, lang+"-inbox", 1366, 768)
			c.Screenshot(t, lang+"-inbox", 360, 800)
			c.Follow(t, `main table a`)
			if got := c.Text(t, "main"); !strings.Contains(got, "Mohammed El Amine") || !strings.Contains(got, "06 11 22 33 44") {
				t.Errorf("%s: partner view %q", lang, got)
			}
			c.CheckAxe(t, lang)
			c.Follow(t, `form[action$="/accept"] button`)
			if got := c.Text(t, ".flash.ok"); got != l.T("pathway.partner.accepted") {
				t.Errorf("%s: partner flash %q", lang, got)
			}
			c.Click(t, "details.usermenu > summary")
			c.Follow(t, `form[action="/`+lang+`/logout"] button`)
		}
	})
}

// chromeSignOut signs out through the user menu.
func chromeSignOut(t *testing.T, c *testkit.Chrome, lang string) {
	t.Helper()
	c.Click(t, "details.usermenu > summary")
	c.Follow(t, `form[action="/`+lang+`/logout"] button`)
}

// TestBrowserVolunteerMission: in French and in Arabic, a social worker
// gives the site's volunteer a mission for a person (ticking the person's
// consent the first time); the volunteer finds it under "My missions"
// (menu), opens it — the shared fields only, never the notes — and
// reports; the report is on the person's page. Every page passes axe-core,
// the Arabic ones are right-to-left. Screenshots go to $PARCOURS_SHOTS.
func TestBrowserVolunteerMission(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		c := f.Chrome()
		ctx, p := f.sw()
		per, _, err := f.App.People.Create(ctx, p, people.Input{SiteID: f.siteA.ID, GivenName: "فاطمة", FamilyName: "الزهراء",
			GivenLatin: "Fatima", FamilyLatin: "Zahra", BirthYear: 1990, Phone: "0698765432", MsgLang: "ar", Languages: []string{"ar"},
			HouseholdSize: 1}, people.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		legal := "Recours CNDA en cours"
		if err := f.App.People.SetNotes(ctx, p, per.ID, people.Notes{Legal: &legal}); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"fr", "ar"} {
			l := f.App.Catalog.Localizer(lang)
			title := "RDV CPAM " + lang
			report := "Rendez-vous tenu (" + lang + ")"
			chromeSignIn(t, f, c, f.worker, lang)
			c.Open(t, "/"+lang+"/people/"+per.ID)
			c.Follow(t, `#missions a.button`)
			if got, want := c.Attr(t, "html", "dir"), l.Dir(); got != want {
				t.Fatalf("%s: dir %q", lang, got)
			}
			c.CheckAxe(t, lang)
			c.Fill(t, "#f-mission_title", title)
			c.Eval(t, `document.querySelector("#f-mission_on").value = "2026-11-27"`, nil)
			c.Eval(t, `document.querySelector("#f-mission_at").value = "10:30"`, nil)
			if c.Has(t, `input[name=consent_now]`) {
				c.Click(t, `input[name=consent_now]`)
			}
			c.Screenshot(t, lang+"-mission-form", 1366, 768)
			c.Screenshot(t, lang+"-mission-form", 360, 800)
			c.Follow(t, `form[action$="/missions"] button[type=submit]`)
			if got := c.Text(t, ".flash.ok"); got != l.T("pathway.mission.assigned", "Name", f.volunteer.Name) {
				t.Errorf("%s: flash %q", lang, got)
			}
			if got := c.Text(t, "#missions"); !strings.Contains(got, title) {
				t.Errorf("%s: missions of the file %q", lang, got)
			}
			chromeSignOut(t, c, lang)

			// The volunteer: My missions, the mission, the report.
			chromeSignIn(t, f, c, f.volunteer, lang)
			c.Menu(t, "/"+lang+"/missions")
			c.CheckAxe(t, lang)
			c.Screenshot(t, lang+"-missions", 1366, 768)
			c.Screenshot(t, lang+"-missions", 360, 800)
			c.Follow(t, `main ul.missions a`)
			main := c.Text(t, "main")
			if !strings.Contains(main, "فاطمة الزهراء") || !strings.Contains(main, "06 98 76 54 32") || !strings.Contains(main, title) {
				t.Errorf("%s: mission page %q", lang, main)
			}
			if strings.Contains(main, legal) {
				t.Errorf("%s: the volunteer sees the legal note", lang)
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, lang+"-mission", 1366, 768)
			c.Screenshot(t, lang+"-mission", 360, 800)
			c.Eval(t, `document.querySelector("#f-report").value = `+strconv.Quote(report), nil)
			c.Follow(t, `form[action$="/done"] button[type=submit]`)
			if got := c.Text(t, ".flash.ok"); got != l.T("pathway.mission.reported") {
				t.Errorf("%s: flash %q", lang, got)
			}
			c.CheckAxe(t, lang)
			chromeSignOut(t, c, lang)

			// The report is back on the person's page.
			chromeSignIn(t, f, c, f.worker, lang)
			c.Open(t, "/"+lang+"/people/"+per.ID+"#missions")
			if got := c.Text(t, "#missions"); !strings.Contains(got, report) {
				t.Errorf("%s: report not on the file: %q", lang, got)
			}
			c.CheckAxe(t, lang)
			c.Eval(t, `document.querySelector("#missions").scrollIntoView()`, nil)
			c.Screenshot(t, lang+"-person-missions", 1366, 768)
			c.Screenshot(t, lang+"-person-missions", 360, 800)
			chromeSignOut(t, c, lang)
		}
	})
}

// TestBrowserHouseholdAndObservatory: in French and in Arabic, a social
// worker adds a child to a person's household (the counters follow) and
// opens the member's page; a site manager opens the observatory export
// from the delays page. The pages pass axe-core; screenshots go to
// $PARCOURS_SHOTS.
func TestBrowserHouseholdAndObservatory(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		c := f.Chrome()
		id := f.person(t)
		// The person agrees to be counted; an AME application decided.
		ctx, p := f.sw()
		if _, err := f.App.People.GiveConsent(ctx, p, id, people.ConsentInput{Purpose: people.PurposeStatistics}); err != nil {
			t.Fatal(err)
		}
		sub, dec := time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
		if _, err := f.App.Pathway.SaveApplication(ctx, p, id, "", pathway.ApplicationInput{Right: "ame", Outcome: "granted",
			Submitted: &sub, Decided: &dec}); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"fr", "ar"} {
			l := f.App.Catalog.Localizer(lang)
			child := "Awa " + lang
			chromeSignIn(t, f, c, f.worker, lang)
			c.Open(t, "/"+lang+"/people/"+id)
			c.Click(t, "#household details > summary")
			c.Fill(t, "#f-member_given", child)
			c.Fill(t, "#f-member_birth_year", "2019")
			c.Follow(t, `#household details form button[type=submit]`)
			if got := c.Text(t, ".flash.ok"); got != l.T("people.member.saved") {
				t.Errorf("%s: flash %q", lang, got)
			}
			if got := c.Text(t, "#household"); !strings.Contains(got, child) || !strings.Contains(got, l.T("people.relation.child")) {
				t.Errorf("%s: household %q", lang, got)
			}
			c.CheckAxe(t, lang)
			c.Follow(t, `#household li:last-child a[href*="/household/"]`)
			c.CheckAxe(t, lang)
			c.Screenshot(t, lang+"-member", 1366, 768)
			c.Screenshot(t, lang+"-member", 360, 800)
			chromeSignOut(t, c, lang)

			chromeSignIn(t, f, c, f.manager, lang)
			c.Menu(t, "/"+lang+"/pathway/stats")
			c.Follow(t, `main a[href="/`+lang+`/pathway/observatory"]`)
			if got := c.Text(t, "main table"); !strings.Contains(got, "2026-09") || !strings.Contains(got, "<11") {
				t.Errorf("%s: observatory table %q", lang, got)
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, lang+"-observatory", 1366, 768)
			c.Screenshot(t, lang+"-observatory", 360, 800)
			chromeSignOut(t, c, lang)
		}
	})
}

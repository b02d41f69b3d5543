package pathway_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// chromeSignIn signs u in through the real pages of lang (password, then
// the code), and checks it lands on the staff home.
func chromeSignIn(t *testing.T, f *fx, c *testkit.Chrome, u *auth.User, lang string) {
	t.Helper()
	if st := c.Open(t, "/"+lang+"/login"); st != 200 {
		t.Fatalf("sign-in page: %d", st)
	}
	c.Submit(t, `main form[action="/`+lang+`/login"] button[type=submit]`, "#f-email", u.Email, "#f-password", testkit.Password)
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

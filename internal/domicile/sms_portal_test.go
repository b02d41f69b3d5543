package domicile_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/domicile"
	"parcours/internal/people"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
	"parcours/internal/platform/testkit"
)

// siteSettings turns the site's SMS (Tuesday and Thursday at 19:00) and
// portal on.
func (f *fx) siteSettings(t *testing.T, sms, portal bool) {
	t.Helper()
	err := f.s().SaveSettings(f.ctx(f.manager), f.p(f.manager), domicile.Settings{SiteID: f.siteA.ID, Organism: "PSA Bastille",
		MailAddress: "12 rue de la Roquette\n75011 Paris", SMSEnabled: sms, SMSDays: "2,4", SMSHour: 19, PortalEnabled: portal})
	if err != nil {
		t.Fatal(err)
	}
}

// smsPerson is a domiciled person with a phone, a language, and consent to
// SMS when agreed.
func (f *fx) smsPerson(t *testing.T, lang string, agreed bool) (*people.Person, *domicile.File) {
	t.Helper()
	per, _, err := f.App.People.Create(f.ctx(f.worker), f.p(f.worker), people.Input{SiteID: f.siteA.ID, GivenLatin: "Amal",
		FamilyLatin: "Haddad" + lang, Phone: "06 12 34 56 7" + map[bool]string{true: "8", false: "9"}[agreed], MsgLang: lang, HouseholdSize: 1},
		people.CreateOptions{NotADuplicate: true})
	if err != nil {
		t.Fatal(err)
	}
	if agreed {
		if _, err := f.App.People.GiveConsent(f.ctx(f.worker), f.p(f.worker), per.ID, people.ConsentInput{Purpose: people.PurposeSMS}); err != nil {
			t.Fatal(err)
		}
	}
	return per, f.domiciled(t, per)
}

func (f *fx) outbox(t *testing.T, purpose string) []notify.Item {
	t.Helper()
	var items []notify.Item
	if err := f.DB.R.NewSelect().Model(&items).Where("purpose = ?", purpose).Order("created_at").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return items
}

// Mail-arrived SMS go out once per person at the site's hour, in the
// person's language, only with both consents, and not when the mail was
// collected before.
func TestSMSMailArrivedBatchedWithConsent(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		f.siteSettings(t, true, false)
		_, agreed := f.smsPerson(t, "ar", true)
		_, refused := f.smsPerson(t, "fr", false)
		_, collected := f.smsPerson(t, "en", true)
		pr := f.p(f.reception)
		for _, id := range []string{agreed.ID, agreed.ID, refused.ID, collected.ID} {
			if _, _, err := s.Intake(f.ctx(f.reception), pr, domicile.IntakeInput{FileID: id, Kind: "letter"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.MailOut(f.ctx(f.reception), pr, domicile.OutInput{FileID: collected.ID, To: domicile.OutHanded}); err != nil {
			t.Fatal(err)
		}
		// Wednesday 25 Nov 2026, 9:30: the next slot is Thursday 19:00 Paris.
		var slots []time.Time
		if err := f.DB.R.NewSelect().Table("dom_sms_slots").Column("slot_at").Scan(context.Background(), &slots); err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
		if len(slots) != 1 || !slots[0].Equal(want) {
			t.Fatalf("slots %v, want one at %v", slots, want)
		}
		n, err := s.SendMailSMS(context.Background(), f.org.ID, f.siteA.ID, want)
		if err != nil || n != 1 {
			t.Fatalf("sent %d, %v", n, err)
		}
		items := f.outbox(t, "domicile.mail_arrived")
		if len(items) != 1 || items[0].Recipient != "+33612345678" || items[0].Lang != "ar" {
			t.Fatalf("outbox %+v", items)
		}
		if wantBody := f.App.Catalog.Localizer("ar").N("domicile.sms.mail", 2, "Site", "PSA Bastille", "Number", agreed.Number); items[0].Body != wantBody {
			t.Fatalf("body %q, want %q", items[0].Body, wantBody)
		}
		// Nothing new since: the next slot sends nothing.
		if n, err := s.SendMailSMS(context.Background(), f.org.ID, f.siteA.ID, want.Add(48*time.Hour)); err != nil || n != 0 {
			t.Fatalf("second slot sent %d, %v", n, err)
		}
	})
}

// The expiry reminder goes a month before the end (DomiFa #1850), once, at
// the site's hour.
func TestSMSExpiryReminderAMonthBefore(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		f.siteSettings(t, true, false)
		_, fl := f.smsPerson(t, "fr", true)
		if n, err := s.SendExpiryReminders(context.Background()); err != nil || n != 0 {
			t.Fatalf("early reminder %d %v", n, err)
		}
		// The election ends on 24 Nov 2027; on 24 Oct at 18:00 it is due.
		f.Clock.Set(time.Date(2027, 10, 24, 16, 0, 0, 0, time.UTC))
		if n, err := s.SendExpiryReminders(context.Background()); err != nil || n != 1 {
			t.Fatalf("reminder %d %v", n, err)
		}
		if n, err := s.SendExpiryReminders(context.Background()); err != nil || n != 0 {
			t.Fatalf("reminder twice %d %v", n, err)
		}
		items := f.outbox(t, "domicile.expiry")
		if len(items) != 1 || !strings.Contains(items[0].Body, "24/11/2027") {
			t.Fatalf("expiry SMS %+v", items)
		}
		_ = fl
	})
}

var codeRe = regexp.MustCompile(`\b(\d{6})\b`)

// The portal: sign-in with the number and the phone, a code by SMS, the
// pending mail in the person's language; codes are limited.
func TestPortalSignInByCodeAndLimits(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		f.siteSettings(t, false, true)
		per, fl := f.smsPerson(t, "ar", false)
		if err := s.SetPortal(f.ctx(f.reception), f.p(f.reception), fl.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Intake(f.ctx(f.reception), f.p(f.reception), domicile.IntakeInput{FileID: fl.ID, Kind: "registered"}); err != nil {
			t.Fatal(err)
		}
		b := f.Browser()
		number := domicile.CardCode(fl.Number)
		// A wrong phone: the same answer, no SMS.
		r := b.Post("/ar/portal/code", url.Values{"number": {number}, "phone": {"0700000000"}})
		if r.Status != http.StatusSeeOther || len(f.outbox(t, "domicile.portal_code")) != 0 {
			t.Fatalf("wrong phone: %d", r.Status)
		}
		r = b.Post("/ar/portal/code", url.Values{"number": {number}, "phone": {per.Phone}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("code: %d", r.Status)
		}
		items := f.outbox(t, "domicile.portal_code")
		if len(items) != 1 || items[0].Lang != "ar" {
			t.Fatalf("code SMS %+v", items)
		}
		code := codeRe.FindString(items[0].Body)
		if r := b.Post("/ar/portal/login", url.Values{"number": {number}, "code": {"000000"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code: %d", r.Status)
		}
		r = b.Post("/ar/portal/login", url.Values{"number": {number}, "code": {code}})
		if r.Status != http.StatusSeeOther || r.Location != "/ar/portal/home" {
			t.Fatalf("sign in: %d %q", r.Status, r.Location)
		}
		home := get(t, b, "/ar/portal/home")
		l := f.App.Catalog.Localizer("ar")
		mustContain(t, home, "portal home", `lang="ar" dir="rtl"`, html(l.N("domicile.portal.waiting", 1)), html(l.T("domicile.mail_kind.registered")))
		// The code is used: it does not open a second session.
		if r := f.Browser().Post("/ar/portal/login", url.Values{"number": {number}, "code": {code}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("code reused: %d", r.Status)
		}
		// Three codes an hour for a number.
		for i := 0; i < 2; i++ {
			b.Post("/ar/portal/code", url.Values{"number": {number}, "phone": {per.Phone}})
		}
		if r := b.Post("/ar/portal/code", url.Values{"number": {number}, "phone": {per.Phone}}); r.Status != http.StatusTooManyRequests {
			t.Fatalf("fourth code: %d", r.Status)
		}
		// The session is short.
		f.Clock.Advance(domicile.PortalSession + time.Minute)
		if r := b.Get("/ar/portal/home"); r.Status != http.StatusSeeOther {
			t.Fatalf("expired session: %d", r.Status)
		}
	})
}

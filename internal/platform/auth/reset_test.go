package auth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// forgot asks for a reset link and returns the answer and the page it leads to.
func forgot(t *testing.T, w *testkit.World, email string) (*testkit.Response, *testkit.Response) {
	t.Helper()
	b := w.Browser()
	r := b.Post("/fr/password/forgot", url.Values{"email": {email}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("forgot %q: %d", email, r.Status)
	}
	return r, b.Get(r.Location)
}

func TestPasswordReset(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		signedIn := w.Browser().Login(u)
		const newPassword = "a brand new passphrase"

		// An unknown address gets exactly the same answer, and no e-mail.
		unknownAnswer, unknownPage := forgot(t, w, "nobody@example.org")
		if n := count(t, w, "SELECT COUNT(*) FROM outbox"); n != 0 {
			t.Fatalf("%d e-mails for an unknown address", n)
		}
		answer, page := forgot(t, w, " Worker@Example.ORG ")
		if answer.Location != unknownAnswer.Location || answer.Location != "/fr/login" {
			t.Fatalf("answers differ: %q vs %q", answer.Location, unknownAnswer.Location)
		}
		sent := fr(w, "auth.reset.sent")
		if !strings.Contains(page.Body, sent) || !strings.Contains(unknownPage.Body, sent) {
			t.Fatal("the confirmation is not shown in both cases")
		}
		if page.Status != unknownPage.Status || len(page.Body) != len(unknownPage.Body) {
			t.Fatalf("the pages differ: %d/%d bytes", len(page.Body), len(unknownPage.Body))
		}
		ls := links(t, w, u.Email, "auth.reset")
		if len(ls) != 1 {
			t.Fatalf("%d reset e-mails, want 1", len(ls))
		}
		link := ls[0]
		if !strings.HasPrefix(link, "/fr/password/reset/") {
			t.Fatalf("link %q", link)
		}

		b := w.Browser()
		r := b.Get(link)
		if r.Status != http.StatusOK || r.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("reset page: %d, Referrer-Policy %q", r.Status, r.Header.Get("Referrer-Policy"))
		}
		// Bad input keeps the link usable.
		if r := b.Post(link, url.Values{"password": {newPassword}, "confirm": {"another one entirely"}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("mismatch: %d", r.Status)
		}
		if r := b.Post(link, url.Values{"password": {"short"}, "confirm": {"short"}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, fr(w, "auth.password.too_short")) {
			t.Fatalf("too short: %d", r.Status)
		}
		r = b.Post(link, url.Values{"password": {newPassword}, "confirm": {newPassword}})
		if r.Status != http.StatusSeeOther || r.Location != "/fr/login" {
			t.Fatalf("reset: %d %q", r.Status, r.Location)
		}
		if !strings.Contains(b.Get(r.Location).Body, fr(w, "auth.reset.done")) {
			t.Fatal("no confirmation after the reset")
		}
		mustSignIn(t, signedIn.Get("/fr/staff"), "session opened before the reset")
		if r := login(w.Browser(), u.Email, testkit.Password); r.Status != http.StatusUnauthorized {
			t.Fatalf("old password still works: %d", r.Status)
		}
		if r := login(w.Browser(), u.Email, newPassword); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("new password: %d %q", r.Status, r.Location)
		}
		// Single use.
		if r := w.Browser().Get(link); r.Status != http.StatusNotFound || !strings.Contains(r.Body, fr(w, "auth.reset.invalid")) {
			t.Fatalf("used link, page: %d", r.Status)
		}
		if r := w.Browser().Post(link, url.Values{"password": {"yet another passphrase"}, "confirm": {"yet another passphrase"}}); r.Status != http.StatusNotFound {
			t.Fatalf("used link, form: %d", r.Status)
		}
		if r := login(w.Browser(), u.Email, "yet another passphrase"); r.Status != http.StatusUnauthorized {
			t.Fatalf("a used link changed the password: %d", r.Status)
		}
		// A made-up token is refused the same way.
		if r := w.Browser().Get("/fr/password/reset/made-up-token"); r.Status != http.StatusNotFound {
			t.Fatalf("made-up token: %d", r.Status)
		}

		// Expired: the link works for an hour.
		forgot(t, w, u.Email)
		ls = links(t, w, u.Email, "auth.reset")
		if len(ls) != 2 {
			t.Fatalf("%d reset e-mails, want 2", len(ls))
		}
		link = ls[1]
		w.Clock.Advance(59 * time.Minute)
		if r := w.Browser().Get(link); r.Status != http.StatusOK {
			t.Fatalf("link after 59 minutes: %d", r.Status)
		}
		w.Clock.Advance(2 * time.Minute)
		if r := w.Browser().Get(link); r.Status != http.StatusNotFound {
			t.Fatalf("expired link, page: %d", r.Status)
		}
		if r := w.Browser().Post(link, url.Values{"password": {"yet another passphrase"}, "confirm": {"yet another passphrase"}}); r.Status != http.StatusNotFound {
			t.Fatalf("expired link, form: %d", r.Status)
		}
		if r := login(w.Browser(), u.Email, newPassword); r.Status != http.StatusSeeOther {
			t.Fatalf("an expired link changed the password: %d", r.Status)
		}
	})
}

// Reset e-mails are bounded per account (3 an hour), without a different answer.
func TestPasswordResetBounded(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		u := w.User(o, "benevole@example.org", auth.Membership{Role: auth.Volunteer})
		for i := range 5 {
			if r, _ := forgot(t, w, u.Email); r.Location != "/fr/login" {
				t.Fatalf("request %d: %q", i+1, r.Location)
			}
		}
		if n := len(links(t, w, u.Email, "auth.reset")); n != 3 {
			t.Fatalf("%d e-mails in an hour, want 3", n)
		}
		w.Clock.Advance(61 * time.Minute)
		forgot(t, w, u.Email)
		if n := len(links(t, w, u.Email, "auth.reset")); n != 4 {
			t.Fatalf("%d e-mails after an hour, want 4", n)
		}
	})
}

package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

var (
	secretRe = regexp.MustCompile(`data-testid="totp-secret">([A-Z2-7 ]+)<`)
	qrRe     = regexp.MustCompile(`<img class="qr" src="data:image/png;base64,([^"]+)"`)
)

// enroll goes through the set-up page of a half-open session and returns
// the secret shown; the page must carry the QR code.
func enroll(t *testing.T, b *testkit.Browser) string {
	t.Helper()
	r := b.Get("/fr/login/totp/setup")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `action="/fr/login/totp/setup/new"`) {
		t.Fatalf("set-up page before a secret: %d", r.Status)
	}
	r = b.Post("/fr/login/totp/setup/new", url.Values{"next": {"/staff"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp/setup") {
		t.Fatalf("new secret: %d %q", r.Status, r.Location)
	}
	r = b.Get(r.Location)
	q := qrRe.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || q == nil {
		t.Fatalf("set-up page has no QR code: %d", r.Status)
	}
	if png, err := base64.StdEncoding.DecodeString(html.UnescapeString(q[1])); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("the QR code is not a PNG image: %v", err)
	}
	m := secretRe.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("set-up page shows no secret")
	}
	return strings.ReplaceAll(m[1], " ", "")
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := testkit.TOTPCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// An administrator invites a new social worker through the users page; the
// invitation e-mail carries the link to choose a password; the first sign-in
// sets up the authenticator app.
func TestInvitationAndEnrollment(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		admin := w.User(o, "admin@example.org", auth.Membership{Role: auth.Admin})
		ab := w.Browser().Login(admin)

		r := ab.Post("/fr/admin/users", url.Values{"name": {"Nadia Haddad"}, "email": {"Nadia.Haddad@Example.org"}, "lang": {"fr"},
			"role": {"social_worker", ""}, "site": {s.ID, ""}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/admin/users/") {
			t.Fatalf("create user: %d %q", r.Status, r.Location)
		}
		id := strings.TrimPrefix(r.Location, "/fr/admin/users/")
		const email = "nadia.haddad@example.org"
		ls := links(t, w, email, "auth.invite")
		if len(ls) != 1 {
			t.Fatalf("%d invitations, want 1", len(ls))
		}
		// No password yet: nothing signs in.
		if r := login(w.Browser(), email, ""); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("empty password: %d", r.Status)
		}
		if r := login(w.Browser(), email, testkit.Password); r.Status != http.StatusUnauthorized {
			t.Fatalf("invited account without a password: %d", r.Status)
		}
		// The link lasts 72 hours.
		w.Clock.Advance(71 * time.Hour)
		b := w.Browser()
		if r := b.Get(ls[0]); r.Status != http.StatusOK {
			t.Fatalf("invitation page after 71 h: %d", r.Status)
		}
		const pw = "my own passphrase 2026"
		if r := b.Post(ls[0], url.Values{"password": {pw}, "confirm": {pw}}); r.Status != http.StatusSeeOther || r.Location != "/fr/login" {
			t.Fatalf("choose password: %d %q", r.Status, r.Location)
		}
		if r := w.Browser().Get(ls[0]); r.Status != http.StatusNotFound {
			t.Fatalf("used invitation: %d", r.Status)
		}

		// First sign-in: the password leads to the set-up of the second factor.
		r = login(b, email, pw)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp/setup") {
			t.Fatalf("first sign-in: %d %q", r.Status, r.Location)
		}
		if r := b.Get("/fr/staff"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("staff page before the set-up: %d %q", r.Status, r.Location)
		}
		if r := b.Get("/fr/login/totp"); r.Status != http.StatusSeeOther || r.Location != "/fr/login/totp/setup" {
			t.Fatalf("code page before the set-up: %d %q", r.Status, r.Location)
		}
		secret := enroll(t, b)
		// Wrong codes: a made-up one, and the test users' secret.
		for _, c := range []string{"000000", code(t, testkit.TOTPSecret, w.Clock.Now()), "12345"} {
			r := b.Post("/fr/login/totp/setup", url.Values{"code": {c}, "next": {"/staff"}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, fr(w, "auth.totp.wrong")) {
				t.Fatalf("wrong code %q: %d", c, r.Status)
			}
			if !qrRe.MatchString(r.Body) {
				t.Fatal("the QR code is not shown again after a wrong code")
			}
		}
		if r := b.Get("/fr/staff"); r.Status == http.StatusOK {
			t.Fatal("wrong codes signed in")
		}
		var enabled *time.Time
		if err := w.DB.R.NewRaw("SELECT totp_enabled_at FROM users WHERE id = ?", id).Scan(context.Background(), &enabled); err != nil || enabled != nil {
			t.Fatalf("second factor active after wrong codes: %v %v", enabled, err)
		}
		pending := sessionCookie(w, b)
		r = b.Post("/fr/login/totp/setup", url.Values{"code": {code(t, secret, w.Clock.Now())}, "next": {"/staff"}})
		if r.Status != http.StatusSeeOther || r.Location != "/fr/staff" {
			t.Fatalf("right code: %d %q", r.Status, r.Location)
		}
		if sessionCookie(w, b) == pending {
			t.Fatal("session not renewed by the set-up")
		}
		home := b.Get("/fr/staff")
		if home.Status != http.StatusOK || !strings.Contains(home.Body, fr(w, "auth.totp.enrolled")) {
			t.Fatalf("after the set-up: %d", home.Status)
		}
		if n := count(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.totp_enrolled' AND object_id = ?", id); n != 1 {
			t.Fatalf("audit: %d", n)
		}
		// Next time, the code is asked (and the set-up page is closed).
		w.Clock.Advance(31 * time.Second)
		b2 := w.Browser()
		if r := login(b2, email, pw); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp?") {
			t.Fatalf("second sign-in: %d %q", r.Status, r.Location)
		}
		if r := b2.Get("/fr/login/totp/setup"); r.Status != http.StatusSeeOther || r.Location != "/fr/login/totp" {
			t.Fatalf("set-up page once enrolled: %d %q", r.Status, r.Location)
		}
		if r := b2.Post("/fr/login/totp/setup/new", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("new secret once enrolled: %d", r.Status)
		}
		r = b2.Post("/fr/login/totp", url.Values{"code": {code(t, secret, w.Clock.Now())}})
		if r.Status != http.StatusSeeOther || r.Location != "/fr/staff" {
			t.Fatalf("code from the enrolled secret (a half-open session cannot replace it): %d %q", r.Status, r.Location)
		}
	})
}

// After an administrator resets a lost second factor, the user sets up a
// new secret; codes of the old one no longer work.
func TestEnrollmentAfterReset(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		admin := w.User(o, "admin@example.org", auth.Membership{Role: auth.Admin})
		u := w.User(o, "legal@example.org", auth.Membership{Role: auth.LegalSpecialist, SiteID: s.ID})
		ub := w.Browser().Login(u)
		ab := w.Browser().Login(admin)
		if r := ab.Post("/fr/admin/users/"+u.ID+"/reset-totp", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("reset second factor: %d", r.Status)
		}
		mustSignIn(t, ub.Get("/fr/staff"), "session after the reset of the second factor")
		w.Clock.Advance(31 * time.Second)
		b := w.Browser()
		if r := login(b, u.Email, testkit.Password); !strings.HasPrefix(r.Location, "/fr/login/totp/setup") {
			t.Fatalf("sign-in after reset: %d %q", r.Status, r.Location)
		}
		if r := b.Post("/fr/login/totp", url.Values{"code": {w.Code()}}); r.Status == http.StatusSeeOther && r.Location == "/fr/staff" {
			t.Fatal("the old second factor still signs in")
		}
		secret := enroll(t, b)
		if secret == testkit.TOTPSecret {
			t.Fatal("the old secret came back")
		}
		if r := b.Post("/fr/login/totp/setup", url.Values{"code": {w.Code()}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("code of the old secret: %d", r.Status)
		}
		if r := b.Post("/fr/login/totp/setup", url.Values{"code": {code(t, secret, w.Clock.Now())}}); r.Status != http.StatusSeeOther {
			t.Fatalf("code of the new secret: %d %q", r.Status, r.Location)
		}
		mustBeIn(t, b, "after the new set-up")
	})
}

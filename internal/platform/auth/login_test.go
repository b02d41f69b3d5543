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

func TestLoginWithTOTP(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Test", "psa")
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		b := w.Browser()

		r := b.Get("/fr/staff")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login?next=") {
			t.Fatalf("anonymous staff page: %d %q", r.Status, r.Location)
		}
		r = b.Post("/fr/login", url.Values{"email": {"worker@example.org"}, "password": {"wrong password!!"}})
		if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "Adresse e-mail ou mot de passe incorrect") {
			t.Fatalf("wrong password: %d", r.Status)
		}
		r = b.Post("/fr/login", url.Values{"email": {"Worker@Example.org "}, "password": {testkit.Password}, "next": {"/admin/sites"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("password ok should ask the code: %d %q", r.Status, r.Location)
		}
		// Half-signed-in: the staff area still refuses.
		if r := b.Get("/fr/staff"); r.Location != "/fr/login/totp" {
			t.Fatalf("pending session reached staff page: %d %q", r.Status, r.Location)
		}
		r = b.Post("/fr/login/totp", url.Values{"code": {"000000"}, "next": {"/admin/sites"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code: %d", r.Status)
		}
		w.Clock.Advance(31 * time.Second)
		code := w.Code()
		r = b.Post("/fr/login/totp", url.Values{"code": {code}, "next": {"/admin/sites"}})
		if r.Status != http.StatusSeeOther || r.Location != "/fr/admin/sites" {
			t.Fatalf("right code: %d %q", r.Status, r.Location)
		}
		r = b.Get("/fr/admin/sites")
		if r.Status != 200 || !strings.Contains(r.Body, "PSA Test") {
			t.Fatalf("sites page after sign-in: %d", r.Status)
		}
		// The same code cannot be used again (replay), even in a new session.
		b2 := w.Browser()
		b2.Post("/fr/login", url.Values{"email": {u.Email}, "password": {testkit.Password}})
		if r := b2.Post("/fr/login/totp", url.Values{"code": {code}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("replayed code accepted: %d", r.Status)
		}
		// Sign out ends the session.
		r = b.Post("/fr/logout", nil)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.Status)
		}
		if r := b.Get("/fr/staff"); r.Status != http.StatusSeeOther {
			t.Fatalf("after logout: %d", r.Status)
		}
	})
}

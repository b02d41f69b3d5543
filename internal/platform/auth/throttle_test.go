package auth_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

func mustThrottle(t *testing.T, w *testkit.World, r *testkit.Response, what string) {
	t.Helper()
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, fr(w, "auth.login.throttled")) {
		t.Fatalf("%s: %d %q, want 429 with the throttling message", what, r.Status, r.Location)
	}
}

func TestThrottlePerAccount(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "benevole@example.org", auth.Membership{Role: auth.Translator, SiteID: s.ID})
		other := w.User(o, "other@example.org", auth.Membership{Role: auth.Translator, SiteID: s.ID})

		// Four failures then a success: the success clears the count.
		for range 4 {
			if r := login(w.Browser(), u.Email, "wrong password!"); r.Status != http.StatusUnauthorized {
				t.Fatalf("wrong password: %d", r.Status)
			}
		}
		mustBeIn(t, w.Browser().Login(u), "after 4 failures")

		for i := range 5 {
			if r := login(w.Browser(), u.Email, fmt.Sprintf("wrong password %d", i)); r.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, r.Status)
			}
		}
		b := w.Browser()
		mustThrottle(t, w, login(b, u.Email, testkit.Password), "right password after 5 failures")
		if sessionCookie(w, b) != "" {
			t.Fatal("a throttled sign-in set a session")
		}
		// The address is written the way the user typed it, or not.
		mustThrottle(t, w, login(w.Browser(), " BENEVOLE@example.org", testkit.Password), "other spelling")
		// Other accounts from the same address are not blocked.
		mustBeIn(t, w.Browser().Login(other), "another account")

		w.Clock.Advance(15*time.Minute - time.Second)
		mustThrottle(t, w, login(w.Browser(), u.Email, testkit.Password), "after 14:59")
		w.Clock.Advance(time.Second)
		mustBeIn(t, w.Browser().Login(u), "after 15 minutes")
	})
}

// Wrong codes at the second step count against the account too.
func TestThrottleSecondFactor(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		b := w.Browser()
		if r := login(b, u.Email, testkit.Password); !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("password step: %d %q", r.Status, r.Location)
		}
		for i := range 5 {
			r := b.Post("/fr/login/totp", url.Values{"code": {fmt.Sprintf("%06d", i)}})
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("wrong code %d: %d", i+1, r.Status)
			}
		}
		w.Clock.Advance(31 * time.Second)
		r := b.Post("/fr/login/totp", url.Values{"code": {w.Code()}})
		mustThrottle(t, w, r, "right code after 5 wrong ones")
		mustThrottle(t, w, login(w.Browser(), u.Email, testkit.Password), "password after 5 wrong codes")
		w.Clock.Advance(15 * time.Minute)
		mustBeIn(t, w.Browser().Login(u), "after 15 minutes")
	})
}

// xff is a sign-in from a given address (behind the trusted proxy).
func xff(t *testing.T, w *testkit.World, ip, email, password string) *testkit.Response {
	t.Helper()
	return send(t, w, w.Browser(), http.MethodPost, "/fr/login", url.Values{"email": {email}, "password": {password}}, "X-Forwarded-For", ip)
}

func TestThrottlePerAddress(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e, testkit.Options{Configure: func(c *config.Config) { c.TrustProxy = true }})
		o := w.Org("Centre A")
		u := w.User(o, "benevole@example.org", auth.Membership{Role: auth.Translator})
		const attacker, office = "203.0.113.7", "198.51.100.9"
		// Password spraying: one try per address book entry, never 5 on one account.
		for i := range 29 {
			if r := xff(t, w, attacker, fmt.Sprintf("guess%d@example.org", i), "Summer2026!"); r.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, r.Status)
			}
		}
		if r := xff(t, w, attacker, u.Email, testkit.Password); r.Status != http.StatusSeeOther {
			t.Fatalf("after 29 failures: %d", r.Status)
		}
		xff(t, w, attacker, "guess29@example.org", "Summer2026!")
		mustThrottle(t, w, xff(t, w, attacker, u.Email, testkit.Password), "30 failures from the address")
		if r := xff(t, w, office, u.Email, testkit.Password); r.Status != http.StatusSeeOther {
			t.Fatalf("the same account from another address: %d", r.Status)
		}
		w.Clock.Advance(15 * time.Minute)
		if r := xff(t, w, attacker, u.Email, testkit.Password); r.Status != http.StatusSeeOther {
			t.Fatalf("after 15 minutes: %d", r.Status)
		}
	})
}

// Without a trusted proxy, X-Forwarded-For is ignored: varying it does not
// escape the per-address limit.
func TestThrottleAddressNotSpoofable(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		u := w.User(o, "benevole@example.org", auth.Membership{Role: auth.Translator})
		for i := range 30 {
			xff(t, w, fmt.Sprintf("192.0.2.%d", i+1), fmt.Sprintf("guess%d@example.org", i), "Summer2026!")
		}
		mustThrottle(t, w, xff(t, w, "192.0.2.200", u.Email, testkit.Password), "spoofed address")
	})
}

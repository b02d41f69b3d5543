package auth_test

import (
	"context"
	"html"
	"io"
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

// Helpers shared by the auth_test files.

// fr is the French text of a message as the pages show it (HTML-escaped).
func fr(w *testkit.World, id string, args ...any) string {
	return html.EscapeString(w.App.Catalog.Localizer("fr").T(id, args...))
}

// sessionCookie is the session token a browser holds ("" when none).
func sessionCookie(w *testkit.World, b *testkit.Browser) string {
	u, _ := url.Parse(w.Server.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == w.App.AuthWeb.CookieName() {
			return c.Value
		}
	}
	return ""
}

// browserWith is a new browser holding the session token.
func browserWith(w *testkit.World, token string) *testkit.Browser {
	b := w.Browser()
	u, _ := url.Parse(w.Server.URL)
	b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: w.App.AuthWeb.CookieName(), Value: token, Path: "/"}})
	return b
}

// count runs a SELECT COUNT(*) (placeholders: ?).
func count(t *testing.T, w *testkit.World, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.DB.R.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// mustSignIn fails unless r is the redirect of a staff page to sign-in.
func mustSignIn(t *testing.T, r *testkit.Response, what string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login") || strings.HasPrefix(r.Location, "/fr/login/totp") {
		t.Fatalf("%s: want a redirect to sign-in, got %d %q", what, r.Status, r.Location)
	}
}

// mustBeIn fails unless the browser reaches the staff home.
func mustBeIn(t *testing.T, b *testkit.Browser, what string) {
	t.Helper()
	if r := b.Get("/fr/staff"); r.Status != http.StatusOK {
		t.Fatalf("%s: staff home gives %d %q, want 200", what, r.Status, r.Location)
	}
}

var linkRe = regexp.MustCompile(`https?://[^/\s]+(/[A-Za-z-]+/password/reset/[A-Za-z0-9_-]+)`)

// links returns the paths of the one-time links e-mailed to addr, oldest
// first, read from the outbox table.
func links(t *testing.T, w *testkit.World, addr, purpose string) []string {
	t.Helper()
	var bodies []string
	err := w.DB.R.NewRaw("SELECT body FROM outbox WHERE recipient = ? AND purpose = ? AND channel = 'email' ORDER BY id", addr, purpose).
		Scan(context.Background(), &bodies)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range bodies {
		m := linkRe.FindStringSubmatch(b)
		if m == nil {
			t.Fatalf("no link in the e-mail to %s: %q", addr, b)
		}
		out = append(out, m[1])
	}
	return out
}

// send makes a request with extra headers (pairs), as a same-origin form
// post when form is not nil.
func send(t *testing.T, w *testkit.World, b *testkit.Browser, method, path string, form url.Values, header ...string) *testkit.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, w.Server.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", w.Server.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &testkit.Response{Status: resp.StatusCode, Body: string(raw), Location: resp.Header.Get("Location"), Header: resp.Header}
}

func login(b *testkit.Browser, email, password string) *testkit.Response {
	return b.Post("/fr/login", url.Values{"email": {email}, "password": {password}})
}

// The session id changes at each privilege step: a token planted before
// sign-in is never adopted, and the half-open token dies with the TOTP step.
func TestSessionRenewedOnSignIn(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})

		b := browserWith(w, "planted-by-an-attacker")
		r := login(b, u.Email, testkit.Password)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("password step: %d %q", r.Status, r.Location)
		}
		pending := sessionCookie(w, b)
		if pending == "" || pending == "planted-by-an-attacker" {
			t.Fatalf("password step kept the planted token: %q", pending)
		}
		w.Clock.Advance(31 * time.Second)
		r = b.Post("/fr/login/totp", url.Values{"code": {w.Code()}})
		if r.Status != http.StatusSeeOther || r.Location != "/fr/staff" {
			t.Fatalf("code step: %d %q", r.Status, r.Location)
		}
		full := sessionCookie(w, b)
		if full == "" || full == pending {
			t.Fatalf("session not renewed by the second factor: %q", full)
		}
		mustBeIn(t, b, "after the code")
		// The half-open token is gone: it opens neither the code page nor staff pages.
		old := browserWith(w, pending)
		if r := old.Get("/fr/login/totp"); r.Status != http.StatusSeeOther || r.Location != "/fr/login" {
			t.Fatalf("old half-open token still accepted: %d %q", r.Status, r.Location)
		}
		mustSignIn(t, old.Get("/fr/staff"), "old half-open token")
		mustSignIn(t, browserWith(w, "planted-by-an-attacker").Get("/fr/staff"), "planted token")
		if n := count(t, w, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", u.ID); n != 1 {
			t.Fatalf("sessions of the user: %d, want 1", n)
		}
	})
}

func TestSessionIdleTimeout(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		idle := w.App.Cfg.SessionIdle
		if idle <= 2*time.Minute {
			t.Fatalf("unexpected idle timeout %v", idle)
		}
		b := w.Browser().Login(u)
		// Activity keeps the session alive past the idle timeout in total.
		for range 3 {
			w.Clock.Advance(idle - time.Minute)
			mustBeIn(t, b, "active user")
		}
		w.Clock.Advance(idle + time.Second)
		r := b.Get("/fr/admin/sites")
		mustSignIn(t, r, "idle session")
		if r.Location != "/fr/login?next=%2Fadmin%2Fsites" {
			t.Fatalf("idle redirect lost the page: %q", r.Location)
		}
		// Signing in again works.
		mustBeIn(t, w.Browser().Login(u), "new session")
	})
}

func TestSessionMaxAge(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		u := w.User(o, "benevole@example.org", auth.Membership{Role: auth.Volunteer})
		maxAge, idle := w.App.Cfg.SessionMax, w.App.Cfg.SessionIdle
		b := w.Browser().Login(u)
		start := w.Clock.Now()
		step := idle - time.Minute
		for w.Clock.Now().Add(step).Before(start.Add(maxAge)) {
			w.Clock.Advance(step)
			mustBeIn(t, b, "within the maximum age")
		}
		w.Clock.Set(start.Add(maxAge + time.Second))
		mustSignIn(t, b.Get("/fr/staff"), "past the maximum age")
		// Signing in again works.
		mustBeIn(t, w.Browser().Login(u), "new session")
	})
}

func TestLogoutEverywhere(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		other := w.User(o, "other@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		desk := w.Browser().Login(u)
		phone := w.Browser().Login(u)
		colleague := w.Browser().Login(other)

		if r := desk.Get("/fr/account"); r.Status != http.StatusOK {
			t.Fatalf("account page: %d", r.Status)
		}
		if n := count(t, w, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", u.ID); n != 2 {
			t.Fatalf("%d sessions before, want 2", n)
		}
		r := desk.Post("/fr/account/logout-everywhere", nil)
		if r.Status != http.StatusSeeOther || r.Location != "/fr/login" {
			t.Fatalf("logout everywhere: %d %q", r.Status, r.Location)
		}
		if !strings.Contains(desk.Get("/fr/login").Body, fr(w, "auth.logout.everywhere_done", "Count", 2)) {
			t.Fatal("no confirmation with the number of sessions")
		}
		mustSignIn(t, phone.Get("/fr/staff"), "second browser")
		mustSignIn(t, desk.Get("/fr/staff"), "first browser")
		mustBeIn(t, colleague, "another user")
		if n := count(t, w, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", u.ID); n != 0 {
			t.Fatalf("%d sessions left", n)
		}
		if n := count(t, w, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.logout_everywhere' AND object_id = ?", u.ID); n != 1 {
			t.Fatalf("audit entries: %d", n)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		desk := w.Browser().Login(u)
		phone := w.Browser().Login(u)
		const newPassword = "a brand new passphrase"

		// A wrong current password changes nothing.
		r := desk.Post("/fr/account/password", url.Values{"current": {"not my password"}, "password": {newPassword}, "confirm": {newPassword}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, fr(w, "auth.password.current_wrong")) {
			t.Fatalf("wrong current password: %d", r.Status)
		}
		r = desk.Post("/fr/account/password", url.Values{"current": {testkit.Password}, "password": {newPassword}, "confirm": {"something else entirely"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("mismatched confirmation: %d", r.Status)
		}
		r = desk.Post("/fr/account/password", url.Values{"current": {testkit.Password}, "password": {"short"}, "confirm": {"short"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, fr(w, "auth.password.too_short")) {
			t.Fatalf("too short: %d", r.Status)
		}
		mustBeIn(t, phone, "after refused changes")

		r = desk.Post("/fr/account/password", url.Values{"current": {testkit.Password}, "password": {newPassword}, "confirm": {newPassword}})
		if r.Status != http.StatusSeeOther || r.Location != "/fr/account" {
			t.Fatalf("change: %d %q", r.Status, r.Location)
		}
		mustBeIn(t, desk, "the browser that changed it")
		mustSignIn(t, phone.Get("/fr/staff"), "the other browser")
		if r := login(w.Browser(), u.Email, testkit.Password); r.Status != http.StatusUnauthorized {
			t.Fatalf("old password: %d", r.Status)
		}
		if r := login(w.Browser(), u.Email, newPassword); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("new password: %d %q", r.Status, r.Location)
		}
	})
}

// A translator (who sees texts, never a person) signs in with the password
// only; a volunteer (who sees what a mission shares) and a translator who
// also holds a role that sees personal data do not.
func TestPasswordOnlyRoles(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		u := w.User(o, "translator@example.org", auth.Membership{Role: auth.Translator, SiteID: s.ID})
		b := w.Browser()
		if r := login(b, u.Email, testkit.Password); r.Status != http.StatusSeeOther || r.Location != "/fr/staff" {
			t.Fatalf("translator: %d %q, want straight to the staff home", r.Status, r.Location)
		}
		mustBeIn(t, b, "translator")
		vol := w.User(o, "volunteer@example.org", auth.Membership{Role: auth.Volunteer, SiteID: s.ID})
		if r := login(w.Browser(), vol.Email, testkit.Password); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("volunteer: %d %q, want the code step", r.Status, r.Location)
		}
		mixed := w.User(o, "mixed@example.org", auth.Membership{Role: auth.Translator, SiteID: s.ID},
			auth.Membership{Role: auth.ReceptionAgent, SiteID: s.ID})
		b = w.Browser()
		if r := login(b, mixed.Email, testkit.Password); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("translator and reception agent: %d %q, want the code step", r.Status, r.Location)
		}
		if r := b.Get("/fr/staff"); r.Location != "/fr/login/totp" {
			t.Fatalf("half-open session reached staff pages: %d %q", r.Status, r.Location)
		}
	})
}

func TestDisabledAccount(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		o := w.Org("Centre A")
		s := w.Site(o, "PSA Bastille", "psa")
		admin := w.User(o, "admin@example.org", auth.Membership{Role: auth.Admin})
		u := w.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: s.ID})
		vol := w.User(o, "benevole@example.org", auth.Membership{Role: auth.Volunteer, SiteID: s.ID})
		ab := w.Browser().Login(admin)
		ub := w.Browser().Login(u)
		vb := w.Browser().Login(vol)
		half := w.Browser()
		if r := login(half, u.Email, testkit.Password); !strings.HasPrefix(r.Location, "/fr/login/totp") {
			t.Fatalf("half-open session: %d %q", r.Status, r.Location)
		}

		for _, x := range []*auth.User{u, vol} {
			if r := ab.Post("/fr/admin/users/"+x.ID+"/disable", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("disable %s: %d", x.Email, r.Status)
			}
		}
		mustSignIn(t, ub.Get("/fr/staff"), "disabled user's session")
		mustSignIn(t, vb.Get("/fr/staff"), "disabled volunteer's session")
		w.Clock.Advance(31 * time.Second)
		if r := half.Post("/fr/login/totp", url.Values{"code": {w.Code()}}); r.Status != http.StatusSeeOther || r.Location != "/fr/login" {
			t.Fatalf("code of a disabled account: %d %q", r.Status, r.Location)
		}
		mustSignIn(t, half.Get("/fr/staff"), "half-open session of a disabled account")
		for _, x := range []*auth.User{u, vol} {
			r := login(w.Browser(), x.Email, testkit.Password)
			if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, fr(w, "auth.login.failed")) {
				t.Fatalf("disabled %s signs in: %d %q", x.Email, r.Status, r.Location)
			}
		}
		if n := count(t, w, "SELECT COUNT(*) FROM sessions WHERE user_id IN (?, ?)", u.ID, vol.ID); n != 0 {
			t.Fatalf("%d sessions left to disabled accounts", n)
		}
		// No reset link either.
		before := count(t, w, "SELECT COUNT(*) FROM outbox")
		w.Browser().Post("/fr/password/forgot", url.Values{"email": {vol.Email}})
		if n := count(t, w, "SELECT COUNT(*) FROM outbox"); n != before {
			t.Fatal("a disabled account received a reset link")
		}
		// Enabled again, the account works.
		if r := ab.Post("/fr/admin/users/"+vol.ID+"/enable", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("enable: %d", r.Status)
		}
		mustBeIn(t, w.Browser().Login(vol), "enabled again")
	})
}

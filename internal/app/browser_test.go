package app_test

import (
	"strings"
	"testing"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// browserWorld is a centre with one site and a signed-out administrator,
// and a headless Chromium pointed at the server.
type browserWorld struct {
	w     *testkit.World
	c     *testkit.Chrome
	site  string
	admin *auth.User
}

func newBrowserWorld(t *testing.T, e db.Engine) *browserWorld {
	t.Helper()
	w := testkit.NewWorld(t, e)
	o := w.Org("CASVP test")
	s := w.Site(o, "PSA Bastille", "psa")
	admin := w.User(o, "amina.admin@casvp.test", auth.Membership{Role: auth.Admin})
	return &browserWorld{w: w, c: w.Chrome(), site: s.ID, admin: admin}
}

// signIn signs the administrator in through the real pages, in French:
// password, then the TOTP code an authenticator app would show at the
// world's (fake) time.
func (b *browserWorld) signIn(t *testing.T) {
	t.Helper()
	c, fr := b.c, b.w.App.Catalog.Localizer("fr")
	if st := c.Open(t, "/fr/login"); st != 200 {
		t.Fatalf("sign-in page: status %d", st)
	}
	c.Submit(t, `main form[action="/fr/login"] button[type=submit]`,
		"#f-email", b.admin.Email,
		"#f-password", testkit.Password)
	if p := c.Path(t); !strings.HasPrefix(p, "/fr/login/totp") {
		t.Fatalf("after the password: at %s, want the code page", p)
	}
	if got, want := c.Text(t, "main h1"), fr.T("auth.totp.title"); got != want {
		t.Fatalf("code page title %q, want %q", got, want)
	}
	if st := c.Submit(t, `main form[action="/fr/login/totp"] button[type=submit]`, "#f-code", b.w.Code()); st != 200 {
		t.Fatalf("after the code: status %d", st)
	}
	if p := c.Path(t); p != "/fr/staff" {
		t.Fatalf("after the code: at %s, want /fr/staff", p)
	}
	if got, want := c.Text(t, "main h1"), fr.T("org.home.hello", "Name", b.admin.Name); got != want {
		t.Fatalf("staff home says %q, want %q", got, want)
	}
}

// TestBrowserAdminCreatesUserThenArabic: an administrator signs in with
// password and TOTP, creates a user with a role in a site through the real
// form, sees the confirmation, switches to Arabic with the language menu
// (the page turns right-to-left and its layout mirrors), and signs out.
func TestBrowserAdminCreatesUserThenArabic(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		b := newBrowserWorld(t, e)
		c, fr := b.c, b.w.App.Catalog.Localizer("fr")
		b.signIn(t)

		// French is left-to-right: the brand sits at the left edge.
		if got := c.Attr(t, "html", "dir"); got != "ltr" {
			t.Fatalf("French page dir=%q", got)
		}
		brandFR, langsFR := c.Box(t, "header.top .brand"), c.Box(t, "header.top details.langs > summary")
		if !(brandFR.X < 40 && brandFR.X < langsFR.X) {
			t.Fatalf("French header: brand at x=%.0f, language menu at x=%.0f; want the brand at the left", brandFR.X, langsFR.X)
		}

		// Users list, then the "new user" form, through the menus: the
		// administration pages are in the Administration drop-down.
		if got, want := c.Text(t, "nav.mainnav details.navgroup:has(a[href=\"/fr/admin/users\"]) > summary"), fr.T("common.nav.group.admin"); got != want {
			t.Fatalf("drop-down %q, want %q", got, want)
		}
		c.Menu(t, `/fr/admin/users`)
		if got := c.Attr(t, `nav.mainnav a[href="/fr/admin/users"]`, "aria-current"); got != "page" {
			t.Fatalf("users menu entry aria-current=%q", got)
		}
		c.Follow(t, `main a.button[href="/fr/admin/users/new"]`)
		if got, want := c.Text(t, "main h1"), fr.T("org.users.new"); got != want {
			t.Fatalf("form title %q, want %q", got, want)
		}
		const name, email = "Sarah Benali", "sarah.benali@casvp.test"
		c.Fill(t, "#f-name", name)
		c.Fill(t, "#f-email", email)
		c.Select(t, `tbody tr:first-child select[name=role]`, string(auth.SocialWorker))
		c.Select(t, `tbody tr:first-child select[name=site]`, b.site)
		if st := c.Follow(t, `main form.panel .actions button[type=submit]`); st != 200 {
			t.Fatalf("create user: status %d", st)
		}
		if p := c.Path(t); !strings.HasPrefix(p, "/fr/admin/users/") || strings.HasSuffix(p, "/new") {
			t.Fatalf("after creating: at %s, want the new user's page", p)
		}
		if got, want := c.Text(t, `main .flash.ok[role=status]`), fr.T("org.user.created", "Name", name, "Email", email); got != want {
			t.Fatalf("confirmation %q, want %q", got, want)
		}
		if got := c.Text(t, "main h1 bdi"); got != name {
			t.Fatalf("user page title %q, want %q", got, name)
		}
		if got := c.Attr(t, `tbody tr:first-child select[name=role] option[selected]`, "value"); got != string(auth.SocialWorker) {
			t.Fatalf("saved role %q, want %q", got, auth.SocialWorker)
		}
		if got := c.Attr(t, `tbody tr:first-child select[name=site] option[selected]`, "value"); got != b.site {
			t.Fatalf("saved site %q, want %q", got, b.site)
		}
		userPath := strings.TrimPrefix(c.Path(t), "/fr")
		h1FR := c.Box(t, "main h1 bdi")

		// Arabic through the language menu: same page, right-to-left.
		c.Click(t, "header.top details.langs > summary")
		if st := c.Follow(t, `details.langs a[hreflang="ar"]`); st != 200 {
			t.Fatalf("switch to Arabic: status %d", st)
		}
		if p := c.Path(t); p != "/ar"+userPath {
			t.Fatalf("after switching: at %s, want /ar%s", p, userPath)
		}
		if lang, dir := c.Attr(t, "html", "lang"), c.Attr(t, "html", "dir"); lang != "ar" || dir != "rtl" {
			t.Fatalf(`<html lang=%q dir=%q>, want lang="ar" dir="rtl"`, lang, dir)
		}
		if c.Has(t, "main .flash.ok") {
			t.Fatal("the confirmation shows again after switching language")
		}
		var vw float64
		c.Eval(t, "document.documentElement.clientWidth", &vw)
		brandAR, langsAR := c.Box(t, "header.top .brand"), c.Box(t, "header.top details.langs > summary")
		if !(brandAR.Right() > vw-40 && brandAR.X > langsAR.Right()) {
			t.Fatalf("Arabic header not mirrored: brand at x=%.0f..%.0f, language menu at x=%.0f..%.0f, viewport %.0f",
				brandAR.X, brandAR.Right(), langsAR.X, langsAR.Right(), vw)
		}
		// The heading's text starts at the right too.
		if h1 := c.Box(t, "main h1 bdi"); !(h1.X > h1FR.Right() && h1.Right() > vw/2) {
			t.Fatalf("Arabic heading not at the right: x=%.0f..%.0f (French %.0f..%.0f), viewport %.0f", h1.X, h1.Right(), h1FR.X, h1FR.Right(), vw)
		}
		if got := c.Attr(t, `nav.mainnav a[href="/ar/admin/users"]`, "href"); got == "" {
			t.Fatal("menu links do not keep the Arabic prefix")
		}

		// Sign out from the user menu: back to the sign-in page, in Arabic.
		ar := b.w.App.Catalog.Localizer("ar")
		c.Click(t, "header.top details.usermenu > summary")
		if st := c.Follow(t, `details.usermenu form[action="/ar/logout"] button[type=submit]`); st != 200 {
			t.Fatalf("sign out: status %d", st)
		}
		if p := c.Path(t); p != "/ar/login" {
			t.Fatalf("after signing out: at %s, want /ar/login", p)
		}
		if got, want := c.Text(t, `main .flash.ok[role=status]`), ar.T("auth.logout.done"); got != want {
			t.Fatalf("sign-out confirmation %q, want %q", got, want)
		}
		if c.Has(t, "details.usermenu") {
			t.Fatal("the user menu still shows after signing out")
		}
		c.Open(t, "/ar/staff")
		if p := c.Path(t); !strings.HasPrefix(p, "/ar/login") {
			t.Fatalf("staff home after signing out: at %s, want the sign-in page", p)
		}
	})
}

// TestBrowserAxe: axe-core finds no violation on the sign-in page (French,
// Arabic, Tigrinya), the public home page (French, Arabic), and, signed in,
// the staff home and the users list (French, Arabic).
func TestBrowserAxe(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		b := newBrowserWorld(t, e)
		c := b.c
		check := func(path, lang string) {
			t.Helper()
			if st := c.Open(t, path); st != 200 {
				t.Fatalf("%s: status %d", path, st)
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, "axe"+strings.ReplaceAll(path, "/", "_"), testkit.DefaultWidth, testkit.DefaultHeight)
		}
		for _, lang := range []string{"fr", "ar", "ti"} {
			check("/"+lang+"/login", lang)
		}
		for _, lang := range []string{"fr", "ar"} {
			check("/"+lang+"/", lang)
		}

		// axe was injected through DevTools although the page forbids
		// inline scripts: check the policy is really enforced on the page.
		var blocked struct {
			Ran        bool
			Violations int
		}
		c.Eval(t, `new Promise(done => {
			let n = 0; document.addEventListener("securitypolicyviolation", () => n++);
			const s = document.createElement("script"); s.textContent = "window.__inlineRan = true";
			document.head.appendChild(s);
			setTimeout(() => done({ran: window.__inlineRan === true, violations: n}), 50);
		})`, &blocked)
		if blocked.Ran || blocked.Violations == 0 {
			t.Fatalf("an inline script was not blocked by the page's CSP (ran=%v, violations=%d)", blocked.Ran, blocked.Violations)
		}

		b.signIn(t)
		for _, lang := range []string{"fr", "ar"} {
			check("/"+lang+"/staff", lang)
			check("/"+lang+"/admin/users", lang)
		}
	})
}

// TestBrowserSignInWithoutJavaScript: with scripts off, the sign-in,
// the code page, the language menu and signing out still work (plain
// forms, links and <details>).
func TestBrowserSignInWithoutJavaScript(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		b := newBrowserWorld(t, e)
		c := b.c
		c.DisableJS(t)
		b.signIn(t)
		var htmx string
		c.Eval(t, `typeof window.htmx`, &htmx)
		if htmx != "undefined" {
			t.Fatalf("scripts ran although disabled (typeof htmx = %q)", htmx)
		}
		c.Click(t, "header.top details.langs > summary")
		c.Follow(t, `details.langs a[hreflang="ar"]`)
		if p, dir := c.Path(t), c.Attr(t, "html", "dir"); p != "/ar/staff" || dir != "rtl" {
			t.Fatalf("language menu without JavaScript: at %s dir=%q, want /ar/staff rtl", p, dir)
		}
		c.Click(t, "header.top details.usermenu > summary")
		c.Follow(t, `details.usermenu form[action="/ar/logout"] button[type=submit]`)
		if p := c.Path(t); p != "/ar/login" {
			t.Fatalf("after signing out: at %s, want /ar/login", p)
		}
	})
}

// TestBrowserLanguageMenuOnPhone: on a 360 px wide phone, the opened
// language menu fits on the screen (every language can be tapped), in a
// left-to-right and a right-to-left page, signed out and signed in.
func TestBrowserLanguageMenuOnPhone(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		b := newBrowserWorld(t, e)
		c := b.c
		check := func(path string) {
			t.Helper()
			c.Viewport(t, 360, 800)
			c.Open(t, path)
			c.Click(t, "header.top details.langs > summary")
			c.WaitVisible(t, "details.langs .menu-body")
			var off []string
			c.Eval(t, `(() => { const vw = document.documentElement.clientWidth, out = [];
				for (const a of document.querySelectorAll("details.langs .menu-body a")) {
					const r = a.getBoundingClientRect();
					if (r.width < 24 || r.height < 24 || r.left < 0 || r.right > vw) out.push(a.lang + " " + Math.round(r.left) + ".." + Math.round(r.right));
				}
				return out })()`, &off)
			if len(off) > 0 {
				t.Fatalf("%s at 360 px: languages off screen or too small to tap: %v", path, off)
			}
			c.Follow(t, `details.langs a[hreflang="ti"]`)
			if got := c.Attr(t, "html", "lang"); got != "ti" {
				t.Fatalf("%s: after choosing Tigrinya, lang=%q", path, got)
			}
		}
		check("/fr/login")
		check("/ar/login")
		c.Viewport(t, testkit.DefaultWidth, testkit.DefaultHeight)
		b.signIn(t)
		check("/fr/staff")
		check("/ar/staff")
	})
}

package domicile_test

import (
	"testing"
	"time"

	"parcours/internal/domicile"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// signIn signs u in through the real pages in a headless Chromium.
func signIn(t *testing.T, f *fx, c *testkit.Chrome, u *auth.User, lang string) {
	t.Helper()
	if st := c.Open(t, "/"+lang+"/login"); st != 200 {
		t.Fatalf("sign-in page: %d", st)
	}
	c.Submit(t, `main form[action="/`+lang+`/login"] button[type=submit]`, "#f-email", u.Email, "#f-password", testkit.Password)
	f.Clock.Advance(31 * time.Second)
	if st := c.Submit(t, `main form[action="/`+lang+`/login/totp"] button[type=submit]`, "#f-code", f.Code()); st != 200 {
		t.Fatalf("after the code: %d", st)
	}
}

// focused is the name (or id) of the element that has the focus, once it
// is want: the browser applies autofocus after the page has loaded, so it
// is polled for up to two seconds.
func focused(t *testing.T, c *testkit.Chrome, want string) string {
	t.Helper()
	var s string
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c.Eval(t, `document.activeElement ? (document.activeElement.name || document.activeElement.id) : ""`, &s)
		if s == want || time.Now().After(deadline) {
			return s
		}
	}
}

// The reception desk and a decision, in French then in Arabic (right to
// left): reception finds a person by another spelling, records a letter
// with the keyboard (the focus is where the next keystroke goes), is told
// what was recorded, hands the mail over; a site manager grants a request
// (in French) and ends it at the person's request (in Arabic).
// axe-core finds no accessibility violation on the pages.
func TestBrowserDeskAndDecision(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		awa := f.domiciled(t, f.person(t, "Awa", "Traoré", "1992-02-02"))
		f.siteSettings(t, false, true)
		for _, lang := range []string{"fr", "ar"} {
			l := f.App.Catalog.Localizer(lang)
			c := f.Chrome()
			signIn(t, f, c, f.reception, lang)
			c.Menu(t, `/`+lang+`/domiciliation/mail`)
			if got := focused(t, c, "q"); got != "q" {
				t.Fatalf("%s desk: focus on %q, want the search field", lang, got)
			}
			if dir := c.Attr(t, "html", "dir"); (lang == "ar") != (dir == "rtl") {
				t.Fatalf("%s: dir %q", lang, dir)
			}
			c.CheckAxe(t, lang)
			c.Submit(t, `form.dom-find button[type=submit]`, "#f-q", "awa traore")
			if got := focused(t, c, "kind"); got != "kind" {
				t.Fatalf("%s: after the search the focus is on %q, want the kind", lang, got)
			}
			c.Screenshot(t, "domicile-desk-"+lang, 1366, 768)
			c.Screenshot(t, "domicile-desk-"+lang, 360, 800)
			c.CheckAxe(t, lang)
			c.Follow(t, `.dom-intake-form button[type=submit]`)
			want := l.N("domicile.mail.recorded.letter", 1, "Number", awa.Number, "Pending", 1)
			if lang == "ar" {
				want = l.N("domicile.mail.recorded.letter", 1, "Number", awa.Number, "Pending", 3)
			}
			if got := c.Text(t, ".flash.ok"); got != want {
				t.Fatalf("%s confirmation %q, want %q", lang, got, want)
			}
			if got := focused(t, c, "q"); got != "q" {
				t.Fatalf("%s: after the intake the focus is on %q", lang, got)
			}
			// The file page: hand the letters over.
			c.Open(t, "/"+lang+"/domiciliation/files/"+awa.ID)
			c.Screenshot(t, "domicile-file-"+lang, 1366, 768)
			c.Screenshot(t, "domicile-file-"+lang, 360, 800)
			c.CheckAxe(t, lang)
			if st := c.Follow(t, `#mail form button[type=submit]`); st != 200 {
				t.Fatalf("%s handover: %d", lang, st)
			}
			if got, want := c.Text(t, ".flash.ok"), l.N("domicile.mail.out_done.handed", map[string]int{"fr": 1, "ar": 3}[lang], "Number", awa.Number); got != want {
				t.Fatalf("%s handover confirmation %q, want %q", lang, got, want)
			}
			if f.file(t, awa.ID).Pending() != 0 {
				t.Fatalf("%s: mail still pending", lang)
			}
			// Next language: the intake above happens again.
			if _, _, err := f.s().Intake(f.ctx(f.reception), f.p(f.reception), domicile.IntakeInput{FileID: awa.ID, Kind: "letter", Quantity: 2}); err != nil {
				t.Fatal(err)
			}
			c.Close()
		}

		// A site manager grants a request from the file page.
		per := f.person(t, "Bilal", "Khan", "1988-08-08")
		req, err := f.s().CreateRequest(f.ctx(f.worker), f.p(f.worker), domicile.RequestInput{PersonID: per.ID, SiteID: f.siteA.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s().SaveInterview(f.ctx(f.worker), f.p(f.worker), req.ID, domicile.Interview{Link: "social"}); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"fr", "ar"} {
			l := f.App.Catalog.Localizer(lang)
			c2 := f.Chrome()
			signIn(t, f, c2, f.manager, lang)
			c2.Open(t, "/"+lang+"/domiciliation/files/"+req.ID)
			if lang == "fr" {
				c2.Follow(t, `a[href="/fr/domiciliation/files/`+req.ID+`/decision?to=valid"]`)
				c2.Screenshot(t, "domicile-decision-"+lang, 1366, 768)
				c2.Screenshot(t, "domicile-decision-"+lang, 360, 800)
				c2.CheckAxe(t, lang)
				c2.Follow(t, `main form button[type=submit]`)
				if got := c2.Text(t, ".flash.ok"); got != l.T("domicile.decision.done.valid") {
					t.Fatalf("decision confirmation %q", got)
				}
			} else {
				// In Arabic: the report and the worklist of the granted file.
				c2.Open(t, "/ar/domiciliation/report")
				c2.Screenshot(t, "domicile-report-ar", 1366, 768)
				c2.CheckAxe(t, lang)
				// Then the person asks to end it (L264-5): a radiation.
				c2.Open(t, "/ar/domiciliation/files/"+req.ID+"/decision?to=ended")
				c2.Screenshot(t, "domicile-decision-ar", 1366, 768)
				c2.Screenshot(t, "domicile-decision-ar", 360, 800)
				c2.CheckAxe(t, lang)
				c2.Select(t, "#f-reason", "person_request")
				c2.Follow(t, `main form button[type=submit]`)
				if got := c2.Text(t, ".flash.ok"); got != l.T("domicile.decision.done.ended") {
					t.Fatalf("radiation confirmation %q", got)
				}
				c2.Screenshot(t, "domicile-ended-ar", 360, 800)
			}
			c2.Close()
		}
		if got := f.file(t, req.ID); got.Status != domicile.StatusEnded {
			t.Fatalf("file status %s, want ended", got.Status)
		}
	})
}

package domicile_test

import (
	"strings"
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

// The rest of the "done when" of issue 4 in the browser: a social worker
// files a request for a new person, gives the receipt and holds the
// interview (D264-2), a site manager grants it (D264-1) and the attestation
// link gives the official PDF; then reception, in Arabic, logs the
// morning's delivery for that number in one batch.
func TestBrowserRequestToAttestationAndMorningBatch(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		fr := f.App.Catalog.Localizer("fr")
		c := f.Chrome()
		defer c.Close()
		signIn(t, f, c, f.worker, "fr")
		c.Open(t, "/fr/domiciliation/new?q="+"Kidane")
		c.Screenshot(t, "domicile-new-fr", 1366, 768)
		c.CheckAxe(t, "fr")
		c.Select(t, "#f-civility", "mme")
		// A date field types in the browser's locale: set its value.
		var ok bool
		c.Eval(t, `(document.querySelector("#f-birth_date").value = "1995-06-01") !== ""`, &ok)
		if st := c.Submit(t, `form[action="/fr/domiciliation"] button[type=submit]`, "#f-family_name", "ኪዳነ", "#f-given_name", "ሰናይት",
			"#f-family_latin", "Kidane", "#f-given_latin", "Senait", "#f-birth_place", "Asmara"); st != 200 {
			c.Screenshot(t, "domicile-new-error-fr", 1366, 768)
			t.Fatalf("new request: %d", st)
		}
		if got, want := c.Text(t, ".flash.ok"), fr.T("domicile.request.created", "Number", 1); got != want {
			t.Fatalf("request confirmation %q, want %q", got, want)
		}
		base := c.Path(t)
		c.Follow(t, `form[action="`+base+`/receipt"] button[type=submit]`)
		if got := c.Text(t, ".flash.ok"); got != fr.T("domicile.receipt.given") {
			t.Fatalf("receipt confirmation %q", got)
		}
		c.Open(t, base+"/interview")
		c.Select(t, "#f-link", "residential")
		c.Select(t, "#f-residence", "street")
		c.Screenshot(t, "domicile-interview-fr", 360, 800)
		c.CheckAxe(t, "fr")
		c.Follow(t, `main form button[type=submit]`)
		if got := c.Text(t, ".flash.ok"); got != fr.T("domicile.interview.saved") {
			t.Fatalf("interview confirmation %q", got)
		}
		c.Follow(t, `a[href="`+base+`/decision?to=awaiting"]`)
		c.Follow(t, `main form button[type=submit]`)
		if got := c.Text(t, ".flash.ok"); got != fr.T("domicile.decision.done.awaiting") {
			t.Fatalf("awaiting confirmation %q", got)
		}
		// Only a manager grants (D264-2): the worker has no such button.
		if c.Has(t, `a[href="`+base+`/decision?to=valid"]`) {
			t.Fatal("the social worker is offered the grant")
		}
		c.Close()

		m := f.Chrome()
		defer m.Close()
		signIn(t, f, m, f.manager, "fr")
		m.Open(t, base)
		m.Follow(t, `a[href="`+base+`/decision?to=valid"]`)
		m.Follow(t, `main form button[type=submit]`)
		if got := m.Text(t, ".flash.ok"); got != fr.T("domicile.decision.done.valid") {
			t.Fatalf("grant confirmation %q", got)
		}
		// The attestation link of the file page answers the filled form.
		href := m.Attr(t, `a[href="`+base+`/cerfa/attestation"]`, "href")
		var got string
		m.Eval(t, `(function(){var x=new XMLHttpRequest();x.open("GET",`+"`"+href+"`"+`,false);x.send();`+
			`return x.status+" "+x.getResponseHeader("Content-Type")+" "+x.responseText.slice(0,5)})()`, &got)
		if got != "200 application/pdf %PDF-" {
			t.Fatalf("attestation link answers %q", got)
		}
		m.Close()

		// The morning's delivery for that number, in Arabic.
		ar := f.App.Catalog.Localizer("ar")
		r := f.Chrome()
		defer r.Close()
		signIn(t, f, r, f.reception, "ar")
		r.Menu(t, "/ar/domiciliation/mail")
		r.Open(t, "/ar/domiciliation/mail/batch")
		if got := focused(t, r, "lines"); got != "lines" {
			t.Fatalf("batch page: focus on %q, want the lines", got)
		}
		r.Screenshot(t, "domicile-batch-ar", 1366, 768)
		r.Screenshot(t, "domicile-batch-ar", 360, 800)
		r.CheckAxe(t, "ar")
		r.Submit(t, `main form button[type=submit]`, "#f-lines", "1\n1 r\n1 2\n"+domicile.CardCode(1)+" c")
		if got, want := r.Text(t, ".flash.ok"), ar.N("domicile.batch.done", 5, "Files", 1, "Letters", 3, "Registered", 1, "Parcels", 1); got != want {
			t.Fatalf("batch confirmation %q, want %q", got, want)
		}
		if fl := f.file(t, strings.TrimPrefix(base, "/fr/domiciliation/files/")); fl.PendingLetters != 3 || fl.PendingRegistered != 1 || fl.PendingParcels != 1 {
			t.Fatalf("pending after the batch %d/%d/%d", fl.PendingLetters, fl.PendingRegistered, fl.PendingParcels)
		}
	})
}

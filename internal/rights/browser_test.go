package rights_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// signIn signs u in through the real pages in a headless Chromium:
// password, then the code an authenticator would show.
func signIn(t *testing.T, w *world, c *testkit.Chrome, u *auth.User) {
	t.Helper()
	if st := c.Open(t, "/fr/login"); st != 200 {
		t.Fatalf("sign-in page: %d", st)
	}
	c.Submit(t, `main form[action="/fr/login"] button[type=submit]`, "#f-email", u.Email, "#f-password", testkit.Password)
	w.Clock.Advance(31 * time.Second)
	if st := c.Submit(t, `main form[action="/fr/login/totp"] button[type=submit]`, "#f-code", w.Code()); st != 200 {
		t.Fatalf("after the code: %d", st)
	}
	if p := c.Path(t); p != "/fr/staff" {
		t.Fatalf("after sign-in: at %s", p)
	}
}

// setDate sets a date input: typing into one depends on the browser's
// locale (the order of day, month and year), choosing in its picker is what
// a person does; both end with this value and these events.
func setDate(t *testing.T, c *testkit.Chrome, sel, iso string) {
	t.Helper()
	var ok bool
	c.Eval(t, `(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); if (!e) return false; e.value = `+strconv.Quote(iso)+`;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return e.value === `+strconv.Quote(iso)+` })()`, &ok)
	if !ok {
		t.Fatalf("set %s to %s", sel, iso)
	}
}

// TestBrowserSimulatorAndSheet: a legal specialist runs the simulator and
// reads a fact sheet in French, then in Arabic (right to left, the French
// sheet kept left to right), through the menus, with axe-core finding no
// accessibility violation; the simulator also works with scripts off.
func TestBrowserSimulatorAndSheet(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		c := w.Chrome()
		fr, ar := w.App.Catalog.Localizer("fr"), w.App.Catalog.Localizer("ar")
		signIn(t, w, c, w.legal)

		// The simulator, from the menu, filled in as a person would.
		c.Menu(t, `/fr/rights/simulator`)
		if got := c.Text(t, "main h1"); got != fr.T("rights.web.sim.title") {
			t.Fatalf("simulator title %q", got)
		}
		c.Select(t, "#f-status", "refugee")
		setDate(t, c, "#f-arrived_on", "2026-01-10")
		c.Fill(t, "#f-age", "30")
		c.Fill(t, "#f-monthly_resources", "0")
		if st := c.Follow(t, `form.simulator .actions button[type=submit]`); st != 200 {
			t.Fatalf("simulate: %d", st)
		}
		for right, outcome := range map[string]string{"puma": "eligible", "css_free": "eligible", "rsa": "eligible", "ame": "not_eligible"} {
			if got := c.Text(t, "#right-"+right+" h3 .badge.outcome"); got != fr.T("rights.outcome."+outcome) {
				t.Errorf("%s: %q, want %q", right, got, fr.T("rights.outcome."+outcome))
			}
		}
		if !c.Has(t, "#right-rsa .badge.warn") {
			t.Error("the RSA amount to be confirmed is not marked")
		}
		c.CheckAxe(t, "fr")

		// Its sheet, through the link of the answer.
		c.Follow(t, `#results a[href="/fr/rights/sheets/refugie"]`)
		if got := c.Text(t, "main h1"); got != "Réfugié (protection internationale)" {
			t.Fatalf("sheet title %q", got)
		}
		if !c.Has(t, "mark.unconfirmed") || !c.Has(t, "#fn-4") {
			t.Error("the sheet lacks its unconfirmed marks or sources")
		}
		c.WaitVisible(t, "button[data-print]") // shown by the script
		c.Click(t, `a[href="#fn-4"]`)
		if u := c.URL(t); !strings.HasSuffix(u, "#fn-4") {
			t.Errorf("footnote link went to %s", u)
		}
		c.CheckAxe(t, "fr")

		// Arabic: the page turns right to left; the French sheet does not.
		if st := c.Open(t, "/ar/rights/sheets/refugie"); st != 200 {
			t.Fatalf("Arabic sheet: %d", st)
		}
		if c.Attr(t, "html", "dir") != "rtl" || c.Attr(t, ".sheet-body", "dir") != "ltr" || c.Attr(t, ".sheet-body", "lang") != "fr" {
			t.Error("Arabic page: want an rtl page around an ltr French sheet")
		}
		if got := c.Text(t, "#history-title"); got != ar.T("rights.web.sheet.history") {
			t.Errorf("Arabic history heading %q", got)
		}
		c.CheckAxe(t, "ar")
		if st := c.Open(t, "/ar/rights/simulator?status=refugee&arrived_on=2026-01-10&age=30&monthly_resources=0"); st != 200 {
			t.Fatalf("Arabic simulator: %d", st)
		}
		if got := c.Text(t, "#right-puma h3 .badge.outcome"); got != ar.T("rights.outcome.eligible") {
			t.Errorf("Arabic PUMa outcome %q", got)
		}
		c.CheckAxe(t, "ar")

		// Without scripts, the form (here prefilled by a link) still answers.
		c.DisableJS(t)
		c.Open(t, "/fr/rights/simulator?status=asylum_normal&arrived_on=2026-10-01")
		if st := c.Follow(t, `form.simulator .actions button[type=submit]`); st != 200 {
			t.Fatalf("simulate without scripts: %d", st)
		}
		if got := c.Text(t, "#right-puma h3 .badge.outcome"); got != fr.T("rights.outcome.not_eligible") {
			t.Errorf("asylum seeker's PUMa before 3 months: %q", got)
		}
	})
}

// TestBrowserTriage: the triage grid in French and Arabic.
func TestBrowserTriage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		c := w.Chrome()
		fr := w.App.Catalog.Localizer("fr")
		signIn(t, w, c, w.worker)
		c.Menu(t, `/fr/rights/triage`)
		c.Select(t, "#f-oqtf", "yes")
		setDate(t, c, "#f-oqtf_notified_on", "2026-11-20")
		c.Select(t, "#f-restriction", "none")
		if st := c.Follow(t, `form.triage .actions button[type=submit]`); st != 200 {
			t.Fatalf("assess: %d", st)
		}
		if got := c.Text(t, "#flag-oqtf .badge.severity"); got != fr.T("rights.triage.severity.critical") {
			t.Errorf("OQTF severity %q", got)
		}
		if !strings.Contains(c.Text(t, "article.flag.critical table"), "20/12/2026") {
			t.Error("the OQTF appeal deadline is not shown as a date")
		}
		c.CheckAxe(t, "fr")
		c.Open(t, "/ar/rights/triage")
		if c.Attr(t, "html", "dir") != "rtl" {
			t.Error("Arabic triage page is not rtl")
		}
		c.CheckAxe(t, "ar")
	})
}

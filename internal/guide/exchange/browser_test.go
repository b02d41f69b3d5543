package exchange_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// An editor imports a data·inclusion file through the real pages, in
// French then in Arabic: upload, read the line-by-line preview, confirm;
// axe-core finds no violation on either page.
func TestBrowserImport(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newIX(t, e)
		dir := t.TempDir()
		for name, content := range map[string]string{"structures.json": structuresJSON, "services.json": servicesJSON} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		c := x.Chrome()
		for _, lang := range []string{"fr", "ar"} {
			l := x.App.Catalog.Localizer(lang)
			if st := c.Open(t, "/"+lang+"/login"); st != 200 {
				t.Fatalf("sign-in page: %d", st)
			}
			if lang == "fr" {
				c.Fill(t, "#f-email", x.admin.Email)
				c.Fill(t, "#f-password", testkit.Password)
				c.Follow(t, "main form button[type=submit]")
				x.Clock.Advance(31e9)
				c.Fill(t, "#f-code", x.Code())
				c.Follow(t, "main form button[type=submit]")
			}
			if st := c.Open(t, "/"+lang+"/admin/guide/exchange"); st != 200 {
				t.Fatalf("%s exchange page: %d", lang, st)
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, "exchange-"+lang, 1366, 768)
			c.Upload(t, `input[type=file]`, filepath.Join(dir, "structures.json"), filepath.Join(dir, "services.json"))
			c.Follow(t, `form[enctype="multipart/form-data"] button[type=submit]`)
			if !strings.Contains(c.Path(t), "/admin/guide/exchange/import/") {
				t.Fatalf("%s: after upload at %s", lang, c.Path(t))
			}
			body := c.Text(t, "main")
			if !strings.Contains(body, "Permanence juridique") || !strings.Contains(body, "services.json:1") {
				t.Fatalf("%s: preview lacks the rows and their lines: %q", lang, body[:min(len(body), 400)])
			}
			c.CheckAxe(t, lang)
			c.Screenshot(t, "exchange-preview-"+lang, 1366, 768)
			if lang == "fr" {
				// Confirm: two organisations and three services are created.
				c.Follow(t, `main form:not([enctype]) button[type=submit]`)
				if got := c.Text(t, ".flash"); !strings.Contains(got, l.T("exchange.import.done", "Created", 5, "Updated", 0, "Unchanged", 0)) {
					t.Fatalf("confirmation %q", got)
				}
			}
		}
	})
}

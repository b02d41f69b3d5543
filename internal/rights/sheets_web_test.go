package rights_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
	"parcours/internal/rights"
	"parcours/internal/rights/sheets"
)

func TestSheetsSeededAndShown(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		b := w.as(w.worker)
		r := b.Get("/fr/rights/sheets")
		if r.Status != http.StatusOK {
			t.Fatalf("sheet list: %d", r.Status)
		}
		embedded, err := sheets.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range embedded {
			if !strings.Contains(r.Body, `href="/fr/rights/sheets/`+s.Slug+`"`) {
				t.Errorf("the list does not link to %s", s.Slug)
			}
		}
		// Seeded once when each centre was created, with an audit entry;
		// reading the pages seeds nothing (GET changes no state).
		for _, o := range []string{w.org1.ID, w.org2.ID} {
			if es := w.audits(t, o, "rights.sheets.seed"); len(es) != 1 || !strings.Contains(es[0].Details, `"refugie"`) {
				t.Fatalf("seed audit entries of %s: %+v", o, es)
			}
			if n, err := w.App.Rights.Seed(context.Background(), o); err != nil || n != 0 {
				t.Fatalf("seeding again added %d sheets (%v)", n, err)
			}
		}

		// The reviewed date and reviewer are shown, in the list and on the page.
		reviewed := w.fr("rights.web.sheet.reviewed_on_by", "Date", "25/11/2026", "Name", "Équipe parcours (brouillon à relire par un juriste)")
		if !strings.Contains(r.Body, reviewed) {
			t.Errorf("the list does not say %q", reviewed)
		}
		r = b.Get("/fr/rights/sheets/refugie")
		if r.Status != http.StatusOK {
			t.Fatalf("sheet page: %d", r.Status)
		}
		for _, want := range []string{
			reviewed,
			"<h1 lang=\"fr\" dir=\"ltr\">Réfugié (protection internationale)</h1>",
			"<h2>Santé</h2>",
			// Sources as footnotes, linked both ways.
			`<sup class="fnref"><a href="#fn-4" id="ref-4-1">4</a></sup>`,
			`<li id="fn-4"><span class="fn-id">[4]</span> CSS art. D. 160-2`,
			`href="#ref-4-1"`,
			// Unconfirmed points stand out.
			`<mark class="unconfirmed">⚠ À confirmer</mark>`,
			// Print styles, and the version history.
			`href="/static/css/rights.css?v=`,
			w.fr("rights.web.sheet.history"),
			`href="/fr/rights/sheets/refugie/versions/1"`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("sheet page lacks %q", want)
			}
		}
		// A social worker reads but does not edit.
		if strings.Contains(r.Body, "/fr/rights/sheets/refugie/edit") {
			t.Error("a social worker is offered the edit link")
		}

		// Filters: group, and a search that ignores case and accents.
		r = b.Get("/fr/rights/sheets?group=asylum")
		if !strings.Contains(r.Body, "/rights/sheets/dublin") || strings.Contains(r.Body, "/rights/sheets/refugie\"") {
			t.Error("group filter: want asylum sheets only")
		}
		r = b.Get("/fr/rights/sheets?q=REFUGIE+protection")
		if !strings.Contains(r.Body, "/rights/sheets/refugie\"") || strings.Contains(r.Body, "/rights/sheets/etudiant\"") {
			t.Error("search for REFUGIE protection: want the refugee sheet, not the student one")
		}
		r = b.Get("/fr/rights/sheets?q=zzzz-nothing")
		if !strings.Contains(r.Body, w.fr("rights.web.sheets.none")) {
			t.Error("search without result: no empty message")
		}
		// htmx asks for the rows only.
		r = b.Get("/fr/rights/sheets?q=dublin", "HX-Request", "true", "HX-Target", "sheet-rows")
		if strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, "/rights/sheets/dublin") {
			t.Error("htmx search: want the rows only")
		}
		if r := b.Get("/fr/rights/sheets/nothing"); r.Status != http.StatusNotFound {
			t.Errorf("unknown sheet: %d", r.Status)
		}
		if r := b.Get("/fr/rights/sheets/refugie/versions/7"); r.Status != http.StatusNotFound {
			t.Errorf("unknown version: %d", r.Status)
		}
	})
}

func TestSheetEditCreatesVersionAndKeepsPrevious(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		b := w.as(w.legal)
		f := w.editForm(t, b, "refugie")
		if f.Get("base") != "1" || f.Get("title") != "Réfugié (protection internationale)" {
			t.Fatalf("edit form: base %q title %q", f.Get("base"), f.Get("title"))
		}
		old := f.Get(rights.SectionField(1))
		f.Set(rights.SectionField(1), old+"\n- Inscription à France Travail conseillée[^1].")
		f.Set("changes", "Ajout : inscription à France Travail.")
		f.Set("applies_from", "2027-01-01")
		r := b.Post("/fr/rights/sheets/refugie", f)
		if r.Status != http.StatusSeeOther || r.Location != "/fr/rights/sheets/refugie" {
			t.Fatalf("save: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		r = b.Get("/fr/rights/sheets/refugie")
		for _, want := range []string{
			w.fr("rights.web.sheet.saved", "Title", "Réfugié (protection internationale)", "Version", 2),
			"Inscription à France Travail conseillée",
			"Ajout : inscription à France Travail.",
			w.fr("rights.web.sheet.reviewed_on_by", "Date", "25/11/2026", "Name", w.legal.Name),
			"01/01/2027",
			`href="/fr/rights/sheets/refugie/versions/1"`,
			`href="/fr/rights/sheets/refugie/versions/2"`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("after saving, the page lacks %q", want)
			}
		}
		// Version 1 stays readable, marked as no longer current.
		r = b.Get("/fr/rights/sheets/refugie/versions/1")
		if r.Status != 200 || strings.Contains(r.Body, "Inscription à France Travail conseillée") ||
			!strings.Contains(r.Body, w.fr("rights.web.sheet.old_version", "Version", 1, "Current", 2)) {
			t.Errorf("version 1: %d, want the old text with the old-version banner", r.Status)
		}
		// Version 2 shows what changed since version 1.
		r = b.Get("/fr/rights/sheets/refugie/versions/2")
		if !strings.Contains(r.Body, w.fr("rights.web.sheet.changes_from", "Version", 1)) ||
			!strings.Contains(r.Body, "<ins>- Inscription à France Travail conseillée[^1].</ins>") {
			t.Error("version 2 does not show the added line")
		}
		es := w.audits(t, w.org1.ID, "rights.sheet.update")
		if len(es) != 1 || !strings.Contains(es[0].Details, `"version":2`) || es[0].ActorID != w.legal.ID {
			t.Errorf("audit entries: %+v", es)
		}
		// The other centre's copy did not change.
		r = w.as(w.legalOther).Get("/fr/rights/sheets/refugie")
		if strings.Contains(r.Body, "Inscription à France Travail conseillée") || strings.Contains(r.Body, "/versions/2") {
			t.Error("the other centre's sheet changed")
		}
	})
}

func TestSheetEditValidation(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		b := w.as(w.admin)
		base := w.editForm(t, b, "dublin")
		last := rights.SectionField(len(sheets.Headings()) - 1)
		tests := []struct {
			name  string
			edit  func(f url.Values)
			field string
			want  string
		}{
			{"no changes text", func(f url.Values) { f.Set("changes", "") }, "changes", w.fr("common.form.required")},
			{"no date", func(f url.Values) { f.Set("applies_from", "") }, "applies_from", w.fr("common.form.required")},
			{"bad date", func(f url.Values) { f.Set("applies_from", "31/12/2026") }, "applies_from", w.fr("common.form.date_invalid")},
			{"empty title", func(f url.Values) { f.Set("title", "  ") }, "title", w.fr("common.form.required")},
			{"empty section", func(f url.Values) { f.Set(rights.SectionField(2), "") }, rights.SectionField(2),
				w.fr("rights.web.sheet.error.section_empty")},
			{"undefined source", func(f url.Values) { f.Set(rights.SectionField(3), f.Get(rights.SectionField(3))+"\nDélai[^99].") },
				rights.SectionField(3), w.fr("rights.web.sheet.error.footnote_undefined", "Arg", "99")},
			{"unused source", func(f url.Values) { f.Set(last, f.Get(last)+"\n[^zz]: Source jamais citée.") },
				last, w.fr("rights.web.sheet.error.footnote_unused", "Arg", "zz")},
			{"source defined outside the references", func(f url.Values) { f.Set(rights.SectionField(0), f.Get(rights.SectionField(0))+"\n[^1]: Ailleurs.") },
				rights.SectionField(0), w.fr("rights.web.sheet.error.footnote_outside", "Arg", "1")},
			{"a section heading typed inside a section", func(f url.Values) { f.Set(rights.SectionField(4), "## Divers\n\nTexte.") },
				rights.SectionField(4), w.fr("rights.web.sheet.error.unknown_section", "Arg", "Divers")},
			{"nothing changed", func(f url.Values) { f.Set(rights.SectionField(1), base.Get(rights.SectionField(1))) }, "form",
				w.fr("rights.web.sheet.error.unchanged")},
			{"edited meanwhile", func(f url.Values) { f.Set("base", "0"); f.Set("changes", "x") }, "form", w.fr("rights.web.sheet.error.conflict")},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f := url.Values{}
				for k, v := range base {
					f[k] = append([]string(nil), v...)
				}
				f.Set("changes", "Correction.")
				f.Set(rights.SectionField(1), f.Get(rights.SectionField(1))+"\nPrécision.")
				tc.edit(f)
				r := b.Post("/fr/rights/sheets/dublin", f)
				if r.Status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", r.Status)
				}
				if !strings.Contains(r.Body, tc.want) {
					t.Errorf("the form does not say %q", tc.want)
				}
				if tc.field != "form" && !strings.Contains(r.Body, `id="f-`+tc.field+`-err"`) {
					t.Errorf("the error is not next to the field %s", tc.field)
				}
				// What was typed is kept.
				if tc.field == rights.SectionField(3) && !strings.Contains(r.Body, "Délai[^99].") {
					t.Error("the typed text was lost")
				}
			})
		}
		if es := w.audits(t, w.org1.ID, "rights.sheet.update"); len(es) != 0 {
			t.Errorf("refused edits were recorded: %d", len(es))
		}
	})
}

func TestMarkReviewedAndDueBadge(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		b := w.as(w.legal)
		due := w.fr("rights.web.sheet.review_due")
		if r := b.Get("/fr/rights/sheets"); strings.Contains(r.Body, due) {
			t.Fatal("sheets reviewed today are shown as due")
		}
		// Six months later every sheet is due.
		w.Clock.Set(time.Date(2027, 5, 25, 9, 0, 0, 0, time.UTC))
		b = w.Browser().Login(w.legal)
		r := b.Get("/fr/rights/sheets?due=1")
		if strings.Count(r.Body, due) != 18 {
			t.Fatalf("due badges: %d, want 18", strings.Count(r.Body, due))
		}
		r = b.Post("/fr/rights/sheets/vpf/review", nil)
		if r.Status != http.StatusSeeOther || r.Location != "/fr/rights/sheets/vpf" {
			t.Fatalf("mark reviewed: %d %q", r.Status, r.Location)
		}
		r = b.Get("/fr/rights/sheets/vpf")
		if !strings.Contains(r.Body, w.fr("rights.web.sheet.reviewed_on_by", "Date", "25/05/2027", "Name", w.legal.Name)) ||
			strings.Contains(r.Body, due) {
			t.Error("after review: want today's date and the reviewer, no due badge")
		}
		if r := b.Get("/fr/rights/sheets?due=1"); strings.Contains(r.Body, "/rights/sheets/vpf\"") {
			t.Error("the reviewed sheet is still listed as due")
		}
		if es := w.audits(t, w.org1.ID, "rights.sheet.review"); len(es) != 1 || es[0].ActorID != w.legal.ID {
			t.Errorf("review audit: %+v", es)
		}
		// A review keeps the text: no new version.
		if r := b.Get("/fr/rights/sheets/vpf/versions/2"); r.Status != http.StatusNotFound {
			t.Errorf("a review created version 2: %d", r.Status)
		}
		// A social worker may read but not mark reviewed.
		if r := w.Browser().Login(w.worker).Post("/fr/rights/sheets/vpf/review", nil); r.Status != http.StatusForbidden {
			t.Errorf("social worker marks reviewed: %d", r.Status)
		}
		_ = auth.PermSheetsEdit
	})
}

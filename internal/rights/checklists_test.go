package rights_test

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"parcours/internal/guide/seed"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/testkit"
	"parcours/internal/rights/rules"
)

// Every list of documents the simulator can name is one of the guide's
// "documents to bring" checklists (it links to it), with its title, intro,
// items and place in every language the guide serves.
func TestRuleChecklistsAndTheGuide(t *testing.T) {
	cls, err := seed.Checklists()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]seed.Checklist{}
	for _, c := range cls {
		have[c.Slug] = c
	}
	for _, slug := range rules.Checklists() {
		c, ok := have[slug]
		if !ok {
			t.Errorf("checklist %q: the rules name it, the guide has none", slug)
			continue
		}
		for _, l := range i18n.Languages {
			if c.Title[l.Tag] == "" || c.Intro[l.Tag] == "" || c.Where[l.Tag] == "" {
				t.Errorf("checklist %q: no title, intro or place in %s", slug, l.Tag)
			}
			for _, it := range c.Items {
				if it.Text[l.Tag] == "" {
					t.Errorf("checklist %q, item %s: no text in %s", slug, it.ID, l.Tag)
				}
			}
		}
	}
}

// asylumSeeker registered at the GUDA in March 2026, filed at OFPRA within
// 21 days, without resources, accommodation or address: the ADA, the work
// permit (OFPRA has not decided after 6 months) and emergency accommodation
// each come with their documents.
var asylumSeeker = url.Values{"status": {"asylum_normal"}, "at": {"2026-11-25"}, "arrived_on": {"2026-02-20"},
	"status_granted_on": {"2026-03-02"}, "ofpra_filed_on": {"2026-03-16"}, "age": {"30"}, "monthly_resources": {"0"},
	"cma_accepted": {"yes"}, "accommodation": {"not_offered"}, "address": {"none"}}

// The simulator's answer links the documents of the ADA, the work permit
// and emergency accommodation to the guide's checklists, in the reader's
// language, and each link opens the checklist in that language.
func TestSimulatorLinksTheNewChecklists(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		cls, err := seed.Checklists()
		if err != nil {
			t.Fatal(err)
		}
		title := map[string]map[string]string{}
		for _, c := range cls {
			title[c.Slug] = c.Title
		}
		b := w.Browser()
		for _, lang := range []string{"fr", "ar", "ti"} {
			l := w.App.Catalog.Localizer(lang)
			r := b.Get("/" + lang + "/simulator?" + asylumSeeker.Encode())
			if r.Status != 200 {
				t.Fatalf("%s simulator: %d", lang, r.Status)
			}
			for right, slug := range map[string]string{"ada": rules.DocADA, "work": rules.DocWorkPermit,
				"emergency_accommodation": rules.DocEmergencyHousing} {
				card := section(r.Body, `id="right-`+right+`"`)
				link := `<a href="/` + lang + `/guide/checklists/` + slug + `">` + html.EscapeString(l.T("rights.web.checklist."+slug)) + `</a>`
				if !strings.Contains(card, link) {
					t.Errorf("%s, %s: the answer does not link %s", lang, right, slug)
				}
				page := b.Get("/" + lang + "/guide/checklists/" + slug)
				if page.Status != 200 || !strings.Contains(page.Body, html.EscapeString(title[slug][lang])) {
					t.Errorf("%s checklist %s: %d, title %q missing", lang, slug, page.Status, title[slug][lang])
				}
			}
		}
	})
}

package glossary_test

import (
	"net/http"
	"strings"
	"testing"

	"parcours/internal/guide/glossary"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// Every public page renders in French, Arabic (right to left) and Tigrinya
// (Ethiopic script), with lang and dir right on the page and on each
// fragment in another language.
func TestPagesRenderInLanguages(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, _ := world(t, e)
		b := w.Browser()
		paths := []string{
			"/guide/glossary", "/guide/glossary?q=prefecture", "/guide/glossary/a-z", "/guide/glossary/themes/health",
			"/guide/glossary/themes/health/print", "/guide/glossary/prefecture", "/guide/glossary/ame", "/guide/checklists",
			"/guide/checklists/ame", "/guide/checklists/ame/print", "/guide/screen", "/guide/screen/bilingual", "/guide/saved",
		}
		for _, lang := range []string{"fr", "ar", "ti"} {
			for _, p := range paths {
				r := b.Get("/" + lang + p)
				if r.Status != http.StatusOK {
					t.Fatalf("GET /%s%s: %d", lang, p, r.Status)
				}
				checkLangDir(t, lang+p, r.Body, lang)
				if strings.Contains(r.Body, "glossary.") {
					i := strings.Index(r.Body, "glossary.")
					t.Errorf("/%s%s shows a message ID: %q", lang, p, r.Body[max(0, i-40):min(len(r.Body), i+60)])
				}
				if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "public") && !strings.Contains(p, "screen") {
					t.Errorf("/%s%s: Cache-Control %q, want public (the offline copy needs it)", lang, p, cc)
				}
			}
		}

		// The term page: French word marked French, translation and
		// respelling in the reader's language, pictogram with the word.
		r := b.Get("/ar/guide/glossary/prefecture")
		contains(t, "term in Arabic", r.Body,
			`<span class="fr" lang="fr" dir="ltr">préfecture</span>`,
			`<span class="tr" lang="ar" dir="rtl">`,
			`class="saytext" lang="ar" dir="rtl"`,
			`<p lang="fr" dir="ltr">`, // the plain-French definition
			`class="term-picto" src="/static/picto/`,
			`data-save hidden`, `/static/js/offline.js`)
		r = b.Get("/fr/guide/glossary/prefecture")
		if strings.Contains(r.Body, `class="tr"`) || strings.Contains(r.Body, "saytext") {
			t.Error("French term page shows a translation or a respelling")
		}
		r = b.Get("/ti/guide/checklists/ame")
		contains(t, "checklist in Tigrinya", r.Body, `lang="ti" dir="ltr"`, `class="frline small" lang="fr" dir="ltr"`, `/static/picto/`,
			`href="/ar/guide/checklists/ame/print" lang="ar" dir="rtl" hreflang="ar"`)

		// Unknown things are 404, in the page's language.
		for _, p := range []string{"/fr/guide/glossary/nope", "/ar/guide/glossary/themes/nope", "/fr/guide/checklists/nope",
			"/fr/guide/checklists/nope/print", "/fr/guide/glossary/themes/nope/print", "/fr/guide/services/nope/print"} {
			if r := b.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.Status)
			}
		}
	})
}

// The A-Z page lists every term once, grouped by letter.
func TestAZListsEveryTerm(t *testing.T) {
	c, err := glossary.LoadContent()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Terms) < 150 {
		t.Fatalf("%d terms, want at least 150", len(c.Terms))
	}
	w := testkit.NewWorld(t, db.SQLite)
	body := w.Browser().Get("/fr/guide/glossary/a-z").Body
	for _, term := range c.Terms {
		if n := strings.Count(body, `href="/fr/guide/glossary/`+term.Slug+`"`); n != 1 {
			t.Errorf("term %s linked %d times on the A-Z page", term.Slug, n)
		}
	}
	for i := 1; i < len(c.Terms); i++ {
		if glossary.Fold(c.Terms[i-1].FR) > glossary.Fold(c.Terms[i].FR) {
			t.Errorf("terms out of order: %q before %q", c.Terms[i-1].FR, c.Terms[i].FR)
		}
	}
}

// Latin words in parentheses inside a right-to-left text are isolated, and
// everything is escaped.
func TestTextHTML(t *testing.T) {
	for _, c := range []struct {
		t    glossary.Text
		want string
	}{
		{glossary.Text{S: "في باريس هي محافظة الشرطة (Préfecture de police).", Lang: "ar"}, `في باريس هي محافظة الشرطة <bdi dir="ltr">(Préfecture de police)</bdi>.`},
		{glossary.Text{S: "<b>(x)</b>", Lang: "fa"}, `&lt;b&gt;<bdi dir="ltr">(x)</bdi>&lt;/b&gt;`},
		{glossary.Text{S: "(بدون لاتينية)", Lang: "ar"}, `(بدون لاتينية)`},
		{glossary.Text{S: "L'AME (aide) <ok>", Lang: "fr"}, `L&#39;AME (aide) &lt;ok&gt;`},
	} {
		if got := string(c.t.HTML()); got != c.want {
			t.Errorf("HTML(%q) = %q, want %q", c.t.S, got, c.want)
		}
	}
}

// Every checklist (those the rights simulator links included) has its page
// and its printed sheet in French, Arabic and Tigrinya, with the
// pictogram of its procedure in the title.
func TestEveryChecklistRenders(t *testing.T) {
	c, err := glossary.LoadContent()
	if err != nil {
		t.Fatal(err)
	}
	w := testkit.NewWorld(t, db.SQLite)
	b := w.Browser()
	for _, cl := range c.Checklists {
		for _, lang := range []string{"fr", "ar", "ti"} {
			r := b.Get("/" + lang + "/guide/checklists/" + cl.Slug)
			if r.Status != http.StatusOK || !strings.Contains(r.Body, `<h1 class="with-picto"><img src="/static/picto/`) {
				t.Errorf("%s checklist %s: %d, or no pictogram in the title", lang, cl.Slug, r.Status)
				continue
			}
			checkLangDir(t, lang+" "+cl.Slug, r.Body, lang)
			if p := b.Get("/" + lang + "/guide/checklists/" + cl.Slug + "/print"); p.Status != http.StatusOK {
				t.Errorf("%s sheet %s: %d", lang, cl.Slug, p.Status)
			}
		}
	}
}

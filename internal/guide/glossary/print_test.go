package glossary_test

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"parcours/internal/app"
	"parcours/internal/guide/glossary"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/testkit"
	"parcours/internal/platform/web"
	staticfiles "parcours/web"
)

var qrRe = regexp.MustCompile(`<img class="qrimg" src="(data:image/png;base64,[^"]+)"`)

// checkQR checks that a sheet has a QR code of the live page's address.
func checkQR(t *testing.T, what, body, live string) {
	t.Helper()
	m := qrRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no QR code", what)
	}
	want, err := glossary.QR(live)
	if err != nil {
		t.Fatal(err)
	}
	if html.UnescapeString(m[1]) != string(want) {
		t.Errorf("%s: the QR code does not encode %s", what, live)
	}
	if !strings.Contains(body, `<span dir="ltr" class="url">`+live+`</span>`) {
		t.Errorf("%s: the address %s is not printed under the QR code", what, live)
	}
}

// Printable sheets: A4 print stylesheet, no site chrome, bilingual with
// each column in its own language and direction, QR code to the live page.
func TestPrintSheets(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, _ := world(t, e)
		b := w.Browser()
		r := b.Get("/ar/guide/checklists/ame/print")
		checkQR(t, "checklist sheet", r.Body, "http://parcours.test/ar/guide/checklists/ame")
		contains(t, "checklist sheet", r.Body, `href="/static/css/glossary-print.css`, `<div class="bi">`,
			`<div class="col" lang="ar" dir="rtl">`, `<div class="col" lang="fr" dir="ltr">`, `class="box"`, `data-print hidden`)
		for _, chrome := range []string{`<header class="top">`, `<footer class="foot">`, `class="langs"`} {
			if strings.Contains(r.Body, chrome) {
				t.Errorf("checklist sheet has the site chrome %s", chrome)
			}
		}
		r = b.Get("/fr/guide/checklists/ame/print")
		checkQR(t, "French checklist sheet", r.Body, "http://parcours.test/fr/guide/checklists/ame")
		if strings.Contains(r.Body, `class="bi"`) {
			t.Error("French sheet is bilingual")
		}
		r = b.Get("/ti/guide/glossary/themes/papers/print")
		checkQR(t, "theme sheet", r.Body, "http://parcours.test/ti/guide/glossary/themes/papers")
		contains(t, "theme sheet", r.Body, `lang="ti" dir="ltr"`, `<div class="col" lang="fr" dir="ltr"><strong>préfecture</strong>`)
		css, err := staticfiles.Static.Open("css/glossary-print.css")
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4096)
		n, _ := css.Read(buf)
		if !strings.Contains(string(buf[:n]), "@page { size: A4;") {
			t.Error("print stylesheet is not A4")
		}
	})
}

// fakeDirectory stands for the directory's services.
type fakeDirectory struct{}

func (fakeDirectory) ServiceSheet(_ context.Context, id, lang string) (*glossary.ServiceSheet, error) {
	if id != "0190f0aa-0000-7000-8000-000000000001" {
		return nil, apperr.ErrNotFound
	}
	s := &glossary.ServiceSheet{ID: id, Name: glossary.Text{S: "Permanence juridique", Lang: "fr"}, Organisation: glossary.Text{S: "Droits d'urgence", Lang: "fr"},
		Pictogram: "cat-legal-aid.svg", Description: glossary.Text{S: "Conseils gratuits sur vos droits.", Lang: "fr"}, Address: "12 rue de Lyon, 75012 Paris",
		Phones: []string{"01 23 45 67 89"}, Languages: []string{"fr", "ar", "ti"}, Checklists: []string{"ame"},
		Hours:     []glossary.Text{{S: "mardi : 14 h – 17 h", Lang: "fr"}},
		Documents: []glossary.Text{{S: "Une pièce d'identité si vous en avez une", Lang: "fr"}},
		CheckedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	if lang == "ar" {
		s.Name = glossary.Text{S: "استشارة قانونية", Lang: "ar"}
		s.Description = glossary.Text{S: "نصائح مجانية حول حقوقك.", Lang: "ar"}
		s.Hours = []glossary.Text{{S: "الثلاثاء: 14:00 – 17:00", Lang: "ar"}}
		s.Documents = []glossary.Text{{S: "وثيقة هوية إن كانت لديك", Lang: "ar"}}
	}
	return s, nil
}

func (f fakeDirectory) ScreenServices(ctx context.Context, lang string, limit int) ([]glossary.ServiceSheet, error) {
	s, err := f.ServiceSheet(ctx, "0190f0aa-0000-7000-8000-000000000001", lang)
	return []glossary.ServiceSheet{*s}, err
}

// directoryServer serves the glossary with a directory wired in.
func directoryServer(t *testing.T, w *testkit.World, s *glossary.Service) *httptest.Server {
	t.Helper()
	rd, err := web.NewRenderer(staticfiles.Static)
	if err != nil {
		t.Fatal(err)
	}
	k := *w.App.Kit
	k.R = rd
	h := &glossary.HTTP{S: s, K: &k, Auth: w.App.AuthWeb, BaseURL: "https://guide.example", Static: staticfiles.Static, Services: fakeDirectory{}}
	rt := web.NewRouter(&k)
	if err := h.Register(rt); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rt)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, sb.String()
}

// The service sheet, through the ServiceSource the directory implements.
func TestServiceSheet(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, s := world(t, e)
		srv := directoryServer(t, w, s)
		st, body := get(t, srv.URL+"/ar/guide/services/0190f0aa-0000-7000-8000-000000000001/print")
		if st != 200 {
			t.Fatalf("service sheet: %d", st)
		}
		checkLangDir(t, "service sheet", body, "ar")
		checkQR(t, "service sheet", body, "https://guide.example/ar/guide/services/0190f0aa-0000-7000-8000-000000000001")
		contains(t, "service sheet", body, `<h1 lang="ar" dir="rtl">استشارة قانونية</h1>`, `<p class="sheet-fr" lang="fr" dir="ltr">Permanence juridique</p>`,
			`<p class="col" lang="fr" dir="ltr">Conseils gratuits sur vos droits.</p>`, `<span dir="ltr">01 23 45 67 89</span>`,
			`<span lang="ti" dir="ltr">ትግርኛ</span>`, `/static/picto/cat-legal-aid.svg`)
		if st, _ := get(t, srv.URL+"/fr/guide/services/0190f0aa-0000-7000-8000-000000000002/print"); st != http.StatusNotFound {
			t.Errorf("unknown service: %d", st)
		}
		if strings.Contains(body, "sheet-demo") {
			t.Error("the sheet of a real service says it is demo data")
		}
		// The screen rotates through the directory's services too.
		_, body = get(t, srv.URL+"/ar/guide/screen?theme=checklists")
		contains(t, "screen with services", body, `slide-service`, `استشارة قانونية`)
		if strings.Contains(body, "slide-notice") {
			t.Error("the screen says a real service is demo data")
		}
	})
}

// The waiting-room screen: one slide shown without JavaScript (no meta
// refresh), the others hidden; pace and theme validated.
func TestScreen(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, _ := world(t, e)
		b := w.Browser()
		r := b.Get("/fr/guide/screen")
		if r.Status != 200 {
			t.Fatalf("screen: %d", r.Status)
		}
		slides := strings.Count(r.Body, "data-slide")
		shown := slides - strings.Count(r.Body, "data-slide hidden")
		if slides < 150 || shown != 1 {
			t.Fatalf("%d slides, %d shown without JavaScript", slides, shown)
		}
		if strings.Contains(strings.ToLower(r.Body), "http-equiv") || strings.Contains(r.Body, "<script>") {
			t.Error("screen uses a meta refresh or an inline script")
		}
		contains(t, "screen", r.Body, `data-pace="15"`, `src="/static/js/screen.js`, `href="/static/css/glossary-screen.css`, "slide-checklist")
		// The item of the moment changes with the clock.
		first := r.Body
		w.Clock.Advance(15 * time.Second)
		if b.Get("/fr/guide/screen").Body == first {
			t.Error("the item shown without JavaScript does not change with time")
		}
		r = b.Get("/ar/guide/screen/bilingual?theme=health&pace=30&i=2")
		if r.Status != 200 {
			t.Fatalf("bilingual screen: %d", r.Status)
		}
		contains(t, "bilingual screen", r.Body, `data-pace="30"`, `data-current="2"`, `class="slide-bodyfr" lang="fr" dir="ltr"`, `<body class="screen-page bilingual">`)
		if strings.Contains(r.Body, "slide-checklist") {
			t.Error("theme=health shows checklists")
		}
		r = b.Get("/ti/guide/screen?theme=checklists")
		c, err := glossary.LoadContent()
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(r.Body, "data-slide"); n != len(c.Checklists) {
			t.Errorf("theme=checklists: %d slides, want one per checklist (%d)", n, len(c.Checklists))
		}
		for _, q := range []string{"pace=2", "pace=9999", "pace=abc", "theme=nope", "theme=%3Cscript%3E", "i=-1", "i=x"} {
			if r := b.Get("/fr/guide/screen?" + q); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("screen?%s: %d, want 422", q, r.Status)
			}
		}
		fr := w.App.Catalog.Localizer("fr")
		if r := b.Get("/fr/guide/screen?pace=1"); !strings.Contains(r.Body, html.EscapeString(fr.T("glossary.screen.error", "Min", glossary.MinPace, "Max", glossary.MaxPace))) {
			t.Error("the invalid-settings page does not say what is allowed")
		}
	})
}

// Every French message of the glossary exists in each of the 12 languages'
// own files (the i18n catalog test checks every module; this one names ours).
func TestGlossaryCatalogs(t *testing.T) {
	w := testkit.NewWorld(t, db.SQLite)
	cat := w.App.Catalog
	var ours []string
	for _, id := range cat.SourceIDs() {
		if strings.HasPrefix(id, "glossary.") {
			ours = append(ours, id)
		}
	}
	if len(ours) < 90 {
		t.Fatalf("%d glossary messages", len(ours))
	}
	for _, l := range i18n.Languages {
		for _, id := range ours {
			if _, ok := cat.Own(l.Tag, id); !ok {
				t.Errorf("locales/glossary.%s.json lacks %q", l.Tag, id)
			}
		}
	}
}

// With the directory's demo data, the service sheet and the screen read
// real services through the ServiceSource the app wires.
func TestServiceSheetFromDirectory(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := testkit.NewWorld(t, e)
		if _, err := app.LoadDemo(context.Background(), w.App); err != nil {
			t.Fatal(err)
		}
		var id string
		if err := w.DB.R.NewSelect().Table("guide_services").Column("id").Where("status = 'published'").OrderExpr("name").Limit(1).
			Scan(context.Background(), &id); err != nil {
			t.Fatal(err)
		}
		b := w.Browser()
		// notice is the demo notice in a language, as the pages write it.
		notice := func(lang string) string {
			l := w.App.Catalog.Localizer(lang)
			return template.HTMLEscapeString(l.T("guide.demo.title") + " " + l.T("guide.demo.text"))
		}
		if notice("ar") == notice("fr") || notice("ti") == notice("fr") {
			t.Fatal("the demo notice is not translated")
		}
		for _, lang := range []string{"fr", "ar", "ti"} {
			r := b.Get("/" + lang + "/guide/services/" + id + "/print")
			if r.Status != 200 {
				t.Fatalf("%s sheet of a demo service: %d", lang, r.Status)
			}
			checkLangDir(t, lang+" service sheet", r.Body, lang)
			checkQR(t, lang+" service sheet", r.Body, "http://parcours.test/"+lang+"/guide/services/"+id)
			// The printed sheet of demo data says so first, in the reader's
			// language and, on a bilingual sheet, in French.
			dir := "ltr"
			if lang == "ar" {
				dir = "rtl"
			}
			want := []string{`<p class="sheet-demo" role="note"><span lang="` + lang + `" dir="` + dir + `">` + notice(lang) + `</span>`}
			if lang != "fr" {
				want = append(want, `<br><span class="small" lang="fr" dir="ltr">`+notice("fr")+`</span></p>`)
			}
			contains(t, lang+" demo sheet", r.Body, want...)
			if strings.Index(r.Body, "sheet-demo") > strings.Index(r.Body, "sheet-facts") {
				t.Errorf("%s: the demo notice comes after the facts", lang)
			}
		}
		// The waiting-room screen marks each demo service's slide.
		for _, lang := range []string{"fr", "ar"} {
			r := b.Get("/" + lang + "/guide/screen?theme=checklists")
			if !strings.Contains(r.Body, "slide-service") {
				t.Fatalf("%s: the screen shows no service of the directory", lang)
			}
			if n, m := strings.Count(r.Body, `class="slide-notice" role="note" lang="`+lang+`"`), strings.Count(r.Body, "slide-service"); n != m ||
				!strings.Contains(r.Body, notice(lang)) {
				t.Errorf("%s screen: %d demo notices for %d services", lang, n, m)
			}
		}
	})
}

package web

import (
	"testing"
	"testing/fstest"
	"time"

	"parcours/internal/platform/i18n"
)

// A page's set is parsed on first use, dropped by Prune when unused, and
// parsed again on the next use, rendering the same bytes.
func TestRendererLazyAndPrune(t *testing.T) {
	rd, err := NewRenderer(fstest.MapFS{"app.css": {Data: []byte("body{}")}})
	if err != nil {
		t.Fatal(err)
	}
	pages := fstest.MapFS{
		"_part.html": {Data: []byte(`{{define "part"}}<em>{{.}}</em>{{end}}`)},
		"p.html":     {Data: []byte(`{{define "title"}}T{{end}}{{define "content"}}<p>{{template "part" .L.T "x.a"}}</p>{{end}}`)},
	}
	if err := rd.AddPages("m", pages, "."); err != nil {
		t.Fatal(err)
	}
	if err := rd.AddPages("bad", fstest.MapFS{"b.html": {Data: []byte(`{{define "content"}}{{.X{{end}}`)}}, "."); err == nil {
		t.Fatal("a template error did not stop AddPages")
	}
	cat, err := i18n.Load(fstest.MapFS{"x.fr.json": {Data: []byte(`{"x.a": {"other": "<a & b>"}}`)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := rd.pages["m/p"]
	if p.t.Load() != nil {
		t.Fatal("the set is kept before the page is rendered")
	}
	v := &View{L: cat.Localizer("fr"), Langs: i18n.Languages}
	first, err := rd.Execute("m/p", "content", v)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p><em>&lt;a &amp; b&gt;</em></p>"; string(first) != want {
		t.Fatalf("rendered %q, want %q", first, want)
	}
	if n := rd.Prune(time.Hour); n != 0 || p.t.Load() == nil {
		t.Fatalf("Prune(1h) dropped %d sets just used", n)
	}
	p.used.Store(time.Now().Add(-2 * time.Hour).Unix())
	if n := rd.Prune(time.Hour); n != 1 || p.t.Load() != nil {
		t.Fatalf("Prune(1h) dropped %d sets, want the unused one", n)
	}
	again, err := rd.Execute("m/p", "content", v)
	if err != nil || string(again) != string(first) {
		t.Fatalf("after Prune: %q, %v; want %q", again, err, first)
	}
}

package i18n

import (
	"testing"
	"testing/fstest"
	"time"
)

// Only French is built by Load; another language is built on first use,
// dropped by Prune once unused, and built again the same on its next use.
func TestLazyLanguages(t *testing.T) {
	c, err := Load(fstest.MapFS{
		"x.fr.json": {Data: []byte(`{"x.a": {"other": "a-fr"}, "x.n": {"one": "{{.Count}} chose", "other": "{{.Count}} choses"}, "x.f": {"other": "à {{.Name}}"}}`)},
		"x.ar.json": {Data: []byte(`{"x.a": {"other": "a-ar"}, "x.f": {"other": "إلى {{.Name}}"}}`)},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ar := &c.langs[langIndex("ar")]
	fr := &c.langs[langIndex(Source)]
	if fr.t.Load() == nil || ar.t.Load() != nil {
		t.Fatal("Load should build French only")
	}
	check := func() {
		t.Helper()
		l := c.Localizer("ar")
		if got := l.T("x.a"); got != "a-ar" {
			t.Errorf("T(x.a) = %q", got)
		}
		if got := l.T("x.f", "Name", "Awa"); got != "إلى Awa" {
			t.Errorf("T(x.f) = %q", got)
		}
		if got := l.N("x.n", 3); got != "3 choses" { // borrowed from French
			t.Errorf("N(x.n, 3) = %q", got)
		}
		if from, ok := c.FallbackOf("ar", "x.n"); !ok || from != "fr" {
			t.Errorf("FallbackOf(ar, x.n) = %q, %v", from, ok)
		}
	}
	check()
	if ar.t.Load() == nil {
		t.Fatal("Arabic not built on use")
	}
	if n := c.Prune(time.Hour); n != 0 {
		t.Fatalf("Prune(1h) dropped %d languages just used", n)
	}
	ar.used.Store(time.Now().Add(-2 * time.Hour).Unix())
	fr.used.Store(time.Now().Add(-2 * time.Hour).Unix())
	if n := c.Prune(time.Hour); n != 1 || ar.t.Load() != nil || fr.t.Load() == nil {
		t.Fatalf("Prune(1h) dropped %d; want Arabic only, never French", n)
	}
	check()
}

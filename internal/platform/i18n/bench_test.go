package i18n_test

import (
	"io"
	"log/slog"
	"testing"

	"parcours/internal/platform/i18n"
	"parcours/locales"
)

// Templates call L.T and L.N for every text of a page (a page has 20 to
// 60 of them), so their cost is multiplied by that much per request.
//
//	go test ./internal/platform/i18n -run '^$' -bench . -benchmem

func localizer(b *testing.B, tag string) *i18n.L {
	b.Helper()
	c, err := i18n.Load(locales.FS, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	return c.Localizer(tag)
}

var sink string

func BenchmarkT(b *testing.B) {
	for _, tag := range []string{"fr", "ar"} {
		l := localizer(b, tag)
		b.Run(tag+"/plain", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = l.T("common.app_name")
			}
		})
		b.Run(tag+"/arg", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = l.T("org.home.hello", "Name", "Amina Diallo")
			}
		})
	}
}

func BenchmarkN(b *testing.B) {
	for _, tag := range []string{"fr", "ar"} {
		l := localizer(b, tag)
		b.Run(tag, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = l.N("auth.logout.everywhere_done", 3)
			}
		})
	}
}

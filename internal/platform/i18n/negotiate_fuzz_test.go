package i18n_test

import (
	"strings"
	"testing"

	"parcours/internal/platform/i18n"
)

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "*", "fr", "fr-FR,fr;q=0.9,en;q=0.8", "ar-SD,ar;q=0.9", "prs", "prs-AF,fa;q=0.5", "fa-AF",
		"zh-CN", "zh-Hant-TW", "ff-Latn-GN", "ti-ER", "ro-MD", "en;q=0", "de,it;q=0.5", "x-klingon", "en-US;q=abc",
		strings.Repeat("en,", 200), "ar;q=0.1,ps;q=0.9", "\xff\xfe", "ps-AF;q=1.0, bn-BD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := i18n.Negotiate(s)
		served, ok := i18n.Lookup(l.Tag)
		if !ok || served.Tag != l.Tag {
			t.Fatalf("Negotiate(%q) = %q, not a served language", s, l.Tag)
		}
		if again := i18n.Negotiate(s); again.Tag != l.Tag {
			t.Fatalf("Negotiate(%q) not deterministic: %q then %q", s, l.Tag, again.Tag)
		}
		// A header naming exactly one served tag gets that language.
		if exact, ok := i18n.Lookup(s); ok && l.Tag != exact.Tag {
			t.Fatalf("Negotiate(%q) = %q", s, l.Tag)
		}
	})
}

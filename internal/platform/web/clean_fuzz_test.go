package web_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"parcours/internal/platform/web"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"  Bastille  ":           "Bastille",
		"a\x00b\x07c\x1bd\x7fe":  "abcde",
		"ligne 1\r\nligne 2":     "ligne 1\nligne 2",
		"\ttab\tinside\t":        "tab\tinside",
		"bad \xff\xfe utf8":      "bad  utf8",
		"c1 \u0085\u009f ok":     "c1  ok",
		"\u00a0nbsp\u00a0":       "nbsp",
		"سارة بن علي\n":          "سارة بن علي",
		"\u200bzero width\u200b": "\u200bzero width\u200b",
	} {
		if got := web.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " ", "Bastille", "a\x00b", "\r\n", "\xff", "\xe2\x82", "\xe2\x82\xac", "\u0085x\u0085",
		"سارة\t\n", "\x00 \x00", " \x01 ", "\u2028line\u2029", "\xc0\x80", "\xed\xa0\x80", "e\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := web.Clean(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Clean(%q) = %q: invalid UTF-8", s, got)
		}
		for _, r := range got {
			if r != '\n' && r != '\t' && unicode.IsControl(r) {
				t.Fatalf("Clean(%q) = %q: control character %U", s, got, r)
			}
		}
		if again := web.Clean(got); again != got {
			t.Fatalf("not idempotent: Clean(%q) = %q, Clean of that = %q", s, got, again)
		}
		if strings.TrimSpace(got) != got {
			t.Fatalf("Clean(%q) = %q: not trimmed", s, got)
		}
		if len(got) > len(s) {
			t.Fatalf("Clean(%q) = %q: longer than its input", s, got)
		}
	})
}

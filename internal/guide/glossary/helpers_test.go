package glossary_test

import (
	"bytes"
	"encoding/binary"
	"regexp"
	"strings"
	"testing"

	"parcours/internal/guide/glossary"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/testkit"
)

// world is a test server and the glossary service over its database.
func world(t *testing.T, e db.Engine) (*testkit.World, *glossary.Service) {
	t.Helper()
	w := testkit.NewWorld(t, e)
	s, err := glossary.New(w.DB, w.App.Audit, w.Clock)
	if err != nil {
		t.Fatal(err)
	}
	return w, s
}

// wav is a silent mono 16-bit 8 kHz WAV file of ms milliseconds.
func wav(ms int) []byte {
	const rate = 8000
	n := rate * ms / 1000 * 2
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, binary.LittleEndian, uint32(16))
	binary.Write(&b, binary.LittleEndian, uint16(1))      // PCM
	binary.Write(&b, binary.LittleEndian, uint16(1))      // mono
	binary.Write(&b, binary.LittleEndian, uint32(rate))   // sample rate
	binary.Write(&b, binary.LittleEndian, uint32(rate*2)) // byte rate
	binary.Write(&b, binary.LittleEndian, uint16(2))      // block align
	binary.Write(&b, binary.LittleEndian, uint16(16))     // bits
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(n))
	b.Write(make([]byte, n))
	return b.Bytes()
}

var (
	htmlTag = regexp.MustCompile(`<html lang="([^"]+)" dir="([^"]+)">`)
	langTag = regexp.MustCompile(`<[a-z0-9]+\s[^>]*\blang="([^"]*)"[^>]*>`)
	dirAttr = regexp.MustCompile(`\bdir="([^"]*)"`)
)

// checkLangDir checks that the page is in lang with its direction, and
// that every element that says its language also says the direction of
// that language (RGAA 8.7 and 8.10): a French fragment in an Arabic page is
// lang="fr" dir="ltr", an Arabic one in a French page lang="ar" dir="rtl".
func checkLangDir(t *testing.T, what, body, lang string) {
	t.Helper()
	l, _ := i18n.Lookup(lang)
	m := htmlTag.FindStringSubmatch(body)
	if m == nil || m[1] != lang || m[2] != l.Dir() {
		t.Fatalf("%s: <html> is %v, want lang=%q dir=%q", what, m, lang, l.Dir())
	}
	n := 0
	for _, tag := range langTag.FindAllStringSubmatch(body, -1) {
		fl, ok := i18n.Lookup(tag[1])
		if !ok {
			t.Errorf("%s: unknown lang in %s", what, tag[0])
			continue
		}
		d := dirAttr.FindStringSubmatch(tag[0])
		if d == nil && fl.Dir() == l.Dir() {
			n++ // inherits the page's direction
			continue
		}
		if d == nil || d[1] != fl.Dir() {
			t.Errorf("%s: %s: want dir=%q", what, tag[0], fl.Dir())
		}
		n++
	}
	if n == 0 {
		t.Errorf("%s: no element marks its language", what)
	}
}

// contains fails unless body has every string.
func contains(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(body, s) {
			t.Errorf("%s: missing %q", what, s)
		}
	}
}

package glossary_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"parcours/internal/guide/glossary"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Préfecture":                 "prefecture",
		"  RÉCÉPISSÉ!! ":             "recepisse",
		"attestation d'hébergement":  "attestation d hebergement",
		"Œuvre, cœur":                "oeuvre coeur",
		"CAF/CPAM":                   "caf cpam",
		"الْمُحَافَظَة":              "المحافظه", // short vowels and teh marbuta
		"أمر إداري":                  "امر اداري",
		"کمک‌هزینه":                  "كمك هزينه", // Persian keheh, yeh, zero-width non-joiner
		"١١٥":                        "115",
		"ፕረፈክቱር":                     "ፕረፈክቱር",
		"ঠিকানা":                     "ঠিকানা", // Bengali vowel signs (spacing marks) stay
		"申请 通讯地址":                    "申请 通讯地址",
		"":                           "",
		"\u0000\u202e":               "",
		strings.Repeat("é", 3) + "ß": "eeess",
	} {
		if got := glossary.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
		if got := glossary.Fold(in); glossary.Fold(got) != got {
			t.Errorf("Fold is not idempotent on %q", in)
		}
	}
}

func TestParseQuery(t *testing.T) {
	q := glossary.ParseQuery("  Carte   VITALE carte\x00 ")
	if q.Text != "Carte VITALE carte" || !slices.Equal(q.Tokens, []string{"carte", "vitale"}) {
		t.Fatalf("ParseQuery: %+v", q)
	}
	long := glossary.ParseQuery(strings.Repeat("mot ", 200) + strings.Join(strings.Fields("a b c d e f g h i j k"), " "))
	if utf8.RuneCountInString(long.Text) > glossary.MaxQueryRunes || len(long.Tokens) > glossary.MaxTokens {
		t.Fatalf("long query not bounded: %d runes, %d tokens", utf8.RuneCountInString(long.Text), len(long.Tokens))
	}
	if !glossary.ParseQuery(" \t!?. ").Empty() {
		t.Fatal("punctuation only should be an empty query")
	}
}

func slugs(rs []glossary.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Term.Slug)
	}
	return out
}

func TestSearch(t *testing.T) {
	c, err := glossary.LoadContent()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang, q, first string
	}{
		{"fr", "prefecture", "prefecture"},
		{"fr", "PRÉFECTURE", "prefecture"},
		{"fr", "recepisse", "recepisse"},
		{"fr", "Récépissé", "recepisse"},
		{"fr", "AME", "ame"},
		{"fr", "hebergement attestation", "attestation-hebergement"},
		{"ar", "محافظة", ""},               // the Arabic word for préfecture, in a definition or a term
		{"ar", "préfecture", "prefecture"}, // French in an Arabic page
		{"ti", "ፕረፌክቱር", "prefecture"},
		{"zh-Hans", "省政府", ""},
		{"ro", "prefectura", "prefecture"}, // Romanian without diacritics
	}
	for _, tc := range cases {
		res := c.Search(glossary.ParseQuery(tc.q), tc.lang)
		if len(res) == 0 {
			t.Errorf("search %q in %s: nothing found", tc.q, tc.lang)
			continue
		}
		if tc.first != "" && res[0].Term.Slug != tc.first {
			t.Errorf("search %q in %s: first %q, want %q (got %v)", tc.q, tc.lang, res[0].Term.Slug, tc.first, slugs(res[:min(5, len(res))]))
		}
	}
	// The translated word of the reader's language finds its term.
	pref, _ := c.Term("prefecture")
	for _, lang := range []string{"ar", "fa", "ps", "ti", "bn", "ur", "zh-Hans", "ro", "en", "ff"} {
		q := pref.Tr[lang].Term
		if i := strings.Index(q, "("); i > 0 {
			q = q[:i]
		}
		res := c.Search(glossary.ParseQuery(q), lang)
		if !slices.Contains(slugs(res), "prefecture") {
			t.Errorf("search %q in %s does not find préfecture: %v", q, lang, slugs(res))
		}
	}
	if res := c.Search(glossary.ParseQuery("zzzzqqq"), "fr"); len(res) != 0 {
		t.Errorf("nonsense found %v", slugs(res))
	}
	if res := c.Search(glossary.ParseQuery("a"), "fr"); len(res) > glossary.MaxResults {
		t.Errorf("%d results, over the limit", len(res))
	}
}

// The search page: results link to the terms, in the reader's language,
// and a query is shown back escaped.
func TestSearchPage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w, _ := world(t, e)
		b := w.Browser()
		r := b.Get("/fr/guide/glossary?q=Prefecture")
		if r.Status != http.StatusOK {
			t.Fatalf("search: %d", r.Status)
		}
		contains(t, "French search", r.Body, `href="/fr/guide/glossary/prefecture"`, `value="Prefecture"`)
		r = b.Get("/ar/guide/glossary?q=" + "%D8%A7%D9%84%D9%85%D8%AD%D8%A7%D9%81%D8%B8%D8%A9") // المحافظة
		contains(t, "Arabic search", r.Body, `href="/ar/guide/glossary/prefecture"`)
		r = b.Get("/fr/guide/glossary?q=%3Cscript%3Ealert(1)%3C/script%3E")
		if r.Status != http.StatusOK || strings.Contains(r.Body, "<script>alert") {
			t.Fatalf("hostile query: %d, echoed raw: %v", r.Status, strings.Contains(r.Body, "<script>alert"))
		}
		r = b.Get("/fr/guide/glossary?q=" + strings.Repeat("x", 5000))
		if r.Status != http.StatusOK {
			t.Fatalf("long query: %d", r.Status)
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"préfecture", "CAF/CPAM", "  ", "\x00\xff", "الْمُحَافَظَة", "کمک‌هزینه", "ፕረፈክቱር", strings.Repeat("ab ", 60), "İstanbul ǅ ﬁ Ⅻ"} {
		f.Add(s)
	}
	c, err := glossary.LoadContent()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := glossary.ParseQuery(s)
		if !utf8.ValidString(q.Text) || utf8.RuneCountInString(q.Text) > glossary.MaxQueryRunes {
			t.Fatalf("text %q", q.Text)
		}
		if len(q.Tokens) > glossary.MaxTokens {
			t.Fatalf("%d tokens", len(q.Tokens))
		}
		for _, tok := range q.Tokens {
			if tok == "" || strings.ContainsAny(tok, " \t\n") || glossary.Fold(tok) != tok {
				t.Fatalf("token %q not folded", tok)
			}
		}
		if f := glossary.Fold(s); glossary.Fold(f) != f {
			t.Fatalf("Fold not idempotent on %q: %q then %q", s, f, glossary.Fold(f))
		}
		if res := c.Search(q, "ar"); len(res) > glossary.MaxResults {
			t.Fatalf("%d results", len(res))
		}
	})
}

package guide

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Santé et AIDE  juridique!": "sante et aide juridique",
		"Œuvre — l'été":             "oeuvre l ete",
		"الصِّحَّة":                 "الصحه",
		"أمان إسلام":                "امان اسلام",
		"كتاب يوسف":                 "کتاب یوسف",
		"ትግርኛ":                      "ትግርኛ",
		"法律援助":                      "法律援助",
		"  \t":                      "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	for in, want := range map[string]string{
		"aide juridique":           "aide|juridique",
		"a b aide aide":            "aide",
		"法":                        "法",
		"100% _under_":             "100|under",
		strings.Repeat("mot ", 30): "mot",
		"un deux trois quatre cinq six sept huit neuf dix": "un|deux|trois|quatre|cinq|six|sept|huit",
	} {
		if got := strings.Join(ParseQuery(in), "|"); got != want {
			t.Errorf("ParseQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseSearch(t *testing.T) {
	q, bad := ParseSearch(url.Values{"q": {" avocat "}, "cat": {"legal-aid"}, "spoken": {"ti"}, "open": {"1"}, "free": {"1"},
		"nopapers": {"1"}, "who": {"women"}, "access": {"walk_in"}, "arr": {"11"}, "near": {"48.853,2.369"}, "page": {"2"}})
	if len(bad) != 0 || q.Query != "avocat" || q.Category != "legal-aid" || q.Spoken != "ti" || !q.OpenNow || !q.Free || !q.NoPapers ||
		q.Who != "women" || q.Access != "walk_in" || q.Arr != 11 || q.Near == nil || q.Page != 2 {
		t.Fatalf("full search: %+v %v", q, bad)
	}
	if v := q.Values(); v.Get("near") != "48.853,2.369" || v.Get("page") != "" || v.Get("who") != "women" {
		t.Errorf("Values: %v", v)
	}
	q, bad = ParseSearch(url.Values{"cat": {"nope"}, "spoken": {"xx"}, "who": {"svc.id = 1"}, "access": {"free; drop"},
		"arr": {"21"}, "near": {"NaN,2"}, "page": {"0"}})
	for _, k := range []string{"cat", "spoken", "who", "access", "arr", "near", "page"} {
		if bad[k] == "" {
			t.Errorf("%s should be reported invalid", k)
		}
	}
	if !q.Empty() || q.Page != 1 {
		t.Errorf("invalid filters must be dropped: %+v", q)
	}
}

// FuzzParseSearch: any query string gives a search whose values are all
// among the allowed ones, within the limits, and that round-trips through
// Values.
func FuzzParseSearch(f *testing.F) {
	f.Add("q=avocat&cat=legal-aid&open=1&spoken=ti&arr=11")
	f.Add("q=%25%5F%27%22&who=women&access=referral&near=48.85,2.35&page=3")
	f.Add("q=" + strings.Repeat("é", 300) + "&page=99999999999999999999")
	f.Add("near=1e400,-1e400&arr=-1&who=men&who=women")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, _ := ParseSearch(v)
		if utf8.RuneCountInString(q.Query) > MaxQuery || len(q.Terms) > MaxTerms || !utf8.ValidString(q.Query) {
			t.Fatalf("limits: %+v", q)
		}
		for _, term := range q.Terms {
			if term == "" || term != Normalize(term) || strings.ContainsAny(term, " %_\\'\"") {
				t.Fatalf("term %q not normalised", term)
			}
		}
		if q.Category != "" {
			if _, ok := CategoryBySlug(q.Category); !ok {
				t.Fatalf("category %q", q.Category)
			}
		}
		if q.Spoken != "" {
			if _, ok := SpokenByCode(q.Spoken); !ok {
				t.Fatalf("spoken %q", q.Spoken)
			}
		}
		if (q.Who != "" && !contains(WhoChoices, q.Who)) || (q.Access != "" && !contains(AccessChoices, q.Access)) {
			t.Fatalf("choices: %q %q", q.Who, q.Access)
		}
		if q.Arr < 0 || q.Arr > 20 || q.Page < 1 || q.Page > MaxPage || (q.Near != nil && !q.Near.valid()) {
			t.Fatalf("ranges: %+v", q)
		}
		again, bad := ParseSearch(q.Values())
		if len(bad) != 0 || again.Query != q.Query || again.Category != q.Category || again.Arr != q.Arr || again.Who != q.Who {
			t.Fatalf("round trip: %+v -> %+v (%v)", q, again, bad)
		}
	})
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{"01 23 45 67 89": "0123456789", "+33 (0)1.23.45.67.89": "+330123456789", "3646": "3646", "115": "115"} {
		got, ok := NormalizePhone(in)
		if !ok || got != want {
			t.Errorf("NormalizePhone(%q) = %q %v", in, got, ok)
		}
	}
	for _, in := range []string{"12", "abc", "+33+1", "0123456789012345678"} {
		if _, ok := NormalizePhone(in); ok {
			t.Errorf("NormalizePhone(%q) accepted", in)
		}
	}
}

package people

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Spellings of one name must share a key; different names must not.
func TestNameKeysSameName(t *testing.T) {
	same := [][]string{
		{"Mohammed", "Mohamed", "Muhammad", "Mouhammad", "Mohamad", "MOHAMED", "محمد"},
		{"Abdelkader", "Abd el Kader", "Abd-El-Kader", "Abdul Kader", "Abdelkadir", "عبد القادر"},
		{"Youssef", "Yusuf", "Youcef", "Yousef", "يوسف"},
		{"Aïcha", "Aicha", "Aisha", "Aysha", "Aïchah", "عائشة"},
		{"Fatima", "Fatma", "Fâtima", "فاطمة"},
		{"Khaled", "Khalid", "Khaleed", "خالد"},
		{"Ousmane", "Usman", "Osman", "Ousmann"},
		{"Abderrahmane", "Abdurrahman", "Abd er Rahman", "عبد الرحمن"},
		{"Walid", "Oualid", "Ualid", "وليد"},
		{"Chérif", "Sherif", "Cherif", "شريف"},
		{"Ahmad", "Ahmed", "أحمد"},
		{"Hossein", "Hussein", "Houssein", "Husayn", "حسین"},
		{"Zeinab", "Zainab", "Zeynab", "Seinab", "زینب"},
		{"Djamel", "Jamel", "Jamal", "جمال"},
		{"Benali", "Ben Ali", "Ben-Ali", "بن علي"},
		{"El Amrani", "Amrani", "Al-Amrani"},
		{"Mamadou", "Mamadu"},
		{"Nguyễn", "Nguyen"},
	}
	for _, names := range same {
		want := queryKey(t, names[0])
		for _, n := range names[1:] {
			if !slices.Contains(NameKeys(n), want) {
				t.Errorf("%q (keys %v) does not share the key %q of %q", n, NameKeys(n), want, names[0])
			}
			if got := queryKey(t, n); !slices.Contains(NameKeys(names[0]), got) {
				t.Errorf("searching %q (key %q) does not find %q (keys %v)", n, got, names[0], NameKeys(names[0]))
			}
		}
	}
}

func queryKey(t *testing.T, s string) string {
	t.Helper()
	ks := QueryKeys(s)
	if len(ks) != 1 {
		t.Fatalf("QueryKeys(%q) = %v, want one key", s, ks)
	}
	return ks[0]
}

func TestNameKeysDifferentNames(t *testing.T) {
	different := [][2]string{
		{"Fatima", "Fatoumata"}, {"Ahmed", "Hamid"}, {"Karim", "Kamel"},
		{"Youssef", "Yasmine"}, {"Ali", "Alia Bensaïd"}, {"Leila", "Lina"},
	}
	for _, d := range different {
		a, b := NameKeys(d[0]), NameKeys(d[1])
		for _, k := range QueryKeys(d[0]) {
			if slices.Contains(b, k) && len(QueryKeys(d[1])) == 1 {
				t.Errorf("%q and %q share the key %q (%v / %v)", d[0], d[1], k, a, b)
			}
		}
	}
}

func TestNameKeysShape(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  -- ' ", nil},
		{"Abd el Kader", []string{"abdlkdr", "kdr"}},
		{"Abdessalam", []string{"abdslm"}},
		{"عبد السلام", []string{"abdslm", "aslm"}},
		{"Ben Ali", []string{"bnl", "al"}},
		{"Jean-Pierre Dupont", []string{"jnprdpnt", "jn", "pr", "dpnt"}},
		{"ትግርኛ", []string{"ትግርኛ"}},
	}
	for _, c := range cases {
		if got := NameKeys(c.in); !slices.Equal(got, c.want) {
			t.Errorf("NameKeys(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := QueryKeys("Abd el Kader Benali"); !slices.Equal(got, []string{"abdlkdr", "bnl"}) {
		t.Errorf("QueryKeys = %v", got)
	}
	if got := FoldName("  Éloïse   N'Diaye "); got != "eloise n diaye" {
		t.Errorf("FoldName = %q", got)
	}
}

// FuzzNameKeys: any input gives valid, bounded keys without panicking, and
// the same keys every time.
func FuzzNameKeys(f *testing.F) {
	for _, s := range []string{"Mohammed", "عبد القادر", "Abd el Kader", "Nguyễn Thị", "ትግርኛ", "x\x00y", "\xff\xfe", strings.Repeat("ab ", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ks := NameKeys(s)
		if len(ks) > maxNameKeys {
			t.Fatalf("%d keys", len(ks))
		}
		for _, k := range ks {
			if k == "" || !utf8.ValidString(k) || strings.ContainsAny(k, " \x00") {
				t.Fatalf("bad key %q from %q", k, s)
			}
		}
		if again := NameKeys(s); !slices.Equal(ks, again) {
			t.Fatalf("not stable: %v then %v", ks, again)
		}
		qs := QueryKeys(s)
		if len(qs) > maxNameKeys {
			t.Fatalf("%d query keys", len(qs))
		}
		_ = FoldName(s)
	})
}

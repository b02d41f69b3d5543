package people

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Name keys: a person is found whatever the spelling the desk types. Every
// name is reduced to keys, a consonant skeleton that is the same for the
// usual spellings and transliterations of one name:
//
//   - Arabic script (Arabic, Persian, Urdu, Pashto letters) is transliterated
//     to Latin letters first; accents and case are dropped;
//   - French and English spellings of the same sounds are merged (ou/u/w/v,
//     ch/sh, dj/j, kh/h, q/k/c, y/i, z/s, ph/f, th/t);
//   - vowels after the first letter are dropped, a first vowel becomes "a",
//     doubled letters are collapsed and a final h is dropped.
//
// So "Mohammed", "Mohamed", "Muhammad" and "محمد" all give "mhmd";
// "Abdelkader", "Abd el Kader", "Abdul Kader" and "عبد القادر" give "abdlkdr".
// A name gives one key per word, one per word joined to its particles
// ("abd", "el", "ben", "ould"...), and one for the whole name written as one
// word; the search looks for persons who have every key of the query.

// maxNameKeys bounds the keys of one name field (a long name pasted by
// mistake must not fill the index).
const maxNameKeys = 12

// NameKeys returns the search keys of a name, in any script, without
// duplicates, in a stable order.
func NameKeys(name string) []string {
	words := nameWords(name)
	if len(words) == 0 {
		return nil
	}
	var out []string
	add := func(w string) {
		if k := skeleton(w); k != "" && !slices.Contains(out, k) && len(out) < maxNameKeys {
			out = append(out, k)
		}
	}
	add(strings.Join(words, ""))
	for _, w := range joinParticles(words, false) {
		add(w)
	}
	for _, w := range words {
		if !stopWords[w] && !particles[w] {
			add(w)
		}
	}
	return out
}

// QueryKeys returns one key per word of a search query, particles joined to
// the following word ("abd el kader" is one word here), so that every key
// must match.
func QueryKeys(query string) []string {
	var out []string
	for _, w := range joinParticles(nameWords(query), true) {
		if k := skeleton(w); k != "" && !slices.Contains(out, k) && len(out) < maxNameKeys {
			out = append(out, k)
		}
	}
	return out
}

// FoldName returns the name in lower-case Latin letters without accents,
// words separated by one space (for display-independent sorting).
func FoldName(name string) string { return strings.Join(nameWords(name), " ") }

// particles are joined to the word that follows them: "abd el kader" is the
// same name as "abdelkader", "ben ali" as "benali".
var particles = map[string]bool{
	"abd": true, "abdel": true, "abdul": true, "abdoul": true, "abdal": true, "abu": true, "abou": true, "abo": true,
	"el": true, "al": true, "ul": true, "ed": true, "ad": true, "ez": true, "az": true, "es": true, "as": true,
	"et": true, "at": true, "er": true, "ar": true, "en": true, "an": true,
	"ben": true, "bin": true, "bn": true, "ibn": true, "abn": true, "bnt": true, "bint": true, "bent": true, "ould": true, "ag": true, "bou": true,
}

// stopWords are not keys on their own (too common to find anyone by).
var stopWords = map[string]bool{
	"el": true, "al": true, "ul": true, "ed": true, "ad": true, "ez": true, "az": true, "es": true, "as": true,
	"et": true, "at": true, "er": true, "ar": true, "en": true, "an": true, "le": true, "la": true, "de": true,
	"du": true, "des": true, "da": true, "di": true, "van": true, "von": true, "der": true, "dos": true,
}

// joinParticles glues each run of particles to the next word. With
// dropArticles, an article that starts a run is left out ("El Amrani" is
// looked for as "Amrani", which files named either way have as a key).
func joinParticles(words []string, dropArticles bool) []string {
	var out []string
	pending := ""
	for i, w := range words {
		if dropArticles && pending == "" && particles[w] && stopWords[w] && i+1 < len(words) {
			continue
		}
		if particles[w] {
			pending += w
			continue
		}
		out = append(out, pending+w)
		pending = ""
	}
	if pending != "" {
		out = append(out, pending)
	}
	return out
}

// sunLetters assimilate the l of the Arabic article: "الرحمن" is written
// "errahmane" in Latin letters, not "elrahmane".
var sunLetters = map[rune]bool{
	'ت': true, 'ث': true, 'د': true, 'ذ': true, 'ر': true, 'ز': true, 'س': true, 'ش': true,
	'ص': true, 'ض': true, 'ط': true, 'ظ': true, 'ن': true,
}

// nameWords transliterates, folds and splits a name into words of the
// letters a to z.
func nameWords(name string) []string {
	var b strings.Builder
	rs := []rune(norm.NFD.String(name))
	for i, r := range rs {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		// The article's l before a sun letter, at the start of a word.
		if r == 'ل' && i > 0 && rs[i-1] == 'ا' && (i < 2 || !unicode.IsLetter(rs[i-2])) && i+1 < len(rs) && sunLetters[rs[i+1]] {
			continue
		}
		if t, ok := translit[r]; ok {
			b.WriteString(t)
			continue
		}
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r == 'ß':
			b.WriteString("ss")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'œ':
			b.WriteString("oe")
		case r == 'ø':
			b.WriteString("o")
		case r == 'đ' || r == 'ð':
			b.WriteString("d")
		case r == 'ł':
			b.WriteString("l")
		case r == 'ı':
			b.WriteString("i")
		case r == 'þ':
			b.WriteString("th")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// A letter of a script without transliteration (Ethiopic,
			// Bengali, Han...) is kept as itself so that the same spelling
			// still finds the person.
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// digraphs are replaced in order, before the letter rules.
var digraphs = strings.NewReplacer(
	"sch", "s", "tch", "s", "chr", "kr", "sh", "s", "ch", "s", "dj", "j", "kh", "h", "gh", "g",
	"ph", "f", "th", "t", "dh", "d", "ck", "k", "qu", "k", "ou", "u", "oo", "u", "ee", "i",
)

// skeleton reduces one word to its key.
func skeleton(w string) string {
	if w == "" {
		return ""
	}
	w = digraphs.Replace(w)
	rs := []rune(w)
	var b strings.Builder
	var last rune
	for i, r := range rs {
		switch r {
		case 'q', 'k':
			r = 'k'
		case 'c':
			r = 'k'
			if i+1 < len(rs) && (rs[i+1] == 'e' || rs[i+1] == 'i' || rs[i+1] == 'y') {
				r = 's'
			}
		case 'z':
			r = 's'
		case 'y':
			r = 'i'
		case 'w', 'v':
			r = 'u'
		case 'x':
			if last != 'k' {
				b.WriteRune('k')
			}
			r = 's'
		}
		vowel := r == 'a' || r == 'e' || r == 'i' || r == 'o' || r == 'u'
		if i == 0 {
			if vowel {
				r = 'a'
			}
		} else if vowel {
			continue
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	s := b.String()
	if len(s) > 1 {
		s = strings.TrimSuffix(s, "h")
	}
	return s
}

// translit maps the letters of the Arabic script (Arabic, Persian, Urdu,
// Pashto) to Latin letters, following the French usage of the Maghreb
// where two spellings compete; the skeleton merges the rest.
var translit = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ء': "", 'ؤ': "u", 'ئ': "i",
	'ب': "b", 'ت': "t", 'ث': "t", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "d",
	'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z",
	'ع': "a", 'غ': "gh", 'ف': "f", 'ق': "k", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n",
	'ه': "h", 'ة': "a", 'و': "u", 'ي': "i", 'ى': "a", 'ـ': "",
	// Persian and Urdu.
	'پ': "p", 'چ': "ch", 'ژ': "j", 'گ': "g", 'ک': "k", 'ی': "i", 'ۀ': "a",
	'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ھ': "h", 'ے': "e", 'ہ': "h", 'ۃ': "a",
	// Pashto.
	'ټ': "t", 'ډ': "d", 'ړ': "r", 'ږ': "j", 'ښ': "sh", 'ځ': "z", 'څ': "ts", 'ڼ': "n", 'ۍ': "i", 'ې': "e",
	// Digits of the Arabic script.
	'٠': "0", '١': "1", '٢': "2", '٣': "3", '٤': "4", '٥': "5", '٦': "6", '٧': "7", '٨': "8", '٩': "9",
	'۰': "0", '۱': "1", '۲': "2", '۳': "3", '۴': "4", '۵': "5", '۶': "6", '۷': "7", '۸': "8", '۹': "9",
	// The zero-width non-joiner of Persian separates nothing.
	'\u200c': "",
}

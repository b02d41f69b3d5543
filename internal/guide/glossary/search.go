package glossary

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"parcours/internal/guide/seed"
	"parcours/internal/platform/i18n"
)

// Limits of a search query.
const (
	MaxQueryRunes = 100
	MaxTokens     = 8
)

// Query is a parsed search: the words to find, folded (see Fold).
type Query struct {
	// Text is the query as the person typed it, cleaned and bounded (shown
	// back in the search box).
	Text   string
	Tokens []string
}

// Empty reports whether there is nothing to search for.
func (q Query) Empty() bool { return len(q.Tokens) == 0 }

// ParseQuery reads a search string: invalid UTF-8 and control characters
// are dropped, it is cut at MaxQueryRunes, folded (case, accents, Arabic
// letter variants), split into words on spaces and punctuation, and
// duplicates are removed; at most MaxTokens words are kept.
func ParseQuery(raw string) Query {
	raw = strings.ToValidUTF8(raw, "")
	var b strings.Builder
	n := 0
	for _, r := range raw {
		if n >= MaxQueryRunes {
			break
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	text := strings.Join(strings.Fields(b.String()), " ")
	q := Query{Text: text}
	for _, tok := range strings.Fields(Fold(text)) {
		if !slices.Contains(q.Tokens, tok) {
			q.Tokens = append(q.Tokens, tok)
		}
		if len(q.Tokens) == MaxTokens {
			break
		}
	}
	return q
}

// arabicFold maps letter variants people type interchangeably to one form:
// hamza seats, alef maqsura and Persian yeh, keheh and kaf, teh marbuta.
var arabicFold = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ئ': 'ي', 'ې': 'ي', 'ۍ': 'ي',
	'ک': 'ك', 'ګ': 'گ', 'ة': 'ه', 'ۀ': 'ه', 'ہ': 'ه', 'ھ': 'ه', 'ؤ': 'و',
	// Arabic-Indic and extended digits to Latin ones.
	'٠': '0', '١': '1', '٢': '2', '٣': '3', '٤': '4', '٥': '5', '٦': '6', '٧': '7', '٨': '8', '٩': '9',
	'۰': '0', '۱': '1', '۲': '2', '۳': '3', '۴': '4', '۵': '5', '۶': '6', '۷': '7', '۸': '8', '۹': '9',
}

// Fold makes a string comparable for search: lower case, accents and other
// combining marks removed (é -> e, Arabic short vowels), ligatures spelled
// out (œ -> oe), Arabic-script letter variants unified, digits made Latin,
// and every run of characters that are neither letters nor digits turned
// into one space. Folding is idempotent.
func Fold(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || r == 'ـ':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r):
			if v, ok := arabicFold[r]; ok {
				r = v
			}
			switch r = unicode.ToLower(r); r {
			case 'œ':
				b.WriteString("oe")
			case 'æ':
				b.WriteString("ae")
			case 'ß':
				b.WriteString("ss")
			case 'ı':
				b.WriteRune('i')
			default:
				b.WriteRune(r)
			}
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// entry is what the search looks at for one term in one language.
type entry struct {
	words string // folded French term and translated term, space separated
	say   string // folded respelling
	defs  string // folded French and translated definitions
	exact []string
}

func buildIndex(terms []seed.Term) map[string][]entry {
	idx := map[string][]entry{}
	for _, l := range i18n.Languages {
		es := make([]entry, len(terms))
		for i, t := range terms {
			ti := TermFor(t, l.Tag)
			fr, tr := Fold(ti.FR.S), Fold(ti.Term.S)
			es[i] = entry{words: " " + fr + " " + tr + " ", say: " " + Fold(ti.Say.S) + " ",
				defs: " " + Fold(ti.DefFR.S) + " " + Fold(ti.Def.S) + " ", exact: []string{fr, tr, Fold(stripParen(ti.FR.S))}}
		}
		idx[l.Tag] = es
	}
	return idx
}

// Result is one term found, with its score (higher first).
type Result struct {
	Term  seed.Term
	Score int
}

// MaxResults bounds a search's answer.
const MaxResults = 50

// Search finds the terms whose French word, word in lang, respelling or
// definitions contain every word of the query (each as a word prefix or
// inside a word). Words in the terms themselves rank above words in the
// definitions; an exact match of the whole term comes first.
func (c *Content) Search(q Query, lang string) []Result {
	if q.Empty() {
		return nil
	}
	l, ok := i18n.Lookup(lang)
	if !ok {
		l, _ = i18n.Lookup(i18n.Source)
	}
	whole := strings.Join(q.Tokens, " ")
	var out []Result
	for i, e := range c.index[l.Tag] {
		score := 0
		for _, tok := range q.Tokens {
			s := 0
			switch {
			case strings.Contains(e.words, " "+tok):
				s = 4
			case strings.Contains(e.words, tok):
				s = 3
			case strings.Contains(e.say, " "+tok):
				s = 3
			case strings.Contains(e.say, tok):
				s = 2
			case strings.Contains(e.defs, " "+tok):
				s = 1
			case utf8.RuneCountInString(tok) > 2 && strings.Contains(e.defs, tok):
				s = 1
			}
			if s == 0 {
				score = 0
				break
			}
			score += s
		}
		if score == 0 {
			continue
		}
		if slices.Contains(e.exact, whole) {
			score += 20
		}
		out = append(out, Result{Term: c.Terms[i], Score: score})
	}
	slices.SortStableFunc(out, func(a, b Result) int { return b.Score - a.Score })
	if len(out) > MaxResults {
		out = out[:MaxResults]
	}
	return out
}

// stripParen removes a trailing explanation in parentheses:
// "AME (aide médicale de l'État)" -> "AME".
func stripParen(s string) string {
	if i := strings.Index(s, "("); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// Letter is the A-Z group of a French term: its first letter, or "#" for
// a number.
func Letter(fr string) string {
	f := Fold(fr)
	r, _ := utf8.DecodeRuneInString(f)
	if r >= 'a' && r <= 'z' {
		return string(unicode.ToUpper(r))
	}
	return "#"
}

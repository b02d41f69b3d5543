package sheets

import (
	"errors"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
)

// wantSlugs are the statuses Action 2 of the CASVP plan asks for.
var wantSlugs = []string{
	"demandeur-asile-normale", "demandeur-asile-acceleree", "dublin", "deboute",
	"refugie", "protection-subsidiaire", "apatride",
	"regroupement-familial", "reunification-familiale",
	"vpf", "etranger-malade", "salarie", "etudiant", "carte-resident", "pluriannuelle",
	"recepisse-aps", "sans-titre", "mineurs",
}

func mustLoad(t *testing.T) []Sheet {
	t.Helper()
	sheets, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return sheets
}

func TestLoadEverySheetParses(t *testing.T) {
	sheets := mustLoad(t)
	names, err := fs.Glob(content, "content/*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) != len(names) {
		t.Fatalf("Load returned %d sheets for %d files", len(sheets), len(names))
	}
	for _, s := range sheets {
		if s.Title == "" || s.Version < 1 || s.AppliesFrom.IsZero() || s.ReviewedOn.IsZero() ||
			s.ReviewedBy == "" || s.Changes == "" {
			t.Errorf("%s: incomplete front matter: %+v", s.Slug, s)
		}
	}
}

func TestAllStatusesPresent(t *testing.T) {
	got := map[string]bool{}
	for _, s := range mustLoad(t) {
		got[s.Slug] = true
	}
	for _, slug := range wantSlugs {
		if !got[slug] {
			t.Errorf("missing sheet %q", slug)
		}
		delete(got, slug)
	}
	for slug := range got {
		t.Errorf("unexpected sheet %q (add it to wantSlugs if it is intended)", slug)
	}
}

func TestEverySectionPresent(t *testing.T) {
	for _, s := range mustLoad(t) {
		if len(s.Sections) != len(headings) {
			t.Errorf("%s: %d sections, want %d", s.Slug, len(s.Sections), len(headings))
			continue
		}
		for i, sec := range s.Sections {
			if sec.Heading != headings[i] {
				t.Errorf("%s: section %d is %q, want %q", s.Slug, i, sec.Heading, headings[i])
			}
			if strings.TrimSpace(sec.Body) == "" {
				t.Errorf("%s: section %q is empty", s.Slug, sec.Heading)
			}
		}
	}
}

func TestEveryFootnoteDefinedAndSourced(t *testing.T) {
	for _, s := range mustLoad(t) {
		if len(s.Footnotes) == 0 {
			t.Errorf("%s: no source footnote", s.Slug)
		}
		for _, sec := range s.Sections {
			for _, m := range fnRefRe.FindAllStringSubmatch(sec.Body, -1) {
				if _, ok := s.Footnotes[m[1]]; !ok {
					t.Errorf("%s: [^%s] in %q is not defined", s.Slug, m[1], sec.Heading)
				}
			}
		}
		for id, text := range s.Footnotes {
			if len([]rune(text)) < 10 {
				t.Errorf("%s: footnote [^%s] is too short to be a reference: %q", s.Slug, id, text)
			}
		}
	}
}

// Footnotes are numbered 1..n in order of first use, so that a printed
// sheet reads naturally.
func TestFootnotesNumberedInOrder(t *testing.T) {
	for _, s := range mustLoad(t) {
		var body strings.Builder
		for _, sec := range s.Sections[:len(s.Sections)-1] {
			body.WriteString(sec.Body)
		}
		next := 1
		seen := map[string]bool{}
		for _, m := range fnRefRe.FindAllStringSubmatch(body.String(), -1) {
			if seen[m[1]] {
				continue
			}
			seen[m[1]] = true
			if want := strconv.Itoa(next); m[1] != want {
				t.Errorf("%s: footnote [^%s] first used where [^%s] was expected", s.Slug, m[1], want)
				break
			}
			next++
		}
	}
}

// figureRe finds amounts, percentages, delays and durations.
var figureRe = regexp.MustCompile(`\d+(?:er|e)?(?:[ ,.]\d+)*\s?(?:€|%|jours?\b|mois\b|ans?\b|h\b|heures?\b|semaines?\b)`)

// After a figure: an optional unit ("/jour"), then the source marker. Inside
// bold text the marker may follow the closing "**" ("**6,80 €/jour**[^3]").
var (
	markerAfterFigure = regexp.MustCompile(`^(?:/\pL+)?\[\^`)
	markerAfterBold   = regexp.MustCompile(`^[^*\[\]\n]{0,15}\*\*\[\^`)
)

// Every figure is followed by its source marker.
func TestFiguresHaveSource(t *testing.T) {
	for _, s := range mustLoad(t) {
		for _, sec := range s.Sections[:len(s.Sections)-1] {
			for _, line := range strings.Split(sec.Body, "\n") {
				for _, loc := range figureRe.FindAllStringIndex(line, -1) {
					rest := line[loc[1]:]
					inBold := strings.Count(line[:loc[0]], "**")%2 == 1
					if markerAfterFigure.MatchString(rest) || inBold && markerAfterBold.MatchString(rest) {
						continue
					}
					t.Errorf("%s / %s: figure %q is not followed by a source marker: %s",
						s.Slug, sec.Heading, line[loc[0]:loc[1]], line)
				}
			}
		}
	}
}

// The warning sign is only used in the exact marker, so that the count is
// meaningful and a search finds every unconfirmed rule.
func TestUnconfirmedMarkerSpelling(t *testing.T) {
	total := 0
	for _, s := range mustLoad(t) {
		total += s.Unconfirmed
		for _, sec := range s.Sections {
			if n, m := strings.Count(sec.Body, "⚠"), strings.Count(sec.Body, UnconfirmedMarker); n != m {
				t.Errorf("%s / %s: %d ⚠ signs but %d %q markers", s.Slug, sec.Heading, n, m, UnconfirmedMarker)
			}
		}
	}
	if total == 0 {
		t.Error("no unconfirmed marker at all: the research note has many UNCONFIRMED rules")
	}
	t.Logf("%d %q markers in total", total, UnconfirmedMarker)
}

// A sheet must fit on one A4 sheet printed on both sides.
func TestSheetLength(t *testing.T) {
	for _, s := range mustLoad(t) {
		n := 0
		for _, sec := range s.Sections[:len(s.Sections)-1] {
			n += countWords(sec.Body)
		}
		if n < 300 || n > 650 {
			t.Errorf("%s: %d words outside the references, want 300-650", s.Slug, n)
		}
	}
}

func countWords(md string) int {
	md = fnRefRe.ReplaceAllString(md, " ")
	n := 0
	for _, f := range strings.Fields(md) {
		if strings.IndexFunc(f, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

// validSheet is the smallest sheet Parse accepts.
func validSheet() string {
	var b strings.Builder
	b.WriteString("---\nslug: test\ntitle: Test\nversion: 2\napplies_from: 2026-01-01\n" +
		"reviewed_on: 2026-11-20\nreviewed_by: Relecteur\nchanges: Essai.\n---\n\n")
	for i, h := range headings {
		b.WriteString("## " + h + "\n\n")
		switch i {
		case 0:
			b.WriteString("Validité **6 mois**[^1] ⚠ À confirmer.\n\n")
		case len(headings) - 1:
			b.WriteString("[^1]: Arrêté du 5 mai 2020.\n")
		default:
			b.WriteString("À vérifier.\n\n")
		}
	}
	return b.String()
}

func TestParseValid(t *testing.T) {
	s, err := Parse("test.md", []byte(validSheet()))
	if err != nil {
		t.Fatal(err)
	}
	if s.Slug != "test" || s.Title != "Test" || s.Version != 2 || s.ReviewedBy != "Relecteur" || s.Changes != "Essai." {
		t.Errorf("front matter: %+v", s)
	}
	if got := s.AppliesFrom.Format(dateLayout); got != "2026-01-01" {
		t.Errorf("AppliesFrom = %s", got)
	}
	if got := s.ReviewedOn.Format(dateLayout); got != "2026-11-20" {
		t.Errorf("ReviewedOn = %s", got)
	}
	if s.Unconfirmed != 1 {
		t.Errorf("Unconfirmed = %d, want 1", s.Unconfirmed)
	}
	if s.Footnotes["1"] != "Arrêté du 5 mai 2020." {
		t.Errorf("Footnotes = %v", s.Footnotes)
	}
	if s.Sections[0].Body != "Validité **6 mois**[^1] ⚠ À confirmer." {
		t.Errorf("first body = %q", s.Sections[0].Body)
	}
	// Windows line endings and a byte order mark are accepted.
	crlf := "\uFEFF" + strings.ReplaceAll(validSheet(), "\n", "\r\n")
	if _, err := Parse("crlf.md", []byte(crlf)); err != nil {
		t.Errorf("CRLF: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	valid := validSheet()
	replace := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("test setup: %q not in the valid sheet", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	tests := []struct {
		name, data, want, kind string
	}{
		{"empty file", "", "missing front matter", ErrFrontMatter},
		{"no front matter", valid[strings.Index(valid, "## "):], "missing front matter", ErrFrontMatter},
		{"unterminated front matter", "---\nslug: test\n", "unterminated front matter", ErrFrontMatter},
		{"missing key", replace("version: 2\n", ""), `missing front matter key "version"`, ErrFrontMatter},
		{"missing reviewed_by", replace("reviewed_by: Relecteur\n", ""), `missing front matter key "reviewed_by"`, ErrFrontMatter},
		{"unknown key", replace("title: Test\n", "title: Test\nauthor: X\n"), `unknown front matter key "author"`, ErrFrontMatter},
		{"duplicate key", replace("title: Test\n", "title: Test\ntitle: Autre\n"), `duplicate front matter key "title"`, ErrFrontMatter},
		{"empty value", replace("changes: Essai.", "changes:"), `empty value for front matter key "changes"`, ErrFrontMatter},
		{"line without colon", replace("title: Test\n", "title Test\n"), `is not "key: value"`, ErrFrontMatter},
		{"bad slug", replace("slug: test", "slug: Test_1"), "bad slug", ErrFrontMatter},
		{"bad version", replace("version: 2", "version: v2"), "bad version", ErrFrontMatter},
		{"zero version", replace("version: 2", "version: 0"), "bad version", ErrFrontMatter},
		{"bad applies_from", replace("applies_from: 2026-01-01", "applies_from: 2026-13-01"), "bad date applies_from", ErrFrontMatter},
		{"bad reviewed_on", replace("reviewed_on: 2026-11-20", "reviewed_on: 20/11/2026"), "bad date reviewed_on", ErrFrontMatter},
		{"text before sections", replace("---\n\n## Document", "---\nIntro\n## Document"), "text before the first section", ErrTextBefore},
		{"unknown section", replace("## Transports", "## Divers"), `unknown section "Divers"`, ErrUnknownSection},
		{"missing section", replace("## Transports\n", ""), `missing section "Transports" before it`, ErrSectionOrder},
		{"missing last section", valid[:strings.Index(valid, "## Références")], `missing section "Références"`, ErrMissingSection},
		{"out of order", replace("## Travail", "## Santé\n\nx\n\n## Travail"), `section "Santé" is out of order: missing section "Travail"`, ErrSectionOrder},
		{"repeated section", replace("## Références", "## Transports\n\nx\n\n## Références"), "repeated or out of order", ErrSectionOrder},
		{"empty section", replace("## Travail\n\nÀ vérifier.\n", "## Travail\n\n"), `section "Travail" is empty`, ErrSectionEmpty},
		{"footnote not defined", replace("À vérifier.", "Délai **1 mois**[^2]."), "footnote [^2] is referenced but not defined", ErrFootnoteUndefined},
		{"footnote not used", replace("[^1]: Arrêté", "[^9]: Autre.\n[^1]: Arrêté"), "footnote [^9] is defined but never referenced", ErrFootnoteUnused},
		{"footnote defined twice", replace("[^1]: Arrêté", "[^1]: Autre.\n[^1]: Arrêté"), "footnote [^1] defined twice", ErrFootnoteDuplicate},
		{"footnote outside references", replace("À vérifier.", "[^1]: Ailleurs."), "defined outside the last section", ErrFootnoteOutside},
		{"footnote without text", replace("[^1]: Arrêté du 5 mai 2020.", "[^1]:"), "footnote [^1] has no text", ErrFootnoteEmpty},
		{"no source at all", strings.NewReplacer("[^1]", "", ": Arrêté du 5 mai 2020.", "Arrêté.").Replace(valid), "no source", ErrNoSource},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bad.md", []byte(tc.data))
			if err == nil {
				t.Fatalf("Parse accepted a sheet with %s", tc.name)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Name != "bad.md" {
				t.Fatalf("error %v is not a *ParseError naming the file", err)
			}
			if pe.Kind != tc.kind {
				t.Errorf("error %q has kind %q, want %q", err, pe.Kind, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadChecksFileNames(t *testing.T) {
	fsys := fstest.MapFS{
		"content/autre.md": {Data: []byte(validSheet())},
		"content/bad.md":   {Data: []byte("nothing")},
	}
	_, err := load(fsys, "content")
	if err == nil {
		t.Fatal("load accepted a slug that does not match its file name")
	}
	for _, want := range []string{`slug "test" does not match file name (want "autre")`, "content/bad.md:1: missing front matter"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if _, err := load(fstest.MapFS{}, "content"); err == nil {
		t.Error("load accepted an empty directory")
	}
	sheets, err := load(fstest.MapFS{"content/test.md": {Data: []byte(validSheet())}}, "content")
	if err != nil || len(sheets) != 1 {
		t.Errorf("load of one valid sheet: %v, %d sheets", err, len(sheets))
	}
}

func FuzzParse(f *testing.F) {
	names, _ := fs.Glob(content, "content/*.md")
	for _, name := range names {
		data, _ := fs.ReadFile(content, name)
		f.Add(data)
	}
	f.Add([]byte(validSheet()))
	f.Add([]byte(""))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nslug: a\n---\n## Références\n[^1]: x\n"))
	f.Add([]byte("## Travail\n[^]: \n[^1]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.md", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if len(s.Sections) != len(headings) || len(s.Footnotes) == 0 || s.Version < 1 {
			t.Fatalf("accepted an incomplete sheet: %d sections, %d footnotes, version %d",
				len(s.Sections), len(s.Footnotes), s.Version)
		}
	})
}

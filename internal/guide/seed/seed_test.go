package seed

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// pictoDir is web/static/picto seen from this package directory.
const pictoDir = "../../../web/static/picto"

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// requiredChecklists are the procedure slugs the guide links to.
var requiredChecklists = []string{
	"domiciliation", "ame", "css", "puma", "solidarite-transport", "rsa", "caf",
	"france-travail", "bank-account", "school-enrolment", "french-course", "asylum-appointment",
	// The rights simulator's documents (internal/rights/rules: DocADA,
	// DocEmergencyHousing, DocWorkPermit).
	"ada", "emergency-accommodation", "work-permit",
}

// guideCategories need a cat-<slug>.svg pictogram.
var guideCategories = []string{
	"domiciliation", "legal-aid", "asylum", "health", "mental-health", "french-courses",
	"work-training", "food", "showers-hygiene", "shelter", "phone-charging", "wifi", "sport",
	"culture", "transport", "children-families", "women", "young-people",
}

// scriptOf names the Unicode script each non-Latin language must actually use.
var scriptOf = map[string]*unicode.RangeTable{
	"ar":      unicode.Arabic,
	"fa":      unicode.Arabic,
	"fa-AF":   unicode.Arabic,
	"ps":      unicode.Arabic,
	"ur":      unicode.Arabic,
	"ti":      unicode.Ethiopic,
	"bn":      unicode.Bengali,
	"zh-Hans": unicode.Han,
}

func targetLanguages() []string { return Languages()[1:] }

// hasLetterOf reports whether s contains at least one letter of script t.
func hasLetterOf(s string, t *unicode.RangeTable) bool {
	for _, r := range s {
		if unicode.Is(t, r) && (unicode.IsLetter(r) || unicode.Is(unicode.Han, r)) {
			return true
		}
	}
	return false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// checkScript fails when a text of a non-Latin language has no letter of its script.
func checkScript(t *testing.T, where, lang, text string) {
	t.Helper()
	if tab, ok := scriptOf[lang]; ok && !hasLetterOf(text, tab) {
		t.Errorf("%s [%s]: no letter of the expected script in %q", where, lang, text)
	}
}

// checkAllLanguages fails unless m has a non-empty text for each of the 12 languages
// (and nothing else), with the right script.
func checkAllLanguages(t *testing.T, where string, m map[string]string) {
	t.Helper()
	for _, l := range Languages() {
		v, ok := m[l]
		if !ok || blank(v) {
			t.Errorf("%s: missing or empty %q text", where, l)
			continue
		}
		checkScript(t, where, l, v)
	}
	if len(m) != len(Languages()) {
		t.Errorf("%s: %d languages, want %d", where, len(m), len(Languages()))
	}
}

func TestLanguages(t *testing.T) {
	got := Languages()
	if len(got) != 12 || got[0] != SourceLanguage {
		t.Fatalf("Languages() = %v", got)
	}
	got[0] = "xx"
	if Languages()[0] != SourceLanguage {
		t.Fatal("Languages() returned a shared slice")
	}
}

func TestThemes(t *testing.T) {
	themes, err := Themes()
	if err != nil {
		t.Fatal(err)
	}
	if len(themes) == 0 {
		t.Fatal("no themes")
	}
	seen := map[string]bool{}
	for _, th := range themes {
		if !slugRE.MatchString(th.Slug) || seen[th.Slug] {
			t.Errorf("bad or duplicate theme slug %q", th.Slug)
		}
		seen[th.Slug] = true
		checkAllLanguages(t, "theme "+th.Slug, th.Label)
	}
}

func TestGlossary(t *testing.T) {
	terms, err := Glossary()
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) < 150 {
		t.Fatalf("%d terms, want at least 150", len(terms))
	}
	themes, err := Themes()
	if err != nil {
		t.Fatal(err)
	}
	themeOK := map[string]bool{}
	for _, th := range themes {
		themeOK[th.Slug] = true
	}
	seen := map[string]bool{}
	for _, term := range terms {
		where := "term " + term.Slug
		if !slugRE.MatchString(term.Slug) {
			t.Errorf("%s: slug is not URL-safe", where)
		}
		if seen[term.Slug] {
			t.Errorf("%s: duplicate slug", where)
		}
		seen[term.Slug] = true
		if !themeOK[term.Theme] {
			t.Errorf("%s: unknown theme %q", where, term.Theme)
		}
		if blank(term.FR) || blank(term.DefinitionFR) {
			t.Errorf("%s: empty French term or definition", where)
		}
		if len(term.Tr) != len(targetLanguages()) {
			t.Errorf("%s: %d translations, want %d", where, len(term.Tr), len(targetLanguages()))
		}
		for _, l := range targetLanguages() {
			tr, ok := term.Tr[l]
			if !ok {
				t.Errorf("%s: no %q translation", where, l)
				continue
			}
			if blank(tr.Term) || blank(tr.Definition) || blank(tr.Say) {
				t.Errorf("%s [%s]: empty term, definition or say: %+v", where, l, tr)
			}
			checkScript(t, where+" term", l, tr.Term)
			checkScript(t, where+" definition", l, tr.Definition)
			checkScript(t, where+" say", l, tr.Say)
		}
	}
}

func TestChecklists(t *testing.T) {
	lists, err := Checklists()
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) < len(requiredChecklists) {
		t.Fatalf("%d checklists, want at least %d", len(lists), len(requiredChecklists))
	}
	bySlug := map[string]Checklist{}
	for _, c := range lists {
		where := "checklist " + c.Slug
		if !slugRE.MatchString(c.Slug) {
			t.Errorf("%s: slug is not URL-safe", where)
		}
		if _, dup := bySlug[c.Slug]; dup {
			t.Errorf("%s: duplicate slug", where)
		}
		bySlug[c.Slug] = c
		checkAllLanguages(t, where+" title", c.Title)
		checkAllLanguages(t, where+" intro", c.Intro)
		checkAllLanguages(t, where+" where", c.Where)
		if len(c.Items) == 0 {
			t.Errorf("%s: no items", where)
		}
		ids := map[string]bool{}
		for _, it := range c.Items {
			iw := where + "/" + it.ID
			if !slugRE.MatchString(it.ID) || ids[it.ID] {
				t.Errorf("%s: bad or duplicate item id", iw)
			}
			ids[it.ID] = true
			checkAllLanguages(t, iw+" text", it.Text)
			if it.Note != nil {
				checkAllLanguages(t, iw+" note", it.Note)
			}
		}
		if len(c.Sources) == 0 {
			t.Errorf("%s: no sources", where)
		}
		for _, s := range c.Sources {
			if blank(s) {
				t.Errorf("%s: empty source", where)
			}
			if strings.HasPrefix(s, "http") && !strings.HasPrefix(s, "https://") {
				t.Errorf("%s: source %q is not https", where, s)
			}
		}
	}
	for _, s := range requiredChecklists {
		if _, ok := bySlug[s]; !ok {
			t.Errorf("missing checklist %q", s)
		}
	}
}

// usedPictograms lists every pictogram file named by the seed data.
func usedPictograms(t *testing.T) map[string][]string {
	t.Helper()
	terms, err := Glossary()
	if err != nil {
		t.Fatal(err)
	}
	lists, err := Checklists()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string][]string{}
	for _, term := range terms {
		if term.Pictogram != "" {
			used[term.Pictogram] = append(used[term.Pictogram], "term "+term.Slug)
		}
	}
	for _, c := range lists {
		for _, it := range c.Items {
			if it.Pictogram != "" {
				used[it.Pictogram] = append(used[it.Pictogram], "checklist "+c.Slug+"/"+it.ID)
			}
		}
	}
	for _, cat := range guideCategories {
		used["cat-"+cat+".svg"] = append(used["cat-"+cat+".svg"], "category "+cat)
	}
	return used
}

func TestPictogramsExist(t *testing.T) {
	for name, users := range usedPictograms(t) {
		if name != filepath.Base(name) || !strings.HasSuffix(name, ".svg") {
			t.Errorf("pictogram %q (used by %v) is not a plain .svg file name", name, users)
			continue
		}
		fi, err := os.Stat(filepath.Join(pictoDir, name))
		if err != nil {
			t.Errorf("pictogram %q (used by %v): %v", name, users, err)
			continue
		}
		if fi.Size() == 0 {
			t.Errorf("pictogram %q is empty", name)
		}
	}
}

// TestPictogramFolder checks every SVG in the folder: used, well-formed,
// free of scripts and event handlers, and small; and that credits exist.
func TestPictogramFolder(t *testing.T) {
	used := usedPictograms(t)
	entries, err := os.ReadDir(pictoDir)
	if err != nil {
		t.Fatal(err)
	}
	credits, err := os.ReadFile(filepath.Join(pictoDir, "CREDITS.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(credits), "Mulberry Symbols © Steve Lee, CC BY-SA 4.0") {
		t.Error("CREDITS.md lacks the Mulberry attribution")
	}
	if _, err := os.Stat(filepath.Join(pictoDir, "LICENSE-mulberry.txt")); err != nil {
		t.Error(err)
	}
	var total int64
	var names []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".svg") {
			continue
		}
		names = append(names, e.Name())
		if _, ok := used[e.Name()]; !ok {
			t.Errorf("%s is not used by the seed data", e.Name())
		}
		if !strings.Contains(string(credits), "`"+e.Name()+"`") {
			t.Errorf("%s is not listed in CREDITS.md", e.Name())
		}
		data, err := os.ReadFile(filepath.Join(pictoDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		total += int64(len(data))
		if err := checkSVG(data); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	sort.Strings(names)
	if total > 1500*1024 {
		t.Errorf("pictograms weigh %d bytes, budget is 1.5 MB", total)
	}
	t.Logf("%d SVG files, %d bytes", len(names), total)
}

// checkSVG parses an SVG document and rejects scripts, foreign objects,
// event-handler attributes and javascript: URLs.
func checkSVG(data []byte) error {
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Local
		}
		switch strings.ToLower(se.Name.Local) {
		case "script", "foreignobject":
			return errors.New("forbidden element <" + se.Name.Local + ">")
		}
		for _, a := range se.Attr {
			if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
				return errors.New("event handler attribute " + a.Name.Local)
			}
			if strings.Contains(strings.ToLower(a.Value), "javascript:") {
				return errors.New("javascript: URL in attribute " + a.Name.Local)
			}
		}
	}
	if root != "svg" {
		return errors.New("root element is <" + root + ">, want <svg>")
	}
	return nil
}

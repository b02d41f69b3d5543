package i18n_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"unicode"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"parcours/internal/platform/i18n"
	"parcours/locales"
)

// The catalog checks below are functions from the files to a list of
// problems: the Test functions run them on the real catalogs (locales.FS),
// and TestChecksCatchMistakes runs them on a catalog full of mistakes to
// prove they would catch them.

// inProgress lists the modules whose translations are still being written.
// For them a language may lack the whole file; a file that exists must still
// be complete. Remove a module from here once every language has its file
// (see docs/i18n.md).
var inProgress = map[string]string{}

// forms are the go-i18n JSON v2 plural fields, in CLDR order.
var forms = []string{"zero", "one", "two", "few", "many", "other"}

// message is one entry of a catalog file: its description and its texts
// by plural form.
type message struct {
	Description string
	Forms       map[string]string
}

// plural tells whether the message has more than the "other" form.
func (m message) plural() bool { return len(m.Forms) > 1 }

// catalogFile is one <module>.<tag>.json file, decoded strictly.
type catalogFile struct {
	Name, Module, Tag string
	Raw               []byte
	Msgs              map[string]message
}

// catalogSet is every file of a catalog folder, also indexed by module
// then tag.
type catalogSet struct {
	Files   []catalogFile
	Modules map[string]map[string]catalogFile
}

// source returns the French file of a module (empty if there is none).
func (s catalogSet) source(module string) catalogFile {
	return s.Modules[module][i18n.Source]
}

var fileName = regexp.MustCompile(`^([a-z][a-z0-9_]*)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.json$`)

// readCatalog decodes every JSON file of fsys; files it cannot decode are
// problems and are left out of the set.
func readCatalog(fsys fs.FS) (catalogSet, []string) {
	var problems []string
	set := catalogSet{Modules: map[string]map[string]catalogFile{}}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil || len(names) == 0 {
		return set, []string{fmt.Sprintf("no catalog files (%v)", err)}
	}
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		m := fileName.FindStringSubmatch(name)
		if m == nil {
			problems = append(problems, fmt.Sprintf("%s: the name must be <module>.<tag>.json", name))
			continue
		}
		f := catalogFile{Name: name, Module: m[1], Tag: m[2], Raw: buf}
		if f.Msgs, err = decodeStrict(buf); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		set.Files = append(set.Files, f)
		if set.Modules[f.Module] == nil {
			set.Modules[f.Module] = map[string]catalogFile{}
		}
		set.Modules[f.Module][f.Tag] = f
	}
	return set, problems
}

// decodeStrict decodes a go-i18n JSON v2 file of flat message IDs, refusing
// what encoding/json and go-i18n would silently accept: a key given twice
// (the first one would be lost), a field that is not a plural form or the
// description, a non-string value.
func decodeStrict(buf []byte) (map[string]message, error) {
	dec := json.NewDecoder(bytes.NewReader(buf))
	top, err := objectEntries(dec)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("invalid JSON: data after the top-level object")
	}
	msgs := map[string]message{}
	for _, e := range top {
		if _, dup := msgs[e.key]; dup {
			return nil, fmt.Errorf("message %q is defined twice", e.key)
		}
		fields, err := objectEntries(json.NewDecoder(bytes.NewReader(e.raw)))
		if err != nil {
			return nil, fmt.Errorf("message %q: %w", e.key, err)
		}
		msg := message{Forms: map[string]string{}}
		seen := map[string]bool{}
		for _, fe := range fields {
			if seen[fe.key] {
				return nil, fmt.Errorf("message %q: field %q given twice", e.key, fe.key)
			}
			seen[fe.key] = true
			var s string
			if err := json.Unmarshal(fe.raw, &s); err != nil {
				return nil, fmt.Errorf("message %q: field %q is not a string", e.key, fe.key)
			}
			switch {
			case fe.key == "description":
				msg.Description = s
			case slices.Contains(forms, fe.key):
				msg.Forms[fe.key] = s
			default:
				return nil, fmt.Errorf("message %q: unknown field %q", e.key, fe.key)
			}
		}
		msgs[e.key] = msg
	}
	return msgs, nil
}

type entry struct {
	key string
	raw json.RawMessage
}

// objectEntries reads one JSON object from dec, keeping its keys in order,
// duplicates included.
func objectEntries(dec *json.Decoder) ([]entry, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("expected an object, got %v", tok)
	}
	var out []entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		out = append(out, entry{key: tok.(string), raw: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

// ---- the checks ----

// checkFiles (a): each file is named <module>.<served tag>.json with the
// tag spelled as served, go-i18n parses it, it holds only IDs of its
// module, every message has a non-empty text, and every module has a
// French file.
func checkFiles(set catalogSet) []string {
	var out []string
	for _, f := range set.Files {
		l, ok := i18n.Lookup(f.Tag)
		if !ok {
			out = append(out, fmt.Sprintf("%s: %q is not a served language", f.Name, f.Tag))
		} else if l.Tag != f.Tag {
			out = append(out, fmt.Sprintf("%s: write the tag as %q", f.Name, l.Tag))
		}
		if _, err := goi18n.ParseMessageFileBytes(f.Raw, f.Name, nil); err != nil {
			out = append(out, fmt.Sprintf("%s: go-i18n cannot parse it: %v", f.Name, err))
		}
		if len(f.Msgs) == 0 {
			out = append(out, fmt.Sprintf("%s: no messages", f.Name))
		}
		for id, m := range f.Msgs {
			if !strings.HasPrefix(id, f.Module+".") {
				out = append(out, fmt.Sprintf("%s: %q does not belong to module %q", f.Name, id, f.Module))
			}
			if m.Forms["other"] == "" {
				out = append(out, fmt.Sprintf("%s: %q has no \"other\" text", f.Name, id))
			}
			for form, s := range m.Forms {
				if strings.TrimSpace(s) == "" {
					out = append(out, fmt.Sprintf("%s: %q[%s] is empty", f.Name, id, form))
				}
			}
		}
	}
	for module := range set.Modules {
		if set.source(module).Msgs == nil {
			out = append(out, fmt.Sprintf("module %q has no French file %s.fr.json", module, module))
		}
	}
	return out
}

// checkComplete (b): every served language has every French key in its own
// files; no shipped language relies on the fallback chain, not even Dari on
// Farsi. Modules in inProgress may lack a whole file.
func checkComplete(set catalogSet) []string {
	var out []string
	for _, l := range i18n.Languages {
		if l.Tag == i18n.Source {
			continue
		}
		for module, tags := range set.Modules {
			fr := set.source(module)
			if fr.Msgs == nil {
				continue
			}
			f, ok := tags[l.Tag]
			if !ok {
				if _, pending := inProgress[module]; !pending {
					out = append(out, fmt.Sprintf("%s.%s.json is missing", module, l.Tag))
				}
				continue
			}
			var missing []string
			for id := range fr.Msgs {
				if _, ok := f.Msgs[id]; !ok {
					missing = append(missing, id)
				}
			}
			if len(missing) > 0 {
				slices.Sort(missing)
				out = append(out, fmt.Sprintf("%s lacks French keys: %s", f.Name, strings.Join(missing, ", ")))
			}
		}
	}
	return out
}

// checkNoExtraKeys (c): no language has a key French lacks (a typo, or a
// key removed from the source and left behind).
func checkNoExtraKeys(set catalogSet) []string {
	var out []string
	for _, f := range set.Files {
		if f.Tag == i18n.Source {
			continue
		}
		fr := set.source(f.Module)
		for id := range f.Msgs {
			if _, ok := fr.Msgs[id]; !ok {
				out = append(out, fmt.Sprintf("%s: %q is not in %s.fr.json", f.Name, id, f.Module))
			}
		}
	}
	return out
}

var (
	anyAction   = regexp.MustCompile(`\{\{.*?\}\}`)
	placeholder = regexp.MustCompile(`^\{\{\.([A-Z][A-Za-z0-9]*)\}\}$`)
)

// placeholders returns the names a message uses (all forms), and the
// template actions that are not a plain {{.Name}}.
func placeholders(m message) (names map[string]bool, bad []string) {
	names = map[string]bool{}
	for _, s := range m.Forms {
		for _, a := range anyAction.FindAllString(s, -1) {
			if p := placeholder.FindStringSubmatch(a); p != nil {
				names[p[1]] = true
			} else {
				bad = append(bad, a)
			}
		}
		rest := anyAction.ReplaceAllString(s, "")
		if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
			bad = append(bad, "unbalanced {{ }}")
		}
	}
	return names, bad
}

// checkPlaceholders (d): a translation uses exactly the placeholders of the
// French text (same set per key, across all plural forms), each written
// {{.Name}}.
func checkPlaceholders(set catalogSet) []string {
	var out []string
	for _, f := range set.Files {
		fr := set.source(f.Module)
		for id, m := range f.Msgs {
			got, bad := placeholders(m)
			for _, b := range bad {
				out = append(out, fmt.Sprintf("%s: %q: %q is not a plain {{.Name}} placeholder", f.Name, id, b))
			}
			src, ok := fr.Msgs[id]
			if !ok || f.Tag == i18n.Source {
				continue
			}
			if want, _ := placeholders(src); !maps.Equal(got, want) {
				out = append(out, fmt.Sprintf("%s: %q uses placeholders %v, French uses %v",
					f.Name, id, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))))
			}
		}
	}
	return out
}

// checkPluralForms (e): where French counts (has plural forms), every
// translation gives each form its language selects for 0..200; no file
// gives a form its language never selects; a message French does not count
// is not counted in a translation either (the code calls T, not N); Arabic
// gives six distinct texts.
func checkPluralForms(set catalogSet, rules pluralRules) []string {
	var out []string
	for _, f := range set.Files {
		fr := set.source(f.Module)
		for id, m := range f.Msgs {
			for form := range m.Forms {
				if !rules.possible[f.Tag][form] && rules.possible[f.Tag] != nil {
					out = append(out, fmt.Sprintf("%s: %q has a %q form, which %s never uses", f.Name, id, form, f.Tag))
				}
			}
			if !fr.Msgs[id].plural() {
				if m.plural() && f.Tag != i18n.Source {
					out = append(out, fmt.Sprintf("%s: %q has plural forms but the French message has none", f.Name, id))
				}
				continue
			}
			for _, form := range forms {
				if _, ok := m.Forms[form]; rules.needed[f.Tag][form] && !ok {
					out = append(out, fmt.Sprintf("%s: %q lacks the %q form %s needs", f.Name, id, form, f.Tag))
				}
			}
			if f.Tag == "ar" {
				seen := map[string]string{}
				for _, form := range forms {
					s, ok := m.Forms[form]
					if !ok {
						continue
					}
					if prev, dup := seen[s]; dup {
						out = append(out, fmt.Sprintf("%s: %q: Arabic forms %q and %q have the same text", f.Name, id, prev, form))
					}
					seen[s] = form
				}
			}
		}
	}
	return out
}

// checkDescriptions (f): every French message tells translators what it is;
// translations keep the same (English) description.
func checkDescriptions(set catalogSet) []string {
	var out []string
	for _, f := range set.Files {
		fr := set.source(f.Module)
		for id, m := range f.Msgs {
			if f.Tag == i18n.Source {
				if strings.TrimSpace(m.Description) == "" {
					out = append(out, fmt.Sprintf("%s: %q has no description", f.Name, id))
				}
				continue
			}
			if src, ok := fr.Msgs[id]; ok && m.Description != src.Description {
				out = append(out, fmt.Sprintf("%s: %q: description differs from the French file's", f.Name, id))
			}
		}
	}
	return out
}

// scripts maps the languages not written in Latin script to theirs.
var scripts = map[string]*unicode.RangeTable{
	"ar": unicode.Arabic, "fa": unicode.Arabic, "fa-AF": unicode.Arabic, "ps": unicode.Arabic,
	"ur": unicode.Arabic, "ti": unicode.Ethiopic, "bn": unicode.Bengali, "zh-Hans": unicode.Han,
}

// latinOnly are the IDs whose text is Latin in every language.
var latinOnly = map[string]bool{"common.app_name": true, "org.user.totp_badge": true}

// checkScripts: texts are in the language's script. Latin fragments are
// fine (proper nouns, acronyms, placeholders), but a text with no letter of
// the script is probably French pasted by mistake.
func checkScripts(set catalogSet) []string {
	var out []string
	for _, f := range set.Files {
		table, ok := scripts[f.Tag]
		if !ok {
			continue
		}
		for id, m := range f.Msgs {
			if latinOnly[id] {
				continue
			}
			for form, s := range m.Forms {
				if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(table, r) }) {
					out = append(out, fmt.Sprintf("%s: %q[%s] = %q has no letter of the language's script", f.Name, id, form, s))
				}
			}
		}
	}
	return out
}

// checkNoBidiControls: the templates isolate Latin fragments in RTL pages;
// bidi control characters in catalogs are invisible, hard to review, and
// fight with that markup.
func checkNoBidiControls(set catalogSet) []string {
	isBidi := func(r rune) bool {
		return r == '\u200E' || r == '\u200F' || r == '\u061C' ||
			(r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
	}
	var out []string
	for _, f := range set.Files {
		for id, m := range f.Msgs {
			for form, s := range m.Forms {
				if i := strings.IndexFunc(s, isBidi); i >= 0 {
					out = append(out, fmt.Sprintf("%s: %q[%s] contains the bidi control %U", f.Name, id, form, []rune(s[i:])[0]))
				}
			}
		}
	}
	return out
}

// checkAppName: the application keeps its name in every language.
func checkAppName(set catalogSet) []string {
	var out []string
	for _, f := range set.Files {
		if m, ok := f.Msgs["common.app_name"]; ok && m.Forms["other"] != "parcours" {
			out = append(out, fmt.Sprintf("%s: common.app_name must stay \"parcours\"", f.Name))
		}
	}
	return out
}

// ---- helpers ----

// pluralRules are the plural forms each served language selects: needed
// for counts 0..200 (the range the screens show), possible for any integer
// count (0..200 plus large round numbers, where French uses "many").
type pluralRules struct{ needed, possible map[string]map[string]bool }

var (
	rulesOnce sync.Once
	rules     pluralRules
	rulesErr  error
)

// probeRules asks the catalog itself: a probe message whose texts are the
// names of the forms is rendered through the real Localizer.N.
func probeRules(t *testing.T) pluralRules {
	t.Helper()
	rulesOnce.Do(func() {
		probe := `{"probe": {"description": "probe", "zero": "zero", "one": "one", "two": "two", "few": "few", "many": "many", "other": "other"}}`
		fsys := fstest.MapFS{}
		for _, tag := range servedTags() {
			fsys["probe."+tag+".json"] = &fstest.MapFile{Data: []byte(probe)}
		}
		c, err := i18n.Load(fsys, slog.New(slog.DiscardHandler))
		if err != nil {
			rulesErr = err
			return
		}
		rules = pluralRules{needed: map[string]map[string]bool{}, possible: map[string]map[string]bool{}}
		for _, tag := range servedTags() {
			needed, possible := map[string]bool{}, map[string]bool{}
			l := c.Localizer(tag)
			for n := 0; n <= 200; n++ {
				needed[l.N("probe", n)] = true
			}
			maps.Copy(possible, needed)
			for _, n := range []int{1000, 10_000, 100_000, 1_000_000, 2_000_000, 1_000_000_000} {
				possible[l.N("probe", n)] = true
			}
			rules.needed[tag], rules.possible[tag] = needed, possible
		}
	})
	if rulesErr != nil {
		t.Fatalf("probe catalog: %v", rulesErr)
	}
	return rules
}

func servedTags() []string {
	out := make([]string, len(i18n.Languages))
	for i, l := range i18n.Languages {
		out[i] = l.Tag
	}
	return out
}

// realCatalog reads locales.FS; an undecodable file fails the test.
func realCatalog(t *testing.T) catalogSet {
	t.Helper()
	set, problems := readCatalog(locales.FS)
	report(t, problems)
	if t.Failed() {
		t.FailNow()
	}
	return set
}

func report(t *testing.T, problems []string) {
	t.Helper()
	slices.Sort(problems)
	for _, p := range problems {
		t.Error("locales/" + p)
	}
}

// countingHandler counts the error records the catalog logs (a message it
// could not render).
type countingHandler struct{ errors atomic.Int64 }

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		h.errors.Add(1)
	}
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

func loadReal(t *testing.T) (*i18n.Catalog, *countingHandler) {
	t.Helper()
	h := &countingHandler{}
	c, err := i18n.Load(locales.FS, slog.New(h))
	if err != nil {
		t.Fatalf("i18n.Load(locales.FS): %v", err)
	}
	return c, h
}

func load(t *testing.T, fsys fs.FS) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load(fsys, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("i18n.Load: %v", err)
	}
	return c
}

// ---- the tests on the real catalogs ----

// (a) Every file parses, is named <module>.<served tag>.json, and the
// application loads the whole catalog.
func TestCatalogFilesParse(t *testing.T) {
	report(t, checkFiles(realCatalog(t)))
	loadReal(t)
}

// (b) Every language has every French key in its own files.
func TestCatalogComplete(t *testing.T) {
	report(t, checkComplete(realCatalog(t)))
	// The loaded catalog agrees: outside the modules in progress, nothing
	// is served from another language.
	c, _ := loadReal(t)
	for _, tag := range servedTags() {
		for _, id := range c.Missing(tag) {
			module, _, _ := strings.Cut(id, ".")
			if _, pending := inProgress[module]; !pending {
				from, _ := c.FallbackOf(tag, id)
				t.Errorf("%s: %q is served from %q", tag, id, from)
			}
		}
	}
}

// (c) No language has a key French lacks.
func TestCatalogNoExtraKeys(t *testing.T) { report(t, checkNoExtraKeys(realCatalog(t))) }

// (d) Same placeholders as French, per key, across plural forms.
func TestCatalogPlaceholders(t *testing.T) { report(t, checkPlaceholders(realCatalog(t))) }

// (e) Plural forms complete for each language, none superfluous, Arabic
// distinct.
func TestCatalogPluralForms(t *testing.T) {
	report(t, checkPluralForms(realCatalog(t), probeRules(t)))
}

// (f) Descriptions.
func TestCatalogDescriptions(t *testing.T) { report(t, checkDescriptions(realCatalog(t))) }

func TestCatalogScripts(t *testing.T)        { report(t, checkScripts(realCatalog(t))) }
func TestCatalogNoBidiControls(t *testing.T) { report(t, checkNoBidiControls(realCatalog(t))) }
func TestCatalogAppName(t *testing.T)        { report(t, checkAppName(realCatalog(t))) }

// The CLDR rules go-i18n applies are the ones docs/i18n.md lists.
func TestPluralRules(t *testing.T) {
	r := probeRules(t)
	want := map[string][]string{
		"fr": {"one", "other"}, "en": {"one", "other"},
		"ar": {"zero", "one", "two", "few", "many", "other"},
		"fa": {"one", "other"}, "fa-AF": {"one", "other"}, "ps": {"one", "other"},
		"zh-Hans": {"other"}, "ro": {"one", "few", "other"}, "ti": {"one", "other"},
		"bn": {"one", "other"}, "ur": {"one", "other"}, "ff": {"one", "other"},
	}
	for _, tag := range servedTags() {
		var got []string
		for _, f := range forms {
			if r.needed[tag][f] {
				got = append(got, f)
			}
		}
		if !slices.Equal(got, want[tag]) {
			t.Errorf("%s: plural forms for 0..200 = %v, want %v", tag, got, want[tag])
		}
	}
	if !r.possible["fr"]["many"] {
		t.Errorf("fr: expected the CLDR \"many\" form for 1 000 000")
	}
}

// (e) Rendering every plural message for 0..200 (and large counts) through
// Localizer.N never fails, never shows the ID, never leaves a placeholder
// empty, and shows the count.
func TestCatalogPluralsRender(t *testing.T) {
	set := realCatalog(t)
	c, h := loadReal(t)
	type pm struct {
		id    string
		names map[string]bool
	}
	var plurals []pm
	for _, f := range set.Files {
		if f.Tag != i18n.Source {
			continue
		}
		for id, m := range f.Msgs {
			if m.plural() {
				names, _ := placeholders(m)
				plurals = append(plurals, pm{id, names})
			}
		}
	}
	if !slices.ContainsFunc(plurals, func(p pm) bool { return p.id == "auth.logout.everywhere_done" }) {
		t.Fatalf("auth.logout.everywhere_done is no longer a plural message: update this test")
	}
	counts := []int{1000, 1_000_000}
	for n := 0; n <= 200; n++ {
		counts = append(counts, n)
	}
	for _, tag := range servedTags() {
		l := c.Localizer(tag)
		for _, p := range plurals {
			var args []any
			for name := range p.names {
				if name != "Count" {
					args = append(args, name, "X")
				}
			}
			for _, n := range counts {
				s := l.N(p.id, n, args...)
				if s == p.id || s == "" || strings.Contains(s, "<no value>") {
					t.Fatalf("%s: N(%q, %d) = %q", tag, p.id, n, s)
				}
				// Arabic writes zero, one and two in words.
				if p.names["Count"] && n > 2 && !strings.Contains(s, fmt.Sprint(n)) {
					t.Errorf("%s: N(%q, %d) = %q does not show the count", tag, p.id, n, s)
				}
			}
		}
	}
	if n := h.errors.Load(); n > 0 {
		t.Errorf("the catalog logged %d localization errors", n)
	}
}

// Messages with a count also reach templates through L.TArgs (flash
// confirmations, errors): the "Count" argument selects the plural form as in
// N, even after a JSON round trip made it a float64 (the flash cookie).
func TestTArgsPlural(t *testing.T) {
	c, h := loadReal(t)
	const id = "auth.logout.everywhere_done"
	for _, tag := range []string{"fr", "en", "ar", "ro"} {
		l := c.Localizer(tag)
		for _, n := range []int{0, 1, 2, 3, 11, 20, 100, 1_000_000} {
			want := l.N(id, n)
			for _, count := range []any{n, int64(n), uint(n), float64(n), json.Number(fmt.Sprint(n))} {
				if got := l.TArgs(id, map[string]any{"Count": count}); got != want {
					t.Errorf("%s: TArgs(%q, Count=%T %v) = %q, want %q", tag, id, count, count, got, want)
				}
			}
			// The flash cookie path: JSON out and back.
			var args map[string]any
			b, _ := json.Marshal(map[string]any{"Count": n})
			if err := json.Unmarshal(b, &args); err != nil {
				t.Fatal(err)
			}
			if got := l.TArgs(id, args); got != want {
				t.Errorf("%s: TArgs after JSON, n=%d: %q, want %q", tag, n, got, want)
			}
		}
	}
	fr := c.Localizer("fr")
	if got, want := fr.TArgs(id, map[string]any{"Count": float64(1)}), "1 session fermée : vous êtes déconnecté partout."; got != want {
		t.Errorf("fr: TArgs(Count=1.0) = %q, want %q", got, want)
	}
	// A message without a count is unaffected.
	if got, want := fr.TArgs("org.home.hello", map[string]any{"Name": "Awa"}), "Bonjour Awa"; got != want {
		t.Errorf("fr: TArgs(org.home.hello) = %q, want %q", got, want)
	}
	if n := h.errors.Load(); n > 0 {
		t.Errorf("the catalog logged %d localization errors", n)
	}
}

func TestPluralCount(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want any
		ok   bool
	}{
		{3, 3, true}, {int64(-2), int64(-2), true}, {uint8(7), int64(7), true},
		{float64(2), int64(2), true}, {float32(1), int64(1), true}, {2.5, "2.5", true},
		{json.Number("12"), int64(12), true}, {json.Number("1.5"), "1.5", true},
		{nil, nil, false}, {"3", nil, false}, {math.NaN(), nil, false}, {math.Inf(1), nil, false},
		{json.Number("x"), nil, false}, {struct{}{}, nil, false},
	} {
		got, ok := i18n.PluralCount(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("PluralCount(%T %v) = %T %v, %v; want %T %v, %v", tc.in, tc.in, got, got, ok, tc.want, tc.want, tc.ok)
		}
	}
}

// Every language shows its own text: the localizer of fa-AF does not pick
// the Farsi text, zh-Hans is not confused with zh, and so on.
func TestLocalizerServesOwnText(t *testing.T) {
	set := realCatalog(t)
	c, _ := loadReal(t)
	for _, f := range set.Files {
		l := c.Localizer(f.Tag)
		if l.Tag != f.Tag {
			t.Fatalf("Localizer(%q).Tag = %q", f.Tag, l.Tag)
		}
		for id, m := range f.Msgs {
			if m.plural() || strings.Contains(m.Forms["other"], "{{") {
				continue
			}
			if got := l.T(id); got != m.Forms["other"] {
				t.Errorf("%s: T(%q) = %q, want its own text %q", f.Tag, id, got, m.Forms["other"])
			}
		}
	}
}

// The checks catch the mistakes they are written for (run on a catalog
// built to contain each of them once).
func TestChecksCatchMistakes(t *testing.T) {
	fsys := fstest.MapFS{
		"m.fr.json": {Data: []byte(`{
			"m.a": {"description": "greeting", "other": "Bonjour {{.Name}}"},
			"m.b": {"description": "", "other": "Texte"},
			"m.p": {"description": "count", "one": "{{.Count}} chose", "other": "{{.Count}} choses"},
			"m.d": {"description": "two", "other": "Deux"}
		}`)},
		"m.ar.json": {Data: []byte(`{
			"m.a": {"description": "changed", "other": "مرحبا {{.Nom}}"},
			"m.b": {"description": "", "other": "Texte"},
			"m.p": {"description": "count", "zero": "لا شيء", "one": "شيء", "two": "شيء", "few": "{{.Count}} أشياء", "many": "{{.Count}} شيئًا", "other": "{{.Count}} شيء"},
			"m.x": {"description": "x", "other": "زائد"}
		}`)},
		"m.en.json": {Data: []byte(`{
			"m.a": {"description": "greeting", "other": "Hello {{ .Name }}"},
			"m.b": {"description": "", "other": "\u200fText"},
			"m.p": {"description": "count", "one": "{{.Count}} thing", "few": "{{.Count}} things", "other": "{{.Count}} things"},
			"m.d": {"description": "two", "one": "Two", "other": "Two"}
		}`)},
		"m.ro.json":      {Data: []byte(`{"m.p": {"description": "count", "one": "{{.Count}} lucru", "other": "{{.Count}} de lucruri"}}`)},
		"m.ti.json":      {Data: []byte(`{"m.a": {"other": "ሰላም {{.Name}}"}, "m.a": {"other": "ሰላም {{.Name}}"}}`)},
		"m.bn.json":      {Data: []byte(`{"m.a": {"other": "নমস্কার {{.Name}}", "plural": "x"}}`)},
		"m.ur.json":      {Data: []byte(`{"m.a": {"other": "سلام {{.Name}}"},}`)},
		"m.de.json":      {Data: []byte(`{"m.a": {"description": "greeting", "other": "Hallo {{.Name}}"}}`)},
		"m.FF.json":      {Data: []byte(`{"m.a": {"description": "greeting", "other": "Salaamu {{.Name}}"}}`)},
		"n.en.json":      {Data: []byte(`{"n.a": {"description": "d", "other": "no French"}}`)},
		"o.fr.json":      {Data: []byte(`{"m.z": {"description": "d", "other": "Mauvais module"}}`)},
		"common.fr.json": {Data: []byte(`{"common.app_name": {"description": "name", "other": "parcours"}}`)},
		"common.en.json": {Data: []byte(`{"common.app_name": {"description": "name", "other": "Parcours"}}`)},
		"bad-name.json":  {Data: []byte(`{}`)},
	}
	set, problems := readCatalog(fsys)
	for _, check := range []func(catalogSet) []string{
		checkFiles, checkComplete, checkNoExtraKeys, checkPlaceholders, checkDescriptions,
		checkScripts, checkNoBidiControls, checkAppName,
	} {
		problems = append(problems, check(set)...)
	}
	problems = append(problems, checkPluralForms(set, probeRules(t))...)
	all := strings.Join(problems, "\n")
	for _, want := range []string{
		`bad-name.json: the name must be`,
		`m.ti.json: message "m.a" is defined twice`,
		`m.bn.json: message "m.a": unknown field "plural"`,
		`m.ur.json: invalid JSON`,
		`m.de.json: "de" is not a served language`,
		`m.FF.json: write the tag as "ff"`,
		`module "n" has no French file`,
		`o.fr.json: "m.z" does not belong to module "o"`,
		`m.ar.json lacks French keys: m.d`,
		`m.fa.json is missing`,
		`m.ar.json: "m.x" is not in m.fr.json`,
		`m.ar.json: "m.a" uses placeholders [Nom], French uses [Name]`,
		`m.en.json: "m.a": "{{ .Name }}" is not a plain {{.Name}} placeholder`,
		`m.ro.json: "m.p" lacks the "few" form ro needs`,
		`m.en.json: "m.p" has a "few" form, which en never uses`,
		`m.en.json: "m.d" has plural forms but the French message has none`,
		`m.ar.json: "m.p": Arabic forms "one" and "two" have the same text`,
		`m.fr.json: "m.b" has no description`,
		`m.ar.json: "m.a": description differs`,
		`m.ar.json: "m.b"[other] = "Texte" has no letter of the language's script`,
		`m.en.json: "m.b"[other] contains the bidi control U+200F`,
		`common.en.json: common.app_name must stay "parcours"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem reported like %q", want)
		}
	}
	if t.Failed() {
		t.Logf("reported:\n%s", all)
	}
}

// (g) The fallback chain: Dari -> Farsi -> French, every other language ->
// French, reported by FallbackOf and Missing; plural texts borrowed from
// French render in a language with more forms.
func TestCatalogFallback(t *testing.T) {
	fsys := fstest.MapFS{
		"x.fr.json": {Data: []byte(`{
			"x.a": {"description": "d", "other": "a-fr"},
			"x.b": {"description": "d", "other": "b-fr"},
			"x.c": {"description": "d", "other": "c-fr"},
			"x.p": {"description": "d", "one": "{{.Count}} chose", "other": "{{.Count}} choses"}
		}`)},
		"x.fa.json":    {Data: []byte(`{"x.a": {"other": "a-fa"}, "x.b": {"other": "b-fa"}}`)},
		"x.fa-AF.json": {Data: []byte(`{"x.a": {"other": "a-prs"}}`)},
		"x.en.json":    {Data: []byte(`{"x.a": {"other": "a-en"}}`)},
	}
	c := load(t, fsys)
	for _, tc := range []struct {
		tag, id, text, from string // from is "" when the language has the text
	}{
		{"fa-AF", "x.a", "a-prs", ""},
		{"fa-AF", "x.b", "b-fa", "fa"}, // Dari lacks it: Farsi
		{"fa-AF", "x.c", "c-fr", "fr"}, // both lack it: French
		{"fa", "x.b", "b-fa", ""},
		{"fa", "x.c", "c-fr", "fr"},
		{"en", "x.a", "a-en", ""},
		{"en", "x.b", "b-fr", "fr"},
		{"ps", "x.a", "a-fr", "fr"}, // Pashto does not fall back to Farsi
		{"fr", "x.a", "a-fr", ""},
	} {
		if got := c.Localizer(tc.tag).T(tc.id); got != tc.text {
			t.Errorf("%s: T(%q) = %q, want %q", tc.tag, tc.id, got, tc.text)
		}
		from, ok := c.FallbackOf(tc.tag, tc.id)
		if ok != (tc.from != "") || from != tc.from {
			t.Errorf("%s: FallbackOf(%q) = %q, %v; want %q", tc.tag, tc.id, from, ok, tc.from)
		}
	}
	if got, want := c.Missing("fa-AF"), []string{"x.b", "x.c", "x.p"}; !slices.Equal(got, want) {
		t.Errorf("Missing(fa-AF) = %v, want %v", got, want)
	}
	if got := c.Missing("fr"); len(got) != 0 {
		t.Errorf("Missing(fr) = %v", got)
	}
	// A borrowed plural text renders in a language with more forms: the
	// forms French lacks (Arabic zero, two, few, many) take its "other" text.
	ar := c.Localizer("ar")
	for n, want := range map[int]string{0: "0 choses", 1: "1 chose", 2: "2 choses", 3: "3 choses", 11: "11 choses", 100: "100 choses"} {
		if got := ar.N("x.p", n); got != want {
			t.Errorf("ar: N(x.p, %d) = %q, want %q", n, got, want)
		}
	}
	if got := c.Localizer("xx").Tag; got != i18n.Source {
		t.Errorf("Localizer(unknown) = %q, want French", got)
	}
}

// Load refuses catalogs that would break at run time.
func TestLoadRejects(t *testing.T) {
	ok := `{"x.a": {"description": "d", "other": "a"}}`
	for name, fsys := range map[string]fstest.MapFS{
		"unserved language": {"x.fr.json": {Data: []byte(ok)}, "x.de.json": {Data: []byte(ok)}},
		"bare Dari tag":     {"x.fr.json": {Data: []byte(ok)}, "x.prs.json": {Data: []byte(ok)}},
		"no tag":            {"x.json": {Data: []byte(ok)}},
		"bad JSON":          {"x.fr.json": {Data: []byte(`{"x.a": {"other": "a"},}`)}},
		"ID in two files":   {"x.fr.json": {Data: []byte(ok)}, "y.fr.json": {Data: []byte(ok)}},
	} {
		if _, err := i18n.Load(fsys, slog.New(slog.DiscardHandler)); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
}

// (h) Accept-Language negotiation, with the aliases of docs/i18n.md.
func TestNegotiate(t *testing.T) {
	for header, want := range map[string]string{
		"prs":                     "fa-AF", // Dari: no CLDR data, alias
		"prs-AF":                  "fa-AF",
		"fa-AF":                   "fa-AF",
		"fa-af":                   "fa-AF",
		"fa":                      "fa",
		"fa-IR":                   "fa",
		"pes":                     "fa",
		"pbt":                     "ps", // Southern Pashto
		"pbu":                     "ps",
		"ps-AF":                   "ps",
		"ar-SD":                   "ar", // Sudanese Arabic is served as MSA
		"apd":                     "ar",
		"ar-EG":                   "ar",
		"zh-CN":                   "zh-Hans",
		"zh":                      "zh-Hans",
		"cmn":                     "zh-Hans", // Mandarin
		"zh-Hans":                 "zh-Hans",
		"fuf":                     "ff", // Pular (Guinea)
		"fuc":                     "ff",
		"ff-Latn-GN":              "ff",
		"ti-ER":                   "ti",
		"ti-ET":                   "ti",
		"ro-MD":                   "ro",
		"bn-BD":                   "bn",
		"ur-PK":                   "ur",
		"en-GB":                   "en",
		"fr-FR":                   "fr",
		"de, en;q=0.5":            "en", // first served language of the list
		"de-DE,de;q=0.9,ar;q=0.8": "ar",
		"en;q=0.5, prs;q=0.9":     "fa-AF", // by preference, not by position
		"ar-SD, fr-FR;q=0.5":      "ar",
		"en-US,en;q=0.9,fr;q=0.8": "en",
		"de":                      "fr", // nothing served: French
		"am-ET":                   "fr", // Amharic is not Tigrinya
		"":                        "fr",
		"*":                       "fr",
		"garbage":                 "fr",
		"!!!,;;q=x":               "fr",
	} {
		if got := i18n.Negotiate(header).Tag; got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

// (i) The fuzz target FuzzNegotiate (never panics, always a served
// language, deterministic) lives in negotiate_fuzz_test.go.

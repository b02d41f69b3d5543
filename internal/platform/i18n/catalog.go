package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"parcours/internal/platform/clock"
)

// Catalog serves every message of every served language, with the
// fallback chain applied, so a lookup never misses a language.
//
// Memory (see docs/PERFORMANCE.md): Load reads and checks every file, but
// keeps only French; another language's table is built from its files the
// first time it is asked for (Localizer, FallbackOf), and kept until Prune
// finds it unused. A table holds the texts of the simple messages in one
// string, located by a slice indexed like the French IDs (no per-language
// map, no copy of the IDs), and a go-i18n bundle for the plural and complex
// messages only.
type Catalog struct {
	fsys fs.FS
	// files lists, per served tag, the catalog files of that language.
	files map[string][]string
	// ids are the French IDs, sorted; index maps each to its position,
	// which is also its position in every table's spans.
	ids   []string
	index map[string]int32
	langs [maxLanguages]lazyTable
	// srcComplex holds the French messages go-i18n renders (plural or
	// complex), for sourceOwn.
	srcComplex map[string]*goi18n.Message
	// own is what each language's own files define, built on first use
	// by Own and Missing (tests and tools; never on a page).
	own [maxLanguages]lazyOwn
	log *slog.Logger
}

// maxLanguages bounds the per-language arrays (len(Languages) is checked
// by Load).
const maxLanguages = 16

// lazyTable is a language's table, built on first use; Prune drops it
// when unused for a while (French, the source, stays).
type lazyTable struct {
	mu   sync.Mutex
	t    atomic.Pointer[table]
	used atomic.Int64 // last use, Unix seconds
}

// lazyOwn is what a language's own files define (Own, Missing).
type lazyOwn struct {
	once sync.Once
	m    map[string]*goi18n.Message
}

// table is one language's messages, its chain applied.
type table struct {
	// arena holds the texts of the simple messages, one after the other;
	// spans tells, by French ID position, where each one is (or that the
	// message has placeholders: see fields, or is not simple in this
	// language: see loc).
	arena string
	spans []span
	// fields holds the simple messages with placeholders (span.n is the
	// index).
	fields []simpleMsg
	// extra holds simple messages whose ID French lacks (none in a
	// complete catalog).
	extra map[string]*simpleMsg
	// loc renders the plural and complex messages (go-i18n).
	loc *goi18n.Localizer
	// fallback records the IDs served from another language.
	fallback map[string]string
}

// span locates a text in a table's arena.
type span struct{ off, n uint32 }

// Markers in span.off.
const (
	notSimple  = math.MaxUint32     // rendered by go-i18n
	withFields = math.MaxUint32 - 1 // in table.fields
)

var pluralForms = []string{"zero", "one", "two", "few", "many"}

// Load reads every *.json file of fsys (root folder). A file is named
// <module>.<tag>.json, as go-i18n expects (the tag is the part before the
// extension). Files of unknown languages, files that do not parse and IDs
// defined twice for a language are an error: every file is read and checked
// here, so a broken catalog stops the start-up, but only the French table is
// kept; the other languages are built again from their files on first use.
func Load(fsys fs.FS, log *slog.Logger) (*Catalog, error) {
	if log == nil {
		log = slog.Default()
	}
	if len(Languages) > maxLanguages {
		return nil, fmt.Errorf("i18n: %d languages, at most %d", len(Languages), maxLanguages)
	}
	c := &Catalog{fsys: fsys, files: map[string][]string{}, log: log}
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	source := map[string]*goi18n.Message{}
	seen := map[string]map[string]bool{}
	for _, f := range files {
		tag, msgs, err := parseFile(fsys, f)
		if err != nil {
			return nil, err
		}
		c.files[tag] = append(c.files[tag], f)
		if seen[tag] == nil {
			seen[tag] = map[string]bool{}
		}
		for _, msg := range msgs {
			if seen[tag][msg.ID] {
				return nil, fmt.Errorf("locales/%s: message %q defined twice for %s", f, msg.ID, tag)
			}
			seen[tag][msg.ID] = true
			if tag == Source {
				source[msg.ID] = msg
			}
		}
	}
	// The French IDs, copied into one string (see compact).
	ids := slices.Sorted(maps.Keys(source))
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(id)
	}
	arena, off := b.String(), 0
	c.ids = make([]string, len(ids))
	c.index = make(map[string]int32, len(ids))
	for i, id := range ids {
		c.ids[i] = arena[off : off+len(id)]
		off += len(id)
		c.index[c.ids[i]] = int32(i)
	}
	for _, l := range Languages {
		// go-i18n refuses a language it has no plural rule for: find out
		// now rather than on the first page in that language.
		if err := goi18n.NewBundle(language.French).AddMessages(language.MustParse(l.Tag)); err != nil {
			return nil, fmt.Errorf("locales (%s): %w", l.Tag, err)
		}
	}
	fr, err := c.build(Source, map[string]map[string]*goi18n.Message{Source: source})
	if err != nil {
		return nil, err
	}
	c.langs[langIndex(Source)].t.Store(fr)
	c.srcComplex = map[string]*goi18n.Message{}
	for id, m := range source {
		if _, ok := compileSimple(m); !ok {
			c.srcComplex[id] = m
		}
	}
	return c, nil
}

// sourceOwn gives the French messages back from the French table and
// srcComplex, so that building another language does not parse the French
// files again.
func (c *Catalog) sourceOwn() map[string]*goi18n.Message {
	fr := c.langs[langIndex(Source)].t.Load()
	m := make(map[string]*goi18n.Message, len(c.ids))
	for _, id := range c.ids {
		if text, _, ok := c.lookup(fr, id); ok {
			m[id] = &goi18n.Message{ID: id, Other: text}
		} else if cm, ok := c.srcComplex[id]; ok {
			m[id] = cm
		}
	}
	return m
}

// parseFile parses one catalog file and tells its served language.
func parseFile(fsys fs.FS, f string) (string, []*goi18n.Message, error) {
	buf, err := fs.ReadFile(fsys, f)
	if err != nil {
		return "", nil, err
	}
	mf, err := goi18n.ParseMessageFileBytes(buf, path.Base(f), nil)
	if err != nil {
		return "", nil, fmt.Errorf("locales/%s: %w", f, err)
	}
	lang, ok := Lookup(mf.Tag.String())
	if !ok {
		return "", nil, fmt.Errorf("locales/%s: language %q is not served", f, mf.Tag)
	}
	return lang.Tag, mf.Messages, nil
}

// readOwn parses the given files of one language into its own messages.
func (c *Catalog) readOwn(tag string, files []string) (map[string]*goi18n.Message, error) {
	m := map[string]*goi18n.Message{}
	for _, f := range files {
		_, msgs, err := parseFile(c.fsys, f)
		if err != nil {
			return nil, err
		}
		for _, msg := range msgs {
			if _, dup := m[msg.ID]; dup {
				return nil, fmt.Errorf("locales/%s: message %q defined twice for %s", f, msg.ID, tag)
			}
			m[msg.ID] = msg
		}
	}
	return m, nil
}

func langIndex(tag string) int {
	for i, l := range Languages {
		if l.Tag == tag {
			return i
		}
	}
	return -1
}

// table returns the table of a served language, building it on first use.
func (c *Catalog) table(tag string) *table {
	lt := &c.langs[langIndex(tag)]
	if now := time.Now().Unix(); lt.used.Load() != now {
		lt.used.Store(now)
	}
	if t := lt.t.Load(); t != nil {
		return t
	}
	lt.mu.Lock()
	defer lt.mu.Unlock()
	if t := lt.t.Load(); t != nil {
		return t
	}
	t, err := c.build(tag, nil)
	if err != nil {
		// Load parsed the same files without error.
		c.log.Error("i18n: cannot load a language", "lang", tag, "err", err)
		t = &table{spans: make([]span, len(c.ids)), loc: goi18n.NewLocalizer(goi18n.NewBundle(language.MustParse(tag)), tag)}
		for i := range t.spans {
			t.spans[i].off = notSimple
		}
	}
	lt.t.Store(t)
	return t
}

// Prune drops the tables of the languages (French excepted) unused for
// unused or more; they are built again from the files on their next use.
// It returns how many it dropped.
func (c *Catalog) Prune(unused time.Duration) int {
	n := 0
	limit := time.Now().Add(-unused).Unix()
	for i, l := range Languages {
		lt := &c.langs[i]
		if l.Tag == Source || lt.t.Load() == nil || lt.used.Load() > limit {
			continue
		}
		lt.mu.Lock()
		if lt.used.Load() <= limit && lt.t.Load() != nil {
			lt.t.Store(nil)
			n++
		}
		lt.mu.Unlock()
	}
	return n
}

// build makes the table of one language from the own messages of each
// language of its chain (read from the files when not given).
func (c *Catalog) build(tag string, own map[string]map[string]*goi18n.Message) (*table, error) {
	chain := Chain(tag)
	if own == nil {
		own = map[string]map[string]*goi18n.Message{}
	}
	for _, t := range chain {
		if own[t] == nil && t == Source && c.srcComplex != nil {
			own[t] = c.sourceOwn()
		}
		if own[t] == nil {
			m, err := c.readOwn(t, c.files[t])
			if err != nil {
				return nil, err
			}
			own[t] = m
		}
	}
	t := &table{spans: make([]span, len(c.ids))}
	for i := range t.spans {
		t.spans[i].off = notSimple
	}
	var complex []*goi18n.Message
	var simple []pendingSimple
	seen := map[string]bool{}
	for _, from := range chain {
		for id := range own[from] {
			if seen[id] {
				continue
			}
			seen[id] = true
			for _, ct := range chain {
				msg, ok := own[ct][id]
				if !ok {
					continue
				}
				if ct != tag {
					if t.fallback == nil {
						t.fallback = map[string]string{}
					}
					t.fallback[id] = ct
				}
				// Simple messages are served from our own table only;
				// go-i18n keeps (and parses templates for) the others.
				if sm, ok := compileSimple(msg); ok {
					simple = append(simple, pendingSimple{id: id, text: msg.Other, parts: len(sm.parts)})
				} else {
					complex = append(complex, complete(msg))
				}
				break
			}
		}
	}
	c.compact(t, simple)
	lt := language.MustParse(tag)
	b := goi18n.NewBundle(lt)
	if err := b.AddMessages(lt, complex...); err != nil {
		return nil, fmt.Errorf("locales (%s): %w", tag, err)
	}
	t.loc = goi18n.NewLocalizer(b, tag)
	return t, nil
}

// pendingSimple is a simple message on its way into a table.
type pendingSimple struct {
	id, text string
	parts    int
}

// compact stores the simple messages into t: their texts copied into one
// string and the parts of those with placeholders into one slice, so that
// a table is a few large objects rather than thousands of small ones
// scattered among the garbage of the parse (which would keep half-empty
// heap pages alive).
func (c *Catalog) compact(t *table, simple []pendingSimple) {
	size, nparts := 0, 0
	for _, p := range simple {
		size += len(p.text)
		nparts += p.parts
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range simple {
		b.WriteString(p.text)
	}
	t.arena = b.String()
	parts := make([]string, 0, nparts)
	off := 0
	for _, p := range simple {
		text := t.arena[off : off+len(p.text)]
		sp := span{off: uint32(off), n: uint32(len(p.text))}
		off += len(p.text)
		i, inSource := c.index[p.id]
		if p.parts == 0 && inSource {
			t.spans[i] = sp
			continue
		}
		sm, _ := compileSimple(&goi18n.Message{Other: text})
		sm.text = text // the source text, for sourceOwn (render reads parts)
		if len(sm.parts) > 0 {
			start := len(parts)
			parts = append(parts, sm.parts...)
			sm.parts = parts[start:len(parts):len(parts)]
		}
		if inSource {
			t.spans[i] = span{off: withFields, n: uint32(len(t.fields))}
			t.fields = append(t.fields, *sm)
			continue
		}
		if t.extra == nil {
			t.extra = map[string]*simpleMsg{}
		}
		t.extra[p.id] = sm
	}
}

// lookup finds the simple message id of a table: its text when it has no
// placeholder (m nil), or the message.
func (c *Catalog) lookup(t *table, id string) (text string, m *simpleMsg, ok bool) {
	if i, ok := c.index[id]; ok {
		switch sp := t.spans[i]; sp.off {
		case notSimple:
			return "", nil, false
		case withFields:
			m := &t.fields[sp.n]
			return m.text, m, true
		default:
			return t.arena[sp.off : sp.off+sp.n], nil, true
		}
	}
	if m, ok := t.extra[id]; ok {
		return m.text, m, true
	}
	return "", nil, false
}

// complete returns a copy of msg where every plural form that is missing
// takes the "other" text, so that a text borrowed from a language with
// fewer plural forms (French) still renders in one with more (Arabic).
func complete(msg *goi18n.Message) *goi18n.Message {
	cp := *msg
	for _, f := range pluralForms {
		p := formPtr(&cp, f)
		if *p == "" {
			*p = cp.Other
		}
	}
	return &cp
}

func formPtr(m *goi18n.Message, form string) *string {
	switch form {
	case "zero":
		return &m.Zero
	case "one":
		return &m.One
	case "two":
		return &m.Two
	case "few":
		return &m.Few
	case "many":
		return &m.Many
	}
	return &m.Other
}

// SourceIDs lists the IDs of the French catalog, sorted.
func (c *Catalog) SourceIDs() []string {
	return slices.Clone(c.ids)
}

// ownOf returns what a language's own files define (nil for a language
// that is not served). Built on first use and kept: tests and tools ask.
func (c *Catalog) ownOf(lang string) map[string]*goi18n.Message {
	l, ok := Lookup(lang)
	if !ok || l.Tag != lang {
		return nil
	}
	o := &c.own[langIndex(l.Tag)]
	o.once.Do(func() {
		m, err := c.readOwn(l.Tag, c.files[l.Tag])
		if err != nil {
			c.log.Error("i18n: cannot read a language", "lang", l.Tag, "err", err)
		}
		o.m = m
	})
	return o.m
}

// Own reports the message a language's own files define for id, if any.
func (c *Catalog) Own(lang, id string) (*goi18n.Message, bool) {
	m, ok := c.ownOf(lang)[id]
	return m, ok
}

// Missing lists the French IDs a language's own files lack, sorted.
func (c *Catalog) Missing(lang string) []string {
	own := c.ownOf(lang)
	var out []string
	for _, id := range c.ids {
		if _, ok := own[id]; !ok {
			out = append(out, id)
		}
	}
	return out
}

// FallbackOf tells which language serves id for lang when lang lacks it.
func (c *Catalog) FallbackOf(lang, id string) (string, bool) {
	l, ok := Lookup(lang)
	if !ok || l.Tag != lang {
		return "", false
	}
	t, ok := c.table(l.Tag).fallback[id]
	return t, ok
}

// Localizer returns the localizer for a served language (French otherwise).
// The first call for a language other than French builds its table.
func (c *Catalog) Localizer(tag string) *L {
	l, ok := Lookup(tag)
	if !ok {
		l, _ = Lookup(Source)
	}
	t := c.table(l.Tag)
	return &L{Language: l, c: c, t: t, loc: t.loc}
}

// L localizes for one language; templates call {{.L.T "id"}}.
type L struct {
	Language
	c   *Catalog
	t   *table
	loc *goi18n.Localizer
}

// T translates id; args are name/value pairs for the message template.
func (l *L) T(id string, args ...any) string {
	return l.localize(id, nil, args)
}

// N translates id with the plural form for n; the template sees .Count.
func (l *L) N(id string, n int, args ...any) string {
	return l.localize(id, n, args)
}

// TArgs translates id with a map of template data (for errors and reasons
// produced by domain code, and flash confirmations). A "Count" entry selects
// the plural form, as in N; it may be a float64 or json.Number after a JSON
// round trip (the flash cookie), which go-i18n would refuse.
func (l *L) TArgs(id string, data map[string]any) string {
	if text, sm, ok := l.c.lookup(l.t, id); ok {
		if sm == nil {
			return text // most texts: no placeholder, straight from the arena
		}
		return sm.render(func(k string) (any, bool) { v, ok := data[k]; return v, ok })
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := PluralCount(data["Count"]); ok {
		cp := maps.Clone(data)
		cp["Count"] = n
		cfg.TemplateData, cfg.PluralCount = cp, n
	}
	s, err := l.loc.Localize(cfg)
	if err != nil {
		l.c.log.Error("i18n: cannot localize", "lang", l.Tag, "id", id, "err", err)
		return id
	}
	return s
}

// PluralCount turns a count into a value go-i18n accepts as PluralCount
// (an integer, or a decimal string): integral floats become int64, other
// floats and json.Number their decimal text. It reports false for nil and
// for values that are not numbers.
func PluralCount(v any) (any, bool) {
	switch n := v.(type) {
	case int, int8, int16, int32, int64:
		return n, true
	case uint, uint8, uint16, uint32, uint64, uintptr:
		u, err := strconv.ParseUint(fmt.Sprint(n), 10, 64)
		if err != nil || u > math.MaxInt64 {
			return fmt.Sprint(n), true
		}
		return int64(u), true
	case float32:
		return PluralCount(float64(n))
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, false
		}
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
		return strconv.FormatFloat(n, 'f', -1, 64), true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		if f, err := n.Float64(); err == nil {
			return PluralCount(f)
		}
	}
	return nil, false
}

// Msg translates id with a map of template data and, when count is not
// nil, the plural form for count (messages built by domain code carry both,
// e.g. a reason of the rights simulator: ID, arguments, PluralCount).
func (l *L) Msg(id string, data map[string]any, count any) string {
	if text, sm, ok := l.c.lookup(l.t, id); ok {
		if sm == nil {
			return text // most texts: no placeholder, straight from the arena
		}
		return sm.render(func(k string) (any, bool) { v, ok := data[k]; return v, ok })
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		l.c.log.Error("i18n: cannot localize", "lang", l.Tag, "id", id, "err", err)
		return id
	}
	return s
}

func (l *L) localize(id string, count any, args []any) string {
	if text, sm, ok := l.c.lookup(l.t, id); ok {
		if sm == nil {
			return text // most texts: no placeholder, straight from the arena
		}
		return sm.render(func(k string) (any, bool) {
			if k == "Count" && count != nil {
				return count, true
			}
			for i := 0; i+1 < len(args); i += 2 {
				if args[i] == k {
					return args[i+1], true
				}
			}
			return nil, false
		})
	}
	data := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		k, ok := args[i].(string)
		if !ok {
			continue
		}
		data[k] = args[i+1]
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if count != nil {
		cfg.PluralCount = count
		data["Count"] = count
	}
	s, err := l.loc.Localize(cfg)
	if err != nil {
		// A missing key is caught by the catalog tests; at run time show
		// the ID rather than failing the page.
		l.c.log.Error("i18n: cannot localize", "lang", l.Tag, "id", id, "err", err)
		return id
	}
	return s
}

// Date formats a date in the language's numeric layout, in Paris time.
func (l *L) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Paris).Format(l.DateLayout)
}

// DateTime formats a date and time (24h) in Paris time.
func (l *L) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Paris).Format(l.DateLayout + " 15:04")
}

// URL prefixes an absolute path with the language: /fr/admin/sites.
func (l *L) URL(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if p == "/" {
		return "/" + l.Tag + "/"
	}
	return "/" + l.Tag + p
}

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
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"parcours/internal/platform/clock"
)

// Catalog holds every message of every served language, with the
// fallback chain already applied, so a lookup never misses a language.
type Catalog struct {
	bundle *goi18n.Bundle
	loc    map[string]*goi18n.Localizer
	// own holds, per language, the IDs its own files define.
	own map[string]map[string]*goi18n.Message
	// source holds the French messages (the reference set of IDs).
	source map[string]*goi18n.Message
	// fallback records, per language, the IDs served from another language.
	fallback map[string]map[string]string
	// simple holds, per language, the messages without plural forms whose
	// placeholders are all plain {{.Field}}: they are rendered here by
	// concatenation, without go-i18n's template execution (most texts of a
	// page are such messages).
	simple map[string]map[string]*simpleMsg
	log    *slog.Logger
}

var pluralForms = []string{"zero", "one", "two", "few", "many"}

// Load reads every *.json file of fsys (root folder). A file is named
// <module>.<tag>.json, as go-i18n expects (the tag is the part before the
// extension). Files of unknown languages are an error.
func Load(fsys fs.FS, log *slog.Logger) (*Catalog, error) {
	if log == nil {
		log = slog.Default()
	}
	c := &Catalog{
		bundle:   goi18n.NewBundle(language.French),
		loc:      map[string]*goi18n.Localizer{},
		own:      map[string]map[string]*goi18n.Message{},
		fallback: map[string]map[string]string{},
		simple:   map[string]map[string]*simpleMsg{},
		log:      log,
	}
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		buf, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		mf, err := goi18n.ParseMessageFileBytes(buf, path.Base(f), nil)
		if err != nil {
			return nil, fmt.Errorf("locales/%s: %w", f, err)
		}
		lang, ok := Lookup(mf.Tag.String())
		if !ok {
			return nil, fmt.Errorf("locales/%s: language %q is not served", f, mf.Tag)
		}
		m := c.own[lang.Tag]
		if m == nil {
			m = map[string]*goi18n.Message{}
			c.own[lang.Tag] = m
		}
		for _, msg := range mf.Messages {
			if _, dup := m[msg.ID]; dup {
				return nil, fmt.Errorf("locales/%s: message %q defined twice for %s", f, msg.ID, lang.Tag)
			}
			m[msg.ID] = msg
		}
	}
	c.source = c.own[Source]
	for _, l := range Languages {
		tag := language.MustParse(l.Tag)
		chain := Chain(l.Tag)
		fb := map[string]string{}
		simple := map[string]*simpleMsg{}
		var msgs []*goi18n.Message
		ids := map[string]bool{}
		for _, t := range chain {
			for id := range c.own[t] {
				ids[id] = true
			}
		}
		for id := range ids {
			for _, t := range chain {
				if msg, ok := c.own[t][id]; ok {
					if t != l.Tag {
						fb[id] = t
					}
					// Simple messages are served from our own table only;
					// go-i18n keeps (and parses templates for) the others.
					if sm, ok := compileSimple(msg); ok {
						simple[id] = sm
					} else {
						msgs = append(msgs, complete(msg))
					}
					break
				}
			}
		}
		if err := c.bundle.AddMessages(tag, msgs...); err != nil {
			return nil, fmt.Errorf("locales (%s): %w", l.Tag, err)
		}
		c.fallback[l.Tag] = fb
		c.simple[l.Tag] = simple
	}
	for _, l := range Languages {
		c.loc[l.Tag] = goi18n.NewLocalizer(c.bundle, l.Tag)
	}
	return c, nil
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
	ids := make([]string, 0, len(c.source))
	for id := range c.source {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Own reports the message a language's own files define for id, if any.
func (c *Catalog) Own(lang, id string) (*goi18n.Message, bool) {
	m, ok := c.own[lang][id]
	return m, ok
}

// Missing lists the French IDs a language's own files lack, sorted.
func (c *Catalog) Missing(lang string) []string {
	var out []string
	for id := range c.source {
		if _, ok := c.own[lang][id]; !ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// FallbackOf tells which language serves id for lang when lang lacks it.
func (c *Catalog) FallbackOf(lang, id string) (string, bool) {
	t, ok := c.fallback[lang][id]
	return t, ok
}

// Localizer returns the localizer for a served language (French otherwise).
func (c *Catalog) Localizer(tag string) *L {
	l, ok := Lookup(tag)
	if !ok {
		l, _ = Lookup(Source)
	}
	return &L{Language: l, c: c, loc: c.loc[l.Tag], simple: c.simple[l.Tag]}
}

// L localizes for one language; templates call {{.L.T "id"}}.
type L struct {
	Language
	c      *Catalog
	loc    *goi18n.Localizer
	simple map[string]*simpleMsg
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
	if sm, ok := l.simple[id]; ok {
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
	if sm, ok := l.simple[id]; ok {
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
	if sm, ok := l.simple[id]; ok {
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

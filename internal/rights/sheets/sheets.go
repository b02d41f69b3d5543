// Package sheets holds the status fact sheets ("aides-mémoire") for social
// workers: one Markdown file per administrative status, with a small
// key: value front matter, a fixed list of sections and numbered source
// footnotes. The files are embedded in the binary and parsed with the
// standard library only.
//
// File format:
//
//	---
//	slug: refugie
//	title: Réfugié (protection internationale)
//	version: 1
//	applies_from: 2026-01-01
//	reviewed_on: 2026-11-25
//	reviewed_by: Équipe parcours
//	changes: Première version.
//	---
//
//	## Document détenu et validité
//	... (one "## " heading per section, in the order of [headings])
//	## Références
//	[^1]: Reference, date, URL.
//
// Every footnote reference [^id] must have a definition, every definition
// must be used, and definitions live in the last section ("Références").
package sheets

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

//go:embed content/*.md
var content embed.FS

// UnconfirmedMarker flags a rule or figure that the research note could not
// confirm. It must never be presented as certain.
const UnconfirmedMarker = "⚠ À confirmer"

// dateLayout is the layout of applies_from and reviewed_on.
const dateLayout = "2006-01-02"

// headings are the fixed "## " sections of every sheet, in order.
var headings = []string{
	"Document détenu et validité",
	"Travail",
	"Santé",
	"Allocations",
	"Logement et hébergement",
	"Transports",
	"Cours de français et intégration",
	"Délais clés et recours",
	"Références",
}

// frontMatterKeys are the required front matter keys, in the order they are
// reported when missing.
var frontMatterKeys = []string{
	"slug", "title", "version", "applies_from", "reviewed_on", "reviewed_by", "changes",
}

// Sheet is one parsed fact sheet.
type Sheet struct {
	Slug, Title             string
	Version                 int
	AppliesFrom, ReviewedOn time.Time
	ReviewedBy, Changes     string
	// Sections are in the fixed order; Body is the raw Markdown between
	// this heading and the next, trimmed.
	Sections []Section
	// Footnotes maps a footnote id ("1" for [^1]) to its text.
	Footnotes map[string]string
	// Unconfirmed counts the UnconfirmedMarker occurrences in the body.
	Unconfirmed int
}

// Section is one "## " section of a sheet.
type Section struct{ Heading, Body string }

// ParseError reports a malformed sheet. Line is 1-based, 0 when the problem
// is not tied to one line (for example a missing section).
type ParseError struct {
	Name string
	Line int
	Msg  string
	// Kind classifies the problem (one of the Err* constants), so that an
	// editing form can show it next to the right field, translated; Arg is
	// the footnote id or section heading it concerns, when there is one.
	Kind string
	Arg  string
}

// Kinds of ParseError.
const (
	ErrFrontMatter       = "front_matter"
	ErrTextBefore        = "text_before"
	ErrUnknownSection    = "unknown_section"
	ErrSectionOrder      = "section_order"
	ErrMissingSection    = "missing_section"
	ErrSectionEmpty      = "section_empty"
	ErrFootnoteOutside   = "footnote_outside"
	ErrFootnoteID        = "footnote_id"
	ErrFootnoteEmpty     = "footnote_empty"
	ErrFootnoteDuplicate = "footnote_duplicate"
	ErrFootnoteUndefined = "footnote_undefined"
	ErrFootnoteUnused    = "footnote_unused"
	ErrNoSource          = "no_source"
)

// Headings returns the fixed section headings, in order.
func Headings() []string { return append([]string(nil), headings...) }

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Name, e.Msg)
}

var (
	slugRe  = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	fnDefRe = regexp.MustCompile(`^\[\^([^\]\s]+)\]:(.*)$`)
	fnRefRe = regexp.MustCompile(`\[\^([^\]\s]+)\]`)
	fnIDRe  = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// Load parses every embedded sheet, sorted by file name. It reports all
// malformed sheets at once, and checks that each slug matches its file name.
func Load() ([]Sheet, error) {
	return load(content, "content")
}

func load(fsys fs.FS, dir string) ([]Sheet, error) {
	names, err := fs.Glob(fsys, dir+"/*.md")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no sheet in %s/", dir)
	}
	var (
		sheets []Sheet
		errs   []error
	)
	for _, name := range names { // fs.Glob returns sorted names
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s, err := Parse(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if want := strings.TrimSuffix(path.Base(name), ".md"); s.Slug != want {
			errs = append(errs, &ParseError{Name: name, Msg: fmt.Sprintf("slug %q does not match file name (want %q)", s.Slug, want)})
			continue
		}
		sheets = append(sheets, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return sheets, nil
}

// Parse parses one sheet. name is only used in error messages.
func Parse(name string, data []byte) (Sheet, error) {
	p := parser{name: name}
	return p.parse(data)
}

type parser struct{ name string }

func (p *parser) errf(line int, kind, arg, format string, args ...any) error {
	return &ParseError{Name: p.name, Line: line, Msg: fmt.Sprintf(format, args...), Kind: kind, Arg: arg}
}

func (p *parser) parse(data []byte) (Sheet, error) {
	text := strings.TrimPrefix(string(data), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")

	var s Sheet
	body, err := p.frontMatter(lines, &s)
	if err != nil {
		return Sheet{}, err
	}
	if err := p.sections(lines, body, &s); err != nil {
		return Sheet{}, err
	}
	return s, nil
}

// frontMatter fills the header fields of s and returns the index of the
// first line after the closing "---".
func (p *parser) frontMatter(lines []string, s *Sheet) (int, error) {
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		return 0, p.errf(1, ErrFrontMatter, "", `missing front matter: the file must start with a "---" line`)
	}
	vals := map[string]string{}
	end := -1
	for i := 1; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "---" {
			end = i
			break
		}
		if line == "" {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return 0, p.errf(i+1, ErrFrontMatter, "", "front matter line %q is not \"key: value\"", line)
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !isFrontMatterKey(key) {
			return 0, p.errf(i+1, ErrFrontMatter, "", "unknown front matter key %q (want one of %s)", key, strings.Join(frontMatterKeys, ", "))
		}
		if _, dup := vals[key]; dup {
			return 0, p.errf(i+1, ErrFrontMatter, "", "duplicate front matter key %q", key)
		}
		if val == "" {
			return 0, p.errf(i+1, ErrFrontMatter, "", "empty value for front matter key %q", key)
		}
		vals[key] = val
	}
	if end < 0 {
		return 0, p.errf(1, ErrFrontMatter, "", `unterminated front matter: no closing "---" line`)
	}
	for _, k := range frontMatterKeys {
		if _, ok := vals[k]; !ok {
			return 0, p.errf(0, ErrFrontMatter, "", "missing front matter key %q", k)
		}
	}
	if !slugRe.MatchString(vals["slug"]) {
		return 0, p.errf(0, ErrFrontMatter, "", "bad slug %q: use lower-case letters, digits and single hyphens", vals["slug"])
	}
	v, err := strconv.Atoi(vals["version"])
	if err != nil || v < 1 {
		return 0, p.errf(0, ErrFrontMatter, "", "bad version %q: want a positive integer", vals["version"])
	}
	applies, err := time.Parse(dateLayout, vals["applies_from"])
	if err != nil {
		return 0, p.errf(0, ErrFrontMatter, "", "bad date applies_from %q: want YYYY-MM-DD", vals["applies_from"])
	}
	reviewed, err := time.Parse(dateLayout, vals["reviewed_on"])
	if err != nil {
		return 0, p.errf(0, ErrFrontMatter, "", "bad date reviewed_on %q: want YYYY-MM-DD", vals["reviewed_on"])
	}
	*s = Sheet{
		Slug:        vals["slug"],
		Title:       vals["title"],
		Version:     v,
		AppliesFrom: applies,
		ReviewedOn:  reviewed,
		ReviewedBy:  vals["reviewed_by"],
		Changes:     vals["changes"],
	}
	return end + 1, nil
}

func isFrontMatterKey(k string) bool {
	for _, want := range frontMatterKeys {
		if k == want {
			return true
		}
	}
	return false
}

// sections splits lines[start:] into the fixed sections and checks the
// footnotes.
func (p *parser) sections(lines []string, start int, s *Sheet) error {
	type span struct{ heading, first, last int } // line indexes: heading, body [first, last)
	var spans []span
	for i := start; i < len(lines); i++ {
		line := lines[i]
		if !strings.HasPrefix(line, "## ") {
			if len(spans) == 0 && strings.TrimSpace(line) != "" {
				return p.errf(i+1, ErrTextBefore, "", "text before the first section %q", "## "+headings[0])
			}
			continue
		}
		h := strings.TrimSpace(strings.TrimPrefix(line, "## "))
		idx := headingIndex(h)
		switch {
		case idx < 0:
			return p.errf(i+1, ErrUnknownSection, h, "unknown section %q", h)
		case idx < len(spans):
			return p.errf(i+1, ErrSectionOrder, h, "section %q is repeated or out of order (expected %s)", h, p.expect(len(spans)))
		case idx > len(spans):
			return p.errf(i+1, ErrSectionOrder, h, "section %q is out of order: missing section %q before it", h, headings[len(spans)])
		}
		if n := len(spans); n > 0 {
			spans[n-1].last = i
		}
		spans = append(spans, span{heading: i, first: i + 1, last: len(lines)})
	}
	if len(spans) < len(headings) {
		return p.errf(0, ErrMissingSection, headings[len(spans)], "missing section %q", headings[len(spans)])
	}

	type site struct {
		id   string
		line int
	}
	var defs, refs []site // in file order
	s.Footnotes = map[string]string{}
	defLine := map[string]int{}
	used := map[string]bool{}
	last := len(headings) - 1
	for k, sp := range spans {
		bodyLines := lines[sp.first:sp.last]
		for j, line := range bodyLines {
			n := sp.first + j + 1
			if m := fnDefRe.FindStringSubmatch(line); m != nil {
				id, text := m[1], strings.TrimSpace(m[2])
				switch {
				case k != last:
					return p.errf(n, ErrFootnoteOutside, id, "footnote [^%s] is defined outside the last section %q", id, headings[last])
				case !fnIDRe.MatchString(id):
					return p.errf(n, ErrFootnoteID, id, "bad footnote id %q", id)
				case text == "":
					return p.errf(n, ErrFootnoteEmpty, id, "footnote [^%s] has no text", id)
				}
				if prev, dup := defLine[id]; dup {
					return p.errf(n, ErrFootnoteDuplicate, id, "footnote [^%s] defined twice (first on line %d)", id, prev)
				}
				defLine[id] = n
				defs = append(defs, site{id, n})
				s.Footnotes[id] = text
				line = m[2] // a definition may cite another footnote
			}
			for _, m := range fnRefRe.FindAllStringSubmatch(line, -1) {
				refs = append(refs, site{m[1], n})
				used[m[1]] = true
			}
		}
		body := strings.TrimSpace(strings.Join(bodyLines, "\n"))
		if body == "" {
			return p.errf(sp.heading+1, ErrSectionEmpty, headings[k], "section %q is empty (write \"À vérifier\" if the rule is unknown)", headings[k])
		}
		s.Sections = append(s.Sections, Section{Heading: headings[k], Body: body})
		s.Unconfirmed += strings.Count(body, UnconfirmedMarker)
	}
	for _, r := range refs {
		if _, ok := s.Footnotes[r.id]; !ok {
			return p.errf(r.line, ErrFootnoteUndefined, r.id, "footnote [^%s] is referenced but not defined", r.id)
		}
	}
	for _, d := range defs {
		if !used[d.id] {
			return p.errf(d.line, ErrFootnoteUnused, d.id, "footnote [^%s] is defined but never referenced", d.id)
		}
	}
	if len(s.Footnotes) == 0 {
		return p.errf(0, ErrNoSource, "", "no source: at least one footnote [^n] is required")
	}
	return nil
}

func (p *parser) expect(i int) string {
	if i < len(headings) {
		return fmt.Sprintf("%q", headings[i])
	}
	return "no more sections"
}

func headingIndex(h string) int {
	for i, want := range headings {
		if h == want {
			return i
		}
	}
	return -1
}

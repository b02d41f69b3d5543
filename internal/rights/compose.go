package rights

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"parcours/internal/platform/apperr"
	"parcours/internal/rights/sheets"
)

// frontMatter is the header of a sheet document.
type frontMatter struct {
	Slug, Title             string
	Version                 int
	AppliesFrom, ReviewedOn time.Time
	ReviewedBy, Changes     string
}

// compose writes a sheet document as sheets.Parse reads it, and returns the
// line number (1-based) of each section's heading, to tell which section a
// parse error is in.
func compose(fm frontMatter, sections []sheets.Section) (string, []int) {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nslug: %s\ntitle: %s\nversion: %d\napplies_from: %s\nreviewed_on: %s\nreviewed_by: %s\nchanges: %s\n---\n",
		fm.Slug, fm.Title, fm.Version, fm.AppliesFrom.Format(time.DateOnly), fm.ReviewedOn.Format(time.DateOnly),
		fm.ReviewedBy, fm.Changes)
	line := 11 // after the 9 lines of front matter and a blank line
	starts := make([]int, len(sections))
	for i, s := range sections {
		body := strings.TrimSpace(strings.ReplaceAll(s.Body, "\r\n", "\n"))
		starts[i] = line
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", s.Heading, body)
		line += 4 + strings.Count(body, "\n")
	}
	return b.String(), starts
}

// sectionsOf pairs section bodies with the fixed headings.
func sectionsOf(bodies []string) []sheets.Section {
	hs := sheets.Headings()
	out := make([]sheets.Section, len(hs))
	for i, h := range hs {
		out[i].Heading = h
		if i < len(bodies) {
			out[i].Body = bodies[i]
		}
	}
	return out
}

// singleLine joins a text on one line (front matter values are one line).
func singleLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// validateEdit checks a new version: the header fields, then the document
// with the parser's own rules (every section present and not empty, every
// cited source defined in "Références" and every source cited).
func validateEdit(fm frontMatter, in EditInput, sh *Sheet, cur *Version) error {
	fields := map[string]string{}
	args := map[string]any{}
	switch {
	case fm.Title == "":
		fields["title"] = "common.form.required"
	case utf8.RuneCountInString(fm.Title) > maxTitle:
		fields["title"] = "common.form.too_long"
	}
	switch {
	case fm.Changes == "":
		fields["changes"] = "common.form.required"
	case utf8.RuneCountInString(fm.Changes) > maxChanges:
		fields["changes"] = "common.form.too_long"
	}
	if fm.AppliesFrom.IsZero() {
		fields["applies_from"] = "common.form.required"
	} else if y := fm.AppliesFrom.Year(); y < 2000 || y > 2100 {
		fields["applies_from"] = "common.form.date_invalid"
	}
	if in.Base != sh.Version {
		fields["form"] = "rights.web.sheet.error.conflict"
	}
	if len(in.Sections) != len(sheets.Headings()) {
		fields["form"] = "common.error.invalid"
	}
	for i, body := range in.Sections {
		if utf8.RuneCountInString(body) > maxSection {
			fields[SectionField(i)] = "common.form.too_long"
		}
	}
	if len(fields) > 0 {
		return validation(fields, args)
	}
	src, starts := compose(fm, sectionsOf(in.Sections))
	if _, err := sheets.Parse(fm.Slug, []byte(src)); err != nil {
		var pe *sheets.ParseError
		if !errors.As(err, &pe) {
			return err
		}
		field := parseErrorField(pe, starts)
		fields[field] = "rights.web.sheet.error." + pe.Kind
		if pe.Arg != "" {
			args[field] = pe.Arg
		}
		return validation(fields, args)
	}
	prev, err := cur.Parse()
	if err == nil && prev.Title == fm.Title && slices.EqualFunc(prev.Sections, sectionsOf(in.Sections),
		func(a, b sheets.Section) bool { return a.Body == strings.TrimSpace(b.Body) }) {
		return validation(map[string]string{"form": "rights.web.sheet.error.unchanged"}, nil)
	}
	return nil
}

func validation(fields map[string]string, args map[string]any) error {
	e := apperr.Validation(fields)
	if len(args) > 0 {
		e.Args = args
	}
	return e
}

// parseErrorField names the form field a parse error belongs to: the
// section holding its line, else the section it names, else the sources
// section for a sheet without source, else the whole form.
func parseErrorField(pe *sheets.ParseError, starts []int) string {
	hs := sheets.Headings()
	switch {
	case pe.Kind == sheets.ErrFrontMatter:
		return "form"
	case pe.Line >= starts[0]:
		i := len(starts) - 1
		for i > 0 && pe.Line < starts[i] {
			i--
		}
		return SectionField(i)
	case slices.Contains(hs, pe.Arg):
		return SectionField(slices.Index(hs, pe.Arg))
	case pe.Kind == sheets.ErrNoSource:
		return SectionField(len(hs) - 1)
	}
	return "form"
}

// fold lower-cases a text and removes its accents, for searching French
// without caring how "réfugié" or "ETAT" was typed.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

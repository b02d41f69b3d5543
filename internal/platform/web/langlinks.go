package web

import (
	"html"
	"html/template"
	"net/url"
	"strings"

	"parcours/internal/platform/i18n"
)

// The language switcher and the alternate links are on every page, twelve
// entries each. They are built here rather than with {{range}} in the
// layout, where html/template's per-attribute escaping made them the most
// expensive part of a page (see docs/PERFORMANCE.md).

// pathQuery is the escaped path and query of the current page, without the
// language prefix.
func (v *View) pathQuery() string {
	u := url.URL{Path: v.Path, RawQuery: v.Query}
	return u.EscapedPath() + querySuffix(v.Query)
}

func querySuffix(q string) string {
	if q == "" {
		return ""
	}
	// The raw query of a request can hold characters a URL may not:
	// re-encode it through url.Values only when parsing keeps everything.
	if vals, err := url.ParseQuery(q); err == nil {
		return "?" + vals.Encode()
	}
	return ""
}

// LangLinks is the list items of the language switcher: each language by
// its own name, linking to the same page in that language.
func (v *View) LangLinks() template.HTML {
	pq := html.EscapeString(v.pathQuery())
	var b strings.Builder
	b.Grow(len(i18n.Languages) * (90 + len(pq)))
	for _, l := range i18n.Languages {
		b.WriteString(`<li><a href="/`)
		b.WriteString(l.Tag)
		b.WriteString(pq)
		b.WriteString(`" lang="`)
		b.WriteString(l.Tag)
		b.WriteString(`" dir="`)
		b.WriteString(l.Dir())
		b.WriteString(`" hreflang="`)
		b.WriteString(l.Tag)
		b.WriteString(`"`)
		if l.Tag == v.L.Tag {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteString(`>`)
		b.WriteString(html.EscapeString(l.Name))
		b.WriteString("</a></li>")
	}
	return template.HTML(b.String()) // built from escaped parts above
}

// Alternates is the <link rel="alternate" hreflang> of a public page in
// every language (the query is left out: it is not the same page).
func (v *View) Alternates() template.HTML {
	u := url.URL{Path: v.Path}
	p := html.EscapeString(u.EscapedPath())
	var b strings.Builder
	for _, l := range i18n.Languages {
		b.WriteString("\n<link rel=\"alternate\" hreflang=\"")
		b.WriteString(l.Tag)
		b.WriteString("\" href=\"/")
		b.WriteString(l.Tag)
		b.WriteString(p)
		b.WriteString("\">")
	}
	return template.HTML(b.String()) // built from escaped parts above
}

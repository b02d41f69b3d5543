package rights

import (
	"html"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"parcours/internal/rights/sheets"
)

// The fact sheets are Markdown written by legal specialists. They are
// rendered by this small renderer rather than a general Markdown library:
// every character an author types is HTML-escaped, and only the constructs
// below produce tags, so no author can inject markup (no raw HTML, no
// attributes of their own, links only to http, https and mailto):
//
//	paragraphs; "- " or "* " lists and "1. " lists (nested by indenting);
//	"> " quotes; "### " and "#### " sub-headings; "| a | b |" tables with a
//	"|---|---|" line under the header; **bold**, *italic*, `code`;
//	[text](https://...) links and bare https:// addresses; footnote
//	references [^id], linked to the sources list; the "⚠ À confirmer"
//	marker, highlighted. Footnote definitions ("[^id]: ...") are left out:
//	the page lists them as the sources.

// markdown renders the sections of one sheet page; it numbers footnote
// references so that each source can link back to where it is cited.
type markdown struct {
	refs map[string]int // footnote id -> references rendered so far
}

func newMarkdown() *markdown { return &markdown{refs: map[string]int{}} }

var (
	mdFootDef   = regexp.MustCompile(`^\[\^[^\]\s]+\]:`)
	mdFootRef   = regexp.MustCompile(`^\[\^([A-Za-z0-9_-]+)\]`)
	mdOrdered   = regexp.MustCompile(`^(\d{1,9})[.)] +`)
	mdBullet    = regexp.MustCompile(`^[-*+] +`)
	mdTableSep  = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$`)
	mdLink      = regexp.MustCompile(`^\[([^\]\n]+)\]\(((?:https?://|mailto:)[^\s()<>]+)\)`)
	mdAutoLink  = regexp.MustCompile(`^https?://[^\s<>"]+`)
	mdHeading   = regexp.MustCompile(`^(#{3,4}) +(.+)$`)
	mdTrailPunc = ".,;:!?)»"
)

// Section renders one section body.
func (m *markdown) Section(body string) template.HTML {
	var b strings.Builder
	m.blocks(&b, strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n"))
	return template.HTML(b.String()) // built from escaped text and fixed tags only
}

// Inline renders one line of text (a footnote's text, a title).
func (m *markdown) Inline(s string) template.HTML {
	var b strings.Builder
	m.inline(&b, s)
	return template.HTML(b.String()) // escaped text and fixed tags only
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// indent returns the width of a line's leading spaces (a tab counts 4).
func indent(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}

// dedent removes up to n columns of leading spaces.
func dedent(s string, n int) string {
	for n > 0 && s != "" {
		switch s[0] {
		case ' ':
			n--
		case '\t':
			n -= 4
		default:
			return s
		}
		s = s[1:]
	}
	return s
}

// listMarker returns the marker length and whether the list is ordered,
// or 0 when the line starts no list item.
func listMarker(s string) (int, bool) {
	if m := mdBullet.FindString(s); m != "" {
		return len(m), false
	}
	if m := mdOrdered.FindString(s); m != "" {
		return len(m), true
	}
	return 0, false
}

// startsBlock reports whether an unindented line starts a block other than
// a paragraph.
func startsBlock(s string, next string) bool {
	if n, _ := listMarker(s); n > 0 {
		return true
	}
	return strings.HasPrefix(s, ">") || mdHeading.MatchString(s) || mdFootDef.MatchString(s) ||
		(strings.HasPrefix(s, "|") && mdTableSep.MatchString(next))
}

func (m *markdown) blocks(b *strings.Builder, lines []string) {
	for i := 0; i < len(lines); {
		line := lines[i]
		next := ""
		if i+1 < len(lines) {
			next = strings.TrimSpace(lines[i+1])
		}
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			i++
		case mdFootDef.MatchString(t):
			i++
		case mdHeading.MatchString(t):
			h := mdHeading.FindStringSubmatch(t)
			tag := "h3"
			if len(h[1]) == 4 {
				tag = "h4"
			}
			b.WriteString("<" + tag + ">")
			m.inline(b, h[2])
			b.WriteString("</" + tag + ">")
			i++
		case strings.HasPrefix(t, ">"):
			var inner []string
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), ">"); i++ {
				q := strings.TrimPrefix(strings.TrimSpace(lines[i]), ">")
				inner = append(inner, strings.TrimPrefix(q, " "))
			}
			b.WriteString("<blockquote>")
			m.blocks(b, inner)
			b.WriteString("</blockquote>")
		case strings.HasPrefix(t, "|") && mdTableSep.MatchString(next):
			i = m.table(b, lines, i)
		default:
			if n, _ := listMarker(t); n > 0 {
				i = m.list(b, lines, i)
				continue
			}
			var para []string
			for ; i < len(lines) && !blank(lines[i]); i++ {
				s := strings.TrimSpace(lines[i])
				nx := ""
				if i+1 < len(lines) {
					nx = strings.TrimSpace(lines[i+1])
				}
				if len(para) > 0 && startsBlock(s, nx) {
					break
				}
				para = append(para, s)
			}
			b.WriteString("<p>")
			m.inline(b, strings.Join(para, "\n"))
			b.WriteString("</p>")
		}
	}
}

// list renders the list starting at lines[i] and returns the next line.
func (m *markdown) list(b *strings.Builder, lines []string, i int) int {
	base := indent(lines[i])
	_, ordered := listMarker(strings.TrimSpace(lines[i]))
	tag := "ul"
	if ordered {
		tag = "ol"
	}
	b.WriteString("<" + tag + ">")
	for i < len(lines) {
		t := strings.TrimSpace(lines[i])
		n, ord := listMarker(t)
		if n == 0 || ord != ordered || indent(lines[i]) != base {
			break
		}
		text := []string{t[n:]}
		var nested []string
		i++
		for i < len(lines) {
			l := lines[i]
			if blank(l) {
				// A blank line ends the item unless the list goes on.
				j := i
				for j < len(lines) && blank(lines[j]) {
					j++
				}
				if j < len(lines) && indent(lines[j]) > base {
					nested = append(nested, "")
					i++
					continue
				}
				break
			}
			if indent(l) > base {
				nested = append(nested, dedent(l, base+2))
				i++
				continue
			}
			s := strings.TrimSpace(l)
			if len(nested) > 0 || startsBlock(s, "") {
				break
			}
			text = append(text, s) // lazy continuation of the item's text
			i++
		}
		b.WriteString("<li>")
		m.inline(b, strings.Join(text, "\n"))
		m.blocks(b, nested)
		b.WriteString("</li>")
		for i < len(lines) && blank(lines[i]) {
			j := i
			for j < len(lines) && blank(lines[j]) {
				j++
			}
			if j < len(lines) {
				if k, o := listMarker(strings.TrimSpace(lines[j])); k > 0 && o == ordered && indent(lines[j]) == base {
					i = j
					continue
				}
			}
			break
		}
	}
	b.WriteString("</" + tag + ">")
	return i
}

// table renders the table whose header is lines[i] and returns the next line.
func (m *markdown) table(b *strings.Builder, lines []string, i int) int {
	b.WriteString(`<div class="table-wrap"><table class="sheet-table"><thead><tr>`)
	for _, c := range cells(lines[i]) {
		b.WriteString("<th>")
		m.inline(b, c)
		b.WriteString("</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	for i += 2; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
		b.WriteString("<tr>")
		for _, c := range cells(lines[i]) {
			b.WriteString("<td>")
			m.inline(b, c)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table></div>")
	return i
}

func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	parts := strings.Split(row, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// inline renders emphasis, code, links, footnote references and the
// unconfirmed marker; everything else is escaped text.
func (m *markdown) inline(b *strings.Builder, s string) {
	start := 0 // start of the pending plain text
	flush := func(end int) {
		b.WriteString(html.EscapeString(s[start:end]))
	}
	for i := 0; i < len(s); {
		rest := s[i:]
		switch {
		case rest[0] == '`':
			if j := strings.IndexByte(rest[1:], '`'); j >= 0 {
				flush(i)
				b.WriteString("<code>" + html.EscapeString(rest[1:1+j]) + "</code>")
				i += j + 2
				start = i
				continue
			}
		case strings.HasPrefix(rest, "**"):
			if j := strings.Index(rest[2:], "**"); j > 0 {
				flush(i)
				b.WriteString("<strong>")
				m.inline(b, rest[2:2+j])
				b.WriteString("</strong>")
				i += j + 4
				start = i
				continue
			}
		case rest[0] == '*' && len(rest) > 1 && rest[1] != ' ':
			if j := strings.IndexByte(rest[1:], '*'); j > 0 && rest[j] != ' ' {
				flush(i)
				b.WriteString("<em>")
				m.inline(b, rest[1:1+j])
				b.WriteString("</em>")
				i += j + 2
				start = i
				continue
			}
		case strings.HasPrefix(rest, "[^"):
			if f := mdFootRef.FindStringSubmatch(rest); f != nil {
				flush(i)
				id := f[1]
				m.refs[id]++
				esc := html.EscapeString(id)
				b.WriteString(`<sup class="fnref"><a href="#fn-` + esc + `" id="ref-` + esc + `-` +
					strconv.Itoa(m.refs[id]) + `">` + esc + `</a></sup>`)
				i += len(f[0])
				start = i
				continue
			}
		case rest[0] == '[':
			if l := mdLink.FindStringSubmatch(rest); l != nil {
				flush(i)
				b.WriteString(`<a href="` + html.EscapeString(l[2]) + `" rel="noopener noreferrer">`)
				m.inline(b, l[1])
				b.WriteString("</a>")
				i += len(l[0])
				start = i
				continue
			}
		case strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://"):
			if u := strings.TrimRight(mdAutoLink.FindString(rest), mdTrailPunc); len(u) > len("https://") {
				flush(i)
				esc := html.EscapeString(u)
				b.WriteString(`<a href="` + esc + `" rel="noopener noreferrer">` + esc + `</a>`)
				i += len(u)
				start = i
				continue
			}
		case strings.HasPrefix(rest, sheets.UnconfirmedMarker):
			flush(i)
			b.WriteString(`<mark class="unconfirmed">` + html.EscapeString(sheets.UnconfirmedMarker) + `</mark>`)
			i += len(sheets.UnconfirmedMarker)
			start = i
			continue
		}
		i++
	}
	flush(len(s))
}

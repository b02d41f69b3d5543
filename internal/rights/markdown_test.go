package rights

import (
	"regexp"
	"strings"
	"testing"

	"parcours/internal/rights/sheets"
)

func TestMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraph", "Un texte\nsur deux lignes.", "<p>Un texte\nsur deux lignes.</p>"},
		{"escapes everything", `<script>alert("x")</script> & <b onclick=x>`,
			"<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b onclick=x&gt;</p>"},
		{"emphasis and code", "**6 mois** et *toujours* `rights.md`", "<p><strong>6 mois</strong> et <em>toujours</em> <code>rights.md</code></p>"},
		{"unclosed emphasis stays text", "**ouvert et * seul", "<p>**ouvert et * seul</p>"},
		{"footnote reference", "Délai **1 mois**[^12].", `<p>Délai <strong>1 mois</strong><sup class="fnref"><a href="#fn-12" id="ref-12-1">12</a></sup>.</p>`},
		{"footnote definitions are left out", "Texte.\n\n[^1]: Source.", "<p>Texte.</p>"},
		{"unconfirmed marker", "Plafond ⚠ À confirmer.", `<p>Plafond <mark class="unconfirmed">⚠ À confirmer</mark>.</p>`},
		{"list", "- un\n- deux\n  suite\n- trois", "<ul><li>un</li><li>deux<p>suite</p></li><li>trois</li></ul>"},
		{"lazy continuation", "- un\nsuite", "<ul><li>un\nsuite</li></ul>"},
		{"nested list", "- un\n  - a\n  - b\n- deux", "<ul><li>un<ul><li>a</li><li>b</li></ul></li><li>deux</li></ul>"},
		{"ordered list", "1. un\n2. deux", "<ol><li>un</li><li>deux</li></ol>"},
		{"list then paragraph", "- un\n\nAprès.", "<ul><li>un</li></ul><p>Après.</p>"},
		{"quote", "> **Pacte**[^1]\n> suite", `<blockquote><p><strong>Pacte</strong><sup class="fnref"><a href="#fn-1" id="ref-1-1">1</a></sup>` + "\nsuite</p></blockquote>"},
		{"sub-heading", "### Cas particulier", "<h3>Cas particulier</h3>"},
		{"table", "| A | B |\n|---|---|\n| **x** | y |",
			`<div class="table-wrap"><table class="sheet-table"><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td><strong>x</strong></td><td>y</td></tr></tbody></table></div>`},
		{"link", "[Légifrance](https://www.legifrance.gouv.fr/x?a=1&b=2)",
			`<p><a href="https://www.legifrance.gouv.fr/x?a=1&amp;b=2" rel="noopener noreferrer">Légifrance</a></p>`},
		{"javascript link stays text", "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"},
		{"bare address", "Voir https://www.service-public.fr/particuliers.", `<p>Voir <a href="https://www.service-public.fr/particuliers" rel="noopener noreferrer">https://www.service-public.fr/particuliers</a>.</p>`},
		{"quote in attribute cannot escape", `[a](https://x.test/"onmouseover=alert(1))`, `<p>[a](<a href="https://x.test/" rel="noopener noreferrer">https://x.test/</a>&#34;onmouseover=alert(1))</p>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(newMarkdown().Section(tc.in)); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
	// A second reference to a source gets its own anchor.
	md := newMarkdown()
	md.Section("a[^1]")
	if got := string(md.Section("b[^1]")); !strings.Contains(got, `id="ref-1-2"`) {
		t.Errorf("second reference: %s", got)
	}
}

// Every embedded sheet renders, with each cited source linked.
func TestMarkdownRendersEverySheet(t *testing.T) {
	all, err := sheets.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		sections, _, sources := renderSheet(s)
		if len(sections) != len(sheets.Headings())-1 || len(sources) != len(s.Footnotes) {
			t.Errorf("%s: %d sections, %d sources", s.Slug, len(sections), len(sources))
		}
		for _, src := range sources {
			if !src.Cited {
				t.Errorf("%s: source %s is not linked from the text", s.Slug, src.ID)
			}
		}
		for _, sec := range sections {
			if err := checkHTML(string(sec.HTML)); err != "" {
				t.Errorf("%s, %s: %s", s.Slug, sec.Heading, err)
			}
		}
	}
}

var (
	tagRe   = regexp.MustCompile(`<(/?)([a-z0-9]+)((?: [a-z-]+="[^"<>]*")*)>`)
	attrRe  = regexp.MustCompile(` ([a-z-]+)="([^"]*)"`)
	allowed = map[string]bool{"p": true, "ul": true, "ol": true, "li": true, "strong": true, "em": true, "code": true,
		"sup": true, "a": true, "mark": true, "blockquote": true, "h3": true, "h4": true, "div": true, "table": true,
		"thead": true, "tbody": true, "tr": true, "th": true, "td": true}
	allowedAttr = map[string]bool{"href": true, "id": true, "class": true, "rel": true}
)

// checkHTML reports a tag, attribute or link the renderer must never emit.
func checkHTML(out string) string {
	problem := ""
	rest := tagRe.ReplaceAllStringFunc(out, func(tag string) string {
		m := tagRe.FindStringSubmatch(tag)
		if !allowed[m[2]] {
			problem = "bad tag " + m[2]
		}
		for _, a := range attrRe.FindAllStringSubmatch(m[3], -1) {
			if !allowedAttr[a[1]] {
				problem = "bad attribute " + a[1]
			}
			if a[1] == "href" && !strings.HasPrefix(a[2], "https://") && !strings.HasPrefix(a[2], "http://") &&
				!strings.HasPrefix(a[2], "mailto:") && !strings.HasPrefix(a[2], "#") {
				problem = "bad link " + a[2]
			}
		}
		return ""
	})
	if problem == "" && strings.ContainsAny(rest, "<>") {
		problem = "unescaped < or > in " + rest
	}
	return problem
}

func FuzzMarkdown(f *testing.F) {
	all, _ := sheets.Load()
	for _, s := range all {
		for _, sec := range s.Sections {
			f.Add(sec.Body)
		}
	}
	for _, s := range []string{"", "<img src=x onerror=alert(1)>", "[a](https://x/\"><script>)", "- a\n  - b\n\n  c", "| a |\n|---|\n| <b> |",
		"**[^1]**", "`<code>`", "> > >", "[^a\"b]", "https://x.test/<script>", "* *a* *", "1. x\n- y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := string(newMarkdown().Section(in))
		if msg := checkHTML(out); msg != "" {
			t.Fatalf("%q rendered %q: %s", in, out, msg)
		}
	})
}

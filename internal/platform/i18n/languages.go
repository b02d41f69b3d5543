// Package i18n loads the go-i18n JSON catalogs under locales/, resolves the
// language of a request, and gives templates a small localizer (T, N).
package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Language is one language the interface is served in.
type Language struct {
	Tag  string // BCP 47 tag, also the URL prefix (/fa-AF/...)
	Name string // endonym, in its own script
	// French is the language's name in French, for staff screens.
	French string
	RTL    bool
	// Fallback lists the languages tried, in order, when a text is missing,
	// before French. Dari falls back to Farsi.
	Fallback []string
	// DateLayout formats a date (digits stay Latin, see multilingual.md).
	DateLayout string
}

// Dir is "rtl" or "ltr".
func (l Language) Dir() string {
	if l.RTL {
		return "rtl"
	}
	return "ltr"
}

// Source is the language every catalog is written in first.
const Source = "fr"

// Languages are the served languages, in the order of the switcher.
var Languages = []Language{
	{Tag: "fr", Name: "Français", French: "français", DateLayout: "02/01/2006"},
	{Tag: "en", Name: "English", French: "anglais", DateLayout: "02/01/2006"},
	{Tag: "ar", Name: "العربية", French: "arabe", RTL: true, DateLayout: "02/01/2006"},
	{Tag: "fa", Name: "فارسی", French: "persan (farsi)", RTL: true, DateLayout: "2006/01/02"},
	{Tag: "fa-AF", Name: "دری", French: "dari", RTL: true, Fallback: []string{"fa"}, DateLayout: "2006/01/02"},
	{Tag: "ps", Name: "پښتو", French: "pachto", RTL: true, DateLayout: "2006/01/02"},
	{Tag: "zh-Hans", Name: "简体中文", French: "mandarin (chinois simplifié)", DateLayout: "2006-01-02"},
	{Tag: "ro", Name: "Română", French: "roumain", DateLayout: "02.01.2006"},
	{Tag: "ti", Name: "ትግርኛ", French: "tigrigna", DateLayout: "02/01/2006"},
	{Tag: "bn", Name: "বাংলা", French: "bengali", DateLayout: "02/01/2006"},
	{Tag: "ur", Name: "اردو", French: "ourdou", RTL: true, DateLayout: "02/01/2006"},
	{Tag: "ff", Name: "Pulaar", French: "peul (pular)", DateLayout: "02/01/2006"},
}

var byTag = func() map[string]Language {
	m := make(map[string]Language, len(Languages))
	for _, l := range Languages {
		m[strings.ToLower(l.Tag)] = l
	}
	return m
}()

// Lookup finds a served language by tag, case-insensitively.
func Lookup(tag string) (Language, bool) {
	l, ok := byTag[strings.ToLower(tag)]
	return l, ok
}

// Chain is the fallback chain of a language: itself, its fallbacks, French.
func Chain(tag string) []string {
	l, ok := Lookup(tag)
	if !ok {
		return []string{Source}
	}
	out := []string{l.Tag}
	out = append(out, l.Fallback...)
	if l.Tag != Source {
		out = append(out, Source)
	}
	return out
}

// aliases maps tags that CLDR or go-i18n do not know (or that people send)
// to the served tag; see docs/i18n.md.
var aliases = map[string]string{
	"prs": "fa-AF", "prs-af": "fa-AF", "fa-af": "fa-AF",
	"pbt": "ps", "pbu": "ps", "pus": "ps", "pst": "ps", "ps-af": "ps",
	"apd": "ar", "arb": "ar", "ar-sd": "ar",
	"pes": "fa", "fa-ir": "fa",
	"cmn": "zh-Hans", "zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans-cn": "zh-Hans",
	"fuf": "ff", "fuc": "ff", "ful": "ff", "fuv": "ff", "ff-gn": "ff", "ff-latn-gn": "ff", "ff-sn": "ff",
	"ti-er": "ti", "ti-et": "ti", "mo": "ro", "ro-md": "ro",
}

var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l.Tag)
	}
	return language.NewMatcher(tags)
}()

// Negotiate picks the served language for an Accept-Language header,
// French when nothing matches.
func Negotiate(acceptLanguage string) Language {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return byTag[Source]
	}
	for _, t := range tags {
		// Aliases first, in the order of the user's preferences.
		if a, ok := aliases[strings.ToLower(t.String())]; ok {
			return byTag[strings.ToLower(a)]
		}
		if l, ok := Lookup(t.String()); ok {
			return l
		}
		_, idx, conf := matcher.Match(t)
		if conf >= language.High {
			return Languages[idx]
		}
		base, _ := t.Base()
		if a, ok := aliases[base.String()]; ok {
			return byTag[strings.ToLower(a)]
		}
		if conf >= language.Low {
			return Languages[idx]
		}
	}
	return byTag[Source]
}

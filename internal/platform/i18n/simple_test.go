package i18n

import (
	"testing"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The fast path must print exactly what go-i18n's template path prints.
func TestSimpleMatchesGoI18n(t *testing.T) {
	data := map[string]any{"Name": "Amina", "N": 3, "Date": time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "F": 2.5}
	for _, text := range []string{
		"Bonjour",
		"Bonjour {{.Name}}",
		"{{.Name}}, {{ .N }} dossiers, {{.F}}",
		"Le {{.Date}}",
		"Absent : {{.Missing}}",
		"{{.Name}}{{.Name}}",
	} {
		msg := &goi18n.Message{ID: "x", Other: text}
		sm, ok := compileSimple(msg)
		if !ok {
			t.Fatalf("%q not compiled", text)
		}
		b := goi18n.NewBundle(language.French)
		if err := b.AddMessages(language.French, msg); err != nil {
			t.Fatal(err)
		}
		want, err := goi18n.NewLocalizer(b, "fr").Localize(&goi18n.LocalizeConfig{MessageID: "x", TemplateData: data})
		if err != nil {
			t.Fatal(err)
		}
		got := sm.render(func(k string) (any, bool) { v, ok := data[k]; return v, ok })
		if got != want {
			t.Errorf("%q: fast %q, go-i18n %q", text, got, want)
		}
	}
}

func TestSimpleLeavesTheRestToGoI18n(t *testing.T) {
	for _, m := range []*goi18n.Message{
		{ID: "p", One: "un", Other: "plusieurs"},
		{ID: "f", Other: "{{.Name | printf \"%q\"}}"},
		{ID: "i", Other: "{{if .X}}oui{{end}}"},
		{ID: "t", Other: "{{- .Name}}"},
		{ID: "d", Other: "<<.Name>>", LeftDelim: "<<", RightDelim: ">>"},
	} {
		if _, ok := compileSimple(m); ok {
			t.Errorf("%q compiled as simple", m.Other)
		}
	}
}

func FuzzCompileSimple(f *testing.F) {
	for _, s := range []string{"a {{.B}} c", "{{", "}}{{.X}}", "{{.X}", "{{ .Y }}{{.Z}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sm, ok := compileSimple(&goi18n.Message{ID: "x", Other: text})
		if !ok {
			return
		}
		out := sm.render(func(string) (any, bool) { return "v", true })
		_ = out
		if sm.fields == 0 && sm.text != text {
			t.Fatalf("literal %q became %q", text, sm.text)
		}
	})
}

package i18n

import (
	"fmt"
	"regexp"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// simpleMsg is a message without plural forms, split into literal text and
// plain {{.Field}} placeholders.
type simpleMsg struct {
	text   string   // the whole text when there is no placeholder
	parts  []string // literal, field, literal, field, ... literal
	fields int32
}

var (
	actionRe = regexp.MustCompile(`\{\{-?\s*[^}]*\}\}`)
	fieldRe  = regexp.MustCompile(`^\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$`)
)

// compileSimple splits msg when it has only an "other" form and only plain
// {{.Field}} placeholders (no pipelines, functions or trimming); other
// messages go through go-i18n.
func compileSimple(msg *goi18n.Message) (*simpleMsg, bool) {
	if msg.Zero != "" || msg.One != "" || msg.Two != "" || msg.Few != "" || msg.Many != "" {
		return nil, false
	}
	if msg.LeftDelim != "" || msg.RightDelim != "" {
		return nil, false
	}
	text := msg.Other
	locs := actionRe.FindAllStringIndex(text, -1)
	if len(locs) == 0 {
		if strings.Contains(text, "{{") {
			return nil, false
		}
		return &simpleMsg{text: text}, true
	}
	sm := &simpleMsg{}
	prev := 0
	for _, loc := range locs {
		m := fieldRe.FindStringSubmatch(text[loc[0]:loc[1]])
		if m == nil {
			return nil, false
		}
		lit := text[prev:loc[0]]
		if strings.Contains(lit, "{{") || strings.Contains(lit, "}}") {
			return nil, false
		}
		sm.parts = append(sm.parts, lit, m[1])
		sm.fields++
		prev = loc[1]
	}
	tail := text[prev:]
	if strings.Contains(tail, "{{") {
		return nil, false
	}
	sm.parts = append(sm.parts, tail)
	return sm, true
}

// render fills the placeholders from get; a missing value prints as
// text/template does ("<no value>"), so both paths read the same.
func (m *simpleMsg) render(get func(string) (any, bool)) string {
	if m.fields == 0 {
		return m.text
	}
	var b strings.Builder
	for i, p := range m.parts {
		if i%2 == 0 {
			b.WriteString(p)
			continue
		}
		v, ok := get(p)
		switch {
		case !ok || v == nil:
			b.WriteString("<no value>")
		default:
			if s, isStr := v.(string); isStr {
				b.WriteString(s)
			} else {
				fmt.Fprint(&b, v)
			}
		}
	}
	return b.String()
}

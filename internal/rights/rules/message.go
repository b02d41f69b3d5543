package rules

import "maps"

// Message is a user-facing statement: an i18n message ID (prefix "rights.")
// and its named template arguments. Argument values are int, string, Money
// or Date; Money and Date print neutrally on their own, and TemplateData
// formats them for a language. In JSON, Money arguments are integer cents and
// Date arguments "YYYY-MM-DD" strings.
type Message struct {
	ID   string         `json:"id"`
	Args map[string]any `json:"args,omitempty"`
	// PluralCount is set for messages with plural forms; it is also passed
	// as the "Count" argument. Give it to go-i18n as LocalizeConfig.PluralCount.
	PluralCount any `json:"plural_count,omitempty"`
	// Unconfirmed marks a statement the research note flags as UNCONFIRMED
	// (or whose figure is not known for the date). It must be shown as such.
	Unconfirmed bool `json:"unconfirmed,omitempty"`
}

// msg builds a message from name/value pairs.
func msg(id string, kv ...any) Message {
	m := Message{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m.Args[k] = kv[i+1]
		}
	}
	return m
}

// countMsg builds a message with plural forms, counted by n ("Count").
func countMsg(id string, n int, kv ...any) Message {
	m := msg(id, kv...)
	if m.Args == nil {
		m.Args = map[string]any{}
	}
	m.Args["Count"] = n
	m.PluralCount = n
	return m
}

// uncMsg builds a message flagged UNCONFIRMED.
func uncMsg(id string, kv ...any) Message {
	m := msg(id, kv...)
	m.Unconfirmed = true
	return m
}

// NewMessage builds a message from name/value pairs; for packages that share
// the simulator's message conventions (the triage grid).
func NewMessage(id string, unconfirmed bool, kv ...any) Message {
	m := msg(id, kv...)
	m.Unconfirmed = unconfirmed
	return m
}

// NewCountMessage builds a message with plural forms counted by n.
func NewCountMessage(id string, n int, unconfirmed bool, kv ...any) Message {
	m := countMsg(id, n, kv...)
	m.Unconfirmed = unconfirmed
	return m
}

// TemplateData returns the arguments ready for a go-i18n template in the
// given language: dates as dd/mm/yyyy, money as "646,52 €" in French and
// "€646.52" in English (other languages get the French layout).
func (m Message) TemplateData(lang string) map[string]any {
	switch lang {
	case "en":
		return m.TemplateDataWith("02/01/2006", func(v Money) string { return v.Format(".", ",", true) })
	default:
		return m.TemplateDataWith("02/01/2006", Money.String)
	}
}

// TemplateDataWith formats Date arguments with dateLayout and Money
// arguments with money; other values are kept.
func (m Message) TemplateDataWith(dateLayout string, money func(Money) string) map[string]any {
	out := make(map[string]any, len(m.Args))
	maps.Copy(out, m.Args)
	for k, v := range out {
		switch x := v.(type) {
		case Date:
			out[k] = x.Format(dateLayout)
		case Money:
			out[k] = money(x)
		}
	}
	return out
}

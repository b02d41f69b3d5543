package guide

import (
	"context"
	"strings"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"parcours/internal/platform/i18n"
)

// Field is a translatable text field of an owner type.
type Field struct {
	Owner string // organization, location, service, exception
	Name  string // column name
	// Label is the message ID of the field's label.
	Label string
	// Long fields are edited in a text area.
	Long bool
	Max  int
}

// Fields lists every translatable field. Names of organisations and
// locations are proper nouns and stay as written.
var Fields = []Field{
	{Owner: "service", Name: "name", Label: "guide.f.name", Max: 160},
	{Owner: "service", Name: "description", Label: "guide.f.description", Long: true, Max: 2000},
	{Owner: "service", Name: "eligibility", Label: "guide.f.eligibility", Long: true, Max: 1000},
	{Owner: "service", Name: "application_process", Label: "guide.f.application_process", Long: true, Max: 1000},
	{Owner: "service", Name: "documents_note", Label: "guide.f.documents_note", Long: true, Max: 1000},
	{Owner: "organization", Name: "description", Label: "guide.f.org_description", Long: true, Max: 2000},
	{Owner: "location", Name: "directions", Label: "guide.f.directions", Long: true, Max: 1000},
	{Owner: "exception", Name: "reason", Label: "guide.f.reason", Max: 300},
}

// Text is a text as a page shows it: its value, the language it is in, and
// whether that is a fallback from the page's language.
type Text struct {
	Value    string
	Lang     string
	Fallback bool
}

// Dir is the text's direction.
func (t Text) Dir() string {
	if l, ok := i18n.Lookup(t.Lang); ok {
		return l.Dir()
	}
	return "ltr"
}

// texts holds the reviewed translations of the owners of a page.
type texts struct {
	chain []string
	byKey map[string]string // owner|field|lang -> value
}

// loadTexts reads the translations of owners usable on a public page in
// lang: reviewed ones, of the languages of its fallback chain.
func loadTexts(ctx context.Context, q bun.IDB, lang string, ownerIDs []string) (*texts, error) {
	t := &texts{chain: i18n.Chain(lang), byKey: map[string]string{}}
	if len(ownerIDs) == 0 || lang == i18n.Source {
		return t, nil
	}
	var rows []Translation
	err := q.NewSelect().Model(&rows).Column("owner_id", "field", "lang", "value").
		Where("owner_id IN (?) AND lang IN (?) AND status = ?", bun.List(ownerIDs), bun.List(t.chain), TrReviewed).Scan(ctx)
	for _, r := range rows {
		t.byKey[r.OwnerID+"|"+r.Field+"|"+r.Lang] = r.Value
	}
	return t, err
}

// get resolves a field along the chain; French (the source) ends it.
func (t *texts) get(ownerID, field, french string) Text {
	for i, l := range t.chain {
		v := french
		if l != i18n.Source {
			var ok bool
			if v, ok = t.byKey[ownerID+"|"+field+"|"+l]; !ok {
				continue
			}
		}
		return Text{Value: v, Lang: l, Fallback: i > 0}
	}
	return Text{Value: french, Lang: i18n.Source}
}

// Normalize prepares text for search: lower case, no accents or Arabic
// vowel marks, unified Arabic letter variants, punctuation as spaces, single
// spaces.
func Normalize(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		r = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Mn, r), r == 'ـ':
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى' || r == 'ي':
			r = 'ی'
		case r == 'ك':
			r = 'ک'
		case r == 'ة':
			r = 'ه'
		case r == 'œ':
			b.WriteString("oe")
			space = false
			continue
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// CatalogLabels gives, for a message ID, its text in every served
// language (the category names are searchable in every language).
func CatalogLabels(c *i18n.Catalog) func(id string) []string {
	return func(id string) []string {
		out := make([]string, 0, len(i18n.Languages))
		for _, l := range i18n.Languages {
			out = append(out, c.Localizer(l.Tag).T(id))
		}
		return out
	}
}

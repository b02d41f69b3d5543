// Package seed holds the multilingual seed content of the public guide: the
// glossary of administrative and social vocabulary and the "documents to
// bring" checklists, in the 12 languages served by the guide.
//
// The French text is the source. Every other language is a machine draft that
// must be reviewed by a native speaker before publication (see README.md).
// Pictogram file names refer to files in web/static/picto/.
package seed

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed glossary.json checklists.json
var files embed.FS

// SourceLanguage is the language every other text is translated from.
const SourceLanguage = "fr"

// languages lists the BCP 47 tags of the content, source language first.
var languages = []string{"fr", "en", "ar", "fa", "fa-AF", "ps", "zh-Hans", "ro", "ti", "bn", "ur", "ff"}

// Languages returns the tags of the 12 content languages, French first.
func Languages() []string {
	return append([]string(nil), languages...)
}

// Translation is a glossary term in one target language.
type Translation struct {
	// Term is the translated term. French legal terms without an equivalent
	// keep the French word, with a short explanation.
	Term string `json:"term"`
	// Definition is a translation of the French definition.
	Definition string `json:"definition"`
	// Say tells a reader of that script how to pronounce the French term.
	Say string `json:"say"`
}

// Term is one glossary entry.
type Term struct {
	Slug         string `json:"slug"`
	Theme        string `json:"theme"`
	FR           string `json:"fr"`
	DefinitionFR string `json:"definition_fr"`
	// Pictogram is a file name in web/static/picto/, or "" when no symbol fits.
	Pictogram string `json:"pictogram"`
	// Tr maps each non-French language tag to its translation.
	Tr map[string]Translation `json:"tr"`
}

// Theme groups glossary terms; Label is keyed by language tag (French included).
type Theme struct {
	Slug  string            `json:"slug"`
	Label map[string]string `json:"label"`
}

// ChecklistItem is one document or piece of information to bring.
type ChecklistItem struct {
	ID string `json:"id"`
	// Pictogram is a file name in web/static/picto/, or "".
	Pictogram string            `json:"pictogram"`
	Text      map[string]string `json:"text"`
	// Note is optional (nil when absent); when present it has every language.
	Note map[string]string `json:"note,omitempty"`
	// Required is true when the procedure cannot be done without the item.
	Required bool `json:"required"`
}

// Checklist is a "documents to bring" sheet for one procedure. Text fields
// are keyed by language tag, French included.
type Checklist struct {
	Slug    string            `json:"slug"`
	Title   map[string]string `json:"title"`
	Intro   map[string]string `json:"intro"`
	Items   []ChecklistItem   `json:"items"`
	Where   map[string]string `json:"where"`
	Sources []string          `json:"sources"`
}

type glossaryFile struct {
	SourceLanguage string   `json:"source_language"`
	Languages      []string `json:"languages"`
	Themes         []Theme  `json:"themes"`
	Terms          []Term   `json:"terms"`
}

type checklistsFile struct {
	SourceLanguage string      `json:"source_language"`
	Languages      []string    `json:"languages"`
	Checklists     []Checklist `json:"checklists"`
}

func decodeStrict(name string, v any) error {
	data, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("seed: decode %s: %w", name, err)
	}
	if dec.More() {
		return fmt.Errorf("seed: decode %s: trailing data", name)
	}
	return nil
}

func loadGlossary() (glossaryFile, error) {
	var f glossaryFile
	if err := decodeStrict("glossary.json", &f); err != nil {
		return f, err
	}
	if err := checkHeader("glossary.json", f.SourceLanguage, f.Languages); err != nil {
		return f, err
	}
	return f, nil
}

// checkHeader verifies the source language and language list of a seed file.
func checkHeader(name, source string, langs []string) error {
	if source != SourceLanguage {
		return fmt.Errorf("seed: %s: source language %q, want %q", name, source, SourceLanguage)
	}
	if len(langs) != len(languages) {
		return fmt.Errorf("seed: %s: %d languages, want %d", name, len(langs), len(languages))
	}
	for i, l := range langs {
		if l != languages[i] {
			return fmt.Errorf("seed: %s: language %d is %q, want %q", name, i, l, languages[i])
		}
	}
	return nil
}

// Glossary decodes the embedded glossary. Each call returns a fresh copy;
// callers that need it often should keep the result.
func Glossary() ([]Term, error) {
	f, err := loadGlossary()
	if err != nil {
		return nil, err
	}
	return f.Terms, nil
}

// Themes returns the glossary themes with their labels in every language.
func Themes() ([]Theme, error) {
	f, err := loadGlossary()
	if err != nil {
		return nil, err
	}
	return f.Themes, nil
}

// Checklists decodes the embedded "documents to bring" checklists. Each call
// returns a fresh copy.
func Checklists() ([]Checklist, error) {
	var f checklistsFile
	if err := decodeStrict("checklists.json", &f); err != nil {
		return nil, err
	}
	if err := checkHeader("checklists.json", f.SourceLanguage, f.Languages); err != nil {
		return nil, err
	}
	return f.Checklists, nil
}

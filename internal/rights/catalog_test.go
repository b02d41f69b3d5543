package rights

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"parcours/internal/rights/rules"
	"parcours/internal/rights/sheets"
)

// The web layer's texts are the "rights.web." entries of the rights
// catalogs (the simulator's and the grid's own are checked in
// internal/rights/rules). Every key the code and templates use must exist,
// and every entry must be used.
func TestWebMessages(t *testing.T) {
	keyRe := regexp.MustCompile(`"(rights\.web\.[a-z0-9_.-]*)"`)
	used := map[string]bool{}
	var prefixes []string
	files, _ := filepath.Glob("*.go")
	tmpls, _ := filepath.Glob("templates/*.html")
	for _, f := range append(append(files, tmpls...), "../app/app.go") {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			if strings.HasSuffix(m[1], ".") {
				prefixes = append(prefixes, m[1])
			} else {
				used[m[1]] = true
			}
		}
	}
	// Keys built from a prefix and a value.
	dynamic := map[string][]string{
		"rights.web.checklist.": rules.Checklists(),
		"rights.web.unit.":      {string(rules.UnitCentsPerDay), string(rules.UnitCentsPerMonth), string(rules.UnitCentsPerYear), string(rules.UnitHoursPerYear)},
		"rights.web.sheet.error.": {sheets.ErrFrontMatter, sheets.ErrTextBefore, sheets.ErrUnknownSection, sheets.ErrSectionOrder,
			sheets.ErrMissingSection, sheets.ErrSectionEmpty, sheets.ErrFootnoteOutside, sheets.ErrFootnoteID, sheets.ErrFootnoteEmpty,
			sheets.ErrFootnoteDuplicate, sheets.ErrFootnoteUndefined, sheets.ErrFootnoteUnused, sheets.ErrNoSource},
		// options("rights.web.", ...) of the reception-conditions select.
		"rights.web.": {string(rules.Yes), string(rules.No)},
	}
	for _, g := range Groups {
		dynamic["rights.web.group."] = append(dynamic["rights.web.group."], string(g))
	}
	for _, p := range slices.Compact(slices.Sorted(slices.Values(prefixes))) {
		values, ok := dynamic[p]
		if !ok {
			t.Errorf("the code builds keys from %q: list its values in this test", p)
		}
		for _, v := range values {
			used[p+v] = true
		}
	}
	for _, lang := range []string{"fr", "en"} {
		b, err := os.ReadFile("../../locales/rights." + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]map[string]string
		if err := json.Unmarshal(b, &cat); err != nil {
			t.Fatal(err)
		}
		for k := range used {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: %s is used but missing", lang, k)
			}
		}
		for k := range cat {
			if strings.HasPrefix(k, "rights.web.") && !used[k] {
				t.Errorf("%s: %s is never used", lang, k)
			}
		}
	}
}

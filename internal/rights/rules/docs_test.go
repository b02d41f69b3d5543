package rules

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListEveryRule keeps docs/rights-rules.md in step with the code:
// every legal reference a rule may cite and every dated value must be listed.
func TestDocsListEveryRule(t *testing.T) {
	b, err := os.ReadFile("../../../docs/rights-rules.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range ruleList {
		for _, ref := range r.refs {
			if !strings.Contains(doc, ref) {
				t.Errorf("docs/rights-rules.md does not cite %q (rule %s)", ref, r.id)
			}
		}
	}
	for _, name := range ParamNames() {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/rights-rules.md does not list the value %s", name)
		}
	}
	for _, doc2 := range Checklists() {
		if !strings.Contains(doc, "`"+doc2+"`") {
			t.Errorf("docs/rights-rules.md does not list the checklist %s", doc2)
		}
	}
}

// TestStatusSheets checks that each status links to an existing fact sheet
// of internal/rights/sheets (skipped if the content folder is absent), and
// that the statuses of a sheet share one group (the sheet's group).
func TestStatusSheets(t *testing.T) {
	const dir = "../sheets/content/"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no fact sheets folder")
	}
	group := map[string]StatusGroup{}
	for _, s := range Statuses() {
		if s.Sheet == "" {
			t.Errorf("status %s has no fact sheet", s.ID)
			continue
		}
		if g, ok := group[s.Sheet]; ok && g != s.Group {
			t.Errorf("fact sheet %s serves statuses of two groups, %s and %s", s.Sheet, g, s.Group)
		}
		group[s.Sheet] = s.Group
		if _, err := os.Stat(dir + s.Sheet + ".md"); err != nil {
			t.Errorf("status %s: fact sheet %s.md not found", s.ID, s.Sheet)
		}
	}
}

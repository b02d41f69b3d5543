package rights_test

import (
	"slices"
	"testing"

	"parcours/internal/guide/seed"
	"parcours/internal/rights/rules"
)

// The simulator links each document list to the guide's checklist of the
// same slug. These slugs have no checklist in the guide yet (their names
// are shown without a link); adding one to the guide's seed must remove it
// from this list.
var withoutGuideChecklist = []string{"ada", "emergency-accommodation", "work-permit"}

func TestRuleChecklistsAndTheGuide(t *testing.T) {
	cls, err := seed.Checklists()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range cls {
		have[c.Slug] = true
	}
	for _, slug := range rules.Checklists() {
		if have[slug] == slices.Contains(withoutGuideChecklist, slug) {
			t.Errorf("checklist %q: in the guide %v, listed as missing %v", slug, have[slug], !have[slug])
		}
	}
}

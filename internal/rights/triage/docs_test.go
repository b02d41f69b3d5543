package triage

import (
	"os"
	"strings"
	"testing"

	"parcours/internal/rights/rules"
)

// TestDocsListEveryQuestionAndFlag keeps docs/rights-rules.md in step.
func TestDocsListEveryQuestionAndFlag(t *testing.T) {
	b, err := os.ReadFile("../../../docs/rights-rules.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, q := range Questions() {
		if !strings.Contains(doc, "`"+q.ID+"`") {
			t.Errorf("docs/rights-rules.md does not list question %s", q.ID)
		}
	}
	// Raise every flag once.
	all := Answers{}
	for _, q := range Questions() {
		if q.Kind == KindBool {
			all[q.ID] = "yes"
		}
	}
	flags := map[string]bool{}
	for _, variant := range []Answers{all, {QDeclaresMinor: "yes"}, {QDocumentExpiresOn: "2026-12-01"},
		{QDocumentExpiresOn: "2026-01-01"}, {QDublin: "yes", QDublinAcceptedOn: "2026-01-01"},
		{QAsylumSeeker: "yes", QAsylumRegisteredOn: "2026-11-20"}} {
		res, err := Assess(variant, rules.MustDate("2026-11-25").Time())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Flags {
			flags[f.ID] = true
		}
	}
	// checkDocument raises one of two flags (expired or expiring).
	if want := len(checks) + 1; len(flags) != want {
		t.Errorf("raised %d flags, want %d", len(flags), want)
	}
	for id := range flags {
		if !strings.Contains(doc, "`"+id+"`") {
			t.Errorf("docs/rights-rules.md does not list flag %s", id)
		}
	}
}

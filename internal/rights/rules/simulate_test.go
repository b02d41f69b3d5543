package rules

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestSimulateBeforeModel(t *testing.T) {
	res := Simulate(Situation{Status: StatusRefugee}, day("2021-04-30"))
	if len(res.Rights) != len(ruleList) {
		t.Fatalf("%d rights, want %d", len(res.Rights), len(ruleList))
	}
	for _, r := range res.Rights {
		if r.Outcome != Unknown || r.Reasons[0].ID != "rights.common.reason.before_model" {
			t.Errorf("%s: %s %v, want unknown before the model start (CESEDA renumbering)", r.Right, r.Outcome, ids(r.Reasons))
		}
	}
}

func TestSimulateInvalidSituation(t *testing.T) {
	res := Simulate(Situation{Status: "martian"}, day("2025-06-01"))
	for _, r := range res.Rights {
		if r.Outcome != Unknown || r.Reasons[0].ID != "rights.common.reason.invalid_situation" {
			t.Errorf("%s: %s, want unknown", r.Right, r.Outcome)
		}
	}
}

func TestSimulatePactNote(t *testing.T) {
	res := Simulate(Situation{Status: StatusAsylumNormal}, day("2026-06-12"))
	if len(res.Notes) != 1 || res.Notes[0].ID != "rights.common.note.eu_pact" || !res.Notes[0].Unconfirmed {
		t.Errorf("notes = %+v, want the unconfirmed EU Pact note", res.Notes)
	}
	if res := Simulate(Situation{Status: StatusAsylumNormal}, day("2026-06-11")); len(res.Notes) != 0 {
		t.Errorf("no Pact note expected the day before: %+v", res.Notes)
	}
}

// TestInvariants checks every answer of a generated corpus against the rules
// every answer must follow.
func TestInvariants(t *testing.T) {
	corpus := Corpus(40)
	if len(corpus) < 7000 {
		t.Fatalf("corpus too small: %d", len(corpus))
	}
	meta := map[RightID]rule{}
	for _, r := range ruleList {
		meta[r.id] = r
	}
	levels, docs := Levels(), Checklists()
	seenDocs, seenLevels := map[string]bool{}, map[Level]bool{}
	defer func() {
		for _, doc := range docs {
			if !seenDocs[doc] {
				t.Errorf("checklist %q is never returned", doc)
			}
		}
		for _, l := range levels {
			if !seenLevels[l] {
				t.Errorf("level %q is never returned", l)
			}
		}
	}()
	for _, cc := range corpus {
		res := Simulate(cc.S, cc.At)
		if len(res.Rights) != len(ruleList) {
			t.Fatalf("%d rights", len(res.Rights))
		}
		for i, r := range res.Rights {
			m := meta[r.Right]
			fail := func(format string, args ...any) {
				t.Helper()
				b, _ := json.Marshal(cc.S)
				t.Fatalf("%s at %s, %s: "+format, append([]any{r.Right, cc.At.Format("2006-01-02"), b}, args...)...)
			}
			if r.Right != ruleList[i].id || r.Name != rightName(r.Right) {
				fail("order or name")
			}
			if !slices.Contains(Outcomes(), r.Outcome) {
				fail("outcome %q", r.Outcome)
			}
			if len(r.Reasons) == 0 {
				fail("no reason")
			}
			if r.Level != "" && !slices.Contains(levels, r.Level) {
				fail("level %q", r.Level)
			}
			seenLevels[r.Level] = true
			for _, doc := range r.Documents {
				seenDocs[doc] = true
			}
			unc := false
			for _, x := range r.Reasons {
				if x.Unconfirmed {
					unc = true
					if r.Outcome == Eligible || r.Outcome == NotEligible {
						fail("certain outcome %s on an unconfirmed reason %s", r.Outcome, x.ID)
					}
				}
				if x.ID == "rights.common.reason.not_covered" {
					fail("rule gave no reason of its own")
				}
			}
			for _, x := range r.Notes {
				unc = unc || x.Unconfirmed
			}
			for _, a := range r.Amounts {
				unc = unc || a.Unconfirmed || a.Stale
			}
			if unc != r.Unconfirmed {
				fail("Unconfirmed = %v, parts say %v", r.Unconfirmed, unc)
			}
			for _, ref := range r.References {
				if !slices.Contains(m.refs, ref) {
					fail("reference %q not declared in the rule's metadata", ref)
				}
			}
			for _, doc := range r.Documents {
				if !slices.Contains(docs, doc) || !slices.Contains(m.docs, doc) {
					fail("document %q not declared", doc)
				}
			}
			if len(r.Sources) == 0 {
				fail("no source")
			}
			at := DateOf(cc.At)
			if (r.WaitingDays > 0) != (!r.OpensOn.IsZero() && r.OpensOn.After(at)) {
				fail("waiting days %d with opens on %s", r.WaitingDays, r.OpensOn)
			}
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	}
}

func TestResultJSON(t *testing.T) {
	res := Simulate(noPermit("2025-01-01", money(600)), day("2025-06-01"))
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back["at"] != "2025-06-01" || back["status"] != "no_permit" {
		t.Errorf("JSON head = %v %v", back["at"], back["status"])
	}
	rights := back["rights"].([]any)
	ame := rights[4].(map[string]any)
	if ame["right"] != "ame" || ame["outcome"] != "eligible" {
		t.Errorf("AME JSON = %v", ame)
	}
	amount := ame["amounts"].([]any)[0].(map[string]any)
	if amount["value_cents"] != float64(1033900) || amount["from"] != "2025-04-01" {
		t.Errorf("ceiling JSON = %v", amount)
	}
}

func TestStatusesAndRights(t *testing.T) {
	seen := map[StatusID]bool{}
	for _, s := range Statuses() {
		if seen[s.ID] || !s.ID.Valid() || s.Name == "" || s.Group == "" {
			t.Errorf("status %+v", s)
		}
		seen[s.ID] = true
	}
	if len(seen) != 25 {
		t.Errorf("%d statuses, want 25", len(seen))
	}
	for _, r := range Rights() {
		if r.Name == "" || len(r.Sources) == 0 {
			t.Errorf("right %+v", r)
		}
		if r.ID != RightSchool && len(r.References) == 0 {
			t.Errorf("right %s has no reference", r.ID)
		}
	}
}
